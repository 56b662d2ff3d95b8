package postgres

import (
	"context"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
)

// TestConcurrentOpenMigratesOnce starts four instances at once on one
// fresh schema, as a scaled-out deployment does: the advisory lock lets
// one migrate while the others wait, so none fails on a table another
// created and each migration is recorded once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewSchema(t)
	const n = 4
	stores := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(ctx, u, clock.System{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	for _, s := range stores {
		if s != nil {
			defer s.Close()
		}
	}
	if t.Failed() {
		return
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("embedded migrations: %v, %v", names, err)
	}
	rows, err := stores[0].db.QueryContext(ctx, "SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	versions := 0
	for rows.Next() {
		var version, count int
		if err := rows.Scan(&version, &count); err != nil {
			t.Fatal(err)
		}
		versions++
		if count != 1 {
			t.Errorf("migration %d recorded %d times", version, count)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if versions != len(names) {
		t.Errorf("%d migrations recorded, want %d", versions, len(names))
	}
	// The lock is free again: a fifth instance starts at once.
	ctx5, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s5, err := Open(ctx5, u, clock.System{})
	if err != nil {
		t.Fatalf("fifth instance: %v", err)
	}
	s5.Close()
}
