package store_test

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/icld/partnerskap/internal/store"
)

// sqliteError has the method modernc.org/sqlite's errors have.
type sqliteError int

func (e sqliteError) Error() string { return fmt.Sprintf("sqlite %d", int(e)) }
func (e sqliteError) Code() int     { return int(e) }

func TestUnavailable(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("record payment: %w", err) }
	yes := map[string]error{
		"SQLITE_FULL":             sqliteError(13),
		"SQLITE_IOERR_WRITE":      sqliteError(10 | 3<<8),
		"SQLITE_READONLY":         sqliteError(8),
		"SQLITE_BUSY":             sqliteError(5),
		"pg admin shutdown":       &pgconn.PgError{Code: "57P01"},
		"pg disk full":            &pgconn.PgError{Code: "53100"},
		"pg connection failure":   &pgconn.PgError{Code: "08006"},
		"pg read-only standby":    &pgconn.PgError{Code: "25006"},
		"bad connection":          driver.ErrBadConn,
		"refused":                 &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
		"unexpected EOF":          io.ErrUnexpectedEOF,
		"no space (file store)":   &fsError{syscall.ENOSPC},
		"file too large":          &fsError{syscall.EFBIG},
		"already ErrUnavailable":  store.ErrUnavailable,
		"pgx conn closed":         errors.New("conn closed"),
		"read-only file system":   &fsError{syscall.EROFS},
		"over quota (file store)": &fsError{syscall.EDQUOT},
	}
	for name, err := range yes {
		if !store.Unavailable(err) || !store.Unavailable(wrap(err)) {
			t.Errorf("%s: not unavailable", name)
		}
	}
	no := map[string]error{
		"nil":                 nil,
		"not found":           store.ErrNotFound,
		"conflict":            store.ErrConflict,
		"no rows":             sql.ErrNoRows,
		"SQLITE_CONSTRAINT":   sqliteError(19 | 8<<8),
		"pg unique":           &pgconn.PgError{Code: "23505"},
		"pg serialization":    &pgconn.PgError{Code: "40001"},
		"pg syntax":           &pgconn.PgError{Code: "42601"},
		"plain":               errors.New("web: render error: bad template"),
		"file does not exist": &fsError{syscall.ENOENT},
	}
	for name, err := range no {
		if store.Unavailable(err) || store.Unavailable(wrap(err)) && err != nil {
			t.Errorf("%s: unavailable", name)
		}
	}
}

type fsError struct{ errno syscall.Errno }

func (e *fsError) Error() string { return "filestore: put x: " + e.errno.Error() }
func (e *fsError) Unwrap() error { return e.errno }
