package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/user"
)

// An officer scoped to one programme sees the records of that programme
// and those tied to no programme, and nothing of another programme: not
// in the log, the grants and their ledgers, nor the registry. A refusal
// is 403, as for another programme's case (officerCase).

// scopeSide is one programme with a call, an application with an
// attachment, granted, and a payment on the grant's ledger.
type scopeSide struct {
	prog    *programme.Programme
	f       *caseFix
	app     *application.Application
	att     *attachment.Attachment
	grantID int64
	entries []registry.Entry // the application's and the decision's
}

// newScopeSide builds a side through the store. names holds the
// programme's name, the call's title, the application's title, a line of
// its summary, the attachment's file name and the payment's note; amount
// is what it asks for (and is granted) in kronor as typed; pship is the
// index of the demo partnership it is for.
func newScopeSide(t *testing.T, e *env, pships *caseFix, names [6]string, amount string, paid int64, pship int) *scopeSide {
	t.Helper()
	ctx := context.Background()
	by := pships.by
	p := &programme.Programme{NameSV: names[0], NameEN: names[0], Funder: "Sida", Operator: "ICLD", TotalBudget: 100_000_000}
	if err := e.store.CreateProgramme(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	c := &call.Call{ProgrammeID: p.ID, TitleSV: names[1], TitleEN: names[1], OpensAt: now.Add(-7 * 24 * time.Hour),
		ClosesAt: now.Add(30 * 24 * time.Hour), Ceiling: 100_000_000, MaxPerGrant: 30_000_000, Config: call.DefaultConfig()}
	if err := e.store.CreateCall(ctx, by, c); err != nil {
		t.Fatal(err)
	}
	f := &caseFix{t: t, e: e, by: by, call: c, pships: pships.pships, next: pship}
	a := f.draft(names[2], amount)
	att := &attachment.Attachment{ApplicationID: a.ID, FieldKey: "attachments", Filename: names[4], ContentType: "application/pdf",
		Size: 2048, SHA256: strings.Repeat("cd", 32), StorageKey: "scope-" + names[4]}
	if err := e.store.AddAttachment(ctx, by, att); err != nil {
		t.Fatal(err)
	}
	a.Answers.Files = map[string][]int64{"attachments": {att.ID}}
	a.Answers.Values["summary"] = names[3]
	if err := e.store.SaveDraft(ctx, by, a); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.SubmitApplication(ctx, by, a.ID, a.Version, nil); err != nil {
		t.Fatal(err)
	}
	f.move(a.ID, application.StartCheck, application.PassCheck)
	d := &decision.Decision{ApplicationID: a.ID, Outcome: decision.Granted, Reason: "Väl genomtänkt."}
	if err := e.store.Decide(ctx, by, d, nil); err != nil {
		t.Fatal(err)
	}
	if d.GrantID == 0 {
		t.Fatal("the decision made no grant")
	}
	if _, err := e.store.RecordPayment(ctx, by, d.GrantID, paid, names[5]); err != nil {
		t.Fatal(err)
	}
	entries, err := e.store.RegistryList(ctx, registry.Filter{ApplicationID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("registry entries of %s: %+v", names[2], entries)
	}
	return &scopeSide{prog: p, f: f, app: f.reload(a.ID), att: att, grantID: d.GrantID, entries: entries}
}

// scopeFixture is programmes A and B and an officer scoped to A.
type scopeFixture struct {
	e          *env
	a, b       *scopeSide
	officerA   *user.User
	bSecrets   []string // what of B nobody outside B's programme may read
	bPartner   string   // B's partnership's name (public, but not on A's grant pages)
	otherGrant []int64  // grants of programmes other than A (B's and the demo's)
	otherRegs  []string // registry numbers of programmes other than A
}

func newScopeFixture(t *testing.T) *scopeFixture {
	t.Helper()
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	base := newCaseFix(t, e, 1_000_000, 300_000, nil) // the demo's partnerships; its own programme is a third one
	a := newScopeSide(t, e, base, [6]string{"Alfaprogrammet", "Alfautlysningen 2021", "Alfaprojektet om plast",
		"Alfasammanfattningen om plast.", "alfa-tidsplan.pdf", "Alfautbetalningen"}, "111 111", 1_111_100, 0)
	b := newScopeSide(t, e, base, [6]string{"Betaprogrammet", "Betautlysningen 2021", "Betaprojektet om vatten",
		"Hemlig betasammanfattning om vatten.", "beta-budget.pdf", "Betautbetalningen"}, "234 567", 2_345_600, 2)
	o := &user.User{Email: "olga@example.se", Name: "Olga Omgångsansvarig", PasswordHash: e.hash(t), Lang: "sv",
		Roles: []user.Role{{Kind: user.Officer, ProgrammeID: a.prog.ID}}}
	if err := e.store.CreateUser(ctx, base.by, o); err != nil {
		t.Fatal(err)
	}
	fx := &scopeFixture{e: e, a: a, b: b, officerA: o, bPartner: b.f.pships[2].Name,
		bSecrets: []string{"Betaprogrammet", "Betautlysningen 2021", "Betaprojektet om vatten", "Hemlig betasammanfattning",
			"beta-budget.pdf", "Betautbetalningen", "234\u00a0567", "23456700", "23\u00a0456", "2345600"}}
	for _, r := range b.entries {
		fx.bSecrets = append(fx.bSecrets, r.Number)
	}
	grants, err := e.store.GrantList(ctx, grant.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range grants {
		if g.ID != a.grantID {
			fx.otherGrant = append(fx.otherGrant, g.ID)
		}
	}
	regs, err := e.store.RegistryList(ctx, registry.Filter{Limit: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regs {
		if r.ApplicationID != a.app.ID {
			fx.otherRegs = append(fx.otherRegs, r.Number)
		}
	}
	if len(fx.otherGrant) < 2 || len(fx.otherRegs) < 3 {
		t.Fatalf("the fixture needs grants and registry entries outside A besides B's: %v, %v", fx.otherGrant, fx.otherRegs)
	}
	return fx
}

func logPath(kind string, id int64) string {
	return fmt.Sprintf("/personal/logg?post=%s&id=%d", kind, id)
}

// recordsOf lists every record of a side the log can be filtered to.
func (s *scopeSide) records() map[string]int64 {
	return map[string]int64{"programme": s.prog.ID, "call": s.f.call.ID, "application": s.app.ID, "attachment": s.att.ID,
		"grant": s.grantID, "registry": s.entries[0].ID}
}

func TestScopedOfficerLog(t *testing.T) {
	fx := newScopeFixture(t)
	e := fx.e
	olga := e.loginAs(t, fx.officerA.Email)
	// B's records, one by one: refused, and nothing of B in the answer.
	for kind, id := range fx.b.records() {
		for _, path := range []string{logPath(kind, id), fmt.Sprintf("/en/staff/log?post=%s&id=%d", kind, id)} {
			res := e.get(olga, path)
			if res.status != http.StatusForbidden {
				t.Errorf("scoped officer GET %s: %d, want 403", path, res.status)
			}
			wantNotContains(t, "scoped officer GET "+path, res.body, fx.bSecrets...)
		}
	}
	// The second registry entry (the decision) too.
	if res := e.get(olga, logPath("registry", fx.b.entries[1].ID)); res.status != http.StatusForbidden {
		t.Errorf("B's decision's registry entry in the log: %d, want 403", res.status)
	}
	// A's records are the officer's.
	for kind, id := range fx.a.records() {
		res := e.get(olga, logPath(kind, id))
		if res.status != http.StatusOK {
			t.Errorf("scoped officer GET %s (A's): %d, want 200", logPath(kind, id), res.status)
			continue
		}
		if strings.Contains(res.body, "Inga ändringar") || !strings.Contains(res.body, "<tbody") {
			t.Errorf("scoped officer GET %s (A's): no entries", logPath(kind, id))
		}
	}
	res := e.get(olga, logPath("application", fx.a.app.ID))
	wantContains(t, "A's application's log", res.body, "Alfasammanfattningen om plast.")
	// The lists that mix programmes show none of B: the whole log, one
	// kind, one id of any kind.
	for _, path := range []string{"/personal/logg", "/en/staff/log", "/personal/logg?post=application", "/personal/logg?post=grant",
		"/personal/logg?post=registry", "/personal/logg?post=call", "/personal/logg?post=programme", "/personal/logg?post=attachment",
		fmt.Sprintf("/personal/logg?id=%d", fx.b.app.ID), fmt.Sprintf("/personal/logg?id=%d", fx.b.grantID)} {
		res := e.get(olga, path)
		if res.status != http.StatusOK {
			t.Errorf("scoped officer GET %s: %d, want 200", path, res.status)
			continue
		}
		wantNotContains(t, "scoped officer GET "+path, res.body, fx.bSecrets...)
	}
	res = e.get(olga, "/personal/logg")
	wantContains(t, "scoped officer's whole log", res.body, "Alfaprojektet om plast", "1111100", "Olga Omgångsansvarig")
	// Records tied to no programme stay in everyone's log: the officer's
	// own sign-in and the partnerships.
	res = e.get(olga, logPath("user", fx.officerA.ID))
	if res.status != http.StatusOK || !strings.Contains(res.body, "Olga Omgångsansvarig") {
		t.Errorf("the officer's own sign-in in the log: %d", res.status)
	}
	if res := e.get(olga, logPath("partnership", fx.b.app.PartnershipID)); res.status != http.StatusOK {
		t.Errorf("a partnership's log: %d, want 200", res.status)
	}
	// A record that does not exist, or is of no known kind, is no officer's
	// in a programme: refused rather than shown empty.
	if res := e.get(olga, logPath("application", 999999)); res.status != http.StatusForbidden {
		t.Errorf("an unknown application's log: %d, want 403", res.status)
	}

	// An officer of every programme and the administrator see B's records.
	for _, who := range []string{officer, "admin@demo.partnerskap.se"} {
		c := e.login(who)
		for kind, id := range fx.b.records() {
			res := e.get(c, logPath(kind, id))
			if res.status != http.StatusOK {
				t.Errorf("%s GET %s: %d, want 200", who, logPath(kind, id), res.status)
			}
		}
		res := e.get(c, logPath("application", fx.b.app.ID))
		wantContains(t, who+" B's application's log", res.body, "Hemlig betasammanfattning")
		res = e.get(c, "/personal/logg")
		wantContains(t, who+" whole log", res.body, "Betaprojektet om vatten", "Alfaprojektet om plast", "2345600")
		if res := e.get(c, logPath("application", 999999)); res.status != http.StatusOK {
			t.Errorf("%s: an unknown application's log: %d, want 200 (empty)", who, res.status)
		}
	}
}

// TestScopedOfficerLogFull checks that the scope is applied in the query:
// with more of B's entries than a page holds, newer than A's, the page
// still lists A's.
func TestScopedOfficerLogFull(t *testing.T) {
	fx := newScopeFixture(t)
	e := fx.e
	ctx := context.Background()
	for i := range 210 {
		if err := e.store.RecordEvent(ctx, fx.b.f.by, fmt.Sprintf("touch-%d", i), "application", fx.b.app.ID); err != nil {
			t.Fatal(err)
		}
	}
	res := e.get(e.loginAs(t, fx.officerA.Email), "/personal/logg")
	wantContains(t, "scoped log under B's entries", res.body, "Alfaprojektet om plast", "1111100")
	wantNotContains(t, "scoped log under B's entries", res.body, "touch-")
}

func TestScopedOfficerGrants(t *testing.T) {
	fx := newScopeFixture(t)
	e := fx.e
	ctx := context.Background()
	olga := e.loginAs(t, fx.officerA.Email)
	bPage := fmt.Sprintf("/personal/bidrag/%d", fx.b.grantID)
	for _, path := range []string{bPage, fmt.Sprintf("/en/staff/grants/%d", fx.b.grantID)} {
		res := e.get(olga, path)
		if res.status != http.StatusForbidden {
			t.Errorf("scoped officer GET %s: %d, want 403", path, res.status)
		}
		wantNotContains(t, "scoped officer GET "+path, res.body, fx.bSecrets...)
		wantNotContains(t, "scoped officer GET "+path, mainOf(res.body), fx.bPartner) // the demo's note names it
	}
	// Paying or deciding on B's grant is refused and moves no money.
	before, err := e.store.Balance(ctx, fx.b.grantID)
	if err != nil {
		t.Fatal(err)
	}
	res := e.post(olga, bPage+"/utbetalningar", url.Values{"amount": {"1 000"}, "note": {"Fel program"}})
	if res.status != http.StatusForbidden {
		t.Errorf("scoped officer pays B's grant: %d, want 403", res.status)
	}
	wantNotContains(t, "scoped officer pays B's grant", res.body, fx.bSecrets...)
	if after, _ := e.store.Balance(ctx, fx.b.grantID); after != before {
		t.Errorf("B's balance moved: %+v, was %+v", after, before)
	}
	// A's grant and ledger are the officer's.
	res = e.get(olga, fmt.Sprintf("/personal/bidrag/%d", fx.a.grantID))
	if res.status != http.StatusOK {
		t.Fatalf("scoped officer's own grant: %d", res.status)
	}
	wantContains(t, "A's grant", res.body, "Alfautbetalningen", "11\u00a0111\u00a0kr", "Registrera en utbetalning")
	// The list holds A's grant only: not B's, not the demo programme's.
	for _, path := range []string{"/personal/bidrag", "/en/staff/grants"} {
		res = e.get(olga, path)
		if res.status != http.StatusOK {
			t.Fatalf("scoped officer GET %s: %d", path, res.status)
		}
		prefix := "/personal/bidrag/"
		if strings.HasPrefix(path, "/en/") {
			prefix = "/en/staff/grants/"
		}
		wantContains(t, "scoped grants list", res.body, fmt.Sprintf(`href="%s%d"`, prefix, fx.a.grantID))
		for _, id := range fx.otherGrant {
			wantNotContains(t, "scoped grants list", res.body, fmt.Sprintf(`href="%s%d"`, prefix, id))
		}
		wantNotContains(t, "scoped grants list", res.body, fx.bSecrets...)
		wantNotContains(t, "scoped grants list", mainOf(res.body), fx.bPartner)
	}
	// An officer of every programme and the administrator see them all.
	for _, who := range []string{officer, "admin@demo.partnerskap.se"} {
		c := e.login(who)
		res := e.get(c, bPage)
		if res.status != http.StatusOK {
			t.Errorf("%s GET %s: %d, want 200", who, bPage, res.status)
		}
		wantContains(t, who+" B's grant", res.body, "Betautbetalningen", "23\u00a0456\u00a0kr")
		res = e.get(c, "/personal/bidrag")
		for _, id := range append(fx.otherGrant, fx.a.grantID) {
			wantContains(t, who+" grants list", res.body, fmt.Sprintf(`href="/personal/bidrag/%d"`, id))
		}
	}
}

func TestScopedOfficerRegistry(t *testing.T) {
	fx := newScopeFixture(t)
	e := fx.e
	ctx := context.Background()
	olga := e.loginAs(t, fx.officerA.Email)
	res := e.get(olga, "/personal/diarium")
	if res.status != http.StatusOK {
		t.Fatalf("scoped officer's registry: %d", res.status)
	}
	for _, r := range fx.a.entries {
		wantContains(t, "scoped registry", res.body, r.Number)
	}
	wantNotContains(t, "scoped registry", res.body, fx.otherRegs...)
	wantNotContains(t, "scoped registry", res.body, fx.bSecrets...)
	// A search that would find B's entries finds none.
	res = e.get(olga, "/personal/diarium?q=Betaprojektet")
	wantNotContains(t, "scoped registry search", res.body, fx.bSecrets...)
	// Marking B's entry confidential is refused and changes nothing.
	target := fx.b.entries[0]
	for _, path := range []string{fmt.Sprintf("/personal/diarium/%d", target.ID), fmt.Sprintf("/en/staff/registry/%d", target.ID)} {
		res = e.post(olga, path, url.Values{"confidential": {"yes"}, "reason": {"OSL 21 kap. 1 §"}})
		if res.status != http.StatusForbidden {
			t.Errorf("scoped officer POST %s: %d, want 403", path, res.status)
		}
		wantNotContains(t, "scoped officer POST "+path, res.body, fx.bSecrets...)
		// A refused form shows no list either.
		res = e.post(olga, path, url.Values{"confidential": {"yes"}})
		if res.status != http.StatusForbidden {
			t.Errorf("scoped officer POST %s without reason: %d, want 403", path, res.status)
		}
		wantNotContains(t, "scoped officer POST "+path+" without reason", res.body, fx.bSecrets...)
	}
	if got, err := e.store.RegistryEntry(ctx, target.ID); err != nil || got.Confidential || got.Reason != "" {
		t.Errorf("B's entry after the refused posts: %+v, %v", got, err)
	}
	// A's entry can be marked; a refused form lists A's entries only.
	own := fx.a.entries[0]
	res = e.post(olga, fmt.Sprintf("/personal/diarium/%d", own.ID), url.Values{"confidential": {"yes"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("A's entry without reason: %d, want 422", res.status)
	}
	wantNotContains(t, "A's entry without reason", res.body, fx.otherRegs...)
	res = e.post(olga, fmt.Sprintf("/personal/diarium/%d", own.ID), url.Values{"confidential": {"yes"}, "reason": {"OSL 21 kap. 1 §"}})
	if res.status != http.StatusSeeOther {
		t.Errorf("scoped officer marks A's entry: %d, want 303", res.status)
	}
	if got, _ := e.store.RegistryEntry(ctx, own.ID); !got.Confidential {
		t.Error("A's entry was not marked confidential")
	}
	// An officer of every programme and the administrator see and mark B's.
	for i, who := range []string{officer, "admin@demo.partnerskap.se"} {
		c := e.login(who)
		res := e.get(c, "/personal/diarium")
		wantContains(t, who+" registry", res.body, fx.b.entries[0].Number, fx.a.entries[0].Number, "Betaprojektet om vatten")
		entry := fx.b.entries[i]
		res = e.post(c, fmt.Sprintf("/personal/diarium/%d", entry.ID), url.Values{"confidential": {"yes"}, "reason": {"OSL 21 kap. 1 §"}})
		if res.status != http.StatusSeeOther {
			t.Errorf("%s marks B's entry: %d, want 303", who, res.status)
		}
		if got, _ := e.store.RegistryEntry(ctx, entry.ID); !got.Confidential {
			t.Errorf("%s: B's entry was not marked confidential", who)
		}
	}
}
