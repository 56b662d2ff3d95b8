package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
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
