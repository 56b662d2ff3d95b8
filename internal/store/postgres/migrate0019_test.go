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

// TestMigration0019 opens a database whose audit log predates the chain
// (storetest.PreChain): the entries get their digests on upgrade and are
// sealed like new ones.
func TestMigration0019(t *testing.T) {
	url := pgtest.NewSchema(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MigrateBefore(t, db, "migrations", `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`, 19)
	if _, err := db.Exec(storetest.PreChain); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := postgres.Open(context.Background(), url, clock.NewFixed(storetest.Start))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckChainUpgrade(t, s)
}
