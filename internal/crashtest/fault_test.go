//go:build linux

package crashtest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
)

// unavailableText is in the page a write the database could not take
// answers (error.503.text).
const unavailableText = "Det du skickade har inte sparats"

// get fetches path and returns the status and body.
func (c *client) get(path string) (int, string, error) {
	res, err := c.c.Get(c.s.base + path)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// postPage sends a form and returns the status and body.
func (c *client) postPage(path string, form url.Values) (int, string, error) {
	res, err := c.c.PostForm(c.s.base+path, form)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// fileSizeLimit sets the running server's limit on the size of the files
// it writes (RLIMIT_FSIZE, through prlimit): at 0, every write to a file
// fails (EFBIG) as on a full disk, while reading goes on; the server's own
// code is the same as in production. Go ignores SIGXFSZ, so the process
// lives on.
func fileSizeLimit(t *testing.T, s *server, limit uint64) {
	t.Helper()
	r := unix.Rlimit{Cur: limit, Max: unix.RLIM_INFINITY}
	if err := unix.Prlimit(s.cmd.Process.Pid, unix.RLIMIT_FSIZE, &r, nil); err != nil {
		t.Fatalf("prlimit: %v", err)
	}
}

// TestDiskFullSQLite fills the disk under a running server on SQLite (the
// server's file size limit set to 0, so every write of the database, its
// log or a stored file fails with "file too large", as on a full disk).
func TestDiskFullSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	diskFull(t, app.Config{DataDir: t.TempDir()},
		func(srv *server) { fileSizeLimit(t, srv, 0) },
		func(srv *server) { fileSizeLimit(t, srv, unix.RLIM_INFINITY) })
}

// TestDiskFullPostgres fills the database server's disk under a running
// server on PostgreSQL, as far as the server can tell: every change of
// every table of its schema fails with the error PostgreSQL gives when it
// cannot extend a file (SQLSTATE 53100 disk_full), while reads go on, as
// they do on a full disk. Filling the real disk of the shared database
// server would stop every other test using it.
func TestDiskFullPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	schemaURL := pgtest.NewSchema(t)
	admin, err := sql.Open("pgx", schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	exec := func(q string) {
		t.Helper()
		if _, err := admin.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tables := func() []string {
		rows, err := admin.QueryContext(context.Background(),
			`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		if err := rows.Err(); err != nil || len(out) == 0 {
			t.Fatalf("tables: %v %v", out, err)
		}
		return out
	}
	diskFull(t, app.Config{DataDir: t.TempDir(), Database: schemaURL},
		func(*server) {
			exec(`CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
				RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`)
			for _, tb := range tables() {
				exec(fmt.Sprintf(`CREATE TRIGGER disk_full BEFORE INSERT OR UPDATE OR DELETE ON %q FOR EACH STATEMENT EXECUTE FUNCTION disk_full()`, tb))
			}
		},
		func(*server) { exec(`DROP FUNCTION disk_full() CASCADE`) })
}

// diskFull runs a server on cfg and fills its disk (fill): each kind of
// write answers the clear 503 page and saves nothing, pages that only
// read go on, and once there is room again (free) the same writes
// succeed without a restart.
func diskFull(t *testing.T, cfg app.Config, fill, free func(*server)) {
	srv := start(t, cfg)
	tg := findTargets(t, cfg)
	officer := newClient(srv).login(t, "handlaggare@demo.partnerskap.se")
	applicant := newClient(srv).login(t, uploader)
	anon := newClient(srv)
	g := tg.grants[0]
	sv := tg.surveys[0]
	app := tg.cases[0]

	writes := []struct {
		name  string
		keeps string // the form comes back with what was typed, this
		post  func(note string) (int, string, error)
	}{
		{"payment", "Disken full fullfull", func(note string) (int, string, error) {
			return officer.postPage(fmt.Sprintf("/personal/bidrag/%d/utbetalningar", g.ID), url.Values{"amount": {"1"}, "note": {note}})
		}},
		{"document", "Disken full fullfull", func(note string) (int, string, error) {
			return officer.postPage(fmt.Sprintf("/personal/ansokningar/%d/handlingar", app), url.Values{"title": {note}})
		}},
		{"survey answer", `value="fullfull"`, func(note string) (int, string, error) {
			form := url.Values{"code": {note[len(note)-8:]}}
			for k, v := range sv.form {
				form[k] = v
			}
			return anon.postPage("/enkat/"+sv.token+"/"+sv.phase, form)
		}},
		{"upload", "", func(note string) (int, string, error) {
			form := url.Values{"date": {time.Now().Format("2006-01-02")}, "title": {note}, "target_group": {"politicians"},
				"channel": {"seminar"}, "reach.politicians": {"4"}}
			status, err := applicant.postFile(fmt.Sprintf("/bidrag/%d/aktiviteter", tg.upload.ID), form, "evidence_file", "full.png", pngBytes(note))
			return status, "", err
		}},
	}
	reads := []struct {
		c    *client
		path string
	}{
		{anon, "/"}, {anon, "/partnerskap"}, {anon, "/enkat/" + sv.token + "/" + sv.phase},
		{officer, fmt.Sprintf("/personal/bidrag/%d", g.ID)}, {officer, fmt.Sprintf("/personal/ansokningar/%d", app)},
	}

	fill(srv)
	for _, w := range writes {
		status, body, err := w.post("Disken full fullfull")
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if status != http.StatusServiceUnavailable || (body != "" && !strings.Contains(body, unavailableText)) {
			t.Errorf("%s on a full disk: %d, want 503 with %q\n%s", w.name, status, unavailableText, body)
		}
		if !strings.Contains(body, w.keeps) {
			t.Errorf("%s on a full disk: the form lost what was typed\n%s", w.name, body)
		}
	}
	for _, r := range reads {
		if status, _, err := r.c.get(r.path); err != nil || status != http.StatusOK {
			t.Errorf("GET %s on a full disk: %d %v", r.path, status, err)
		}
	}

	free(srv)
	for _, w := range writes {
		status, body, err := w.post("Plats igen platsigen")
		if err != nil || (status != http.StatusOK && status != http.StatusSeeOther) {
			t.Errorf("%s with room again: %d %v\n%s", w.name, status, err, body)
		}
	}
	srv.kill()

	// What the full disk refused is not there; what came after is.
	s := openStore(t, cfg)
	defer s.Close()
	es, err := s.LedgerEntries(context.Background(), g.ID)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, e := range es {
		if e.Kind == ledger.Paid {
			notes = append(notes, e.Note)
		}
	}
	if strings.Contains(strings.Join(notes, "|"), "Disken full") || !strings.Contains(strings.Join(notes, "|"), "Plats igen") {
		t.Errorf("payments after the full disk: %q", notes)
	}
	if t.Failed() {
		t.Logf("server log:\n%s", srv.logs)
	}
}

// TestDroppedConnectionPostgres ends the server's PostgreSQL sessions
// (pg_terminate_backend, as a restart or failover of the database would)
// while a write waits in the database: that write answers the clear 503
// page, the next writes succeed without a restart, and changes made by
// another instance still reach the server's cached public pages once it
// listens again.
func TestDroppedConnectionPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	schemaURL := pgtest.NewSchema(t)
	appName := fmt.Sprintf("partnerskap_crashtest_%d", os.Getpid())
	u, err := url.Parse(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", appName)
	u.RawQuery = q.Encode()
	cfg := app.Config{DataDir: t.TempDir(), Database: u.String()}
	srv := start(t, cfg)
	tg := findTargets(t, cfg)
	officer := newClient(srv).login(t, "handlaggare@demo.partnerskap.se")
	g := tg.grants[0]
	pay := func(note string) (int, string, error) {
		return officer.postPage(fmt.Sprintf("/personal/bidrag/%d/utbetalningar", g.ID), url.Values{"amount": {"1"}, "note": {note}})
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	sessions := func(where string) int {
		var n int
		if err := admin.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND `+where, appName).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Several requests at once leave several connections in the pool,
	// all of which the drop ends.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			officer.get(fmt.Sprintf("/personal/bidrag/%d", g.ID))
		}()
	}
	wg.Wait()

	// A write waits for a lock the test holds; the server's sessions are
	// ended under it.
	lock, err := admin.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.ExecContext(ctx, "LOCK TABLE audit_log IN EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		status int
		body   string
		err    error
	}
	inflight := make(chan answer, 1)
	go func() {
		status, body, err := pay("Avbruten avbruten")
		inflight <- answer{status, body, err}
	}()
	for deadline := time.Now().Add(20 * time.Second); sessions("wait_event_type = 'Lock'") == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the write never waited for the lock")
		}
	}
	var ended []int64
	// Only the server's sessions: the victims are chosen first
	// (MATERIALIZED), so no planner order can terminate anyone else's.
	rows, err := admin.QueryContext(ctx, `WITH victims AS MATERIALIZED (SELECT pid FROM pg_stat_activity
		WHERE application_name = $1 AND pid <> pg_backend_pid())
		SELECT pid FROM victims WHERE pg_terminate_backend(pid)`, appName)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var pid int64
		rows.Scan(&pid)
		ended = append(ended, pid)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var pids []string
	for _, pid := range ended {
		pids = append(pids, fmt.Sprint(pid))
	}
	lock.Rollback()
	a := <-inflight
	if a.err != nil || a.status != http.StatusServiceUnavailable || !strings.Contains(a.body, unavailableText) {
		t.Errorf("the write whose session was ended: %d %v, want 503 with %q\n%s", a.status, a.err, unavailableText, a.body)
	}
	t.Logf("ended %d sessions of the server", len(ended))

	// The server notices at once, on the connection it listens for other
	// instances' changes on: it drops its pool's idle connections, which
	// the database ended too, and listens again.
	for deadline := time.Now().Add(30 * time.Second); sessions("query LIKE 'LISTEN%' AND pid NOT IN ("+strings.Join(pids, ",")+")") == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server did not listen again")
		}
	}

	// The next requests, reads and writes, work: no restart.
	if status, _, err := officer.get(fmt.Sprintf("/personal/bidrag/%d", g.ID)); err != nil || status != http.StatusOK {
		t.Errorf("read after the drop: %d %v", status, err)
	}
	for i := range 3 {
		if status, body, err := pay(fmt.Sprintf("Efter avbrottet %d", i)); err != nil || status != http.StatusSeeOther {
			t.Errorf("write %d after the drop: %d %v\n%s", i, status, err, body)
		}
	}

	// Changes by another instance reach the server's cached public pages.
	anon := newClient(srv)
	ps, err := openStoreT(t, cfg).PartnershipList(ctx, partnership.Filter{})
	if err != nil || len(ps) == 0 {
		t.Fatalf("partnerships: %v", err)
	}
	path := fmt.Sprintf("/partnerskap/%d", ps[0].ID)
	if status, _, err := anon.get(path); err != nil || status != http.StatusOK { // cached now
		t.Fatalf("GET %s: %d %v", path, status, err)
	}
	other := openStoreT(t, cfg) // another instance
	p, err := other.Partnership(ctx, ps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	p.DescriptionSV += " Ändrad av en annan instans efter avbrottet."
	if err := other.UpdatePartnership(ctx, audit.System("crashtest"), p); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, body, err := anon.get(path)
		if err == nil && strings.Contains(body, "Ändrad av en annan instans efter avbrottet.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other instance's change never reached %s", path)
		}
	}
	if t.Failed() {
		t.Logf("server log:\n%s", srv.logs)
	}
}

func openStoreT(t *testing.T, cfg app.Config) interface {
	PartnershipList(context.Context, partnership.Filter) ([]*partnership.Partnership, error)
	Partnership(context.Context, int64) (*partnership.Partnership, error)
	UpdatePartnership(context.Context, audit.Actor, *partnership.Partnership) error
} {
	s := openStore(t, cfg)
	t.Cleanup(func() { s.Close() })
	return s
}
