package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// querier is a pool or a transaction, through the dialect: every read and
// write of DB goes through one.
// SQLConn is a *sql.DB, *sql.Conn or *sql.Tx, with the engine's own
// placeholders.
type SQLConn interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

type querier interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// conn runs statements on a *sql.DB or *sql.Tx, rebinding placeholders and
// encoding arguments for the dialect.
type conn struct {
	x SQLConn
	d *Dialect
}

func (c *conn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.x.ExecContext(ctx, c.d.rebind(q), c.d.args(args)...)
}

func (c *conn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.x.QueryContext(ctx, c.d.rebind(q), c.d.args(args)...)
}

func (c *conn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return c.x.QueryRowContext(ctx, c.d.rebind(q), c.d.args(args)...)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// queryAll runs q and scans each row with scan.
func queryAll[T any](ctx context.Context, db querier, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	var out []T
	err := eachRow(ctx, db, func(row scanner) error {
		v, err := scan(row)
		out = append(out, v)
		return err
	}, q, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachRow runs q and calls fn for each row.
func eachRow(ctx context.Context, db querier, fn func(scanner) error, q string, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// queryIDs runs q, which selects one integer column.
func queryIDs(ctx context.Context, db querier, q string, args ...any) ([]int64, error) {
	return queryAll(ctx, db, func(row scanner) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	}, q, args...)
}

// insertID runs an INSERT … RETURNING id and returns the id.
func insertID(ctx context.Context, db querier, q string, args ...any) (int64, error) {
	var id int64
	err := db.QueryRowContext(ctx, q+` RETURNING id`, args...).Scan(&id)
	return id, err
}

// notFound turns sql.ErrNoRows into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// updatedOne is ErrNotFound when res changed no row.
func updatedOne(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// instant scans a stored time into t: fixed-width UTC text on SQLite, a
// TIMESTAMPTZ on PostgreSQL; NULL is the zero time.
func instant(t *time.Time) sql.Scanner { return timeScan{t, false} }

// day scans a stored calendar date into t as midnight UTC: an ISO date on
// SQLite, a DATE on PostgreSQL (read in whatever zone the driver uses);
// NULL is the zero time.
func day(t *time.Time) sql.Scanner { return timeScan{t, true} }

type timeScan struct {
	t    *time.Time
	date bool
}

func (s timeScan) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		if s.date {
			y, m, d := x.Date()
			*s.t = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		} else {
			*s.t = x.UTC()
		}
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	default:
		return fmt.Errorf("store: cannot read %T as a time", v)
	}
	return nil
}

func (s timeScan) parse(text string) error {
	if text == "" {
		*s.t = time.Time{}
		return nil
	}
	if s.date {
		t, err := time.Parse(dateLayout, text)
		if err != nil {
			return err
		}
		*s.t = t
		return nil
	}
	t, err := time.Parse(TimeLayout, text)
	if err != nil {
		if t, err = time.Parse(time.RFC3339Nano, text); err != nil {
			return err
		}
	}
	*s.t = t.UTC()
	return nil
}

// TimeLayout is how SQLite stores times: fixed-width UTC text, so rows
// sort as the times compare.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

const dateLayout = "2006-01-02"

// TimeText and DateText encode times and dates as SQLite stores them.
func TimeText(t time.Time) any { return t.UTC().Format(TimeLayout) }
func DateText(t time.Time) any { return t.Format(dateLayout) }

// dateOf is t's calendar date at midnight UTC, the system's form for
// dates, which is how a date reads back from either engine.
func dateOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// nullInt is NULL for 0.
func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// nullString is NULL for "".
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullTime is NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// jsonText encodes v for a JSON column (TEXT on SQLite, JSONB on
// PostgreSQL, to which pgx sends a string as the JSON text it holds).
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// value adapts a scan function that returns a pointer to one that returns
// the value, for lists of values.
func value[T any](scan func(scanner) (*T, error)) func(scanner) (T, error) {
	return func(row scanner) (T, error) {
		v, err := scan(row)
		if err != nil {
			var zero T
			return zero, err
		}
		return *v, nil
	}
}
