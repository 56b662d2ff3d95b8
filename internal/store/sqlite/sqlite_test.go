package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clk clock.Clock) store.Store {
		// A temp file, not :memory:, which would give each pooled
		// connection its own empty database.
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := sqlite.Open(context.Background(), path, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(context.Background(), storetest.Officer, "k", "å"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(context.Background(), path, clock.System{}) // migrations run again, as a no-op
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.Setting(context.Background(), "k"); err != nil || v != "å" {
		t.Errorf("after reopen: %q, %v", v, err)
	}
}
