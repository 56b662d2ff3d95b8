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

// TestMigration0018 runs migration 0018 on registry data numbered the old
// way (storetest.Pre0018) and checks what became of it.
func TestMigration0018(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path) // foreign keys are not checked unless asked
	if err != nil {
		t.Fatal(err)
	}
	storetest.MigrateTo0017(t, db, "migrations", `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`)
	if _, err := db.Exec(storetest.Pre0018); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := sqlite.Open(context.Background(), path, clock.NewFixed(storetest.Start))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckMigration0018(t, s)
}
