package store

import (
	"context"
	"database/sql"
	"errors"
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
	// UnannouncedTx runs fn in a write transaction, as WriteTx does, that
	// does not move the data version: for records no public page shows
	// (an audit entry of an event that changes no record: a sign-in, a
	// failed one, a sign-out, an export).
	UnannouncedTx(ctx context.Context, fn func(*sql.Tx) error) error
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
	if err := s.chainOld(ctx); err != nil {
		return err
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

// probeSize is how much CheckWrite writes: more than a few pages of
// either engine, so a database that cannot grow (SQLite's max_page_count
// reached, no free page left) fails, as the next real write would.
const probeSize = 64 << 10

// errProbe ends CheckWrite's transaction, so it is rolled back.
var errProbe = errors.New("write probe done")

// CheckWrite writes a row of probeSize bytes in a write transaction and
// rolls it back: the write lock is taken and the pages are allocated, so
// a read-only database (file, mount or PostgreSQL's read-only
// transactions) or one that cannot grow fails, while nothing is committed,
// no data version moves and no cached page is rendered again. It cannot
// see every full disk: SQLite and PostgreSQL write their logs at commit,
// and a disk that fills then fails that commit with a clear error.
func (s *DB) CheckWrite(ctx context.Context) error {
	err := s.tx(ctx, func(tx *conn) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO blobs (key, data, created_at) VALUES (?, ?, ?)`,
			".healthz-probe", make([]byte, probeSize), s.now()); err != nil {
			return err
		}
		return errProbe
	})
	if errors.Is(err, errProbe) {
		return nil
	}
	return fmt.Errorf("database cannot write: %w", err)
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

// writeAudit records a change in the transaction that makes it, with the
// digest of its personal part (audit.Digest). Where entries are chained
// at insert (SQLite, whose writers take turns), it also links the entry to
// the last one (audit.ChainHash); elsewhere the sealer does, after commit
// (SealAudit).
func (s *DB) writeAudit(ctx context.Context, tx *conn, by audit.Actor, action, entity string, id int64, before, after any) error {
	e := audit.Entry{At: s.now(), Actor: by, Action: action, Entity: entity, EntityID: id,
		Before: audit.Snapshot(before), After: audit.Snapshot(after)}
	digest := audit.Digest(by.Name, e.Before, e.After)
	var err error
	if s.d.SealLater {
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, before, after, digest)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.At, nullInt(by.UserID), by.Name, action, entity, id, string(e.Before), string(e.After), digest)
	} else {
		err = s.insertChained(ctx, tx, e, digest)
	}
	if err != nil {
		return fmt.Errorf("audit %s %s %d: %w", action, entity, id, err)
	}
	return nil
}

// insertChained inserts e as the next link of the chain. The write lock
// the transaction holds keeps the last entry the last until it commits.
func (s *DB) insertChained(ctx context.Context, tx *conn, e audit.Entry, digest string) error {
	var last int64
	var prev sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT id, chain_hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if last != 0 && !prev.Valid {
		return fmt.Errorf("audit entry %d is not chained", last)
	}
	e.ID = last + 1
	hash := audit.ChainHash(prev.String, e, digest)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, before, after, digest, chain_seq, chain_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At, nullInt(e.Actor.UserID), e.Actor.Name, e.Action, e.Entity, e.EntityID, string(e.Before), string(e.After), digest, e.ID, hash)
	return err
}
