package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/icld/partnerskap/internal/store"
)

// dialect is PostgreSQL's SQL for store.DB: $n placeholders, row locks
// (SELECT … FOR UPDATE) on the rows a business rule depends on, times as
// TIMESTAMPTZ (microseconds), lists as arrays.
var dialect = &store.Dialect{
	Name:       "postgres",
	Numbered:   true,
	ForUpdate:  " FOR UPDATE",
	ForShare:   " FOR SHARE",
	SkipLocked: " SKIP LOCKED",
	XactLock:   "SELECT pg_advisory_xact_lock(?, ?)",
	Precision:  time.Microsecond,
	SealLater:  true,
	Time:       func(t time.Time) any { return t },
	Date: func(t time.Time) any {
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	},
	IsUnique: isUnique,
	In: func(column string, ids []int64) (string, any) {
		return column + " = ANY(?::bigint[])", ids
	},
	InText: func(column string, values []string) (string, any) {
		return column + " = ANY(?::text[])", values
	},
}

// uniqueViolation is PostgreSQL's SQLSTATE for unique_violation.
const uniqueViolation = "23505"

// isUnique reports whether err is a unique violation of constraint. The
// store checks uniqueness before it inserts, but under READ COMMITTED a
// transaction cannot see a row another has inserted and not yet committed;
// the index catches that race, and the store turns it into the same field
// error.
func isUnique(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == uniqueViolation && pe.ConstraintName == constraint
}

// hooks gives store.DB what is PostgreSQL's own: the transaction that
// announces changes to the other instances, and tsvector search.
type hooks struct{ s *Store }

func (h hooks) WriteTx(ctx context.Context, fn func(*sql.Tx) error) error { return h.s.tx(ctx, fn) }

// Unannounced runs fn on the pool, each statement its own transaction,
// which sends no notification and moves no version (version.go).
func (h hooks) Unannounced(ctx context.Context, fn func(store.SQLConn) error) error {
	return fn(h.s.db)
}

// UnannouncedTx runs fn in a transaction from the pool that sends no
// notification and moves no version.
func (h hooks) UnannouncedTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return inTx(ctx, h.s.db, fn)
}
