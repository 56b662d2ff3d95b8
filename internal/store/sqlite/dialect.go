package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/icld/partnerskap/internal/store"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is SQLite's SQL for store.DB: ? placeholders, no row locks (a
// write transaction takes the database's write lock at BEGIN, see Open),
// times as fixed-width UTC text that sorts as it compares, and lists
// passed as one JSON array read with json_each.
var dialect = &store.Dialect{
	Name:     "sqlite",
	Time:     store.TimeText,
	Date:     store.DateText,
	IsUnique: func(err error, _ string) bool { return isUnique(err) },
	In: func(column string, ids []int64) (string, any) {
		return column + " IN (SELECT value FROM json_each(?))", jsonList(ids)
	},
	InText: func(column string, values []string) (string, any) {
		return column + " IN (SELECT value FROM json_each(?))", jsonList(values)
	},
}

func jsonList[T any](list []T) string {
	if len(list) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(list) // numbers and strings always marshal
	return string(b)
}

// isUnique reports whether err violates a unique index. SQLite names the
// columns, not the index, so any unique violation counts.
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// hooks gives store.DB what is SQLite's own: the write transaction that
// tracks the data version, and FTS5 search.
type hooks struct{ s *Store }

func (h hooks) WriteTx(ctx context.Context, fn func(*sql.Tx) error) error { return h.s.tx(ctx, fn) }

func (h hooks) Unannounced(ctx context.Context, fn func(store.SQLConn) error) error {
	return h.s.version.unannounced(ctx, fn)
}

func (h hooks) UnannouncedTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return h.s.version.unannouncedTx(ctx, fn)
}
