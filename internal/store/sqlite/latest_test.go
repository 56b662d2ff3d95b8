package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
)

// TestLatestMigration is the migration a new database ends at, which a
// restore compares an archive's database with.
func TestLatestMigration(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var applied int64
	if err := s.r.QueryRow("SELECT max(version) FROM schema_migrations").Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if got := LatestMigration(); got != applied || got < 18 {
		t.Errorf("LatestMigration() = %d; the database has %d", got, applied)
	}
}
