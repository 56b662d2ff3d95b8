package pagecache

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/icld/partnerskap/internal/clock"
)

// TestWrap: a page is rendered once per data version, answered 304 to a
// client holding its ETag, and not kept when the handler fails.
func TestWrap(t *testing.T) {
	var version atomic.Uint64
	src := Source{
		Version: func(context.Context) (uint64, error) { return version.Load(), nil },
		Clock:   clock.NewFixed(time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC)),
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics: prometheus.NewRegistry(),
	}
	c := New(Config{}, src)
	var renders atomic.Int64
	h := c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		if r.URL.Path == "/fel" {
			http.Error(w, "fel", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, strings.Repeat("sida ", 200)+r.URL.Path)
	}), Page{})
	get := func(path string, header ...string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	first := get("/a")
	etag := first.Header().Get("Etag")
	if first.Code != 200 || etag == "" || first.Header().Get("Cache-Control") != "public, no-cache" {
		t.Fatalf("first: %d, ETag %q, Cache-Control %q", first.Code, etag, first.Header().Get("Cache-Control"))
	}
	get("/a")
	if got := get("/a", "If-None-Match", etag); got.Code != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", got.Code)
	}
	if gz := get("/a", "Accept-Encoding", "gzip"); gz.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip: Content-Encoding %q", gz.Header().Get("Content-Encoding"))
	}
	if n := renders.Load(); n != 1 {
		t.Errorf("rendered %d times before a change, want 1", n)
	}
	version.Add(1)
	if got := get("/a"); got.Header().Get("Etag") != etag || renders.Load() != 2 {
		t.Errorf("after a change: rendered %d times, ETag %q (same bytes keep %q)", renders.Load(), got.Header().Get("Etag"), etag)
	}
	get("/fel")
	if got := get("/fel"); got.Code != 500 || renders.Load() != 4 {
		t.Errorf("an error page: %d, rendered %d times in all, want 4", got.Code, renders.Load())
	}
	if st := c.Stats(); st.Entries != 1 || st.Renders != 2 || st.Passes != 2 {
		t.Errorf("stats %+v", st)
	}
}

// TestNilCacheIsOff: a cache that is off hands requests straight on.
func TestNilCacheIsOff(t *testing.T) {
	c := New(Config{Off: true}, Source{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	if c != nil || c.Wrap(h, Page{}) == nil || c.Stats() != (Stats{}) {
		t.Errorf("off: %v", c)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, tt := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"deflate, gzip;q=0.5", true},
		{"x-gzip", true},
		{"*", true},
		{"gzip;q=0", false},
		{"*, gzip;q=0", false},
		{"br", false},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		if tt.header != "" {
			req.Header.Set("Accept-Encoding", tt.header)
		}
		if got := acceptsGzip(req); got != tt.want {
			t.Errorf("Accept-Encoding %q: %v, want %v", tt.header, got, tt.want)
		}
	}
}
