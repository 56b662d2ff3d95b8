package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/icld/partnerskap/internal/store"
)

// versionWatch keeps DataVersion. Changes made through this store move it
// as soon as they commit: tx compares SQLite's total_changes() before and
// after, so a transaction that changed nothing (the mail worker's claim
// every two seconds, which usually finds nothing) moves nothing.
//
// Changes by another process on the same file (a command-line tool, a
// second server) are seen through PRAGMA data_version, read on a
// connection of its own that never writes: its value changes whenever
// another connection has committed a change. Reading it takes a read
// transaction on the file (about 5 µs and two file-lock system calls),
// more than half of what answering a browser's revalidation from memory
// costs, so it is read at most every pollEvery: a change by another
// process is seen within that time, one by this process at once.
type versionWatch struct {
	n       atomic.Uint64 // the version handed out
	checked atomic.Int64  // when data_version was last read, as nanoseconds since epoch (+1); 0: never

	mu   sync.Mutex // one reader of data_version at a time
	db   *sql.DB    // only for conn
	conn *sql.Conn  // the one connection data_version is read on; nil after an error
	last int64      // data_version last read on conn
	path string     // the file, for Reopen
}

// pollEvery bounds how long a change by another process on the same file
// can go unseen.
const pollEvery = 20 * time.Millisecond

// epoch is the origin of versionWatch.checked: time.Since(epoch) reads
// the monotonic clock, which no adjustment of the wall clock moves.
var epoch = time.Now()

func (v *versionWatch) open(dsn, path string) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	v.db, v.path = db, path
	v.n.Store(1)
	return nil
}

func (v *versionWatch) close() error {
	if v.db == nil {
		return nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.conn != nil {
		v.conn.Close()
		v.conn = nil
	}
	return v.db.Close()
}

// read reads data_version (v.mu held) and reports whether it moved since
// the last read. data_version numbers changes as one connection sees
// them, so it is read on the same pinned connection each time; a new
// connection (the first, or after an error) numbers afresh, and what
// changed in between is unknown, so that counts as moved.
func (v *versionWatch) read(ctx context.Context) (bool, error) {
	// A request that goes away mid-read must not cost everyone a new
	// connection: the read takes microseconds, so it is not cancelled.
	ctx = context.WithoutCancel(ctx)
	fresh := false
	if v.conn == nil {
		conn, err := v.db.Conn(ctx)
		if err != nil {
			return false, fmt.Errorf("sqlite: data version: %w", err)
		}
		v.conn, fresh = conn, true
	}
	var dv int64
	if err := v.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&dv); err != nil {
		v.conn.Close()
		v.conn = nil
		return false, fmt.Errorf("sqlite: data version: %w", err)
	}
	v.checked.Store(int64(time.Since(epoch)) + 1)
	moved := fresh || dv != v.last
	v.last = dv
	return moved, nil
}

// changed moves the version after this store committed a change. It
// reads data_version first, so the poll does not count the same change
// again; a change by another process that it takes in with it is covered
// by the same move.
func (v *versionWatch) changed(ctx context.Context) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.read(ctx) // on error the next read starts afresh and moves it again
	v.n.Add(1)
}

// unannounced runs fn on the connection data_version is read on, holding
// v.mu. SQLite's data_version does not change for the reading
// connection's own commits, so what fn writes is not counted as a change
// by anyone: it is for bookkeeping no public page shows (a session's last
// request), which would otherwise empty every page cache each minute a
// signed-in person browses. data_version is read first, so a change by
// another process before fn is still counted. The one statement is short
// (a single row), and the connection waits for the write lock as the
// writer does (busy_timeout).
func (v *versionWatch) unannounced(ctx context.Context, fn func(store.SQLConn) error) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	moved, err := v.read(ctx)
	if err != nil {
		return err
	}
	if moved {
		v.n.Add(1)
	}
	if err := fn(v.conn); err != nil {
		v.conn.Close() // the next read starts afresh, which counts as moved
		v.conn = nil
		return err
	}
	// A change by another process that landed between the read and fn's
	// commit would be taken in unseen by the next read; reading again
	// now narrows that to the time fn's own statement takes, and
	// counting it as moved when data_version moved is the safe side.
	moved, err = v.read(ctx)
	if err != nil {
		return err
	}
	if moved {
		v.n.Add(1)
	}
	return nil
}

// unannouncedTx runs fn in a write transaction on the connection
// data_version is read on (see unannounced), so what it commits is not
// counted as a change. The connection takes the write lock at BEGIN
// (_txlock=immediate), as the writer's transactions do.
func (v *versionWatch) unannouncedTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return v.unannounced(ctx, func(c store.SQLConn) error {
		tx, err := c.(*sql.Conn).BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	})
}

// DataVersion grows after every committed change to the database file:
// at once for this store's own, within pollEvery for other processes'.
func (s *Store) DataVersion(ctx context.Context) (uint64, error) {
	v := &s.version
	seen := v.checked.Load()
	if seen == 0 || time.Since(epoch)-time.Duration(seen-1) >= pollEvery {
		v.mu.Lock()
		if v.checked.Load() == seen { // nobody read it meanwhile
			moved, err := v.read(ctx)
			if err != nil {
				v.mu.Unlock()
				return 0, err
			}
			if moved {
				v.n.Add(1)
			}
		}
		v.mu.Unlock()
	}
	return v.n.Load(), nil
}

// totalChanges is the number of rows the transaction's connection has
// inserted, updated or deleted since it opened.
func totalChanges(ctx context.Context, tx *sql.Tx) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&n)
	return n, err
}

// Reopen opens a second, independent Store on the same file, as another
// process would; the conformance suite uses it to check that changes made
// there are seen here.
func (s *Store) Reopen(ctx context.Context) (store.Store, error) {
	return Open(ctx, s.version.path, s.clock)
}
