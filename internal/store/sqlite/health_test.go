package sqlite

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/web"
)

// TestHealthWrite: /healthz is 200 on a database that takes writes, and
// 503 on one that answers reads but cannot write: read-only (PRAGMA
// query_only on the writer, as a read-only file or mount refuses) or
// full (PRAGMA max_page_count at the database's size, as a full disk
// refuses a page more). The probe itself changes nothing that would make
// a cached page render again.
func TestHealthWrite(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "test.db"), clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv, err := web.New(s, clock.System{}, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: "http://localhost"})
	if err != nil {
		t.Fatal(err)
	}
	health := func() (int, string) {
		rec := httptest.NewRecorder()
		srv.HealthHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		return rec.Code, rec.Body.String()
	}
	before, _ := s.DataVersion(ctx)
	if code, body := health(); code != http.StatusOK || body != "ok\n" {
		t.Errorf("healthy: %d %q", code, body)
	}
	if after, _ := s.DataVersion(ctx); after != before {
		t.Errorf("the health check moved the data version %d → %d", before, after)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM blobs").Scan(&n); err != nil || n != 0 {
		t.Errorf("the probe left %d rows, %v", n, err)
	}

	// Read-only.
	exec := func(q string) {
		t.Helper()
		if _, err := s.w.ExecContext(ctx, q); err != nil { // the one writer connection
			t.Fatal(err)
		}
	}
	exec("PRAGMA query_only = ON")
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("reads fail too: %v", err)
	}
	if code, body := health(); code != http.StatusServiceUnavailable || !strings.Contains(body, "database cannot write") {
		t.Errorf("read-only: %d %q", code, body)
	}
	if err := s.CheckWrite(ctx); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("read-only: %v", err)
	}
	exec("PRAGMA query_only = OFF")
	if code, _ := health(); code != http.StatusOK {
		t.Errorf("writable again: %d", code)
	}

	// Full: no page free and none may be added.
	exec("VACUUM")
	var pages int
	if err := s.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	exec("PRAGMA max_page_count = " + strconv.Itoa(pages))
	if code, body := health(); code != http.StatusServiceUnavailable || !strings.Contains(body, "database cannot write") {
		t.Errorf("full: %d %q", code, body)
	}
	if err := s.CheckWrite(ctx); err == nil || !strings.Contains(err.Error(), "full") {
		t.Errorf("full: %v", err)
	}
	exec("PRAGMA max_page_count = 4294967294")
	if code, _ := health(); code != http.StatusOK {
		t.Errorf("room again: %d", code)
	}
}
