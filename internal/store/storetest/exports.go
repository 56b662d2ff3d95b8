package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/store"
)

// testAuditExport checks the log's export (EachAuditEntry): every entry
// the filter selects, oldest first, across the pages it reads, bounded
// by time and record; and that events which change no record (sign-ins,
// failed ones, sign-outs, exports) do not move the data version, so they
// do not make public pages render again.
func testAuditExport(t *testing.T, s store.Store, clk *clock.Fixed) {
	v0 := dataVersion(t, s)
	const n = 1100 // more than two of the pages the export reads
	day2 := Start.Add(24 * time.Hour)
	for i := range n {
		if i == n/2 {
			clk.Set(day2)
		}
		must(t, s.RecordEvent(ctx(), officer, "login.failed", "user", int64(7+i%2)))
	}
	must(t, s.RecordEvent(ctx(), officer, "logout", "user", 7))
	must(t, s.RecordEvent(ctx(), officer, "export", "audit", 0))
	if v := dataVersion(t, s); v != v0 {
		t.Errorf("after %d events that change no record: version %d, want %d (unchanged)", n+2, v, v0)
	}

	each := func(f audit.Filter) []audit.Entry {
		t.Helper()
		var out []audit.Entry
		must(t, s.EachAuditEntry(ctx(), f, func(e audit.Entry) error {
			out = append(out, e)
			return nil
		}))
		return out
	}
	all := each(audit.Filter{Limit: 3}) // the limit is ignored
	if len(all) != n+2 {
		t.Fatalf("the whole log: %d entries, want %d", len(all), n+2)
	}
	// Events written outside the announced path are chained like any entry.
	sealAll(t, s)
	if r, err := s.VerifyAudit(ctx(), ""); err != nil || r.Broken != nil || r.Unsealed != 0 || r.OK < n+2 {
		t.Errorf("verify after the events: %d ok, %d unsealed, broken %v, err %v", r.OK, r.Unsealed, r.Broken, err)
	}
	if !slices.IsSortedFunc(all, func(a, b audit.Entry) int { return int(a.ID - b.ID) }) {
		t.Error("the export is not in id order")
	}
	if all[0].Action != "login.failed" || all[n].Action != "logout" || all[n+1].Action != "export" {
		t.Errorf("first and last: %+v %+v %+v", all[0], all[n], all[n+1])
	}
	if got := each(audit.Filter{Entity: "user", EntityID: 8}); len(got) != n/2 {
		t.Errorf("user 8: %d entries, want %d", len(got), n/2)
	}
	if got := each(audit.Filter{To: day2}); len(got) != n/2 || !got[len(got)-1].At.Before(day2) {
		t.Errorf("before day 2: %d entries, want %d", len(got), n/2)
	}
	if got := each(audit.Filter{From: day2, Entity: "user"}); len(got) != n/2+1 {
		t.Errorf("users from day 2: %d entries, want %d", len(got), n/2+1)
	}
	if got := each(audit.Filter{From: day2.Add(time.Second)}); len(got) != 0 {
		t.Errorf("after the last: %d entries", len(got))
	}
	// The page of the log takes the same bounds.
	if got, err := s.AuditLog(ctx(), audit.Filter{To: day2, Limit: 5}); err != nil || len(got) != 5 || !got[0].At.Equal(Start) {
		t.Errorf("AuditLog before day 2: %+v, %v", got, err)
	}
	// A scope of no programme still sees records tied to none (users).
	if got := each(audit.Filter{Scope: policy.Only(), Entity: "user"}); len(got) != n+1 {
		t.Errorf("users in an empty scope: %d, want %d", len(got), n+1)
	}
}

// testRegistryExport checks EachRegistryEntry: the entries in the order
// of registration, bounded by time, year and query, within a scope.
func testRegistryExport(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	first := e.create(e.call, e.answers("Kommunikation om vatten", "100 000"))
	e.submit(first)
	clk.Set(Start.Add(48 * time.Hour))
	second := e.create(e.call, e.answers("Skolmaterial om avfall", "100 000"))
	e.submit(second)

	each := func(f registry.Filter) []registry.Entry {
		t.Helper()
		var out []registry.Entry
		must(t, s.EachRegistryEntry(ctx(), f, func(e registry.Entry) error {
			out = append(out, e)
			return nil
		}))
		return out
	}
	all := each(registry.Filter{Limit: 1})
	if len(all) != 2 || all[0].ApplicationID != first.ID || all[1].ApplicationID != second.ID {
		t.Fatalf("the whole registry: %+v", all)
	}
	if got := each(registry.Filter{To: Start.Add(24 * time.Hour)}); len(got) != 1 || got[0].ApplicationID != first.ID {
		t.Errorf("the first day: %+v", got)
	}
	if got := each(registry.Filter{From: Start.Add(24 * time.Hour), Year: 2021}); len(got) != 1 || got[0].ApplicationID != second.ID {
		t.Errorf("from the second day: %+v", got)
	}
	if got := each(registry.Filter{Query: all[1].Number}); len(got) != 1 || got[0].ID != all[1].ID {
		t.Errorf("query %s: %+v", all[1].Number, got)
	}
	if got := each(registry.Filter{Year: 1999}); len(got) != 0 {
		t.Errorf("1999: %+v", got)
	}
	if got := each(registry.Filter{Scope: policy.Only(e.prog.ID + 1000)}); len(got) != 0 {
		t.Errorf("another programme's scope: %+v", got)
	}
	if got := each(registry.Filter{Scope: policy.Only(e.prog.ID)}); len(got) != 2 {
		t.Errorf("the programme's scope: %+v", got)
	}
}
