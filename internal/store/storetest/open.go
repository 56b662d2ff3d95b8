package storetest

import (
	"context"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/postgres"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
)

// OpenPostgres opens a PostgreSQL store on a new schema of its own (see
// pgtest.NewSchema) and closes it when t ends. Other packages' tests use
// it to run on PostgreSQL; it skips, or fails under CI, as pgtest.URL does
// when no database is set.
func OpenPostgres(t testing.TB, clk clock.Clock) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), pgtest.NewSchema(t), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
