package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/store"
)

// testProgrammeScope checks which programme each kind of record belongs
// to (ProgrammeOf), and that the audit log, the grants and the registry
// list only a scope's records, with the limit applied after the scope.
func testProgrammeScope(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	progA, callA := e.prog, e.call
	progB := &programme.Programme{NameSV: "Förstudiestöd", Funder: "Sida", Operator: "ICLD", TotalBudget: 100_000_000}
	must(t, s.CreateProgramme(ctx(), officer, progB))
	callB := &call.Call{ProgrammeID: progB.ID, TitleSV: "Förstudier 2021", OpensAt: Start, ClosesAt: Start.Add(30 * 24 * time.Hour),
		Ceiling: 50_000_000, MaxPerGrant: 30_000_000, Config: call.DefaultConfig()}
	must(t, s.CreateCall(ctx(), officer, callB))

	// In each programme: an application with an attachment, submitted and
	// granted (two registry entries), a payment and a change request.
	type side struct {
		app     *application.Application
		att     *attachment.Attachment
		grantID int64
		change  int64
		entries []registry.Entry
	}
	build := func(c *call.Call, title, key string) side {
		t.Helper()
		a := e.create(c, e.answers(title, "100 000"))
		att := &attachment.Attachment{ApplicationID: a.ID, FieldKey: "attachments", Filename: key + ".pdf", ContentType: "application/pdf",
			Size: 10, SHA256: strings.Repeat("ab", 32), StorageKey: key}
		must(t, s.AddAttachment(ctx(), officer, att))
		e.reload(a)
		e.submit(a)
		e.move(a, application.StartCheck, application.PassCheck)
		d := &decision.Decision{ApplicationID: a.ID, Outcome: decision.Granted}
		must(t, s.Decide(ctx(), officer, d, nil))
		_, err := s.RecordPayment(ctx(), officer, d.GrantID, 1_000_000, "Första")
		must(t, err)
		cr := &grant.ChangeRequest{GrantID: d.GrantID, NewEndDate: clock.Date(2022, 3, 31), Reason: "Senare."}
		must(t, s.RequestChange(ctx(), officer, cr))
		entries, err := s.RegistryList(ctx(), registry.Filter{ApplicationID: a.ID})
		must(t, err)
		return side{app: a, att: att, grantID: d.GrantID, change: cr.ID, entries: entries}
	}
	a := build(callA, "Återbruk i Kalix", "scope-a")
	b := build(callB, "Förstudie om vatten", "scope-b")

	// ProgrammeOf: each kind of record, and those tied to no programme.
	for _, tt := range []struct {
		entity string
		id     int64
		want   int64
	}{
		{"programme", progA.ID, progA.ID}, {"programme", progB.ID, progB.ID},
		{"call", callA.ID, progA.ID}, {"call", callB.ID, progB.ID},
		{"application", a.app.ID, progA.ID}, {"application", b.app.ID, progB.ID},
		{"attachment", a.att.ID, progA.ID}, {"attachment", b.att.ID, progB.ID},
		{"grant", a.grantID, progA.ID}, {"grant", b.grantID, progB.ID},
		{"change_request", a.change, progA.ID}, {"change_request", b.change, progB.ID},
		{"registry", a.entries[0].ID, progA.ID}, {"registry", a.entries[1].ID, progA.ID}, {"registry", b.entries[1].ID, progB.ID},
		{"organisation", e.kalix.ID, policy.NoProgramme}, {"partnership", e.kalixMasaka.ID, policy.NoProgramme},
		{"user", 7, policy.NoProgramme}, {"setting:registry_prefix", 0, policy.NoProgramme},
	} {
		got, err := s.ProgrammeOf(ctx(), tt.entity, tt.id)
		if err != nil || got != tt.want {
			t.Errorf("ProgrammeOf(%s, %d) = %d, %v; want %d", tt.entity, tt.id, got, err, tt.want)
		}
	}
	// Gone, missing or of no known kind: not found.
	gone := &attachment.Attachment{ApplicationID: a.app.ID, FieldKey: "attachments", Filename: "x.pdf", ContentType: "application/pdf",
		Size: 1, SHA256: strings.Repeat("cd", 32), StorageKey: "scope-gone"}
	draft := e.create(callA, e.answers("Utkast", "10 000"))
	gone.ApplicationID = draft.ID
	must(t, s.AddAttachment(ctx(), officer, gone))
	must(t, s.DeleteAttachment(ctx(), officer, gone.ID))
	for _, tt := range []struct {
		entity string
		id     int64
	}{{"attachment", gone.ID}, {"application", 999_999}, {"grant", 999_999}, {"programme", 999_999}, {"registry", 999_999}, {"unheard_of", 1}} {
		if got, err := s.ProgrammeOf(ctx(), tt.entity, tt.id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ProgrammeOf(%s, %d) = %d, %v; want ErrNotFound", tt.entity, tt.id, got, err)
		}
	}

	// The audit log of a scope: its programmes' records and those tied to
	// none; a record whose programme is gone only in Every.
	must(t, s.RecordEvent(ctx(), officer, "touch", "unheard_of", 1))
	logOf := func(sc policy.Scope, f audit.Filter) []audit.Entry {
		t.Helper()
		f.Scope = sc
		if f.Limit == 0 {
			f.Limit = 100_000
		}
		log, err := s.AuditLog(ctx(), f)
		must(t, err)
		return log
	}
	all := logOf(policy.Every(), audit.Filter{})
	if len(all) < 20 {
		t.Fatalf("the whole log has %d entries", len(all))
	}
	inA := func(en audit.Entry) bool {
		p, err := s.ProgrammeOf(ctx(), en.Entity, en.EntityID)
		return err == nil && (p == progA.ID || p == policy.NoProgramme)
	}
	var wantA, wantNone []int64
	for _, en := range all {
		p, err := s.ProgrammeOf(ctx(), en.Entity, en.EntityID)
		if inA(en) {
			wantA = append(wantA, en.ID)
		}
		if err == nil && p == policy.NoProgramme {
			wantNone = append(wantNone, en.ID)
		}
	}
	ids := func(log []audit.Entry) []int64 {
		var out []int64
		for _, en := range log {
			out = append(out, en.ID)
		}
		return out
	}
	if got := ids(logOf(policy.Only(progA.ID), audit.Filter{})); !slices.Equal(got, wantA) {
		t.Errorf("log of A: %v, want %v", got, wantA)
	}
	if got := ids(logOf(policy.Only(), audit.Filter{})); !slices.Equal(got, wantNone) {
		t.Errorf("log of no programme: %v, want %v", got, wantNone)
	}
	both := logOf(policy.Only(progA.ID, progB.ID), audit.Filter{})
	for _, en := range both {
		if en.Entity == "unheard_of" || (en.Entity == "attachment" && en.EntityID == gone.ID) {
			t.Errorf("a record of no known programme in a scoped log: %s %d %s", en.Entity, en.EntityID, en.Action)
		}
	}
	if len(both) != len(all)-3 {
		t.Errorf("log of A and B: %d entries, want %d (all but the gone attachment's two and the unknown kind's)", len(both), len(all)-3)
	}
	for _, en := range logOf(policy.Only(progA.ID), audit.Filter{}) {
		if (en.Entity == "application" && en.EntityID == b.app.ID) || (en.Entity == "grant" && en.EntityID == b.grantID) ||
			(en.Entity == "programme" && en.EntityID == progB.ID) || (en.Entity == "registry" && en.EntityID == b.entries[0].ID) {
			t.Errorf("B's record in A's log: %s %d %s", en.Entity, en.EntityID, en.Action)
		}
	}
	// Filtered to B's application: nothing for A, everything for Every.
	if got := logOf(policy.Only(progA.ID), audit.Filter{Entity: "application", EntityID: b.app.ID}); len(got) != 0 {
		t.Errorf("B's application in A's log: %d entries", len(got))
	}
	if got := logOf(policy.Every(), audit.Filter{Entity: "application", EntityID: b.app.ID}); len(got) < 4 {
		t.Errorf("B's application's log: %d entries", len(got))
	}
	// The limit counts the scope's entries: newer entries of B do not
	// crowd A's out of a page.
	for range 30 {
		must(t, s.RecordEvent(ctx(), officer, "touch", "grant", b.grantID))
	}
	page := logOf(policy.Only(progA.ID), audit.Filter{Limit: 10})
	if len(page) != 10 || page[0].ID != wantA[0] {
		t.Errorf("A's first page: %d entries from %d, want 10 from %d", len(page), page[0].ID, wantA[0])
	}

	// Grants of a scope.
	grantIDs := func(sc policy.Scope) []int64 {
		t.Helper()
		gs, err := s.GrantList(ctx(), grant.Filter{Scope: sc})
		must(t, err)
		var out []int64
		for _, g := range gs {
			out = append(out, g.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		sc   policy.Scope
		want []int64
	}{
		{"A", policy.Only(progA.ID), []int64{a.grantID}},
		{"B", policy.Only(progB.ID), []int64{b.grantID}},
		{"A and B", policy.Only(progA.ID, progB.ID), []int64{a.grantID, b.grantID}},
		{"none", policy.Only(), nil},
		{"every", policy.Every(), []int64{a.grantID, b.grantID}},
	} {
		if got := grantIDs(tt.sc); !slices.Equal(got, tt.want) {
			t.Errorf("grants of %s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if gs, err := s.GrantList(ctx(), grant.Filter{ProgrammeID: progB.ID, Scope: policy.Only(progA.ID)}); err != nil || len(gs) != 0 {
		t.Errorf("B's grants in A's scope: %v, %v", gs, err)
	}

	// The registry of a scope, with the limit counted within it.
	numbers := func(f registry.Filter) []string {
		t.Helper()
		es, err := s.RegistryList(ctx(), f)
		must(t, err)
		var out []string
		for _, en := range es {
			out = append(out, en.Number)
		}
		return out
	}
	nums := func(es []registry.Entry) []string {
		var out []string
		for _, en := range es {
			out = append(out, en.Number)
		}
		return out
	}
	if got := numbers(registry.Filter{Scope: policy.Only(progA.ID)}); !slices.Equal(got, nums(a.entries)) {
		t.Errorf("registry of A: %v, want %v", got, nums(a.entries))
	}
	if got := numbers(registry.Filter{Scope: policy.Only(progB.ID), Limit: 1}); !slices.Equal(got, nums(b.entries[:1])) {
		t.Errorf("registry of B, one entry: %v, want %v", got, nums(b.entries[:1]))
	}
	if got := numbers(registry.Filter{Scope: policy.Only(progA.ID), Query: "vatten"}); len(got) != 0 {
		t.Errorf("a search in A finds B's: %v", got)
	}
	if got := numbers(registry.Filter{Scope: policy.Only()}); len(got) != 0 {
		t.Errorf("registry of no programme: %v", got)
	}
	if got := numbers(registry.Filter{}); len(got) != 4 {
		t.Errorf("the whole registry: %v", got)
	}
}
