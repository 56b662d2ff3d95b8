package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/search"
)

// DB is the one SQL implementation of the store, shared by both engines.
// It reads, calls the domain's rules and writes; what differs between the
// engines is its Dialect and the Engine hooks below.
type DB struct {
	d     *Dialect
	w, r  *conn // the writer and the readers (one pool on PostgreSQL)
	eng   Engine
	clock clock.Clock
}

// Engine is what an engine package gives DB besides its SQL dialect.
type Engine interface {
	// WriteTx runs fn in a write transaction and commits it if fn returns
	// nil, moving the data version when something changed.
	WriteTx(ctx context.Context, fn func(*sql.Tx) error) error
	// Unannounced runs fn, which writes only bookkeeping no public page
	// shows (a session's last request), so that what it writes does not
	// move the data version: on a connection whose own commits SQLite's
	// data_version does not count, or outside a transaction that sends
	// PostgreSQL's notification.
	Unannounced(ctx context.Context, fn func(SQLConn) error) error
	// SearchQuery is the statement (and its arguments) that lists, in
	// ascending order, the partnerships matching q, which has words.
	SearchQuery(q search.Query) (string, []any)
	// IndexPartnership writes p's search terms in the transaction that
	// changed p or one of its members.
	IndexPartnership(ctx context.Context, tx Execer, p *partnership.Partnership) error
	// OutdatedSearch is the statement that lists the partnerships without
	// an index row, or with one from another analyser (its one argument
	// is search.Version).
	OutdatedSearch() string
}

// Execer runs a statement with ? placeholders, rebound for the engine.
type Execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// New returns the store over writer and reader (the same pool where the
// engine lets writers run side by side).
func New(d *Dialect, writer, reader *sql.DB, eng Engine, clk clock.Clock) *DB {
	return &DB{d: d, w: &conn{writer, d}, r: &conn{reader, d}, eng: eng, clock: clk}
}

// Init prepares an opened database: the engine's steps in order (start
// following changes, migrate), then the search index is brought up to
// date with package search. The engines' Open calls it.
func (s *DB) Init(ctx context.Context, steps ...func(context.Context) error) error {
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return s.reindexSearch(ctx)
}

// Engine names the engine: "sqlite" or "postgres".
func (s *DB) Engine() string { return s.d.Name }

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// now is the clock's time at the precision the engine stores.
func (s *DB) now() time.Time { return s.cut(s.clock.Now()) }

// cut cuts t to the precision the engine stores (Dialect.Precision).
func (s *DB) cut(t time.Time) time.Time {
	if s.d.Precision > 0 {
		t = t.UTC().Truncate(s.d.Precision)
	}
	return t
}

// tx runs fn in a write transaction (Engine.WriteTx).
func (s *DB) tx(ctx context.Context, fn func(tx *conn) error) error {
	return unavailable(s.eng.WriteTx(ctx, func(tx *sql.Tx) error { return fn(&conn{tx, s.d}) }))
}

// writeAudit records a change in the transaction that makes it.
func (s *DB) writeAudit(ctx context.Context, tx *conn, by audit.Actor, action, entity string, id int64, before, after any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, before, after)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.now(), nullInt(by.UserID), by.Name, action, entity, id,
		string(audit.Snapshot(before)), string(audit.Snapshot(after)))
	if err != nil {
		return fmt.Errorf("audit %s %s %d: %w", action, entity, id, err)
	}
	return nil
}
