package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// chainEngine is a store opened with a second, plain connection to its
// database: "outside the store", as an attacker or an erasure's UPDATEs
// would reach it.
type chainEngine struct {
	db   *store.DB
	s    store.Store
	raw  *sql.DB
	drop string // drops the append-only trigger on updates
}

func openChainEngines(t *testing.T) map[string]func(t *testing.T) chainEngine {
	return map[string]func(t *testing.T) chainEngine{
		"sqlite": func(t *testing.T) chainEngine {
			path := filepath.Join(t.TempDir(), "chain.db")
			s, err := sqlite.Open(context.Background(), path, clock.NewFixed(storetest.Start))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			return chainEngine{s.DB, s, raw, "DROP TRIGGER audit_log_no_update"}
		},
		"postgres": func(t *testing.T) chainEngine {
			url := pgtest.NewSchema(t)
			s, err := postgres.Open(context.Background(), url, clock.NewFixed(storetest.Start))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			raw, err := sql.Open("pgx", url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			return chainEngine{s.DB, s, raw, "DROP TRIGGER audit_log_append_only ON audit_log"}
		},
	}
}

func (e chainEngine) exec(t *testing.T, q string) {
	t.Helper()
	if _, err := e.raw.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// events writes n entries through the store, as n people, and seals them.
func (e chainEngine) events(t *testing.T, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		if err := e.s.RecordEvent(context.Background(), audit.Actor{UserID: int64(i), Name: fmt.Sprintf("Person %d", i)}, "login", "user", int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	e.seal(t)
}

func (e chainEngine) seal(t *testing.T) {
	t.Helper()
	if _, err := e.s.SealAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (e chainEngine) verify(t *testing.T) audit.Result {
	t.Helper()
	r, err := e.s.VerifyAudit(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (e chainEngine) wantOK(t *testing.T, entries int) {
	t.Helper()
	if r := e.verify(t); r.Broken != nil || r.OK != entries || r.Unsealed != 0 {
		t.Fatalf("got %d ok, %d unsealed, broken %v; want %d ok", r.OK, r.Unsealed, r.Broken, entries)
	}
}

func (e chainEngine) wantBroken(t *testing.T, id int64) {
	t.Helper()
	r := e.verify(t)
	if r.Broken == nil || r.Broken.ID != id {
		t.Fatalf("got broken %v, want entry %d named", r.Broken, id)
	}
}

func (e chainEngine) blank(t *testing.T, ids string) {
	t.Helper()
	// What erasing a person does to the log: plain UPDATEs of the
	// personal part only, which the append-only trigger lets through.
	e.exec(t, "UPDATE audit_log SET actor_name = '', before = '', after = '' WHERE id IN ("+ids+")")
}

func eachChainEngine(t *testing.T, fn func(t *testing.T, e chainEngine)) {
	for name, open := range openChainEngines(t) {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" {
				pgtest.URL(t)
			}
			t.Parallel()
			fn(t, open(t))
		})
	}
}

func TestAuditChainVerifies(t *testing.T) {
	eachChainEngine(t, func(t *testing.T, e chainEngine) {
		e.events(t, 5)
		e.wantOK(t, 5)
	})
}

// TestAuditChainTamper: the trigger refuses a plain UPDATE of an entry;
// with the trigger dropped (a privileged attacker), the changed entry is
// named.
func TestAuditChainTamper(t *testing.T) {
	eachChainEngine(t, func(t *testing.T, e chainEngine) {
		e.events(t, 5)
		tamper := `UPDATE audit_log SET after = '{"forged":true}' WHERE id = 3`
		if _, err := e.raw.Exec(tamper); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("plain UPDATE: got %v, want the append-only trigger's refusal", err)
		}
		if _, err := e.raw.Exec(`DELETE FROM audit_log WHERE id = 5`); err == nil {
			t.Fatal("DELETE went through")
		}
		if _, err := e.raw.Exec(`UPDATE audit_log SET entity_id = 9 WHERE id = 2`); err == nil {
			t.Fatal("UPDATE of a fixed field went through")
		}
		e.wantOK(t, 5)
		e.exec(t, e.drop)
		e.exec(t, tamper)
		e.wantBroken(t, 3)
	})
}

func TestAuditChainTamperFixedField(t *testing.T) {
	eachChainEngine(t, func(t *testing.T, e chainEngine) {
		e.events(t, 4)
		e.exec(t, e.drop)
		e.exec(t, `UPDATE audit_log SET action = 'logout' WHERE id = 2`)
		e.wantBroken(t, 2)
	})
}

// TestAuditChainErasure: blanking entries as an erasure does, with its
// entry written through the store, verifies; a blanking no erasure entry
// lists is named, and so is an erased entry whose fixed fields were
// changed too.
func TestAuditChainErasure(t *testing.T) {
	eachChainEngine(t, func(t *testing.T, e chainEngine) {
		ctx := context.Background()
		e.events(t, 6)
		e.blank(t, "2, 4")
		e.wantBroken(t, 2) // blank, and no erasure lists it yet
		if err := e.db.RecordErasure(ctx, audit.Actor{UserID: 1, Name: "Person 1"}, 2, []int64{2, 4}); err != nil {
			t.Fatal(err)
		}
		e.seal(t)
		e.wantOK(t, 7)
		// The erasure's own entry is chained like any other.
		e.events(t, 1)
		e.wantOK(t, 8)

		e.blank(t, "5") // no erasure entry lists 5
		e.wantBroken(t, 5)
	})
}

func TestAuditChainErasureHidesNoTampering(t *testing.T) {
	eachChainEngine(t, func(t *testing.T, e chainEngine) {
		ctx := context.Background()
		e.events(t, 4)
		e.blank(t, "3")
		if err := e.db.RecordErasure(ctx, audit.Actor{Name: "system:erase"}, 3, []int64{3}); err != nil {
			t.Fatal(err)
		}
		e.seal(t)
		e.wantOK(t, 5)
		if _, err := e.raw.Exec(`UPDATE audit_log SET entity_id = 77 WHERE id = 3`); err == nil {
			t.Fatal("UPDATE of an erased entry's fixed field went through")
		}
		e.exec(t, e.drop)
		e.exec(t, `UPDATE audit_log SET entity_id = 77 WHERE id = 3`)
		e.wantBroken(t, 3)
	})
}

// TestAuditChainStraggler: on PostgreSQL an entry whose transaction
// commits after a later id was sealed is chained after it, and the chain
// verifies.
func TestAuditChainStraggler(t *testing.T) {
	pgtest.URL(t)
	e := openChainEngines(t)["postgres"](t)
	ctx := context.Background()
	e.events(t, 2)
	tx, err := e.raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	at := storetest.Start.Add(time.Minute)
	var id int64
	if err := tx.QueryRow(`INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, before, after, digest)
		VALUES ($1, NULL, 'Sen Person', 'login', 'user', 1, 'null', 'null', $2) RETURNING id`, at, audit.Digest("Sen Person", []byte("null"), []byte("null"))).Scan(&id); err != nil {
		t.Fatal(err)
	}
	e.events(t, 1) // a later id, committed and sealed first
	if r := e.verify(t); r.Broken != nil || r.OK != 3 || r.Unsealed != 0 {
		t.Fatalf("before the straggler commits: %+v", r)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	e.seal(t)
	e.wantOK(t, 4)
	var seq, maxSeq int64
	if err := e.raw.QueryRow(`SELECT chain_seq, (SELECT max(chain_seq) FROM audit_log) FROM audit_log WHERE id = $1`, id).Scan(&seq, &maxSeq); err != nil {
		t.Fatal(err)
	}
	if seq != maxSeq {
		t.Errorf("straggler %d at chain position %d, want the last (%d)", id, seq, maxSeq)
	}
}
