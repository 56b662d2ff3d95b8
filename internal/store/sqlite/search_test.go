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

func TestSearchReindexOnOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	storetest.SearchReindexOnOpen(t, storetest.Database{
		Open:   func() (store.Store, error) { return sqlite.Open(context.Background(), path, clock.System{}) },
		Driver: "sqlite", DSN: path,
	}, "DELETE FROM partnership_search", "UPDATE partnership_search SET terms = 'x', analyser = 0")
}
