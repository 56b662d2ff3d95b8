package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/web"
)

// now is the test clock: mid-2021, while the pilot ran.
var now = time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)

type env struct {
	t     testing.TB
	store store.Store
	srv   *httptest.Server
	clock *clock.Fixed
	files *memFiles // the server's file store
	web   *web.Server

	// recovery holds the recovery codes of the accounts e.login enrolled.
	recovery struct {
		sync.Mutex
		codes map[string][]string
	}
}

// newEnv starts the real handler on a real SQLite store with the demo.
// The demo is loaded once into a template database that each test copies:
// loading it (password hashes, a hundred durable commits) for every test
// would make the suite slow without testing anything more.
func newEnv(t testing.TB, baseURL string) *env {
	t.Helper()
	s, _, clk := openDemoCopy(t)
	return newEnvOn(t, baseURL, s, clk)
}

// openDemoCopy opens a copy of the demo database in t's temporary folder,
// on a fixed clock at now, closed when t ends; path is the file, for a
// second process.
func openDemoCopy(t testing.TB) (s *sqlite.Store, path string, clk *clock.Fixed) {
	t.Helper()
	clk = clock.NewFixed(now)
	path = filepath.Join(t.TempDir(), "test.db")
	if err := copyDemoDB(path); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), path, clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path, clk
}

var demoTemplate struct {
	once sync.Once
	dir  string
	err  error
}

// copyDemoDB writes a copy of the demo database (built on first use) to path.
func copyDemoDB(path string) error {
	demoTemplate.once.Do(func() {
		dir, err := os.MkdirTemp("", "partnerskap-web-test-")
		if err != nil {
			demoTemplate.err = err
			return
		}
		demoTemplate.dir = dir
		clk := clock.NewFixed(now)
		s, err := sqlite.Open(context.Background(), filepath.Join(dir, "demo.db"), clk)
		if err != nil {
			demoTemplate.err = err
			return
		}
		_, demoTemplate.err = demo.Load(context.Background(), s, clk)
		if err := s.Close(); demoTemplate.err == nil {
			demoTemplate.err = err
		}
	})
	if demoTemplate.err != nil {
		return demoTemplate.err
	}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(filepath.Join(demoTemplate.dir, "demo.db"+suffix))
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoTemplate.dir != "" {
		os.RemoveAll(demoTemplate.dir)
	}
	os.Exit(code)
}

// newEnvOn starts the real handler on s, loading the demo into it.
func newEnvOn(t testing.TB, baseURL string, s store.Store, clk *clock.Fixed) *env {
	t.Helper()
	if _, err := demo.Load(context.Background(), s, clk); err != nil {
		t.Fatal(err)
	}
	files := &memFiles{}
	h, err := web.New(s, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: baseURL,
		DemoNote: map[string]string{"sv": demo.NoteSV, "en": demo.NoteEN}, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, store: s, srv: srv, clock: clk, files: files, web: h}
}

// client returns a browser-like client with its own cookies that does not
// follow redirects, so tests see each 303.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(c *http.Client, req *http.Request) response {
	e.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (e *env) get(c *http.Client, path string, headers ...string) response {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.do(c, req)
}

func (e *env) post(c *http.Client, path string, form url.Values) response {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(c, req)
}

// login signs in as one of the demo accounts and returns its client.
func (e *env) login(email string) *http.Client {
	e.t.Helper()
	c := e.client()
	res := e.post(c, "/logga-in", url.Values{"email": {email}, "password": {demo.Password}})
	if res.status != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d\n%s", email, res.status, res.body)
	}
	e.secondStep(c, email, res.header.Get("Location"))
	return c
}

// secondStep completes a sign-in that the password left pending, as the
// person would: an officer or administrator a test created enrols (the
// secret read from the page, the code computed at the test clock's time)
// and keeps the recovery codes; a later sign-in uses one of them, since
// the stopped clock gives the same TOTP code, which is refused a second
// time.
func (e *env) secondStep(c *http.Client, email, location string) {
	e.t.Helper()
	switch {
	case strings.HasPrefix(location, "/logga-in/tvastegsverifiering"):
		page := e.get(c, location)
		m := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindStringSubmatch(page.body)
		if m == nil {
			e.t.Fatalf("login %s: no secret on the enrolment page\n%s", email, page.body)
		}
		code, err := user.TOTPCode(m[1], e.clock.Now())
		if err != nil {
			e.t.Fatal(err)
		}
		res := e.post(c, "/logga-in/tvastegsverifiering", url.Values{"secret": {m[1]}, "code": {code}})
		codes := regexp.MustCompile(`<li><code>([0-9a-z-]+)</code></li>`).FindAllStringSubmatch(res.body, -1)
		if res.status != http.StatusOK || len(codes) != user.RecoveryCodeCount {
			e.t.Fatalf("login %s: enrolment: status %d, %d recovery codes\n%s", email, res.status, len(codes), res.body)
		}
		e.recovery.Lock()
		defer e.recovery.Unlock()
		if e.recovery.codes == nil {
			e.recovery.codes = map[string][]string{}
		}
		for _, m := range codes {
			e.recovery.codes[email] = append(e.recovery.codes[email], m[1])
		}
	case strings.HasPrefix(location, "/logga-in/kod"):
		e.recovery.Lock()
		codes := e.recovery.codes[email]
		if len(codes) == 0 {
			e.recovery.Unlock()
			e.t.Fatalf("login %s: a code is asked for, and the test has no recovery code left", email)
		}
		e.recovery.codes[email] = codes[1:]
		e.recovery.Unlock()
		if res := e.post(c, "/logga-in/kod", url.Values{"code": {codes[0]}}); res.status != http.StatusSeeOther {
			e.t.Fatalf("login %s: code: status %d\n%s", email, res.status, res.body)
		}
	}
}

const officer = "handlaggare@demo.partnerskap.se"

// hash is the demo password's hash, for users a test creates.
func (e *env) hash(t *testing.T) string {
	t.Helper()
	h, err := auth.HashPassword(demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// loginAs signs in a user a test created with the demo password.
func (e *env) loginAs(t *testing.T, email string) *http.Client {
	t.Helper()
	return e.login(email)
}

func wantContains(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s: missing %q", what, s)
		}
	}
}

func wantNotContains(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("%s: unexpected %q", what, s)
		}
	}
}
