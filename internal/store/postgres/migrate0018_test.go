package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/postgres"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// TestMigration0018 runs migration 0018 on registry data numbered the old
// way (storetest.Pre0018) and checks what became of it.
func TestMigration0018(t *testing.T) {
	url := pgtest.NewSchema(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MigrateTo0017(t, db, "migrations", `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`)
	// The rows the data points to do not matter here: the session does
	// not check foreign keys (the test database's user is a superuser).
	// The data gives ids, so the registry's id sequence is moved past them.
	if _, err := db.Exec("SET session_replication_role = replica; " + storetest.Pre0018 +
		"; SELECT setval(pg_get_serial_sequence('registry', 'id'), 6)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := postgres.Open(context.Background(), url, clock.NewFixed(storetest.Start))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckMigration0018(t, s)
}
