package app

import (
	"context"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
)

// TestServeSealsAuditEntries: on PostgreSQL a running server seals the
// entries written (here by another process) into the chain by itself.
func TestServeSealsAuditEntries(t *testing.T) {
	url := pgtest.NewSchema(t) // skips without PARTNERSKAP_TEST_POSTGRES, fails so in CI
	cfg := Config{Listen: "127.0.0.1:0", Database: url, BaseURL: "http://localhost"}
	_, _, stop := serve(t, cfg)
	defer stop()
	ctx := context.Background()
	s, err := OpenStore(ctx, cfg, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 3 {
		if err := s.RecordEvent(ctx, audit.Actor{UserID: int64(i + 1), Name: "Anna"}, "login", "user", int64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := s.VerifyAudit(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if r.Broken != nil {
			t.Fatalf("broken: %v", r.Broken)
		}
		if r.Unsealed == 0 && r.OK >= 3 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s: %d sealed, %d not sealed", r.OK, r.Unsealed)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
