package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
)

// logEntries returns the log's entries with action, newest first.
func logEntries(t *testing.T, e *env, action string) []audit.Entry {
	t.Helper()
	all, err := e.store.AuditLog(context.Background(), audit.Filter{Limit: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, en := range all {
		if en.Action == action {
			out = append(out, en)
		}
	}
	return out
}

// TestAuditExport: an administrator downloads the log as CSV and JSON,
// filtered by days in Stockholm (to inclusive) and by record; officers
// may not, and their log page offers no download; a bad date is a 422 on
// the page; each export is logged with its filters.
func TestAuditExport(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	// 22:30 UTC on 2 June is 00:30 on 3 June in Stockholm.
	e.clock.Set(time.Date(2021, 6, 2, 22, 30, 0, 0, time.UTC))
	if err := e.store.RecordEvent(ctx, audit.Actor{UserID: 1, Name: "Ada Admin"}, "login", "user", 424242); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(now)
	admin := e.login("admin@demo.partnerskap.se")

	page := e.get(admin, "/personal/logg")
	wantContains(t, "the administrator's log page", page.body, `formaction="/personal/logg/export.csv"`, `formaction="/personal/logg/export.json"`,
		`<label for="from">`, `<label for="to">`, `<select id="post" name="post"`)

	q := url.Values{"from": {"2021-06-03"}, "to": {"2021-06-03"}, "post": {"user"}, "id": {"424242"}}
	res := e.get(admin, "/personal/logg/export.json?"+q.Encode())
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") || res.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("JSON: %d %v", res.status, res.header)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(res.body), &got); err != nil {
		t.Fatalf("JSON does not parse: %v\n%s", err, res.body)
	}
	if len(got) != 1 || got[0]["at"] != "2021-06-02T22:30:00Z" || got[0]["actor"] != "Ada Admin" || got[0]["action"] != "login" ||
		got[0]["entity"] != "user" || got[0]["entity_id"] != float64(424242) || got[0]["before"] != nil {
		t.Errorf("JSON of 3 June: %s", res.body)
	}
	for _, k := range []string{"id", "at", "actor", "action", "entity", "entity_id", "before", "after"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("JSON entry without %q", k)
		}
	}
	// The day before, in Stockholm, does not hold it.
	q.Set("from", "2021-06-01")
	q.Set("to", "2021-06-02")
	if res := e.get(admin, "/en/staff/log/export.json?"+q.Encode()); res.status != 200 || strings.TrimSpace(res.body) != "[]" {
		t.Errorf("JSON of 1–2 June: %d %s", res.status, res.body)
	}

	// The whole log as CSV: every entry, oldest first, more than the page's 200.
	res = e.get(admin, "/personal/logg/export.csv")
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil || res.status != 200 {
		t.Fatalf("CSV: %d %v", res.status, err)
	}
	all, _ := e.store.AuditLog(ctx, audit.Filter{Limit: 1_000_000})
	if len(records) != len(all)+1 || len(all) <= 200 {
		t.Errorf("CSV: %d records, want a header and %d entries (more than a page's 200)", len(records), len(all))
	}
	if strings.Join(records[0], ",") != "id,at,actor_id,actor,action,entity,entity_id,before,after" {
		t.Errorf("CSV header: %q", records[0])
	}
	if records[1][0] != "1" || records[len(records)-1][4] != "export" {
		t.Errorf("CSV is not oldest first, ending with the export itself: %q … %q", records[1], records[len(records)-1])
	}

	// Each export is logged, with its filters.
	exports := logEntries(t, e, "export")
	if len(exports) != 3 || exports[0].Entity != "audit" || exports[0].Actor.Name == "" {
		t.Fatalf("export entries: %+v", exports)
	}
	if !strings.Contains(string(exports[1].After), `"to":"2021-06-02"`) || !strings.Contains(string(exports[1].After), `"download":"audit.export.json"`) {
		t.Errorf("the export's entry does not name its filters: %s", exports[1].After)
	}

	// A date that does not parse: the page with the error, no download.
	res = e.get(admin, "/personal/logg/export.csv?from=3+juni")
	if res.status != 422 || !strings.Contains(res.body, `id="from-error"`) {
		t.Errorf("a bad date: %d\n%s", res.status, res.body)
	}
	if res := e.get(admin, "/personal/logg/export.csv?from=2021-06-03&to=2021-06-01"); res.status != 422 || !strings.Contains(res.body, `id="to-error"`) {
		t.Errorf("to before from: %d", res.status)
	}
	if res := e.get(admin, "/en/staff/log?to=June"); res.status != 422 || !strings.Contains(res.body, "Write the date as YYYY-MM-DD") || !strings.Contains(res.body, "Download as JSON") {
		t.Errorf("the English log page with a bad date: %d", res.status)
	}
	if len(logEntries(t, e, "export")) != 3 {
		t.Error("a refused export was logged")
	}

	// Officers read the log but may not export it.
	off := e.login(officer)
	if res := e.get(off, "/personal/logg"); res.status != 200 || strings.Contains(res.body, "formaction=") {
		t.Errorf("the officer's log page: %d, offers a download: %v", res.status, strings.Contains(res.body, "formaction="))
	}
	for _, path := range []string{"/personal/logg/export.csv", "/en/staff/log/export.json"} {
		if res := e.get(off, path); res.status != 403 {
			t.Errorf("officer %s: %d, want 403", path, res.status)
		}
	}
}

// TestRegistryExport: who sees the registry downloads what its page
// selects, as CSV and JSON, and the export is logged.
func TestRegistryExport(t *testing.T) {
	e := newEnv(t, "http://localhost")
	off := e.login(officer)
	page := e.get(off, "/personal/diarium")
	wantContains(t, "registry page", page.body, `formaction="/personal/diarium/export.csv"`, `formaction="/personal/diarium/export.json"`)
	res := e.get(off, "/personal/diarium/export.json?year=2021")
	var got []map[string]any
	if err := json.Unmarshal([]byte(res.body), &got); err != nil || res.status != 200 || len(got) == 0 {
		t.Fatalf("JSON: %d %v\n%s", res.status, err, res.body)
	}
	number := got[0]["number"].(string)
	res = e.get(off, "/en/staff/registry/export.csv?"+url.Values{"q": {number}}.Encode())
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil || len(records) < 2 || records[1][1] != number || records[0][4] != "registered_at" {
		t.Errorf("CSV of %s: %v %q", number, err, records)
	}
	if res := e.get(off, "/personal/diarium/export.csv?year=1999"); !strings.HasPrefix(res.body, "\ufeffid,number") || strings.Count(res.body, "\n") != 1 {
		t.Errorf("CSV of 1999: %q", res.body)
	}
	if res := e.get(off, "/personal/diarium/export.csv?from=2021-13-01"); res.status != 422 {
		t.Errorf("a bad date: %d", res.status)
	}
	if ex := logEntries(t, e, "export"); len(ex) != 3 || ex[0].Entity != "registry" || !strings.Contains(string(ex[0].After), `"year":"1999"`) {
		t.Errorf("export entries: %+v", ex)
	}
}
