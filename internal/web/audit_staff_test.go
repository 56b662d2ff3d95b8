package web_test

import (
	"database/sql"
	"strings"
	"testing"
)

// TestAuditLogShowsErased: an entry whose personal part an erasure
// blanked shows "(raderad)" where the actor's name was, not an empty cell.
func TestAuditLogShowsErased(t *testing.T) {
	s, path, clk := openDemoCopy(t)
	e := newEnvOn(t, "", s, clk)
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var id int64
	if err := raw.QueryRow(`SELECT max(id) FROM audit_log WHERE actor_name <> ''`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_log SET actor_name = '', before = '', after = '' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	c := e.login("admin@demo.partnerskap.se")
	res := e.get(c, "/personal/logg")
	if res.status != 200 || !strings.Contains(res.body, "<em>(raderad)</em>") {
		t.Fatalf("status %d, no (raderad) in the log:\n%s", res.status, res.body)
	}
	if res := e.get(c, "/en/staff/log"); !strings.Contains(res.body, "<em>(erased)</em>") {
		t.Fatal("no (erased) in the English log")
	}
}
