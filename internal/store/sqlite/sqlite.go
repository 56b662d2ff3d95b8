// Package sqlite implements store.Store on an embedded SQLite file, the
// default engine, through the pure-Go driver modernc.org/sqlite (no cgo, so
// the binary stays static).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite store. It keeps two pools on one file: a single
// writer connection, so writers queue in Go instead of starving each other
// on SQLite's lock, and several reader connections, which WAL lets run
// beside the writer.
type Store struct {
	*store.DB
	w, r    *sql.DB
	clock   clock.Clock
	version versionWatch // see version.go
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path and applies
// the migrations it has not yet seen.
func Open(ctx context.Context, path string, clk clock.Clock) (*Store, error) {
	// WAL lets readers run while one writer commits. synchronous=FULL syncs
	// the WAL on every commit, so an acknowledged write survives a power
	// cut, not only a crash of the process; it still commits thousands of
	// times a second (docs/PERFORMANCE.md). For historical reasons SQLite
	// does not check foreign keys unless asked. busy_timeout makes a
	// connection wait for the lock rather than fail at once, and
	// _txlock=immediate takes the write lock at BEGIN, so a transaction
	// never fails half-way when it tries to upgrade a read lock.
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(ON)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	s := &Store{w: w, r: r, clock: clk}
	s.DB = store.New(dialect, w, r, hooks{s}, clk)
	follow := func(context.Context) error { return s.version.open(dsn, path) }
	if err := s.Init(ctx, follow, s.migrate); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// LatestMigration is the number of the newest migration this program
// has: a database beyond it was made by a newer partnerskap.
func LatestMigration() int64 {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	var latest int64
	for _, name := range names {
		n, err := strconv.ParseInt(strings.SplitN(path.Base(name), "_", 2)[0], 10, 64)
		if err == nil && n > latest {
			latest = n
		}
	}
	return latest
}

// Close closes both pools and the connection that follows changes.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close(), s.version.close())
}

// migrate applies each embedded migration not yet applied, each in its own
// transaction together with its row in schema_migrations.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrations table: %w", err)
	}
	return store.Migrate(ctx, dialect, migrations, "migrations", func(fn func(*sql.Tx) error) error { return s.tx(ctx, fn) }, s.clock.Now)
}

// tx runs fn in a write transaction and commits it if fn returns nil.
// A transaction that changed rows moves DataVersion after it commits
// (version.go).
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	before, err := totalChanges(ctx, tx)
	if err == nil {
		err = fn(tx)
	}
	var after int64
	if err == nil {
		after, err = totalChanges(ctx, tx)
	}
	if err != nil {
		tx.Rollback()
		return err
	}
	err = tx.Commit()
	if after != before {
		s.version.changed(ctx) // even when Commit reports an error: it may have happened
	}
	return err
}
