package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// TestFailedSignInsLogged: a flood of failed sign-ins from one address,
// at an account and at addresses that are no account's, writes at most
// the guard's bound to the log (five entries per account and address per
// ten minutes); the next entry after the flood tells how many were left
// out. An address that is no account's is kept only as a short digest.
func TestFailedSignInsLogged(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.client()
	const flood = 1000
	for i := range flood {
		email := officer
		if i%2 == 1 {
			email = fmt.Sprintf("nobody-%d@example.org", i)
		}
		res := e.post(c, "/logga-in", url.Values{"email": {email}, "password": {"wrong"}})
		if res.status != 422 && res.status != 429 {
			t.Fatalf("attempt %d: status %d", i, res.status)
		}
	}
	entries := logEntries(t, e, "login.failed")
	if len(entries) == 0 || len(entries) > 5 {
		t.Fatalf("%d failed sign-ins wrote %d entries, want 1 to 5", flood, len(entries))
	}
	for _, en := range entries {
		if strings.Contains(string(en.After), "example.org") || en.Entity != "user" {
			t.Errorf("entry %+v: %s", en, en.After)
		}
	}
	if last := entries[len(entries)-1]; last.EntityID == 0 {
		t.Errorf("the first failure, at the officer's account, does not name it: %+v", last)
	}
	if first := entries[len(entries)-2]; first.EntityID != 0 || !strings.Contains(string(first.After), `"address_digest":"`) {
		t.Errorf("a failure at an address that is no account's: %+v %s", first, first.After)
	}

	// Ten minutes on, the address has one more entry to spend: it counts
	// the failures left out.
	e.clock.Set(now.Add(10*time.Minute + time.Second))
	e.post(c, "/logga-in", url.Values{"email": {"someone@example.org"}, "password": {"wrong"}})
	after := logEntries(t, e, "login.failed")
	if len(after) != len(entries)+1 {
		t.Fatalf("after ten minutes: %d entries, want %d", len(after), len(entries)+1)
	}
	var d struct {
		Reason   string `json:"reason"`
		Unlogged int    `json:"unlogged_before"`
	}
	if err := json.Unmarshal(after[0].After, &d); err != nil || d.Unlogged != flood-len(entries) || d.Reason != "password" {
		t.Errorf("the entry after the flood: %s, want %d left out", after[0].After, flood-len(entries))
	}
}

// TestEventsAreNoDataChange: failed sign-ins, a sign-out and exports are
// logged, and none of them makes a kept public page render again.
func TestEventsAreNoDataChange(t *testing.T) {
	e := newEnv(t, "http://localhost")
	admin := e.login("admin@demo.partnerskap.se")
	off := e.login(officer)
	anon := e.client()
	for _, p := range []string{"/", "/partnerskap"} {
		if res := e.get(anon, p); res.status != 200 {
			t.Fatalf("%s: %d", p, res.status)
		}
	}
	v0, err := e.store.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	before := e.web.PageCacheStats()

	for range 20 {
		e.post(e.client(), "/logga-in", url.Values{"email": {officer}, "password": {"wrong"}})
	}
	for _, p := range []string{"/personal/logg/export.csv", "/personal/logg/export.json", "/personal/diarium/export.csv"} {
		if res := e.get(admin, p); res.status != 200 {
			t.Fatalf("%s: %d", p, res.status)
		}
	}
	if res := e.post(off, "/logga-ut", nil); res.status != 303 {
		t.Fatalf("sign-out: %d", res.status)
	}
	// A sign-in too: its session and last sign-in are on no public page.
	e.login("sokande@kalix.demo.partnerskap.se")

	if n := len(logEntries(t, e, "login.failed")); n == 0 {
		t.Error("no failed sign-in logged")
	}
	if n := len(logEntries(t, e, "export")); n != 3 {
		t.Errorf("%d exports logged, want 3", n)
	}
	if out := logEntries(t, e, "logout"); len(out) != 1 || out[0].Actor.Name == "" || out[0].EntityID != out[0].Actor.UserID {
		t.Errorf("sign-out entries: %+v", out)
	}
	if v, err := e.store.DataVersion(context.Background()); err != nil || v != v0 {
		t.Errorf("data version %d → %d (%v): the events counted as a data change", v0, v, err)
	}
	for _, p := range []string{"/", "/partnerskap"} {
		e.get(anon, p)
	}
	if st := e.web.PageCacheStats(); st.Renders != before.Renders || st.Hits < before.Hits+2 {
		t.Errorf("the public pages were rendered again: %+v → %+v", before, st)
	}
}

// TestExportsAndEventsOnPostgres: the log's and registry's exports, a
// failed sign-in and a sign-out on PostgreSQL: the downloads are whole
// and formula-safe, and the events move no data version (no NOTIFY).
func TestExportsAndEventsOnPostgres(t *testing.T) {
	clk := clock.NewFixed(now)
	e := newEnvOn(t, "http://localhost", storetest.OpenPostgres(t, clk), clk)
	plantFormulas(t, e)
	admin := e.login("admin@demo.partnerskap.se")
	off := e.login(officer)
	v0, err := e.store.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/personal/logg/export.csv", "/personal/diarium/export.csv", "/partnerskap.csv"} {
		res := e.get(admin, p)
		if res.status != 200 {
			t.Fatalf("%s: %d", p, res.status)
		}
		checkFormulaSafe(t, p, res.body)
	}
	if res := e.get(admin, "/personal/logg/export.json?from=2021-06-01&to=2021-06-01"); res.status != 200 || !strings.HasPrefix(res.body, "[\n{") {
		t.Errorf("JSON of the demo's day: %d %.80s", res.status, res.body)
	}
	e.post(e.client(), "/logga-in", url.Values{"email": {"nobody@example.org"}, "password": {"wrong"}})
	e.post(off, "/logga-ut", nil)
	if v, err := e.store.DataVersion(context.Background()); err != nil || v != v0 {
		t.Errorf("data version %d → %d (%v)", v0, v, err)
	}
	for _, action := range []string{"export", "login.failed", "logout"} {
		if len(logEntries(t, e, action)) == 0 {
			t.Errorf("no %s logged", action)
		}
	}
}
