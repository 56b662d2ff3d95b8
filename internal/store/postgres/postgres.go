// Package postgres implements store.Store on PostgreSQL, the engine for
// running several instances against one database. It talks database/sql
// through pgx's stdlib driver, so its code stays a near-copy of
// store/sqlite's, with $1 placeholders. Where SQLite relies on its single
// write lock, this store takes row locks (SELECT … FOR UPDATE) on the rows
// a business rule depends on, under READ COMMITTED.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL store: one pool of connections. Unlike SQLite,
// PostgreSQL lets writers run side by side, so there is no separate writer.
type Store struct {
	*store.DB
	db      *sql.DB
	clock   clock.Clock
	version versionWatch // see version.go
}

var _ store.Store = (*Store)(nil)

// maxConns bounds each instance's pool. PostgreSQL allows 100 connections
// by default, and several instances (and their tests) share them; a
// request waiting on a row lock holds its connection, so a small pool also
// bounds how many pile up behind one hot call.
const maxConns = 10

// connectTimeout is used when the URL names none, so an unreachable host
// fails start-up within seconds rather than after the kernel's TCP timeout.
const connectTimeout = 10 * time.Second

// Open connects to the database at url (postgres://user@host:port/db?…),
// checks that it answers, and applies the migrations it has not yet seen.
func Open(ctx context.Context, url string, clk clock.Clock) (*Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect to %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	s := &Store{db: db, clock: clk}
	s.DB = store.New(dialect, db, db, hooks{s}, clk)
	follow := func(ctx context.Context) error { return s.version.start(ctx, db, cfg, url, s.dropIdle) }
	if err := s.Init(ctx, follow, s.migrate); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// dropIdle closes the pool's idle connections, when the listening
// connection was lost: the database has probably ended (restarted, failed
// over, terminated) the others too, and a request should not be the one
// to find out. Connections in use are closed when they come back if they
// are dead.
func (s *Store) dropIdle() {
	s.db.SetMaxIdleConns(0)
	s.db.SetMaxIdleConns(maxConns)
}

// Close stops following changes and closes the pool.
func (s *Store) Close() error {
	s.version.stop()
	return s.db.Close()
}

// migrationLockKey is the pg_advisory_lock key held while migrating. Any
// fixed number does, as long as nothing else in the database takes it;
// this one is "partners" in ASCII.
const migrationLockKey int64 = 0x706172746e657273

// migrate applies each embedded migration not yet applied, each in its own
// transaction together with its row in schema_migrations. It holds an
// advisory lock on one dedicated connection throughout, so when several
// instances start together one migrates and the others wait, then find
// nothing left to do.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	defer func() {
		// Unlock even if ctx is done. A session's advisory lock outlives
		// its transactions, so should the unlock fail, the connection is
		// thrown away (ending the session frees the lock) rather than
		// going back to the pool still holding it.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", migrationLockKey); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: migrations table: %w", err)
	}
	return store.Migrate(ctx, dialect, migrations, "migrations", func(fn func(*sql.Tx) error) error { return inTx(ctx, conn, fn) }, s.clock.Now)
}

// deadConn reports whether err says a connection the pool held is gone,
// not that a new one could not be made: trying again after a refused or
// timed-out connect would only make the request wait longer for the same
// answer.
func deadConn(err error) bool {
	var connect *pgconn.ConnectError
	return store.Unavailable(err) && !errors.As(err, &connect)
}

// txBeginner is a *sql.DB or a *sql.Conn.
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// inTx runs fn in a READ COMMITTED transaction on db and commits it if fn
// returns nil. READ COMMITTED, named even though it is PostgreSQL's
// default so a server configured otherwise changes nothing: each statement
// sees what was committed before it, so after a SELECT … FOR UPDATE has
// waited for a lock, the sums read next include the work of the
// transaction that held it.
//
// A BEGIN that fails because its connection is gone (the server ended the
// session: a restart, a failover, pg_terminate_backend) is tried again on
// another connection, up to once per connection the pool holds: nothing
// was done yet, and pgx has marked the dead connection closed, so the
// pool drops it. After the database dropped every connection, writes thus
// go on at once instead of failing once per pooled connection.
func inTx(ctx context.Context, db txBeginner, fn func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	tx, err := db.BeginTx(ctx, opts)
	for try := 0; err != nil && try < maxConns && deadConn(err) && ctx.Err() == nil; try++ {
		if _, ok := db.(*sql.DB); !ok {
			break // a dedicated connection (migrate) has no other to try
		}
		tx, err = db.BeginTx(ctx, opts)
	}
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// tx runs fn in a transaction from the pool. A transaction that changed
// something announces it to the other instances at commit and moves this
// one's DataVersion (version.go).
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	wrote := false
	err := inTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		var err error
		wrote, err = s.version.announce(ctx, tx)
		return err
	})
	if wrote {
		// Even when the commit reports an error: it may have happened.
		s.version.changed()
	}
	return err
}
