package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// TestMigration0019 opens a database whose audit log predates the chain
// (storetest.PreChain): the entries are chained on upgrade.
func TestMigration0019(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MigrateBefore(t, db, "migrations", `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`, 19)
	if _, err := db.Exec(storetest.PreChain); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := sqlite.Open(context.Background(), path, clock.NewFixed(storetest.Start))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckChainUpgrade(t, s)
}
