package web_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/pagecache"
)

// BenchmarkPublicPages measures the handler alone (no network): the store
// reads plus rendering, per request. Compare with docs/PERFORMANCE.md.
func BenchmarkPublicPages(b *testing.B) {
	e := newEnv(b, "http://localhost")
	h := e.srv.Config.Handler
	for _, path := range []string{"/", "/partnerskap", "/partnerskap/3", "/mal/12"} {
		b.Run(path, func(b *testing.B) {
			req := httptest.NewRequest("GET", path, nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

// BenchmarkPublicPagesCache compares the public pages rendered on every
// request (cache off) with the same pages kept in memory (on: plain,
// gzip, a browser's revalidation answered 304, and the page rendered and
// kept again as after a change), handler only. See
// docs/PERFORMANCE.md, "Public pages with caching".
func BenchmarkPublicPagesCache(b *testing.B) {
	paths := []string{"/", "/partnerskap", "/partnerskap/3", "/mal/12", "/statistik", "/berattelser", "/material", "/partnerskap/3/faktablad.pdf"}
	for _, mode := range []struct {
		name string
		cfg  pagecache.Config
	}{{"off", pagecache.Config{Off: true}}, {"on", pagecache.Config{}}} {
		e := newCacheEnv(b, mode.cfg)
		h := e.srv.Config.Handler
		for _, path := range paths {
			for _, v := range []struct {
				name   string
				header []string
				status int
			}{{"plain", nil, 200}, {"gzip", []string{"Accept-Encoding", "gzip"}, 200}, {"304", []string{"If-None-Match", ""}, 304},
				{"rerender", nil, 200}} {
				if mode.name == "off" && v.name != "plain" {
					continue
				}
				b.Run(mode.name+"/"+v.name+path, func(b *testing.B) {
					req := httptest.NewRequest("GET", path, nil)
					for i := 0; i+1 < len(v.header); i += 2 {
						req.Header.Set(v.header[i], v.header[i+1])
					}
					if v.name == "304" {
						w := httptest.NewRecorder()
						h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
						req.Header.Set("If-None-Match", w.Header().Get("Etag"))
					}
					b.ReportAllocs()
					t := now
					for b.Loop() {
						if v.name == "rerender" {
							// Past the kept page's minute: rendered, hashed,
							// compressed and kept again, as after a change.
							t = t.Add(2 * time.Minute)
							e.clock.Set(t)
						}
						w := httptest.NewRecorder()
						h.ServeHTTP(w, req)
						if w.Code != v.status {
							b.Fatalf("status %d", w.Code)
						}
					}
				})
			}
		}
	}
}

// BenchmarkPageCacheJunkParameters asks for a page with a made-up
// parameter each time, as a script would to get past the cache;
// renders/op is the share of them rendered. See docs/PERFORMANCE.md,
// "Addresses a page does not read".
func BenchmarkPageCacheJunkParameters(b *testing.B) {
	for _, path := range []string{"/statistik", "/partnerskap?land=UG"} {
		b.Run(path, func(b *testing.B) {
			e := newCacheEnv(b, pagecache.Config{})
			h := e.srv.Config.Handler
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			before := e.web.PageCacheStats()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				i++
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", path+sep+"x="+strconv.Itoa(i), nil))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
			st := e.web.PageCacheStats()
			b.ReportMetric(float64(st.Renders+st.Passes-before.Renders-before.Passes)/float64(i), "renders/op")
			b.ReportMetric(float64(st.Entries), "entries")
		})
	}
}

// BenchmarkPageCacheRenderLimit asks, from one client, for a new search
// each time (an address no one has asked for, so it can't be kept
// ahead): after its burst, each is refused; refused/op is their share and
// the time is what a refusal costs.
func BenchmarkPageCacheRenderLimit(b *testing.B) {
	e := newCacheEnv(b, pagecache.Config{})
	h := e.srv.Config.Handler
	i, refused := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/partnerskap?q=ord"+strconv.Itoa(i), nil))
		switch w.Code {
		case http.StatusOK:
		case http.StatusTooManyRequests:
			refused++
		default:
			b.Fatalf("status %d", w.Code)
		}
	}
	st := e.web.PageCacheStats()
	b.ReportMetric(float64(refused)/float64(i), "refused/op")
	b.ReportMetric(float64(st.Renders+st.Passes), "renders")
}
