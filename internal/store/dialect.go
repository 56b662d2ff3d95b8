package store

import (
	"strconv"
	"strings"
	"time"
)

// Dialect is what the one SQL implementation (DB) needs to know of an
// engine's SQL. Queries are written once, with ? placeholders; the dialect
// rebinds them and encodes their arguments. Everything else engine-specific
// (opening, migrations, change notification, full-text search) lives in
// store/sqlite and store/postgres.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Numbered placeholders: $1, $2, … instead of ?.
	Numbered bool
	// ForUpdate and ForShare are appended to a SELECT to lock the rows a
	// rule depends on until the transaction ends. Empty on SQLite, whose
	// write transactions take the database's one write lock at BEGIN.
	ForUpdate, ForShare string
	// SkipLocked is appended to ForUpdate where concurrent claimers should
	// pass over each other's rows instead of waiting.
	SkipLocked string
	// XactLock takes a lock on two integer keys until the transaction
	// ends (pg_advisory_xact_lock); empty where the write lock suffices.
	XactLock string
	// SealLater is set where audit entries are chained after commit by
	// the sealer (SealAudit) rather than as they are inserted: where
	// writers run side by side and ids do not come in commit order.
	SealLater bool
	// Precision is what stored times are cut to, so that a record a change
	// hands back equals the record read back later (0: kept as they are).
	Precision time.Duration
	// Time and Date encode a time.Time and a calendar date (a Day) as a
	// query argument.
	Time func(time.Time) any
	Date func(time.Time) any
	// IsUnique reports whether err violates a unique index; constraint
	// names it where the engine reports names (PostgreSQL).
	IsUnique func(err error, constraint string) bool
	// In returns a condition that column is one of ids, with the one
	// argument it takes (json_each on SQLite, = ANY on PostgreSQL), so a
	// list of any length is one parameter.
	In func(column string, ids []int64) (string, any)
	// InText is In for strings.
	InText func(column string, values []string) (string, any)
}

// Day is a calendar date as a query argument (stored as an ISO date on
// SQLite and a DATE on PostgreSQL); the zero time is NULL.
type Day time.Time

// rebind turns ? placeholders into $n where the dialect numbers them,
// leaving quoted text and identifiers alone (as sqlx's Rebind does, plus
// quotes).
func (d *Dialect) rebind(q string) string {
	if !d.Numbered || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// args encodes times and dates for the engine. It copies only when it
// changes something.
func (d *Dialect) args(args []any) []any {
	var out []any
	for i, a := range args {
		var v any
		switch x := a.(type) {
		case time.Time:
			v = d.Time(x)
		case Day:
			if time.Time(x).IsZero() {
				v = nil
			} else {
				v = d.Date(time.Time(x))
			}
		default:
			if out != nil {
				out[i] = a
			}
			continue
		}
		if out == nil {
			out = make([]any, len(args))
			copy(out, args[:i])
		}
		out[i] = v
	}
	if out == nil {
		return args
	}
	return out
}
