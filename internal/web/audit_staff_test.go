package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/i18n"
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

// TestAuditLogFieldsInLanguage: every field the demo's log records is
// named in Swedish and in English (a field of a record kind added later
// fails here once the demo makes one), and the log page shows the names,
// times in Stockholm and yes/no in words, not the stored Go names.
func TestAuditLogFieldsInLanguage(t *testing.T) {
	e := newEnv(t, "http://localhost")
	var fields []string
	seen := map[string]bool{}
	err := e.store.EachAuditEntry(context.Background(), audit.Filter{}, func(en audit.Entry) error {
		for _, snap := range []json.RawMessage{en.Before, en.After} {
			var m map[string]json.RawMessage
			if json.Unmarshal(snap, &m) != nil {
				continue
			}
			for k := range m {
				if !seen[k] {
					seen[k] = true
					fields = append(fields, k)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) < 50 {
		t.Fatalf("only %d fields in the demo's log: the walk is broken", len(fields))
	}
	for _, lang := range []string{"sv", "en"} {
		keys, err := i18n.Keys(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fields {
			if _, ok := slices.BinarySearch(keys, "audit.field."+f); !ok {
				t.Errorf("%s: the log's field %q has no name (audit.field.%s)", lang, f, f)
			}
		}
	}
	c := e.login("admin@demo.partnerskap.se")
	res := e.get(c, "/personal/logg?post=user")
	wantContains(t, "Swedish log", res.body, "<strong>Namn</strong>", "<strong>E-post</strong>")
	wantNotContains(t, "Swedish log", res.body, "<strong>Name</strong>", "<strong>Email</strong>", "T00:00:00Z")
	res = e.get(c, "/en/staff/log?post=user")
	wantContains(t, "English log", res.body, "<strong>Name</strong>", "<strong>E-mail</strong>")
}
