package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPublicBaseURL: without --base-url the public address comes from
// --listen, a wildcard or empty host becoming localhost; with both set,
// a different port, or a host other than the specific one listened on,
// gives a warning naming both, and a proxy-free match gives none.
func TestPublicBaseURL(t *testing.T) {
	for _, c := range []struct {
		base, listen string
		want         string
		warn         bool
	}{
		{"", "localhost:8080", "http://localhost:8080", false},
		{"", "127.0.0.1:9000", "http://127.0.0.1:9000", false},
		{"", ":9000", "http://localhost:9000", false},
		{"", "0.0.0.0:9000", "http://localhost:9000", false},
		{"", "[::]:9000", "http://localhost:9000", false},
		{"", "[::1]:9000", "http://[::1]:9000", false},
		{"", "partnerskap.example:80", "http://partnerskap.example:80", false},
		{"http://localhost:8080", "localhost:8080", "http://localhost:8080", false},
		{"http://localhost:8080/", "127.0.0.1:8080", "http://localhost:8080/", false}, // both loopback
		{"http://partnerskap.example:8080", "0.0.0.0:8080", "http://partnerskap.example:8080", false},
		{"http://partnerskap.example", ":80", "http://partnerskap.example", false},
		{"https://partnerskap.example", "[::]:443", "https://partnerskap.example", false},
		{"http://localhost:8080", "127.0.0.1:9000", "http://localhost:8080", true},             // --listen changed alone
		{"https://partnerskap.icld.se", "localhost:8080", "https://partnerskap.icld.se", true}, // behind a proxy: warned, not refused
		{"http://partnerskap.example:8080", "10.0.0.5:8080", "http://partnerskap.example:8080", true},
		{"partnerskap.example", "localhost:8080", "partnerskap.example", true},
	} {
		got, warning := Config{BaseURL: c.base}.PublicBaseURL(c.listen)
		if got != c.want || (warning != "") != c.warn {
			t.Errorf("base %q, listen %q: got %q, warning %q; want %q, warning %v", c.base, c.listen, got, warning, c.want, c.warn)
		}
		if warning != "" && c.base != "partnerskap.example" && (!strings.Contains(warning, c.base) || !strings.Contains(warning, c.listen)) {
			t.Errorf("the warning does not name both %q and %q: %s", c.base, c.listen, warning)
		}
	}
}

// freeAddr is a loopback address with a port nobody listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestServeBaseURLFromListen: started on another address with no base
// URL, the server's own links (the widget snippet on a partnership page)
// name that address, whatever host the request came to; a base URL that
// disagrees with the listen address is logged at start-up.
func TestServeBaseURLFromListen(t *testing.T) {
	cfg := testConfig(t)
	cfg.BaseURL = "" // as partnerskap serve leaves it without --base-url
	cfg.Listen = freeAddr(t)
	addr, _, stop := serve(t, cfg)
	req, _ := http.NewRequest("GET", "http://"+addr+"/partnerskap/1", nil)
	req.Host = "elsewhere.example"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if want := "http://" + cfg.Listen + "/inbadda/partnerskap/1"; res.StatusCode != 200 || !strings.Contains(string(body), want) {
		t.Errorf("partnership page %d: the widget snippet lacks %q", res.StatusCode, want)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	cfg.BaseURL = "http://localhost:8080"
	cfg.Listen = freeAddr(t)
	logs := &lockedBuffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		done <- Serve(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil)), io.Discard, ready)
	}()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("Serve: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("Serve did not start")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if out := logs.String(); !strings.Contains(out, "level=WARN") || !strings.Contains(out, "base URL and listen address disagree") ||
		!strings.Contains(out, "base_url=http://localhost:8080") || !strings.Contains(out, "listen="+cfg.Listen) {
		t.Errorf("no start-up warning naming both addresses:\n%s", out)
	}
}

// lockedBuffer is a log destination the server's goroutines may share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
