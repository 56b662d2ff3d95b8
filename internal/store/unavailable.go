package store

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
)

// ErrUnavailable is a failure of the database itself rather than of the
// request: the disk is full, the file cannot be written, the connection
// to PostgreSQL was dropped or refused. Nothing was saved; the same
// request may succeed in a moment, without a restart. Writes (DB.tx) wrap
// such failures in it; Unavailable also recognises them on reads.
var ErrUnavailable = errors.New("database unavailable")

// Unavailable reports whether err is such a failure. It is the one place
// that knows the engines' error codes, read through the methods their
// drivers' errors have (so this package imports neither driver):
//
//   - SQLite (Code() int, primary code in the low byte): SQLITE_FULL (disk
//     or max_page_count full), SQLITE_IOERR, SQLITE_READONLY,
//     SQLITE_CANTOPEN, SQLITE_BUSY (the lock stayed taken past the busy
//     timeout), SQLITE_NOMEM.
//   - PostgreSQL (SQLState() string): class 08 (connection exception),
//     class 53 (insufficient resources: disk full, out of memory, too
//     many connections), 57P01–57P05 (the server or an administrator
//     ended the session), 25006 (a read-only server, a standby).
//   - A connection lost or refused on the way: driver.ErrBadConn, a
//     network error, an unexpected end of the stream.
//   - A file that cannot be written (the file store of uploads on
//     SQLite): no space, over quota or over the file size limit, a
//     read-only file system.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EFBIG) ||
		errors.Is(err, syscall.EROFS) {
		return true
	}
	var sqlite interface{ Code() int }
	if errors.As(err, &sqlite) {
		switch sqlite.Code() & 0xff {
		case 13, 10, 8, 14, 5, 7: // FULL, IOERR, READONLY, CANTOPEN, BUSY, NOMEM
			return true
		}
		return false
	}
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		s := pg.SQLState()
		return strings.HasPrefix(s, "08") || strings.HasPrefix(s, "53") || strings.HasPrefix(s, "57P") || s == "25006"
	}
	var nerr *net.OpError
	if errors.As(err, &nerr) {
		return true
	}
	// pgx reports a connection that died under a statement as a plain
	// error ending in "conn closed" or an unexpected EOF.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.HasSuffix(msg, "unexpected EOF")
}

// unavailable wraps err in ErrUnavailable when it is such a failure.
func unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || !Unavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}
