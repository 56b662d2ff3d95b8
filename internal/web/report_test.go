package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/i18n"
	"github.com/icld/partnerskap/internal/notify"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/report"
)

// reportGrant makes a grant of 100 000 kr for Kalix (the demo applicant's
// organisation), in a call of its own, awarded on 1 June 2021: its final
// report is due on 31 January 2022. It does not depend on where the
// demo's own grants stand.
func reportGrant(t *testing.T, e *env) *grant.Grant {
	t.Helper()
	ctx := context.Background()
	own, _ := demoGrants(t, e)
	by := audit.System("test")
	p := &programme.Programme{NameSV: "Rapportprov", Funder: "Sida", Operator: "ICLD", TotalBudget: 100_000_000}
	if err := e.store.CreateProgramme(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	c := &call.Call{ProgrammeID: p.ID, TitleSV: "Rapportprovet 2021", OpensAt: now.Add(-48 * time.Hour), ClosesAt: now.Add(-24 * time.Hour),
		Ceiling: 50_000_000, MaxPerGrant: 10_000_000, Config: call.DefaultConfig()}
	if err := e.store.CreateCall(ctx, by, c); err != nil {
		t.Fatal(err)
	}
	g := &grant.Grant{CallID: c.ID, PartnershipID: own.PartnershipID, OrganisationID: own.OrganisationID, Amount: 10_000_000, AwardedOn: clock.Date(2021, 6, 1)}
	if err := e.store.CreateGrant(ctx, by, g); err != nil {
		t.Fatal(err)
	}
	return g
}

// reportForm is a final report as the grantee types it, spending kronor
// on the first line (of the call's three cost categories, with no
// budget: the grant has no application) with explanation, and nothing on
// the others.
func reportForm(action, version, kronor, explanation string) url.Values {
	return url.Values{"action": {action}, "version": {version}, "done": {"Utställning på tre skolor."}, "results": {"1 200 elever nådda."},
		"lessons": {"Börja tidigare."}, "lines.0.spent": {kronor}, "lines.0.explanation": {explanation},
		"lines.1.spent": {"0"}, "lines.2.spent": {"0"}}
}

func (e *env) finalReport(t *testing.T, g *grant.Grant) *report.Report {
	t.Helper()
	list, err := e.store.Reports(context.Background(), g.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range list {
		if list[i].Kind == report.Final {
			return &list[i]
		}
	}
	return nil
}

func TestReportFlow(t *testing.T) {
	e := newEnv(t, "")
	g := reportGrant(t, e)
	ctx := context.Background()
	if _, err := e.store.RecordPayment(ctx, audit.System("test"), g.ID, 10_000_000, ""); err != nil {
		t.Fatal(err)
	}
	c := e.login(applicant)
	list := fmt.Sprintf("/bidrag/%d/rapporter", g.ID)
	page := list + "/final"

	res := e.get(c, list)
	if res.status != http.StatusOK {
		t.Fatalf("reports: %d\n%s", res.status, res.body)
	}
	wantContains(t, "reports", res.body, "Slutrapport", "2022-01-31", "Inte påbörjad", `href="`+page+`"`)
	if res := e.get(c, fmt.Sprintf("/en/grants/%d/reports", g.ID)); res.status != http.StatusOK || !strings.Contains(res.body, "Final report") {
		t.Errorf("English reports: %d", res.status)
	}
	if res := e.get(c, list+"/interim"); res.status != http.StatusNotFound {
		t.Errorf("a report the call does not ask for: %d", res.status)
	}
	res = e.get(c, page)
	wantContains(t, "report form", res.body, `name="lines.0.spent"`, `name="done"`, "Resultat", "Bidraget har ingen enkät ännu.")

	// Saving keeps anything; submitting checks.
	if res := e.post(c, page, reportForm("save", "", "-5", "")); res.status != http.StatusSeeOther {
		t.Fatalf("save draft: %d\n%s", res.status, res.body)
	}
	r := e.finalReport(t, g)
	if r == nil || r.State != report.Draft || r.Lines[0].Spent != "-5" {
		t.Fatalf("draft: %+v", r)
	}
	v := fmt.Sprint(r.Version)
	res = e.post(c, page, reportForm("submit", v, "-5", ""))
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("negative spending: %d", res.status)
	}
	wantContains(t, "negative spending", res.body, "Beloppet kan inte vara negativt", `value="-5"`, "Utställning på tre skolor.")
	v = fmt.Sprint(e.finalReport(t, g).Version)
	res = e.post(c, page, reportForm("submit", v, "åttiotusen", ""))
	wantContains(t, "non-numeric spending", res.body, "Skriv beloppet i kronor", `value="åttiotusen"`)
	v = fmt.Sprint(e.finalReport(t, g).Version)
	res = e.post(c, page, reportForm("submit", v, "150 000", ""))
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("above the grant: %d", res.status)
	}
	wantContains(t, "above the grant", res.body, "Kostnaderna överstiger bidraget", "Förklara varför kostnaden avviker")
	v = fmt.Sprint(e.finalReport(t, g).Version)
	if res := e.post(c, page, reportForm("submit", v, "80 000", "Ingen budget i ansökan.")); res.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", res.status, res.body)
	}
	r = e.finalReport(t, g)
	if r.State != report.Submitted || r.RegNumber == "" {
		t.Fatalf("submitted: %+v", r)
	}
	res = e.get(c, page)
	wantContains(t, "submitted report", res.body, r.RegNumber, "Inlämnad – granskas", "80 000")
	wantNotContains(t, "submitted report", res.body, `name="done"`)
	if res := e.post(c, page, reportForm("save", fmt.Sprint(r.Version), "1", "")); res.status != http.StatusConflict {
		t.Errorf("saving a submitted report: %d", res.status)
	}
	mails, err := e.store.MailList(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) == 0 || !strings.HasPrefix(mails[0].Subject, "Slutrapport inlämnad") || mails[0].To != officer {
		t.Errorf("mail to the officers: %+v", mails[:min(len(mails), 1)])
	}

	// The officer asks for completion, then approves.
	o := e.login(officer)
	staff := fmt.Sprintf("/personal/bidrag/%d/rapporter/%d", g.ID, r.ID)
	if res := e.post(c, staff, url.Values{"action": {"approve"}}); res.status != http.StatusForbidden {
		t.Errorf("the grantee approves: %d", res.status)
	}
	res = e.get(o, staff)
	if res.status != 200 {
		t.Fatalf("staff page %d\n%s", res.status, res.body)
	}
	wantContains(t, "staff report", res.body, "Ingen budget i ansökan.", "Godkänn rapporten", "Begär komplettering")
	res = e.post(o, staff, url.Values{"action": {"complete"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("completion without a note: %d", res.status)
	}
	if res := e.post(o, staff, url.Values{"action": {"complete"}, "note": {"Beskriv skolorna."}}); res.status != http.StatusSeeOther {
		t.Fatalf("completion: %d", res.status)
	}
	res = e.get(c, page)
	wantContains(t, "completion requested", res.body, "Beskriv skolorna.", `name="done"`)
	r = e.finalReport(t, g)
	if res := e.post(c, page, reportForm("submit", fmt.Sprint(r.Version), "80 000", "Ingen budget i ansökan.")); res.status != http.StatusSeeOther {
		t.Fatalf("resubmit: %d\n%s", res.status, res.body)
	}
	if res := e.post(o, staff, url.Values{"action": {"approve"}}); res.status != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", res.status, res.body)
	}
	if res := e.post(o, staff, url.Values{"action": {"approve"}}); res.status != http.StatusConflict {
		t.Errorf("approving twice: %d", res.status)
	}
	// Paid 100 000, spent 80 000: 20 000 to repay, then closed.
	res = e.get(o, staff)
	wantContains(t, "to repay", res.body, "Återbetalning", `name="amount"`)
	if res := e.post(o, staff, url.Values{"action": {"repay"}, "amount": {"30 000"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Återbetalningen är större") {
		t.Errorf("repaying too much: %d", res.status)
	}
	if res := e.post(o, staff, url.Values{"action": {"repay"}, "amount": {"x"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("repaying nonsense: %d", res.status)
	}
	if res := e.post(o, staff, url.Values{"action": {"repay"}, "amount": {"20 000"}}); res.status != http.StatusSeeOther {
		t.Fatalf("repay: %d\n%s", res.status, res.body)
	}
	if _, err := e.store.Closure(ctx, g.ID); err != nil {
		t.Fatalf("not closed: %v", err)
	}
	res = e.get(c, list)
	wantContains(t, "closed grant", res.body, "Bidraget avslutades")
	// A report after the grant is closed.
	res = e.post(c, page, reportForm("submit", fmt.Sprint(e.finalReport(t, g).Version), "1", ""))
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Bidraget är avslutat") {
		t.Errorf("a report after closing: %d", res.status)
	}
}

func TestReportAccess(t *testing.T) {
	e := newEnv(t, "")
	_, other := demoGrants(t, e)
	c := e.login(applicant)
	for _, p := range []string{fmt.Sprintf("/bidrag/%d/rapporter", other.ID), fmt.Sprintf("/bidrag/%d/rapporter/final", other.ID)} {
		if res := e.get(c, p); res.status != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, res.status)
		}
	}
	if res := e.post(c, fmt.Sprintf("/bidrag/%d/rapporter/final", other.ID), reportForm("save", "", "1", "")); res.status != http.StatusNotFound {
		t.Errorf("posting to another organisation's grant: %d", res.status)
	}
	if list, _ := e.store.Reports(context.Background(), other.ID); len(list) != 0 {
		t.Errorf("a report was saved: %+v", list)
	}
	// An officer reads the grantee's pages but does not write them.
	g := reportGrant(t, e)
	o := e.login(officer)
	if res := e.get(o, fmt.Sprintf("/bidrag/%d/rapporter", g.ID)); res.status != http.StatusOK {
		t.Errorf("officer reads the reports: %d", res.status)
	}
	if res := e.post(o, fmt.Sprintf("/bidrag/%d/rapporter/final", g.ID), reportForm("save", "", "1", "")); res.status != http.StatusForbidden {
		t.Errorf("officer writes a report: %d", res.status)
	}
	if res := e.get(o, fmt.Sprintf("/personal/bidrag/%d/rapporter/999999", g.ID)); res.status != http.StatusNotFound {
		t.Errorf("a missing report: %d", res.status)
	}
}

// TestReportReminders drives the reminder run with the fake clock: one
// reminder before the deadline, sent once, in the recipient's language;
// none for a submitted report; the overdue one after the deadline.
func TestReportReminders(t *testing.T) {
	e := newEnv(t, "")
	g := reportGrant(t, e)
	ctx := context.Background()
	msgs, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	mails := notify.New(e.store, msgs, "https://partnerskap.example")
	mine := func() []string {
		t.Helper()
		mails, err := e.store.MailList(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range mails {
			if m.To == applicant && strings.Contains(m.Body, fmt.Sprintf("/bidrag/%d/rapporter/final", g.ID)) {
				out = append(out, m.Subject)
			}
		}
		return out
	}
	run := func(at string) {
		t.Helper()
		tm, err := clock.ParseLocal(at)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Set(tm)
		if _, err := app.SendReminders(ctx, e.store, mails, tm); err != nil {
			t.Fatal(err)
		}
	}
	run("2022-01-16 12:00")
	if got := mine(); len(got) != 0 {
		t.Errorf("reminded too early: %v", got)
	}
	run("2022-01-17 08:00")
	run("2022-01-17 08:10")
	run("2022-01-20 08:00")
	if got := mine(); len(got) != 1 || got[0] != "Påminnelse: Slutrapport senast 2022-01-31" {
		t.Errorf("before the deadline: %v", got)
	}
	run("2022-02-01 00:00")
	run("2022-02-01 00:10")
	if got := mine(); len(got) != 2 || got[0] != "Försenad: Slutrapport skulle lämnas in 2022-01-31" {
		t.Errorf("overdue: %v", got)
	}

	// A grant whose report is submitted gets none.
	g2 := reportGrant(t, e)
	r := &report.Report{GrantID: g2.ID, Kind: report.Final, Done: "Gjort", Results: "Nådde många",
		Lines: []report.Line{{Category: "Material", Budgeted: 10_000_000, Spent: "100 000"}}}
	if err := e.store.SaveReport(ctx, audit.System("test"), r); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.SubmitReport(ctx, audit.System("test"), r.ID, r.Version, nil); err != nil {
		t.Fatal(err)
	}
	due, err := e.store.DueReminders(ctx, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, rem := range due {
		if rem.GrantID == g2.ID || rem.GrantID == g.ID {
			t.Errorf("due again: %+v", rem)
		}
	}
}
