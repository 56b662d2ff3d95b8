package storetest

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
)

// sealAll seals until nothing is left (a no-op where entries are chained
// at insert).
func sealAll(t *testing.T, s store.Store) {
	t.Helper()
	for {
		n, err := s.SealAudit(ctx())
		must(t, err)
		if n == 0 {
			return
		}
	}
}

func wantChainOK(t *testing.T, s store.Store, entries int) {
	t.Helper()
	r, err := s.VerifyAudit(ctx(), "")
	must(t, err)
	if r.Broken != nil || r.OK != entries || r.Unsealed != 0 || r.Head == "" {
		t.Fatalf("verify: %d ok, %d unsealed, head %q, broken %v; want %d ok", r.OK, r.Unsealed, r.Head, r.Broken, entries)
	}
}

// testAuditChain: every entry the store writes is chained, with times
// that have more digits than either engine keeps (the hash must be
// computed from what reads back), JSON snapshots with å/ä/ö kept byte for
// byte, and entries written side by side; sealing them (PostgreSQL) is
// not a change that moves the data version.
func testAuditChain(t *testing.T, s store.Store, clk *clock.Fixed) {
	clk.Set(time.Date(2021, 3, 1, 10, 11, 12, 123456789, time.FixedZone("CET", 3600)))
	must(t, s.SetSetting(ctx(), audit.Actor{Name: "Åsa Öberg"}, "colour", `blå "grön" \ gul`))
	must(t, s.SetSetting(ctx(), officer, "colour", "röd"))
	must(t, s.RecordEvent(ctx(), audit.Actor{UserID: 7, Name: "Anna"}, "login", "user", 7))

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 5 {
				clk.Set(Start.Add(time.Duration(i*10+j) * 1001 * time.Nanosecond))
				if err := s.RecordEvent(ctx(), audit.Actor{UserID: int64(i + 1), Name: fmt.Sprintf("Person %d", i)}, "login", "user", int64(i+1)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	// Seal while they write: entries not yet committed are left for later.
	for range 5 {
		_, err := s.SealAudit(ctx())
		must(t, err)
	}
	wg.Wait()
	must(t, s.RecordEvent(ctx(), officer, "logout", "user", 1))
	entries := 3 + 8*5 + 1

	v0 := dataVersion(t, s)
	sealAll(t, s)
	if v := dataVersion(t, s); v != v0 {
		t.Errorf("sealing moved the data version from %d to %d", v0, v)
	}
	wantChainOK(t, s, entries)
	list, err := s.AuditLog(ctx(), audit.Filter{Limit: 1000})
	must(t, err)
	if len(list) != entries {
		t.Fatalf("%d entries in the log, want %d", len(list), entries)
	}
}

// MigrateBefore brings an empty database to the schema before migration
// version by running the migration files in dir (an engine's migrations
// folder) below it and recording them in schema_migrations (created by
// create), so that opening the store afterwards runs version and later.
func MigrateBefore(t *testing.T, db *sql.DB, dir, create string, version int) {
	t.Helper()
	must(t, errOf(db.ExecContext(ctx(), create)))
	names, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	must(t, err)
	sort.Strings(names)
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		must(t, err)
		if v >= version {
			break
		}
		body, err := os.ReadFile(name)
		must(t, err)
		if _, err := db.ExecContext(ctx(), string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		must(t, errOf(db.ExecContext(ctx(), fmt.Sprintf("INSERT INTO schema_migrations (version, applied_at) VALUES (%d, '2021-01-01T00:00:00Z')", v))))
	}
}

// PreChain is an audit log as it stood before migration 0019, which
// chains it: entries by the system and by people, with snapshots whose
// JSON has spaces and å/ä/ö that must be kept byte for byte.
const PreChain = `
INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, before, after) VALUES
 ('2021-03-01T10:00:00.123456000Z', NULL, 'system:demo', 'create', 'organisation', 1, 'null', '{"name": "Kalix kommun"}'),
 ('2021-03-01T10:00:01.000000000Z', 3, 'Åsa Öberg', 'update', 'organisation', 1, '{"name": "Kalix kommun"}', '{"name":"Kalix kommun (Norrbotten)"}'),
 ('2021-03-02T08:30:00.000001000Z', 3, 'Åsa Öberg', 'login', 'user', 3, 'null', 'null');
`

// CheckChainUpgrade checks what opening the store made of PreChain: the
// old entries are chained (sealed, where that comes after commit) with
// their snapshots as they were, and new ones follow them.
func CheckChainUpgrade(t *testing.T, s store.Store) {
	t.Helper()
	sealAll(t, s)
	wantChainOK(t, s, 3)
	list, err := s.AuditLog(ctx(), audit.Filter{Entity: "organisation"})
	must(t, err)
	if len(list) != 2 || string(list[1].After) != `{"name": "Kalix kommun"}` || list[0].Actor.Name != "Åsa Öberg" {
		t.Fatalf("old entries read back as %+v", list)
	}
	must(t, s.RecordEvent(ctx(), officer, "login", "user", 1))
	sealAll(t, s)
	wantChainOK(t, s, 4)
}
