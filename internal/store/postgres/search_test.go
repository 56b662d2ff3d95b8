package postgres_test

import (
	"context"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// TestSearchReindexOnOpen also rewrites a row as if a later version of
// the partnership had written it: another analyser's row is replaced
// whatever its version.
func TestSearchReindexOnOpen(t *testing.T) {
	u := pgtest.NewSchema(t)
	storetest.SearchReindexOnOpen(t, storetest.Database{
		Open:   func() (store.Store, error) { return postgres.Open(context.Background(), u, clock.System{}) },
		Driver: "pgx", DSN: u,
	}, "DELETE FROM partnership_search",
		"UPDATE partnership_search SET terms = 'x', analyser = 0",
		"UPDATE partnership_search SET terms = 'x', version = version + 5, analyser = 0")
}
