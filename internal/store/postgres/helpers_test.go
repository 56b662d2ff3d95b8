package postgres

import (
	"context"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
)

// openTest opens a store on a schema of its own, closed when t ends.
func openTest(t testing.TB, clk clock.Clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), pgtest.NewSchema(t), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
