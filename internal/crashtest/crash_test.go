// Package crashtest kills the real server with SIGKILL in the middle of a
// storm of writes, starts it again on the same data, and checks that
// nothing it acknowledged was lost and nothing it kept is inconsistent
// (issue 11). It holds tests only.
package crashtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite" // PRAGMA integrity_check on the server's file

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/survey"
	"github.com/icld/partnerskap/internal/user"
)

// uploader is the applicant the test makes to upload evidence files.
const uploader = "sokande@forshaga.crashtest.se"

// rounds is how many times each engine's server is killed and restarted.
const rounds = 3

// workers is how many clients write at once.
const workers = 8

var binary struct {
	once sync.Once
	path string
	err  error
}

// build compiles the server once per test run.
func build(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		dir, err := os.MkdirTemp("", "partnerskap-crashtest-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "partnerskap")
		out, err := exec.Command("go", "build", "-o", binary.path, "github.com/icld/partnerskap/cmd/partnerskap").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.path != "" {
		os.RemoveAll(filepath.Dir(binary.path))
	}
	os.Exit(code)
}

// server is one run of the binary.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	logs *bytes.Buffer
}

var runningAt = regexp.MustCompile(`partnerskap is running at (http://\S+)`)

// start runs `partnerskap serve --demo` on cfg's data and waits until it
// listens. A second start finds the demo loaded and keeps the data.
func start(t *testing.T, cfg app.Config) *server {
	t.Helper()
	args := []string{"serve", "--demo", "--listen", "127.0.0.1:0", "--ops-listen", "", "--data-dir", cfg.DataDir,
		"--trusted-proxies", "127.0.0.1", "--log-level", "warn"}
	if cfg.Database != "" {
		args = append(args, "--database", cfg.Database)
	}
	cmd := exec.Command(build(t), args...)
	cmd.Env = append(os.Environ(), "PARTNERSKAP_SMTP_HOST=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: &bytes.Buffer{}}
	var mu sync.Mutex
	cmd.Stderr = writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return s.logs.Write(p) })
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.kill() })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			if m := runningAt.FindStringSubmatch(sc.Text()); m != nil && !sent {
				ready <- m[1]
				sent = true
			}
		}
		if !sent {
			close(ready)
		}
	}()
	select {
	case base, ok := <-ready:
		if !ok {
			s.cmd.Wait()
			t.Fatalf("server exited before listening:\n%s", s.logs)
		}
		s.base = base
	case <-time.After(90 * time.Second):
		t.Fatalf("server did not start:\n%s", s.logs)
	}
	return s
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// kill sends SIGKILL and reaps the process.
func (s *server) kill() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// client is a signed-in (or anonymous) HTTP client of the server.
type client struct {
	s *server
	c *http.Client
}

func newClient(s *server) *client {
	jar, _ := cookiejar.New(nil)
	return &client{s: s, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) login(t *testing.T, email string) *client {
	t.Helper()
	res, err := c.post("/logga-in", url.Values{"email": {email}, "password": {demo.Password}}, "")
	if err != nil || res != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d %v", email, res, err)
	}
	return c
}

// post sends a form; forwardedFor, when set, is the client address the
// server believes (it trusts 127.0.0.1 as a proxy).
func (c *client) post(path string, form url.Values, forwardedFor string) (int, error) {
	req, _ := http.NewRequest("POST", c.s.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	return c.do(req)
}

func (c *client) postFile(path string, form url.Values, field, name string, data []byte) (int, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.s.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func (c *client) do(req *http.Request) (int, error) {
	res, err := c.c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	// The whole answer must arrive: a 303 whose connection dies before
	// it is read is no acknowledgement the client saw.
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// targets are the demo records the storm writes to, found in the store.
type targets struct {
	cases   []int64 // applications with a case in the registry
	grants  []*grant.Grant
	surveys []surveyTarget
	upload  *grant.Grant // Forshaga's grant, whose applicant logs activities
	// calls are open calls made for the storm, one application each by
	// Kalix for Kalix – Masaka (partnership:organisation, the form's
	// value); next hands them out.
	calls       []int64
	partnership string
	next        atomic.Int64
}

type surveyTarget struct {
	token, phase string
	form         url.Values
}

// acks are the writes the server acknowledged (303).
type acks struct {
	mu       sync.Mutex
	docs     map[string]int64 // document title → application
	payments map[string]int64 // payment note → grant
	answers  map[string]int64 // survey code → grant
	uploads  map[string][]byte
	apps     map[string]bool // submitted application's path
	refused  map[string]int  // status counts of writes not acknowledged, by kind
}

func (a *acks) add(m map[string]int64, k string, v int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m[k] = v
}

func (a *acks) refuse(kind string, status int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refused[fmt.Sprintf("%s %d", kind, status)]++
}

func TestCrashSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the server several times")
	}
	crash(t, app.Config{DataDir: t.TempDir()})
}

func TestCrashPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the server several times")
	}
	crash(t, app.Config{DataDir: t.TempDir(), Database: pgtest.NewSchema(t)})
}

func crash(t *testing.T, cfg app.Config) {
	srv := start(t, cfg)
	tg := findTargets(t, cfg)
	a := &acks{docs: map[string]int64{}, payments: map[string]int64{}, answers: map[string]int64{},
		uploads: map[string][]byte{}, apps: map[string]bool{}, refused: map[string]int{}}
	var total atomic.Int64
	for round := 1; round <= rounds; round++ {
		before := total.Load()
		storm(t, srv, tg, a, round, &total)
		if total.Load() == before {
			t.Errorf("round %d: nothing was acknowledged before the kill", round)
		}
		srv = start(t, cfg)
		verify(t, cfg, tg, a)
		if t.Failed() {
			t.Logf("server log:\n%s", srv.logs)
			return
		}
	}
	srv.kill()
	t.Logf("%s: %d rounds, %d acknowledged writes (%d submitted applications, %d documents, %d payments, %d survey answers, %d uploads); not acknowledged: %v",
		engineName(cfg), rounds, total.Load(), len(a.apps), len(a.docs), len(a.payments), len(a.answers), len(a.uploads), a.refused)
	for kind, m := range map[string]int{"submitted applications": len(a.apps), "documents": len(a.docs), "payments": len(a.payments), "survey answers": len(a.answers), "uploads": len(a.uploads)} {
		if m == 0 {
			t.Errorf("no %s were acknowledged: the storm did not exercise them", kind)
		}
	}
}

func engineName(cfg app.Config) string {
	if cfg.IsPostgres() {
		return "postgres"
	}
	return "sqlite"
}

func openStore(t *testing.T, cfg app.Config) store.Store {
	t.Helper()
	s, err := app.OpenStore(context.Background(), cfg, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// findTargets reads, while the first server runs, what the storm writes to.
func findTargets(t *testing.T, cfg app.Config) *targets {
	t.Helper()
	ctx := context.Background()
	s := openStore(t, cfg)
	defer s.Close()
	tg := &targets{}
	entries, err := s.RegistryList(ctx, registry.Filter{Limit: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.ApplicationID != 0 && !slices.Contains(tg.cases, e.ApplicationID) {
			tg.cases = append(tg.cases, e.ApplicationID)
		}
	}
	grants, err := s.GrantList(ctx, grant.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	// Activities with evidence files are logged for Forshaga's grant in
	// the rolling call (the one decided on an application, still
	// running), by an applicant of Forshaga kommun made here.
	forshaga, err := s.OrganisationByCode(ctx, "1763")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, audit.System("crashtest"), &user.User{Email: uploader, Name: "Frida Forshaga", PasswordHash: hash,
		Roles: []user.Role{{Kind: user.Applicant, OrganisationID: forshaga.ID}}}); err != nil {
		t.Fatal(err)
	}
	for _, g := range grants {
		es, err := s.LedgerEntries(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ledger.Sum(es)
		if err != nil {
			t.Fatal(err)
		}
		if b.Unpaid() >= 100_00 {
			tg.grants = append(tg.grants, g)
		}
		if g.OrganisationID == forshaga.ID && g.ApplicationID != 0 {
			tg.upload = g
		}
		sv, err := s.Survey(ctx, g.ID)
		if err != nil {
			continue
		}
		c, err := s.Call(ctx, g.CallID)
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"target_group": {c.Config.Lists.TargetGroups[0].Value}}
		for _, q := range sv.Questions {
			switch q.Kind {
			case survey.Scale:
				form.Set("q_"+q.Key, "3")
			case survey.YesNo:
				form.Set("q_"+q.Key, survey.Yes)
			case survey.SingleChoice:
				form.Set("q_"+q.Key, q.Options[0].Value)
			default:
				form.Set("q_"+q.Key, "Svar under stormen")
			}
		}
		for phase, word := range map[survey.Phase]string{survey.Baseline: "fore", survey.FollowUp: "efter"} {
			if sv.IsOpen(phase, time.Now()) {
				tg.surveys = append(tg.surveys, surveyTarget{token: sv.Token, phase: word, form: form})
			}
		}
	}
	// Calls for the storm's submissions, open now.
	by := audit.System("crashtest")
	p := &programme.Programme{NameSV: "Krasch", Funder: "Sida", Operator: "ICLD", TotalBudget: 1_000_000_000_00}
	if err := s.CreateProgramme(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	for i := range 150 {
		c := &call.Call{ProgrammeID: p.ID, TitleSV: fmt.Sprintf("Krasch %d", i), TitleEN: fmt.Sprintf("Crash %d", i),
			OpensAt: time.Now().Add(-time.Hour), ClosesAt: time.Now().Add(30 * 24 * time.Hour),
			Ceiling: 60_000_000, MaxPerGrant: 30_000_000, Config: call.DefaultConfig()}
		if err := s.CreateCall(ctx, by, c); err != nil {
			t.Fatal(err)
		}
		tg.calls = append(tg.calls, c.ID)
	}
	kalix, err := s.OrganisationByCode(ctx, "2514")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ps {
		if x.Name == "Kalix – Masaka" {
			tg.partnership = fmt.Sprintf("%d:%d", x.ID, kalix.ID)
		}
	}
	if len(tg.cases) == 0 || len(tg.grants) == 0 || len(tg.surveys) == 0 || tg.upload == nil {
		t.Fatalf("the demo lacks targets: %d cases, %d payable grants, %d survey phases, upload grant %v",
			len(tg.cases), len(tg.grants), len(tg.surveys), tg.upload)
	}
	return tg
}

// storm writes from several clients at once and kills the server with
// SIGKILL at a random moment between 0.3 and 2 seconds in.
func storm(t *testing.T, srv *server, tg *targets, a *acks, round int, total *atomic.Int64) {
	t.Helper()
	officer := newClient(srv).login(t, "handlaggare@demo.partnerskap.se")
	applicant := newClient(srv).login(t, uploader)
	kalix := newClient(srv).login(t, "sokande@kalix.demo.partnerskap.se")
	anon := newClient(srv)
	today := time.Now().In(clock.Stockholm).Format("2006-01-02")

	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(round), uint64(w)))
			for i := 0; ; i++ {
				id := fmt.Sprintf("r%dw%di%d", round, w, i)
				var status int
				var err error
				switch kind := (w + i) % 5; kind {
				case 4:
					// Each round has its share of the calls.
					n := tg.next.Add(1) - 1
					if n >= int64(round*len(tg.calls)/rounds) {
						tg.next.Add(-1)
						continue
					}
					// Start a draft, then submit it whole: a new case in
					// the registry.
					var path string
					path, status, err = kalix.start(tg.calls[n], tg.partnership)
					if status != http.StatusSeeOther {
						if err == nil {
							a.refuse("start", status)
						}
						break
					}
					status, err = kalix.post(path, completeApplication(), "")
					if status == http.StatusSeeOther {
						a.mu.Lock()
						a.apps[path] = true
						a.mu.Unlock()
					} else if err == nil {
						a.refuse("submit", status)
					}
				case 0:
					app := tg.cases[rng.IntN(len(tg.cases))]
					title := "Krasch " + id
					status, err = officer.post(fmt.Sprintf("/personal/ansokningar/%d/handlingar", app), url.Values{"title": {title}}, "")
					if status == http.StatusSeeOther {
						a.add(a.docs, title, app)
					} else if err == nil {
						a.refuse("document", status)
					}
				case 1:
					g := tg.grants[rng.IntN(len(tg.grants))]
					note := "Krasch " + id
					status, err = officer.post(fmt.Sprintf("/personal/bidrag/%d/utbetalningar", g.ID), url.Values{"amount": {"1"}, "note": {note}}, "")
					if status == http.StatusSeeOther {
						a.add(a.payments, note, g.ID)
					} else if err == nil {
						a.refuse("payment", status)
					}
				case 2:
					sv := tg.surveys[rng.IntN(len(tg.surveys))]
					form := url.Values{}
					for k, v := range sv.form {
						form[k] = v
					}
					code := "k" + id
					form.Set("code", code)
					// A client address of its own, so the flood guard's
					// per-address limit does not refuse the storm.
					addr := fmt.Sprintf("10.%d.%d.%d", round, w, i%250+1)
					status, err = anon.post("/enkat/"+sv.token+"/"+sv.phase, form, addr)
					if status == http.StatusSeeOther {
						a.add(a.answers, code, 0)
					} else if err == nil {
						a.refuse("survey "+sv.phase, status)
					}
				case 3:
					title := "Krasch " + id
					form := url.Values{"date": {today}, "title": {title}, "target_group": {"politicians"},
						"channel": {"seminar"}, "reach.politicians": {"4"}}
					data := pngBytes(id)
					status, err = applicant.postFile(fmt.Sprintf("/bidrag/%d/aktiviteter", tg.upload.ID), form, "evidence_file", id+".png", data)
					if status == http.StatusSeeOther {
						a.mu.Lock()
						a.uploads[title] = data
						a.mu.Unlock()
					} else if err == nil {
						a.refuse("upload", status)
					}
				}
				if err != nil {
					return // the server is gone
				}
				if status == http.StatusSeeOther {
					total.Add(1)
				}
			}
		}()
	}
	time.Sleep(300*time.Millisecond + time.Duration(rand.Int64N(int64(1700*time.Millisecond))))
	srv.kill()
	wg.Wait()
}

// verify checks, with the restarted server running, that every
// acknowledged write is there and that what is there is consistent.
func verify(t *testing.T, cfg app.Config, tg *targets, a *acks) {
	t.Helper()
	ctx := context.Background()
	s := openStore(t, cfg)
	defer s.Close()

	// The audit chain survived the kill: every sealed entry verifies (on
	// PostgreSQL the tail the killed server had not yet sealed is
	// counted apart and checked against its digests).
	if r, err := s.VerifyAudit(ctx, ""); err != nil || r.Broken != nil {
		t.Errorf("audit verify after the kill: %d ok, %d unsealed, broken %v, err %v", r.OK, r.Unsealed, r.Broken, err)
	}

	// The registry: every acknowledged document; in each year, cases
	// numbered 1..N, and in each case, documents 1..M, each once.
	entries, err := s.RegistryList(ctx, registry.Filter{Limit: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]int64{}
	docs := map[[2]int][]int{}
	for _, e := range entries {
		titles[e.Title] = e.ApplicationID
		k := [2]int{e.Year, e.Seq}
		docs[k] = append(docs[k], e.Doc)
	}
	for title, app := range a.docs {
		if got, ok := titles[title]; !ok || got != app {
			t.Errorf("acknowledged document %q of application %d: not in the registry", title, app)
		}
	}
	seqs := map[int][]int{}
	for k, ds := range docs {
		seqs[k[0]] = append(seqs[k[0]], k[1])
		slices.Sort(ds)
		for i, d := range ds {
			if d != i+1 {
				t.Errorf("case %d/%04d: documents %v, not 1..%d", k[0], k[1], ds, len(ds))
				break
			}
		}
	}
	for year, ss := range seqs {
		slices.Sort(ss)
		for i, n := range ss {
			if n != i+1 {
				t.Errorf("registry %d: cases %v, not 1..%d", year, ss, len(ss))
				break
			}
		}
	}

	// Every acknowledged submission: submitted, its case opened.
	cases := map[int64]bool{}
	for _, e := range entries {
		if e.Doc == 1 {
			cases[e.ApplicationID] = true
		}
	}
	for path := range a.apps {
		id, _ := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
		ap, err := s.Application(ctx, id)
		if err != nil || ap.State == application.Draft || !cases[id] || ap.RegNumber == "" {
			t.Errorf("acknowledged submission %s: not submitted or no case (%v)", path, err)
		}
	}

	// The ledgers: every acknowledged payment; each ledger sums without
	// breaking a rule (no more paid than granted).
	notes := map[string]int64{}
	codes := map[string]bool{}
	grants, err := s.GrantList(ctx, grant.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range grants {
		es, err := s.LedgerEntries(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ledger.Sum(es)
		if err == nil {
			err = b.Check()
		}
		if err != nil {
			t.Errorf("grant %d: ledger does not balance: %v", g.ID, err)
		}
		if b.Paid > b.Granted {
			t.Errorf("grant %d: paid %d > granted %d", g.ID, b.Paid, b.Granted)
		}
		for _, e := range es {
			if e.Kind == ledger.Paid {
				notes[e.Note] = g.ID
			}
		}
		// Survey answers, by code.
		rs, err := s.Responses(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			codes[r.Code] = true // stored normalised (survey.NormalizeCode)
		}
	}
	for note, g := range a.payments {
		if got, ok := notes[note]; !ok || got != g {
			t.Errorf("acknowledged payment %q to grant %d: not in the ledger", note, g)
		}
	}
	for code := range a.answers {
		if !codes[survey.NormalizeCode(code)] {
			t.Errorf("acknowledged survey answer %q: not stored", code)
		}
	}

	// Uploads: the activity and the very bytes in the file store.
	files, err := app.FileStore(cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	acts, err := s.ActivityList(ctx, tg.upload.ID)
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]string{}
	for _, act := range acts {
		if act.File != nil {
			byTitle[act.Title] = act.File.StorageKey
		}
	}
	for title, data := range a.uploads {
		key, ok := byTitle[title]
		if !ok {
			t.Errorf("acknowledged upload %q: no activity with its file", title)
			continue
		}
		f, err := files.Open(ctx, key)
		if err != nil {
			t.Errorf("acknowledged upload %q: file %s: %v", title, key, err)
			continue
		}
		got, err := io.ReadAll(f)
		f.Close()
		if err != nil || sha256.Sum256(got) != sha256.Sum256(data) {
			t.Errorf("acknowledged upload %q: file %s differs (%d bytes, %v)", title, key, len(got), err)
		}
	}

	if !cfg.IsPostgres() {
		db, err := sql.Open("sqlite", "file:"+cfg.SQLitePath()+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var res string
		if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
			t.Errorf("PRAGMA integrity_check: %q %v", res, err)
		}
	}
}

// pngBytes is a small PNG, made distinct by tail (after its end, where
// readers ignore it).
func pngBytes(tail string) []byte {
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 3)))
	return append(img.Bytes(), tail...)
}

// start starts a draft in the call and returns its path.
func (c *client) start(callID int64, partnership string) (string, int, error) {
	req, _ := http.NewRequest("POST", c.s.base+"/ansokningar/ny", strings.NewReader(url.Values{
		"call": {strconv.FormatInt(callID, 10)}, "partnership": {partnership}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.c.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return "", 0, err
	}
	return res.Header.Get("Location"), res.StatusCode, nil
}

// completeApplication is a whole application for the default form, sent
// to be submitted.
func completeApplication() url.Values {
	return url.Values{"version": {"1"}, "action": {"submit"},
		"title": {"Krasch i Kalix och Masaka"}, "summary": {"Vi berättar för politiker och elever om partnerskapet."},
		"objectives":            {"Fler ska känna till partnerskapet och mål 12."},
		"target_groups.0.group": {"politicians"}, "target_groups.0.message": {"Partnerskapet minskar plasten i Masaka och Kalix."},
		"activities.0.title": {"Utställning i Kalix bibliotek"}, "activities.0.target_group": {"citizens"}, "activities.0.channel": {"exhibition"},
		"activities.0.start": {"2027-09-01"}, "activities.0.end": {"2027-09-30"}, "activities.0.cost": {"40 000"},
		"survey_plan":       {"Samma enkät före och efter utställningen, med egen kod."},
		"budget.0.category": {"communicator"}, "budget.0.description": {"Kommunikatör 20 %"}, "budget.0.amount": {"150 000"},
		"budget.1.category": {"material"}, "budget.1.description": {"Skärmar"}, "budget.1.amount": {"50 000,50"},
		"targets": {"12.5", "4.7"}}
}
