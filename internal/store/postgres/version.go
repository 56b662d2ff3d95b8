package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/icld/partnerskap/internal/store"
)

// versionWatch follows changes to the data, for DataVersion. Several
// instances share one database, so each write transaction that changed
// something sends a notification (pg_notify, delivered only at commit, in
// commit order) on a channel of the schema, and each instance LISTENs on
// a connection of its own. An instance's own changes move its counter as
// soon as they commit, without waiting for the notification to come back,
// so a page read after a change made here always shows it; changes by
// other instances are seen when their notification arrives, within
// moments of their commit. While the listening connection is down,
// nothing can be known about other instances, so DataVersion reports an
// error (and callers cache nothing) until it is back.
type versionWatch struct {
	n        atomic.Uint64 // the version handed out; moved only by bump
	mu       sync.Mutex    // guards moved
	moved    chan struct{} // closed at the next bump (see Changed)
	live     atomic.Bool   // listening: other instances' changes arrive
	channel  string        // partnerskap_<schema>: instances on other schemas don't disturb
	instance string        // this store's own notifications carry it, and are skipped
	url      string        // for Reopen
	cancel   context.CancelFunc
	done     chan struct{}
	lost     func() // called when the listening connection is lost
}

// errNotListening is DataVersion's answer while changes by other
// instances can't be followed.
var errNotListening = errors.New("postgres: data version: not listening for changes (LISTEN connection down)")

// listenRetry bounds the wait before connecting again after the listening
// connection was lost or could not be made.
const listenRetry = 5 * time.Second

// listenPing is how long the listener waits for a notification before it
// checks that its connection still answers (2 s at most), so a connection
// lost without a word (a dropped network), during which other instances'
// changes would go unseen, is noticed within seconds; a ping every few
// seconds costs the server nothing worth counting.
const listenPing = 5 * time.Second

// start begins listening. The first LISTEN is made before start returns,
// so a store is following changes when Open returns; if it fails (say a
// pooler that doesn't support LISTEN), the store still opens, keeps
// trying, and reports errNotListening meanwhile.
//
// lost is called each time the listening connection is lost.
func (v *versionWatch) start(ctx context.Context, db *sql.DB, cfg *pgx.ConnConfig, url string, lost func()) error {
	var schema string
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return fmt.Errorf("postgres: schema: %w", err)
	}
	v.channel = "partnerskap_" + schema
	if len(v.channel) > 63 { // longer names are truncated by the server in LISTEN but not in pg_notify
		v.channel = v.channel[:63]
	}
	id := make([]byte, 8)
	rand.Read(id)
	v.instance = hex.EncodeToString(id)
	v.url = url
	v.n.Store(1)
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	v.cancel, v.done = cancel, make(chan struct{})
	conn, _ := v.listen(ctx, cfg)
	v.lost = lost
	go v.run(lctx, cfg, conn)
	return nil
}

// stop ends listening and waits for the listener to finish.
func (v *versionWatch) stop() {
	if v.cancel == nil {
		return
	}
	v.cancel()
	<-v.done
	v.cancel = nil
}

// listen connects and LISTENs; once it has, it marks the watch live
// after moving the counter, since changes made before LISTEN took effect
// were not heard.
func (v *versionWatch) listen(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{v.channel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	v.bump()
	v.live.Store(true)
	return conn, nil
}

// run receives notifications until ctx ends, connecting again whenever
// the connection is lost.
func (v *versionWatch) run(ctx context.Context, cfg *pgx.ConnConfig, conn *pgx.Conn) {
	defer close(v.done)
	for {
		if conn == nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(listenRetry):
			}
			conn, _ = v.listen(ctx, cfg)
			continue
		}
		v.receive(ctx, conn)
		v.live.Store(false)
		conn.Close(context.Background())
		conn = nil
		if ctx.Err() != nil {
			return
		}
		if v.lost != nil {
			v.lost()
		}
		// At once the first time: a session ended by the server (a
		// restart, a terminated backend) can usually be made again at
		// once; later tries wait listenRetry.
		conn, _ = v.listen(ctx, cfg)
	}
}

// receive counts other instances' notifications on conn until the
// connection fails or ctx ends.
func (v *versionWatch) receive(ctx context.Context, conn *pgx.Conn) {
	for {
		wctx, cancel := context.WithTimeout(ctx, listenPing)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			if n.Payload != v.instance {
				v.bump()
			}
		case ctx.Err() != nil:
			return
		case wctx.Err() != nil:
			// Quiet for a while: check that the connection still answers.
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return
			}
		default:
			return
		}
	}
}

// announce, at the end of a write transaction, sends the notification if
// the transaction changed anything (PostgreSQL gave it a transaction id)
// and reports whether it did. The mail worker's claim every two seconds,
// which usually finds nothing, so changes nothing and announces nothing.
func (v *versionWatch) announce(ctx context.Context, tx *sql.Tx) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM (SELECT pg_notify($1, $2)
		WHERE txid_current_if_assigned() IS NOT NULL) AS announced`, v.channel, v.instance).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("announce change: %w", err)
	}
	return true, nil
}

// changed moves the counter after a change made here.
func (v *versionWatch) changed() { v.bump() }

// bump moves the version and wakes whoever waits on Changed.
func (v *versionWatch) bump() {
	v.n.Add(1)
	v.mu.Lock()
	if v.moved != nil {
		close(v.moved)
		v.moved = nil
	}
	v.mu.Unlock()
}

// Changed returns a channel that is closed when DataVersion next moves:
// after a change committed here, or as soon as another instance's
// notification arrives. It lets a waiter (a test, a cache) react to the
// notification itself instead of polling.
func (s *Store) Changed() <-chan struct{} {
	v := &s.version
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.moved == nil {
		v.moved = make(chan struct{})
	}
	return v.moved
}

// DataVersion grows after every committed change by this store and, once
// their notifications arrive, by the other instances on the database.
func (s *Store) DataVersion(ctx context.Context) (uint64, error) {
	if !s.version.live.Load() {
		return 0, errNotListening
	}
	return s.version.n.Load(), nil
}

// Reopen opens a second, independent Store on the same database, as
// another instance would; the conformance suite uses it to check that
// changes made there are seen here.
func (s *Store) Reopen(ctx context.Context) (store.Store, error) {
	return Open(ctx, s.version.url, s.clock)
}
