package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/pagecache"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/store/storetest"
	"github.com/icld/partnerskap/internal/web"
)

// countingStore counts the reads public pages make, so a test can tell a
// page served from memory from one rendered again without timing. While
// held (hold), each PartnershipList says so on entered and waits for the
// hold to end, so a test can keep renders under way without timing.
type countingStore struct {
	store.Store
	lists   atomic.Int64 // PartnershipList calls
	held    atomic.Pointer[chan struct{}]
	entered chan struct{}
}

func (c *countingStore) PartnershipList(ctx context.Context, f partnership.Filter) ([]*partnership.Partnership, error) {
	c.lists.Add(1)
	if h := c.held.Load(); h != nil {
		c.entered <- struct{}{}
		select {
		case <-*h:
		case <-ctx.Done():
		}
	}
	return c.Store.PartnershipList(ctx, f)
}

// hold makes PartnershipList wait until the returned release is called
// (at the latest when the test ends, before its server closes).
func (c *countingStore) hold(t *testing.T) (release func()) {
	h := make(chan struct{})
	c.entered = make(chan struct{}, 64)
	c.held.Store(&h)
	var once sync.Once
	release = func() {
		once.Do(func() {
			c.held.Store(nil)
			close(h)
		})
	}
	t.Cleanup(release)
	return release
}

type cacheEnv struct {
	*env
	counts *countingStore
	web    *web.Server
	path   string // the SQLite file, for a second process
}

// newCacheEnv is newEnv with a counting store and the cache bounds given;
// opts change the rest of the configuration.
func newCacheEnv(t testing.TB, pc pagecache.Config, opts ...func(*web.Config)) *cacheEnv {
	t.Helper()
	s, path, clk := openDemoCopy(t)
	cs := &countingStore{Store: s}
	files := &memFiles{}
	cfg := web.Config{BaseURL: "https://partnerskap.example",
		DemoNote: map[string]string{"sv": demo.NoteSV, "en": demo.NoteEN}, Files: files, PageCache: pc}
	for _, o := range opts {
		o(&cfg)
	}
	h, err := web.New(cs, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &cacheEnv{env: &env{t: t, store: cs, srv: srv, clock: clk, files: files}, counts: cs, web: h, path: path}
}

// raw is a client that leaves Content-Encoding alone: a request that sets
// Accept-Encoding itself gets the bytes as sent.
func (e *cacheEnv) raw(method, path string, headers ...string) response {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "identity")
	}
	return e.do(e.client(), req)
}

func kalixPartnership(t *testing.T, s store.Store) *partnership.Partnership {
	t.Helper()
	list, err := s.PartnershipList(context.Background(), partnership.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.Name == "Kalix – Masaka" {
			return p
		}
	}
	t.Fatal("no Kalix – Masaka in the demo")
	return nil
}

func TestPageCacheServesFromMemory(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	first := e.raw("GET", "/partnerskap")
	reads := e.counts.lists.Load()
	if first.status != 200 || reads == 0 {
		t.Fatalf("first: %d, %d reads", first.status, reads)
	}
	for range 3 {
		again := e.raw("GET", "/partnerskap")
		if again.body != first.body || again.header.Get("Etag") != first.header.Get("Etag") {
			t.Fatal("the kept page differs from the rendered one")
		}
	}
	if got := e.counts.lists.Load(); got != reads {
		t.Errorf("three more requests read the store %d more times, want 0", got-reads)
	}
	st := e.web.PageCacheStats()
	if st.Renders != 1 || st.Hits != 3 || st.Entries != 1 || st.Bytes < int64(len(first.body)) {
		t.Errorf("stats %+v, want 1 render, 3 hits, 1 entry of at least %d bytes", st, len(first.body))
	}
	for k, want := range map[string]string{
		"Cache-Control":           "public, no-cache",
		"Content-Type":            "text/html; charset=utf-8",
		"Content-Language":        "sv",
		"Vary":                    "Accept-Encoding",
		"Content-Security-Policy": "default-src 'self'",
		"X-Frame-Options":         "DENY",
	} {
		if got := first.header.Get(k); !strings.HasPrefix(got, want) {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if tag := first.header.Get("Etag"); !regexp.MustCompile(`^"[A-Za-z0-9_-]{22}"$`).MatchString(tag) {
		t.Errorf("ETag %q is not a strong tag", tag)
	}
	if first.header.Get("Last-Modified") == "" {
		t.Error("no Last-Modified")
	}
}

func TestPageCacheConcurrentRequestsRenderOnce(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if res := e.raw("GET", "/mal/12"); res.status != 200 {
				t.Errorf("status %d", res.status)
			}
		})
	}
	wg.Wait()
	if st := e.web.PageCacheStats(); st.Renders != 1 || st.Hits != 19 {
		t.Errorf("20 requests at once: %+v, want 1 render and 19 hits", st)
	}
	// An error page is never kept; those who waited for one render their own.
	for range 10 {
		wg.Go(func() {
			if res := e.raw("GET", "/partnerskap/99999"); res.status != 404 {
				t.Errorf("status %d", res.status)
			}
		})
	}
	wg.Wait()
	if st := e.web.PageCacheStats(); st.Passes != 10 || st.Entries != 1 {
		t.Errorf("10 requests for a missing page: %+v, want 10 passed, none kept", st)
	}
}

func TestPageCacheNotModified(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	first := e.raw("GET", "/mal")
	tag, modified := first.header.Get("Etag"), first.header.Get("Last-Modified")
	for _, tt := range []struct {
		name    string
		headers []string
		status  int
	}{
		{"same tag", []string{"If-None-Match", tag}, 304},
		{"tag in a list", []string{"If-None-Match", `"other", ` + tag}, 304},
		{"weak form of the tag", []string{"If-None-Match", "W/" + tag}, 304},
		{"star", []string{"If-None-Match", "*"}, 304},
		{"other tag", []string{"If-None-Match", `"other"`}, 200},
		{"since its date", []string{"If-Modified-Since", modified}, 304},
		{"since an hour before", []string{"If-Modified-Since", now.Add(-time.Hour).Format(http.TimeFormat)}, 200},
		{"other tag wins over the date", []string{"If-None-Match", `"other"`, "If-Modified-Since", modified}, 200},
	} {
		res := e.raw("GET", "/mal", tt.headers...)
		if res.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, res.status, tt.status)
		}
		if res.status == 304 && (res.body != "" || res.header.Get("Etag") != tag) {
			t.Errorf("%s: 304 with %d bytes of body, ETag %q", tt.name, len(res.body), res.header.Get("Etag"))
		}
		if res.status == 200 && res.body != first.body {
			t.Errorf("%s: 200 with another body", tt.name)
		}
	}
	// HEAD first: what is kept is the page for GET.
	const q = "/partnerskap?land=UG"
	if res := e.raw("HEAD", q); res.status != 200 || res.body != "" {
		t.Errorf("HEAD %s first: %d, %d bytes", q, res.status, len(res.body))
	}
	rendered := e.web.PageCacheStats().Renders
	get := e.raw("GET", q)
	wantContains(t, "GET after HEAD", get.body, `hreflang="en" href="https://partnerskap.example/en/partnerships?land=UG"`)
	if e.web.PageCacheStats().Renders != rendered {
		t.Error("GET after HEAD: rendered again")
	}
	// HEAD: the headers of GET, no body.
	head := e.raw("HEAD", "/mal")
	if head.status != 200 || head.body != "" || head.header.Get("Etag") != tag ||
		head.header.Get("Content-Length") != fmt.Sprint(len(first.body)) {
		t.Errorf("HEAD: %d, %d bytes, ETag %q, Content-Length %q", head.status, len(head.body), head.header.Get("Etag"), head.header.Get("Content-Length"))
	}
}

func TestPageCacheGzip(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	for _, path := range []string{"/", "/en/partnerships", "/beviljade-bidrag?format=csv", "/sitemap.xml"} {
		plain := e.raw("GET", path)
		zipped := e.raw("GET", path, "Accept-Encoding", "br, gzip;q=0.8")
		if plain.status != 200 || zipped.status != 200 {
			t.Fatalf("%s: %d, %d", path, plain.status, zipped.status)
		}
		if plain.header.Get("Content-Encoding") != "" || zipped.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q and %q", path, plain.header.Get("Content-Encoding"), zipped.header.Get("Content-Encoding"))
			continue
		}
		zr, err := gzip.NewReader(strings.NewReader(zipped.body))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if string(unzipped) != plain.body {
			t.Errorf("%s: the gzip body does not unpack to the plain one", path)
		}
		if len(zipped.body) >= len(plain.body)/2 {
			t.Errorf("%s: gzip %d bytes of %d", path, len(zipped.body), len(plain.body))
		}
		if zipped.header.Get("Etag") == plain.header.Get("Etag") {
			t.Errorf("%s: both encodings have ETag %s", path, plain.header.Get("Etag"))
		}
		if !strings.Contains(zipped.header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Vary %q", path, zipped.header.Get("Vary"))
		}
		if res := e.raw("GET", path, "Accept-Encoding", "gzip", "If-None-Match", zipped.header.Get("Etag")); res.status != 304 {
			t.Errorf("%s: revalidating the gzip copy: %d", path, res.status)
		}
		// Refused explicitly, even beside *.
		if res := e.raw("GET", path, "Accept-Encoding", "*, gzip;q=0"); res.header.Get("Content-Encoding") != "" || res.body != plain.body {
			t.Errorf("%s: gzip;q=0 got Content-Encoding %q", path, res.header.Get("Content-Encoding"))
		}
	}
	// The CSV keeps its own headers.
	csv := e.raw("GET", "/beviljade-bidrag?format=csv")
	if ct := csv.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.HasPrefix(csv.body, "\ufeff") ||
		!strings.Contains(csv.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV: %q %q %q", ct, csv.header.Get("Content-Disposition"), csv.body[:min(20, len(csv.body))])
	}
}

// TestPageCacheNeverStale changes the data behind kept pages, through the
// store (the very next request shows it) and through a second store on
// the same file (another process: shown within moments).
func TestPageCacheNeverStale(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	ctx := context.Background()
	p := kalixPartnership(t, e.store)
	path := fmt.Sprintf("/partnerskap/%d", p.ID)
	for _, u := range []string{path, "/partnerskap", "/en/partnerships/" + fmt.Sprint(p.ID)} {
		e.get(e.client(), u)
		e.get(e.client(), u)
	}
	before := e.web.PageCacheStats()
	if before.Hits < 3 {
		t.Fatalf("pages not kept: %+v", before)
	}
	first := e.get(e.client(), path)

	p.DescriptionSV = "Kalix och Masaka minskar plasten i Victoriasjön, nu med återvinningsstationer."
	p.DescriptionEN = "Kalix and Masaka cut plastics in Lake Victoria, now with recycling stations."
	if err := e.store.UpdatePartnership(ctx, storetest.Officer, p); err != nil {
		t.Fatal(err)
	}
	wantContains(t, "after the change", e.get(e.client(), path).body, "nu med återvinningsstationer")
	wantContains(t, "after the change, English", e.get(e.client(), "/en/partnerships/"+fmt.Sprint(p.ID)).body, "now with recycling stations")
	// A browser revalidating its old copy gets the new page, not 304.
	if res := e.get(e.client(), path, "If-None-Match", first.header.Get("Etag")); res.status != 200 {
		t.Errorf("revalidating the page from before the change: %d", res.status)
	}
	// A page the change does not touch keeps its ETag; its Last-Modified
	// moves on, since another instance may have dated other bytes later.
	goals := e.get(e.client(), "/mal")
	other, err := sqlite.Open(ctx, e.path, clock.NewFixed(now))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	q, err := other.Partnership(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	q.Name = "Kalix – Masaka (Uganda)"
	if err := other.UpdatePartnership(ctx, storetest.Officer, q); err != nil {
		t.Fatal(err)
	}
	// Another process's change is seen within moments (the store reads
	// SQLite's data_version at most every 20 ms), not at the next request.
	// SQLite sends no signal of another process's commit, so this polls
	// (on PostgreSQL, TestPageCacheTwoInstancesOnPostgres waits on one).
	for _, u := range []string{path, "/partnerskap"} {
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(e.get(e.client(), u).body, "Kalix – Masaka (Uganda)") {
			if time.Now().After(deadline) {
				t.Fatalf("%s: another process's change not shown within 5 s", u)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	again := e.get(e.client(), "/mal")
	if again.header.Get("Etag") != goals.header.Get("Etag") {
		t.Errorf("an untouched page changed its ETag: %q → %q", goals.header.Get("Etag"), again.header.Get("Etag"))
	}
	if res := e.get(e.client(), "/mal", "If-None-Match", goals.header.Get("Etag")); res.status != http.StatusNotModified {
		t.Errorf("revalidating an untouched page by its ETag: %d, want 304", res.status)
	}
}

// TestPageCacheTime: a kept page is rendered again after a minute (what
// depends on the time of day), and on a new day.
func TestPageCacheTime(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	first := e.raw("GET", "/")
	e.raw("GET", "/")
	if st := e.web.PageCacheStats(); st.Renders != 1 {
		t.Fatalf("%+v", st)
	}
	e.clock.Set(now.Add(2 * time.Minute))
	again := e.raw("GET", "/")
	if st := e.web.PageCacheStats(); st.Renders != 2 {
		t.Errorf("after two minutes: %+v, want a second render", st)
	}
	if again.header.Get("Etag") != first.header.Get("Etag") || again.header.Get("Last-Modified") != first.header.Get("Last-Modified") {
		t.Errorf("the same bytes rendered again changed validators")
	}
	e.clock.Set(now.Add(2*time.Minute + time.Second)) // within the minute: kept
	e.raw("GET", "/")
	if st := e.web.PageCacheStats(); st.Renders != 2 {
		t.Errorf("within the minute: %+v", st)
	}
}

func TestPageCacheLanguagesApart(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	for range 2 {
		sv := e.get(e.client(), "/partnerskap")
		en := e.get(e.client(), "/en/partnerships")
		wantContains(t, "Swedish", sv.body, `<html lang="sv">`)
		wantContains(t, "English", en.body, `<html lang="en">`)
		if sv.header.Get("Content-Language") != "sv" || en.header.Get("Content-Language") != "en" {
			t.Errorf("Content-Language %q, %q", sv.header.Get("Content-Language"), en.header.Get("Content-Language"))
		}
	}
	if st := e.web.PageCacheStats(); st.Renders != 2 || st.Hits != 2 || st.Entries != 2 {
		t.Errorf("%+v, want each language rendered once and kept", st)
	}
}

// TestPageCacheHomeRedirect: with the Swedish home page kept, a first
// visit from an English browser, or a visitor who chose English, is still
// sent to /en/.
func TestPageCacheHomeRedirect(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	kept := e.get(e.client(), "/", "Accept-Language", "sv-SE,sv;q=0.9")
	e.get(e.client(), "/")
	if kept.status != 200 || e.web.PageCacheStats().Hits != 1 {
		t.Fatalf("home not kept: %d %+v", kept.status, e.web.PageCacheStats())
	}
	if v := kept.header.Get("Vary"); !strings.Contains(v, "Cookie") || !strings.Contains(v, "Accept-Language") || !strings.Contains(v, "Accept-Encoding") {
		t.Errorf("Vary %q", v)
	}
	for _, tt := range []struct {
		name    string
		headers []string
	}{
		{"English browser", []string{"Accept-Language", "en-GB,en;q=0.9"}},
		{"chose English", []string{"Cookie", "lang=en"}},
		{"chose English, revalidating", []string{"Cookie", "lang=en", "If-None-Match", kept.header.Get("Etag")}},
	} {
		res := e.get(e.client(), "/", tt.headers...)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/en/" {
			t.Errorf("%s: %d to %q, want 303 to /en/", tt.name, res.status, res.header.Get("Location"))
		}
	}
	// Chose Swedish, with an English browser: the kept page.
	hits := e.web.PageCacheStats().Hits
	if res := e.get(e.client(), "/", "Cookie", "lang=sv", "Accept-Language", "en"); res.status != 200 || res.body != kept.body {
		t.Errorf("chose Swedish: %d", res.status)
	}
	if e.web.PageCacheStats().Hits != hits+1 {
		t.Error("chose Swedish: not from memory")
	}
}

// TestPageCacheLeavesOthersAlone: forms, per-visitor pages and error
// pages are never kept.
func TestPageCacheLeavesOthersAlone(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	g := kalixGrant(t, e.env)
	sv := createSurvey(t, e.env, e.login(applicant), g)
	before := e.web.PageCacheStats()
	for _, path := range []string{"/logga-in", "/en/login", "/enkat/" + sv.Token + "/fore", "/en/survey/" + sv.Token + "/before"} {
		for range 2 {
			res := e.get(e.client(), path)
			if res.status != 200 || res.header.Get("Etag") != "" || res.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: %d, ETag %q, Cache-Control %q", path, res.status, res.header.Get("Etag"), res.header.Get("Cache-Control"))
			}
		}
	}
	if after := e.web.PageCacheStats(); after != before {
		t.Errorf("forms touched the cache: %+v → %+v", before, after)
	}
	for _, path := range []string{"/partnerskap/99999", "/mal/18", "/en/goals/abc"} {
		for range 2 {
			res := e.get(e.client(), path)
			if res.status != 404 || res.header.Get("Cache-Control") != "no-store" || res.header.Get("Etag") != "" {
				t.Errorf("%s: %d, Cache-Control %q, ETag %q", path, res.status, res.header.Get("Cache-Control"), res.header.Get("Etag"))
			}
		}
	}
	if st := e.web.PageCacheStats(); st.Entries != before.Entries || st.Passes != before.Passes+6 {
		t.Errorf("error pages: %+v, want none kept and 6 passed", st)
	}
	// A signed-in officer sees the same public page as anyone (public
	// pages never read the session), and staff pages are not kept.
	off := e.login(officer)
	staff := e.get(off, "/personal")
	if staff.header.Get("Etag") != "" || staff.header.Get("Cache-Control") != "no-store" {
		t.Errorf("staff page: ETag %q, Cache-Control %q", staff.header.Get("Etag"), staff.header.Get("Cache-Control"))
	}
	wantNotContains(t, "public page for an officer", e.get(off, "/partnerskap").body, "Olle Handläggare")
}

// TestPageCacheBounded: endless searches (each a new address) never
// grow the cache beyond its bounds, and a very long one is not kept at
// all.
func TestPageCacheBounded(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{MaxEntries: 5, MaxBytes: 1 << 20})
	for i := range 40 {
		if res := e.raw("GET", fmt.Sprintf("/partnerskap?land=ZZ&q=ord%d", i)); res.status != 200 {
			t.Fatalf("status %d", res.status)
		}
		if st := e.web.PageCacheStats(); st.Entries > 5 || st.Bytes > 1<<20 {
			t.Fatalf("after %d addresses: %+v", i+1, st)
		}
	}
	before := e.web.PageCacheStats()
	long := "/partnerskap?q=" + strings.Repeat("plast+", 400)
	for range 2 {
		if res := e.raw("GET", long); res.status != 200 || res.header.Get("Etag") != "" {
			t.Errorf("long address: %d, ETag %q", res.status, res.header.Get("Etag"))
		}
	}
	if st := e.web.PageCacheStats(); st.Entries != before.Entries || st.Renders != before.Renders || st.Passes != before.Passes+2 {
		t.Errorf("long address: %+v → %+v, want passed, not kept", before, st)
	}
	// Bytes bound: pages of about 25 KB in 60 KB keep at most two.
	e = newCacheEnv(t, pagecache.Config{MaxBytes: 60 << 10})
	for _, p := range []string{"/", "/partnerskap", "/mal", "/beviljade-bidrag", "/en/"} {
		e.raw("GET", p)
		if st := e.web.PageCacheStats(); st.Bytes > 60<<10 {
			t.Fatalf("after %s: %+v", p, st)
		}
	}
}

func TestPageCacheOff(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{Off: true})
	e.raw("GET", "/partnerskap")
	reads := e.counts.lists.Load()
	res := e.raw("GET", "/partnerskap")
	if e.counts.lists.Load() == reads || res.header.Get("Etag") != "" || res.header.Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("cache off: store not read again, or ETag %q, Cache-Control %q", res.header.Get("Etag"), res.header.Get("Cache-Control"))
	}
}

func TestStaticAssets(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	page := e.raw("GET", "/")
	links := regexp.MustCompile(`href="(/static/(?:style|goals)\.css\?v=[A-Za-z0-9_-]+)"`).FindAllStringSubmatch(page.body, -1)
	if len(links) != 2 {
		t.Fatalf("stylesheet links with a hash: %q", links)
	}
	for _, l := range links {
		res := e.raw("GET", l[1])
		if res.status != 200 || res.header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			!strings.HasPrefix(res.header.Get("Content-Type"), "text/css") || res.header.Get("Etag") == "" {
			t.Errorf("%s: %d %q %q %q", l[1], res.status, res.header.Get("Cache-Control"), res.header.Get("Content-Type"), res.header.Get("Etag"))
		}
		unversioned, _, _ := strings.Cut(l[1], "?")
		plain := e.raw("GET", unversioned)
		if plain.body != res.body || plain.header.Get("Cache-Control") != "public, no-cache" {
			t.Errorf("%s: Cache-Control %q", unversioned, plain.header.Get("Cache-Control"))
		}
		if r := e.raw("GET", unversioned+"?v=old"); r.header.Get("Cache-Control") != "public, no-cache" {
			t.Errorf("%s with an old hash: Cache-Control %q", unversioned, r.header.Get("Cache-Control"))
		}
		if r := e.raw("GET", unversioned, "If-None-Match", plain.header.Get("Etag")); r.status != 304 || r.body != "" {
			t.Errorf("%s revalidated: %d", unversioned, r.status)
		}
		zipped := e.raw("GET", l[1], "Accept-Encoding", "gzip")
		zr, err := gzip.NewReader(strings.NewReader(zipped.body))
		if err != nil {
			t.Fatalf("%s: gzip: %v", l[1], err)
		}
		b, _ := io.ReadAll(zr)
		if !bytes.Equal(b, []byte(res.body)) {
			t.Errorf("%s: gzip copy differs", l[1])
		}
	}
	if res := e.raw("GET", "/static/autosave.js"); res.status != 200 || !strings.Contains(res.body, "X-Autosave") {
		t.Errorf("autosave.js: %d", res.status)
	}
	for _, p := range []string{"/static/nope.css", "/static/", "/static/%2e%2e/server.go"} {
		if res := e.raw("GET", p); res.status != 404 {
			t.Errorf("%s: %d", p, res.status)
		}
	}
}

// TestPageCacheTwoInstancesOnPostgres: two instances share one
// PostgreSQL; a change made through one is shown by the other's kept
// pages within moments (its notification arrives), and a change made
// through an instance's own store at once.
func TestPageCacheTwoInstancesOnPostgres(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFixed(now)
	s1 := storetest.OpenPostgres(t, clk)
	e := newEnvOn(t, "http://localhost", s1, clk)
	h := e.srv.Config.Handler.(*web.Server)
	s2, err := s1.Reopen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	p := kalixPartnership(t, s1)
	path := fmt.Sprintf("/partnerskap/%d", p.ID)
	e.get(e.client(), path)
	e.get(e.client(), path)
	if st := h.PageCacheStats(); st.Hits != 1 {
		t.Fatalf("not kept on PostgreSQL: %+v", st)
	}

	q, err := s2.Partnership(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	q.DescriptionSV = "Ändrad av den andra instansen."
	notified := s1.Changed() // closed when s2's notification reaches s1
	if err := s2.UpdatePartnership(ctx, storetest.Officer, q); err != nil {
		t.Fatal(err)
	}
	select {
	case <-notified:
	case <-time.After(5 * time.Second):
		t.Fatal("the other instance's change not notified within 5 s")
	}
	if body := e.get(e.client(), path).body; !strings.Contains(body, "Ändrad av den andra instansen.") {
		t.Fatal("the other instance's change, notified, is not shown")
	}

	q, err = s1.Partnership(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	q.DescriptionSV = "Ändrad av den här instansen."
	if err := s1.UpdatePartnership(ctx, storetest.Officer, q); err != nil {
		t.Fatal(err)
	}
	wantContains(t, "after this instance's change", e.get(e.client(), path).body, "Ändrad av den här instansen.")
}

// TestCacheKeepsHostsApart: without a configured base URL, pages that
// build absolute links from the request's host are kept per host, so one
// request with a forged Host cannot plant its links for everyone.
func TestCacheKeepsHostsApart(t *testing.T) {
	e := newEnv(t, "")
	forged, _ := http.NewRequest("GET", e.srv.URL+"/berattelser/atom.xml", nil)
	forged.Host = "evil.example"
	if res := e.do(e.client(), forged); res.status != http.StatusOK || !strings.Contains(res.body, "http://evil.example/") {
		t.Fatalf("forged host: %d, links to evil.example: %v", res.status, strings.Contains(res.body, "evil.example"))
	}
	res := e.get(e.client(), "/berattelser/atom.xml")
	if strings.Contains(res.body, "evil.example") {
		t.Error("a forged Host's links were served to the next visitor")
	}
}

// TestFormBodyLimit: a form of fields larger than any real one is cut
// off, answered as a bad form and never a server error.
func TestFormBodyLimit(t *testing.T) {
	e := newEnv(t, "http://localhost")
	big := url.Values{"email": {officer}, "password": {demo.Password}, "pad": {strings.Repeat("å", 2<<20)}}
	res := e.post(e.client(), "/logga-in", big)
	if res.status < 400 || res.status >= 500 {
		t.Errorf("a 4 MB sign-in form: %d, want a 4xx refusal", res.status)
	}
}

// TestLastModifiedAcrossInstances: two instances on one database; a
// change shown by A and then undone must not be confirmed as "not
// modified" by B, whose page has the old bytes again, to a client that
// asks with the date A gave it.
func TestLastModifiedAcrossInstances(t *testing.T) {
	clk := clock.NewFixed(now)
	path := filepath.Join(t.TempDir(), "t.db")
	if err := copyDemoDB(path); err != nil {
		t.Fatal(err)
	}
	instance := func() (*httptest.Server, *sqlite.Store) {
		s, err := sqlite.Open(context.Background(), path, clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		h, err := web.New(s, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: "https://x.example", Files: &memFiles{}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv, s
	}
	fetch := func(srv *httptest.Server, path string, hdr ...string) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	a, storeA := instance()
	b, _ := instance()
	p := kalixPartnership(t, storeA)
	u := fmt.Sprintf("/partnerskap/%d", p.ID)
	orig := p.DescriptionSV
	fetch(b, u) // B keeps the page as it was

	clk.Set(now.Add(5 * time.Second))
	p.DescriptionSV = "Ändrad text"
	if err := storeA.UpdatePartnership(context.Background(), storetest.Officer, p); err != nil {
		t.Fatal(err)
	}
	changed := fetch(a, u).Header.Get("Last-Modified")
	clk.Set(now.Add(10 * time.Second))
	p.DescriptionSV = orig
	if err := storeA.UpdatePartnership(context.Background(), storetest.Officer, p); err != nil {
		t.Fatal(err)
	}
	// B sees the other process's change within its poll interval: SQLite
	// sends no signal of another process's commit, so this polls too.
	deadline := time.Now().Add(5 * time.Second)
	for {
		res := fetch(b, u, "If-Modified-Since", changed)
		if res.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("B still answers %d to a client holding the undone change (If-Modified-Since %s)", res.StatusCode, changed)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestPageCacheUnknownParameters: parameters a page does not read make
// no new address. Fifty requests for the statistics with made-up
// parameters cost one render and one kept page, and the page they get
// links to its own address without them; the same holds for tracking
// parameters on a filtered list and for a path spelt with escapes.
func TestPageCacheUnknownParameters(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	first := e.raw("GET", "/statistik")
	differ := 0
	for i := range 50 {
		res := e.raw("GET", fmt.Sprintf("/statistik?x=%d", i))
		if res.status != 200 {
			t.Fatalf("/statistik?x=%d: %d", i, res.status)
		}
		if res.body != first.body {
			differ++
		}
	}
	if differ > 0 {
		t.Errorf("%d of 50 made-up parameters gave another page than /statistik", differ)
	}
	for _, u := range []string{"/statistik?utm_source=nyhetsbrev&fbclid=abc", "/statistik?", "/st%61tistik", "/st%61tistik?x=1"} {
		if res := e.raw("GET", u); res.status != 200 || res.body != first.body {
			t.Errorf("%s: %d, same page as /statistik: %v", u, res.status, res.body == first.body)
		}
	}
	if st := e.web.PageCacheStats(); st.Renders != 1 || st.Entries != 1 || st.Passes != 0 {
		t.Errorf("55 addresses of one page: %+v, want 1 render and 1 page kept", st)
	}
	wantNotContains(t, "the page's own links", e.raw("GET", "/statistik?x=7").body, "x=7")

	list := e.raw("GET", "/partnerskap?land=UG&utm_campaign=var")
	wantContains(t, "hreflang of a filtered list", list.body, `hreflang="en" href="https://partnerskap.example/en/partnerships?land=UG"`)
	wantNotContains(t, "a filtered list's own links", list.body, "utm_campaign")
	// A number spelt another way is no page of its own.
	for _, u := range []string{"/mal/012", "/mal/+12", "/partnerskap/03", "/en/goals/0012"} {
		if res := e.raw("GET", u); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", u, res.status)
		}
	}
}

// TestPageCacheKeysKnownParameters: the parameters a page reads still
// select what it shows and are kept apart; the same selection written
// in another order, with empty fields (as the filter form sends them),
// with a repeated parameter (the first counts) or with parameters the
// page does not read is one page, rendered once.
func TestPageCacheKeysKnownParameters(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	same := []string{
		"/partnerskap?land=UG&mal=12",
		"/partnerskap?mal=12&land=UG",
		"/partnerskap?q=&land=UG&kommun=&mal=12&tema=&ar=&status=&sortera=",
		"/partnerskap?land=UG&land=KE&mal=12",
		"/partnerskap?land=UG&mal=12&utm_source=x",
	}
	kalix := fmt.Sprintf(`href="/partnerskap/%d"`, kalixPartnership(t, e.store).ID)
	first := e.raw("GET", same[0])
	wantContains(t, "UG and goal 12", first.body, kalix)
	for _, u := range same[1:] {
		if res := e.raw("GET", u); res.status != 200 || res.body != first.body {
			t.Errorf("%s: %d, same page as %s: %v", u, res.status, same[0], res.body == first.body)
		}
	}
	if st := e.web.PageCacheStats(); st.Renders != 1 || st.Entries != 1 {
		t.Errorf("one selection written %d ways: %+v, want 1 render and 1 page kept", len(same), st)
	}
	wantContains(t, "canonical order", first.body, `href="https://partnerskap.example/en/partnerships?land=UG&amp;mal=12"`)
	other := e.raw("GET", "/partnerskap?land=KE")
	if other.status != 200 || other.body == first.body {
		t.Errorf("another selection: %d, same page: %v", other.status, other.body == first.body)
	}
	wantNotContains(t, "Kenya's partnerships", other.body, kalix)
	if st := e.web.PageCacheStats(); st.Renders != 2 || st.Entries != 2 {
		t.Errorf("two selections: %+v, want 2 renders and 2 pages kept", st)
	}
}

// TestCachedPagesReadTheirParameters asks each cached page with each
// parameter it reads. The page a handler renders sees only the
// parameters its route declares, so a parameter left out of the route
// table would give the page without the filter: each must change the
// page (or, for a page number past the last, make it a 404).
func TestCachedPagesReadTheirParameters(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{})
	ctx := context.Background()
	kalix := kalixPartnership(t, e.store)
	progs, err := e.store.ProgrammeList(ctx)
	if err != nil || len(progs) == 0 {
		t.Fatalf("programmes: %v, %d", err, len(progs))
	}
	list := url.Values{
		"land": {"UG"}, "kommun": {fmt.Sprint(kalix.Swedish[0].ID)}, "mal": {"6"}, "tema": {kalix.ThemeSV},
		"ar": {"2006"}, "status": {"completed"}, "q": {"plast"}, "sortera": {"nyast"},
	}
	cases := map[string]url.Values{
		"/partnerskap":      withValues(list, "sida", "2"),
		"/en/partnerships":  withValues(list, "sida", "2"),
		"/partnerskap.csv":  list,
		"/partnerskap.json": list,
		"/beviljade-bidrag": {"land": {"UG"}, "program": {fmt.Sprint(progs[0].ID)}, "ar": {"2021"}, "format": {"csv"}},
		"/berattelser":      {"mal": {"13"}, "sida": {"2"}},
		"/material": {"typ": {"exhibition"}, "sprak": {"en"}, "licens": {"CC0-1.0"}, "malgrupp": {"pupils"},
			"mal": {"13"}, "partnerskap": {fmt.Sprint(kalix.ID)}, "q": {"plast"}, "sida": {"2"}},
	}
	for path, params := range cases {
		base := e.raw("GET", path)
		if base.status != 200 {
			t.Fatalf("%s: %d", path, base.status)
		}
		for name, v := range params {
			u := path + "?" + url.Values{name: v}.Encode()
			if res := e.raw("GET", u); res.status == base.status && res.body == base.body {
				t.Errorf("%s: the page ignores %s", u, name)
			}
		}
	}
}

func withValues(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// trustLocalProxy makes the test's own address a trusted proxy, so each
// request names its client in X-Forwarded-For.
func trustLocalProxy(c *web.Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// TestPageCacheRenderLimitPerClient: one client asking for address after
// address that is not kept (here searches) is refused with 429 and a
// Retry-After once it has caused its share of renders; another client is
// not, pages already kept are served to both and take nothing from
// their share, and the share comes back with time (the server's clock).
// The client is the one X-Forwarded-For names only when the request
// comes through a trusted proxy.
func TestPageCacheRenderLimitPerClient(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{}, trustLocalProxy)
	from := func(client, path string) response {
		t.Helper()
		return e.raw("GET", path, "X-Forwarded-For", client)
	}
	const a, b = "203.0.113.7", "198.51.100.9"
	refused, rendered := exhaustRenders(t, from, a, "ord")
	if rendered < 60 {
		t.Errorf("refused after %d renders: a visitor clicking through filters needs more", rendered)
	}
	retry, err := strconv.Atoi(refused.header.Get("Retry-After"))
	if err != nil || retry < 1 || retry > 60 {
		t.Errorf("Retry-After %q, want 1–60 seconds", refused.header.Get("Retry-After"))
	}
	if cc := refused.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("429 with Cache-Control %q", cc)
	}
	if res := from(a, "/partnerskap?q=nytt"); res.status != http.StatusTooManyRequests {
		t.Errorf("again at once: %d, want 429", res.status)
	}
	// Kept pages are still served to the refused client.
	for _, u := range []string{"/partnerskap?q=ord0", "/partnerskap?q=ord1&x=2"} {
		if res := from(a, u); res.status != 200 {
			t.Errorf("%s, kept, to the refused client: %d", u, res.status)
		}
	}
	// Another client is not affected, and kept pages take nothing from it.
	for range 300 {
		if res := from(b, "/partnerskap?q=ord0"); res.status != 200 {
			t.Fatalf("a kept page to another client: %d", res.status)
		}
	}
	if res := from(b, "/partnerskap?q=annat"); res.status != 200 {
		t.Errorf("a new address for another client after 300 kept ones: %d, want 200", res.status)
	}
	// With time the refused client may render again.
	e.clock.Set(now.Add(time.Duration(retry) * time.Second))
	if res := from(a, "/partnerskap?q=igen"); res.status != 200 {
		t.Errorf("after Retry-After: %d, want 200", res.status)
	}

	// Without a trusted proxy, X-Forwarded-For is not believed: a
	// client can't get a fresh share by writing another address in it.
	e = newCacheEnv(t, pagecache.Config{})
	exhaustRenders(t, func(client, path string) response {
		t.Helper()
		return e.raw("GET", path, "X-Forwarded-For", client)
	}, a, "ord")
	if res := e.raw("GET", "/partnerskap?q=annat", "X-Forwarded-For", b); res.status != http.StatusTooManyRequests {
		t.Errorf("a forged X-Forwarded-For from an untrusted peer: %d, want 429", res.status)
	}
}

// exhaustRenders asks for new searches from client until one is refused;
// it returns the refusal and how many were rendered before it.
func exhaustRenders(t *testing.T, from func(client, path string) response, client, word string) (response, int) {
	t.Helper()
	const most = 400
	for n := range most {
		res := from(client, fmt.Sprintf("/partnerskap?q=%s%d", word, n))
		switch res.status {
		case http.StatusOK:
			continue
		case http.StatusTooManyRequests:
			return res, n
		default:
			t.Fatalf("search %d: %d", n, res.status)
		}
	}
	t.Fatalf("%d searches from one client, each a new address, all rendered: no limit", most)
	return response{}, 0
}

// TestPageCacheConcurrentRendersPerClient: one client gets at most two
// renders under way at once; a third waits for one of them to end, while
// another client's render goes ahead.
func TestPageCacheConcurrentRendersPerClient(t *testing.T) {
	e := newCacheEnv(t, pagecache.Config{}, trustLocalProxy)
	release := e.counts.hold(t)
	results := make(chan response, 4)
	get := func(client, path string) {
		go func() {
			req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
			req.Header.Set("X-Forwarded-For", client)
			res, err := e.client().Do(req)
			if err != nil {
				results <- response{}
				return
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			results <- response{status: res.StatusCode, header: res.Header, body: string(body)}
		}()
	}
	const a, b = "203.0.113.7", "198.51.100.9"
	get(a, "/partnerskap?q=ett")
	get(a, "/partnerskap?q=tva")
	<-e.counts.entered
	<-e.counts.entered
	get(a, "/partnerskap?q=tre")
	for deadline := time.Now().Add(10 * time.Second); e.web.PageCacheStats().Waiting != 1; time.Sleep(time.Millisecond) {
		select {
		case <-e.counts.entered:
			t.Fatal("a third render from one client started while two were under way")
		case res := <-results:
			t.Fatalf("a third render from one client answered %d while two were under way", res.status)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the third render is not waiting: %+v", e.web.PageCacheStats())
		}
	}
	get(b, "/partnerskap?q=fyra")
	<-e.counts.entered // another client's render is under way
	select {
	case <-e.counts.entered:
		t.Fatal("the third render started before the first two ended")
	default:
	}
	release()
	for range 4 {
		if res := <-results; res.status != 200 {
			t.Errorf("a render: %d", res.status)
		}
	}
	if st := e.web.PageCacheStats(); st.Renders != 4 || st.Refused != 0 || st.Waiting != 0 {
		t.Errorf("%+v, want 4 renders, none refused or waiting", st)
	}
}
