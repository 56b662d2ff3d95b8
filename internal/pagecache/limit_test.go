package pagecache

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/icld/partnerskap/internal/clock"
)

// TestRenderLimit: a client's renders are bounded by its bucket, on the
// source's clock; kept pages are served without limit and take nothing
// from it; a refusal is a 429 with Retry-After and no-store.
func TestRenderLimit(t *testing.T) {
	start := time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC)
	clk := clock.NewFixed(start)
	c := New(Config{RenderBurst: 3, RenderEvery: 10 * time.Second}, Source{
		Version: func(context.Context) (uint64, error) { return 1, nil },
		Clock:   clk,
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics: prometheus.NewRegistry(),
		Client:  func(r *http.Request) string { return r.Header.Get("Client") },
	})
	h := c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fel" {
			http.Error(w, "fel", http.StatusNotFound)
			return
		}
		io.WriteString(w, r.URL.RequestURI())
	}), Page{Query: []string{"q"}})
	get := func(client, method, target string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, nil)
		req.Header.Set("Client", client)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for i := range 3 {
		if res := get("a", "GET", fmt.Sprintf("/p?q=%d", i)); res.Code != 200 {
			t.Fatalf("render %d: %d", i, res.Code)
		}
	}
	res := get("a", "GET", "/p?q=3")
	if res.Code != http.StatusTooManyRequests || res.Header().Get("Retry-After") != "10" ||
		res.Header().Get("Cache-Control") != "no-store" || res.Body.Len() == 0 {
		t.Errorf("the fourth render: %d, Retry-After %q, Cache-Control %q", res.Code, res.Header().Get("Retry-After"), res.Header().Get("Cache-Control"))
	}
	if res := get("a", "HEAD", "/p?q=3"); res.Code != http.StatusTooManyRequests || res.Body.Len() != 0 {
		t.Errorf("HEAD refused: %d with %d bytes", res.Code, res.Body.Len())
	}
	// Error pages (not kept) count too.
	if res := get("a", "GET", "/fel"); res.Code != http.StatusTooManyRequests {
		t.Errorf("an error page beyond the limit: %d", res.Code)
	}
	for range 100 {
		if res := get("a", "GET", "/p?q=0&x=1"); res.Code != 200 {
			t.Fatalf("a kept page to the refused client: %d", res.Code)
		}
		if res := get("b", "GET", "/p?q=1"); res.Code != 200 {
			t.Fatalf("a kept page to another client: %d", res.Code)
		}
	}
	for i := range 3 {
		if res := get("b", "GET", fmt.Sprintf("/p?q=b%d", i)); res.Code != 200 {
			t.Errorf("another client's render %d after 100 kept pages: %d", i, res.Code)
		}
	}
	clk.Set(start.Add(4 * time.Second))
	if res := get("a", "GET", "/p?q=3"); res.Header().Get("Retry-After") != "6" {
		t.Errorf("4 s later: %d, Retry-After %q, want 6", res.Code, res.Header().Get("Retry-After"))
	}
	clk.Set(start.Add(10 * time.Second))
	if res := get("a", "GET", "/p?q=3"); res.Code != 200 {
		t.Errorf("10 s later: %d", res.Code)
	}
	if res := get("a", "GET", "/p?q=4"); res.Code != http.StatusTooManyRequests {
		t.Errorf("10 s later, a second render: %d", res.Code)
	}
	if st := c.Stats(); st.Renders != 7 || st.Refused != 5 || st.Passes != 0 {
		t.Errorf("stats %+v, want 7 renders and 5 refused", st)
	}
}

// TestRenderLimitAtOnce: a client gets RenderAtOnce renders under way at
// once; more wait for a turn (queuePerClient of them; the next is
// refused), one that gives up leaves the line, another client is not
// held up, and requests waiting for a render of the same page take no
// turn.
func TestRenderLimitAtOnce(t *testing.T) {
	c := New(Config{RenderAtOnce: 1}, Source{
		Version: func(context.Context) (uint64, error) { return 1, nil },
		Clock:   clock.NewFixed(time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC)),
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics: prometheus.NewRegistry(),
		Client:  func(r *http.Request) string { return r.Header.Get("Client") },
	})
	entered, hold := make(chan string, 32), make(chan struct{})
	h := c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- r.URL.Path
		<-hold
		io.WriteString(w, r.URL.Path)
	}), Page{})
	var wg sync.WaitGroup
	codes := make(chan int, 32)
	request := func(ctx context.Context, client, path string) *httptest.ResponseRecorder {
		req := httptest.NewRequestWithContext(ctx, "GET", path, nil)
		req.Header.Set("Client", client)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	get := func(client, path string) {
		wg.Go(func() { codes <- request(context.Background(), client, path).Code })
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("never: %s (%+v)", what, c.Stats())
			}
		}
	}
	get("a", "/1")
	<-entered
	get("a", "/1") // the same page: waits for that render
	get("a", "/2") // another: waits for a turn
	waitFor("a second render waiting", func() bool { return c.Stats().Waiting == 1 })
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan int)
	go func() { gaveUp <- request(ctx, "a", "/given-up").Code }()
	waitFor("a third render waiting", func() bool { return c.Stats().Waiting == 2 })
	cancel()
	<-gaveUp
	waitFor("the one that gave up gone from the line", func() bool { return c.Stats().Waiting == 1 })
	for i := 3; i <= queuePerClient+1; i++ {
		get("a", fmt.Sprintf("/%d", i))
	}
	waitFor("the line full", func() bool { return c.Stats().Waiting == queuePerClient })
	select {
	case p := <-entered:
		t.Fatalf("%s rendered while the client's first render was under way", p)
	default:
	}
	if rec := request(context.Background(), "a", "/more"); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("beyond the line: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	get("b", "/b")
	if p := <-entered; p != "/b" {
		t.Errorf("another client's render: %s entered first", p)
	}
	close(hold)
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != 200 {
			t.Errorf("%d", code)
		}
	}
	if st := c.Stats(); st.Renders != 2+queuePerClient || st.Hits != 1 || st.Refused != 1 || st.Waiting != 0 {
		t.Errorf("stats %+v, want %d renders, 1 hit, 1 refused, none waiting", st, 2+queuePerClient)
	}
}

// TestLimiterBounded: the clients remembered stay bounded, and one with
// a render under way is never forgotten.
func TestLimiterBounded(t *testing.T) {
	now := time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC)
	l := newLimiter(Config{})
	ctx := context.Background()
	if _, ok := l.begin(ctx, "busy", now); !ok {
		t.Fatal("first render refused")
	}
	for i := range 3 * maxClients {
		if _, ok := l.begin(ctx, fmt.Sprint(i), now); !ok {
			t.Fatalf("client %d refused", i)
		}
		l.end(fmt.Sprint(i))
	}
	if n := len(l.clients); n > maxClients {
		t.Errorf("%d clients remembered", n)
	}
	if c := l.clients["busy"]; c == nil || c.busy != 1 {
		t.Errorf("the busy client: %+v", c)
	}
}

// A flood of renders from more addresses than the limiter remembers does
// not give back the renders a client has spent: the full map forgets the
// flooders, who have spent one each, before the client that has spent its
// burst (the old limiter forgot every idle client at once).
func TestLimiterKeepsVictims(t *testing.T) {
	now := time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC)
	l := newLimiter(Config{})
	ctx := context.Background()
	for range defaultRenderBurst {
		if _, ok := l.begin(ctx, "victim", now); !ok {
			t.Fatal("a render within the burst refused")
		}
		l.end("victim")
	}
	if _, ok := l.begin(ctx, "victim", now); ok {
		t.Fatal("a render beyond the burst allowed")
	}
	for i := range 3 * maxClients {
		if _, ok := l.begin(ctx, fmt.Sprint(i), now); !ok {
			t.Fatalf("client %d refused", i)
		}
		l.end(fmt.Sprint(i))
	}
	if n := len(l.clients); n > maxClients {
		t.Errorf("%d clients remembered", n)
	}
	if _, ok := l.begin(ctx, "victim", now); ok {
		t.Error("the flood gave the client its renders back")
	}
}
