package main

import (
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
)

func TestAuditVerifyCommandSQLite(t *testing.T) {
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir}
	testAuditVerifyCommand(t, cfg, "sqlite", "file:"+cfg.SQLitePath(), []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}, "--data-dir", dir)
}

func TestAuditVerifyCommandPostgres(t *testing.T) {
	url := pgtest.NewSchema(t) // skips without PARTNERSKAP_TEST_POSTGRES, fails so in CI
	testAuditVerifyCommand(t, app.Config{Database: url}, "pgx", url, []string{"DROP TRIGGER audit_log_append_only ON audit_log"}, "--database", url)
}

// testAuditVerifyCommand: audit verify passes on the demo, and after one
// entry is changed with plain SQL outside the store (the append-only
// trigger dropped first, as only a privileged attacker could), it fails
// naming that entry.
func testAuditVerifyCommand(t *testing.T, cfg app.Config, driver, dsn string, dropTriggers []string, dbFlags ...string) {
	ctx := context.Background()
	s, err := app.OpenStore(ctx, cfg, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Prepare(ctx, s, clock.System{}, true); err != nil {
		t.Fatal(err)
	}
	s.Close()

	out, err := runCmd(t, "", append([]string{"audit", "verify", "--seal"}, dbFlags...)...)
	if err != nil {
		t.Fatalf("verify on the demo: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`^audit chain: (\d+) entries ok\n`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" {
		t.Fatalf("verify on the demo: %q", out)
	}
	// Without --seal nothing is written, and all is sealed by now.
	if again, err := runCmd(t, "", append([]string{"audit", "verify"}, dbFlags...)...); err != nil || !strings.HasPrefix(again, m[0]) || strings.Contains(again, "not yet sealed") {
		t.Fatalf("verify again: %v\n%s", err, again)
	}

	head := regexp.MustCompile(`(?m)^head: ([0-9a-f]{64}) `).FindStringSubmatch(out)
	if head == nil {
		t.Fatalf("no head in %q", out)
	}
	verify := func(args ...string) (string, error) {
		return runCmd(t, "", append(append([]string{"audit", "verify"}, args...), dbFlags...)...)
	}
	if out, err := verify("--head", head[1]); err != nil {
		t.Fatalf("verify --head: %v\n%s", err, out)
	}

	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range dropTriggers {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The newest entry removed: the rest still matches, but the chain no
	// longer reaches the head noted before.
	if _, err := raw.Exec(`DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)`); err != nil {
		t.Fatal(err)
	}
	if out, err := verify(); err != nil {
		t.Fatalf("verify after cutting the end: %v\n%s", err, out)
	}
	if out, err := verify("--head", head[1]); err == nil || !strings.HasPrefix(out, "audit chain broken: it no longer passes through head "+head[1]) {
		t.Fatalf("verify --head after cutting the end: %v\n%s", err, out)
	}

	var id int64
	if err := raw.QueryRow(`SELECT id FROM audit_log WHERE after <> 'null' ORDER BY id LIMIT 1 OFFSET 10`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_log SET after = '{"amount":1}' WHERE id = ` + strconv.FormatInt(id, 10)); err != nil {
		t.Fatal(err)
	}
	out, err = runCmd(t, "", append([]string{"audit", "verify"}, dbFlags...)...)
	if err == nil || !strings.HasPrefix(out, "audit chain broken at entry "+strconv.FormatInt(id, 10)+": ") {
		t.Fatalf("verify after tampering with entry %d: %v\n%s", id, err, out)
	}
}
