package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/web"
)

// now is the test clock: mid-2021, while the pilot ran.
var now = time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)

type env struct {
	t     testing.TB
	store store.Store
	srv   *httptest.Server
}

// newEnv starts the real handler on a real SQLite store with the demo.
func newEnv(t testing.TB, baseURL string) *env {
	t.Helper()
	clk := clock.NewFixed(now)
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return newEnvOn(t, baseURL, s, clk)
}

// newEnvOn starts the real handler on s, loading the demo into it.
func newEnvOn(t testing.TB, baseURL string, s store.Store, clk clock.Clock) *env {
	t.Helper()
	if _, err := demo.Load(context.Background(), s, clk); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(s, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: baseURL,
		DemoNote: map[string]string{"sv": demo.NoteSV, "en": demo.NoteEN}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, store: s, srv: srv}
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
	return c
}

const officer = "handlaggare@demo.partnerskap.se"

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
