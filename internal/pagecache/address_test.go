package pagecache

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/icld/partnerskap/internal/clock"
)

func TestCanonicalQuery(t *testing.T) {
	names := Page{Query: []string{"q", "land", "mal", "land"}}.names()
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"x=1", ""},
		{"land=UG", "land=UG"},
		{"mal=12&land=UG", "land=UG&mal=12"},
		{"q=&land=UG&mal=", "land=UG"},
		{"land=UG&land=KE", "land=UG"},
		{"land=&land=KE", ""}, // the first value counts, as for url.Values.Get
		{"q=plast+och+vatten&utm_source=x", "q=plast+och+vatten"},
		{"q=%C3%A5%26%3D", "q=%C3%A5%26%3D"},
		{"q=a;b&land=UG", "land=UG"}, // what url.ParseQuery drops, the handler never saw either
	} {
		u, err := url.Parse("/p?" + tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := canonicalQuery(u.Query(), names); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalPath(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/statistik", "/statistik"},
		{"/st%61tistik", "/statistik"},
		{"/st%2561tistik", "/st%2561tistik"},
		{"/mal/12%2Fx", "/mal/12%2Fx"},
		{"/mal/12%2fx", "/mal/12%2Fx"},
		{"/berattelser/%C3%A5r", "/berattelser/%C3%A5r"},
		{"/a;b", "/a%3Bb"},
		{"/a%3bb", "/a%3Bb"},
	} {
		if got := canonicalPath(tt.in); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWrapCanonical: a page is kept once per selection of the parameters
// it reads, and its handler sees only those, in their order, with the
// cache on and off.
func TestWrapCanonical(t *testing.T) {
	src := Source{
		Version: func(context.Context) (uint64, error) { return 1, nil },
		Clock:   clock.NewFixed(time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC)),
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics: prometheus.NewRegistry(),
	}
	var renders atomic.Int64
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		io.WriteString(w, r.URL.Path+"?"+r.URL.RawQuery)
	})
	page := Page{Query: []string{"mal", "land"}}
	for _, c := range []*Cache{New(Config{}, src), New(Config{Off: true}, src)} {
		h := c.Wrap(echo, page)
		renders.Store(0)
		get := func(target string) string {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
			return rec.Body.String()
		}
		for i := range 20 {
			if got := get(fmt.Sprintf("/p?x=%d&mal=3&land=UG&land=KE&q=", i)); got != "/p?land=UG&mal=3" {
				t.Fatalf("cache %v: the handler saw %q", c != nil, got)
			}
		}
		if got := get("/%70?mal=3&land=UG"); got != "/p?land=UG&mal=3" {
			t.Errorf("cache %v: the handler saw %q", c != nil, got)
		}
		if got := get("/p?mal=4"); got != "/p?mal=4" {
			t.Errorf("cache %v: the handler saw %q", c != nil, got)
		}
		want := int64(2)
		if c == nil {
			want = 22
		}
		if n := renders.Load(); n != want {
			t.Errorf("cache %v: %d renders, want %d", c != nil, n, want)
		}
		if st := c.Stats(); c != nil && (st.Entries != 2 || st.Renders != 2 || st.Hits != 20) {
			t.Errorf("stats %+v, want 2 kept, 2 rendered, 20 hits", st)
		}
	}
}
