package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/programme"
)

// partialGrant makes a grant of 150 000 kr in a call paying 60 % on
// acceptance and 40 % after the approved final report, accepted by the
// grantee.
func partialGrant(t *testing.T, e *env) *grant.Grant {
	t.Helper()
	ctx := context.Background()
	own, _ := demoGrants(t, e)
	by := audit.System("test")
	p := &programme.Programme{NameSV: "Slutbetalningsprov", Funder: "Sida", Operator: "ICLD", TotalBudget: 100_000_000}
	if err := e.store.CreateProgramme(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	cfg := call.DefaultConfig()
	cfg.PaymentPlan = ledger.Plan{{Percent: 60, When: ledger.OnAcceptance}, {Percent: 40, When: ledger.OnFinalReportApproved}}
	c := &call.Call{ProgrammeID: p.ID, TitleSV: "Slutbetalningsprovet 2021", OpensAt: now.Add(-48 * time.Hour), ClosesAt: now.Add(-24 * time.Hour),
		Ceiling: 50_000_000, MaxPerGrant: 20_000_000, Config: cfg}
	if err := e.store.CreateCall(ctx, by, c); err != nil {
		t.Fatal(err)
	}
	g := &grant.Grant{CallID: c.ID, PartnershipID: own.PartnershipID, OrganisationID: own.OrganisationID, Amount: 15_000_000, AwardedOn: clock.Date(2021, 6, 1)}
	if err := e.store.CreateGrant(ctx, by, g); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.AcceptGrant(ctx, by, g.ID); err != nil {
		t.Fatal(err)
	}
	return g
}

// wantPlan checks the payment plan's rows on the grantee's and the
// officer's grant pages.
func wantPlan(t *testing.T, e *env, g *grant.Grant, what string, states ...string) {
	t.Helper()
	for _, page := range []struct {
		c    *http.Client
		path string
	}{{e.login(officer), fmt.Sprintf("/personal/bidrag/%d", g.ID)}, {e.login(applicant), fmt.Sprintf("/bidrag/%d", g.ID)}} {
		body := e.get(page.c, page.path).body
		var got []string
		for _, part := range strings.Split(body, `data-instalment="`)[1:] {
			got = append(got, part[:strings.IndexByte(part, '"')])
		}
		if strings.Join(got, " ") != strings.Join(states, " ") {
			t.Errorf("%s, %s: instalments %v, want %v", what, page.path, got, states)
		}
	}
}

// Issue 10, item 2: the plan's rows follow the ledger, on both pages.
// Item 1: after the final report no payment takes paid above what was
// spent; the refusal says the most allowed and keeps what was typed; the
// grant closes with paid − repaid = spent.
func TestFinalPaymentAfterPartialReport(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	g := partialGrant(t, e)
	o := e.login(officer)
	staffPage := fmt.Sprintf("/personal/bidrag/%d", g.ID)
	pay := func(amount string) response {
		t.Helper()
		return e.post(o, staffPage+"/utbetalningar", url.Values{"amount": {amount}, "note": {"Utbetalning"}})
	}
	wantPlan(t, e, g, "accepted", "to_be_paid", "not_yet_due")
	if res := pay("30 000"); res.status != http.StatusSeeOther {
		t.Fatalf("pay 30 000: %d", res.status)
	}
	wantPlan(t, e, g, "30 000 paid", "partly_paid", "not_yet_due")
	if res := pay("60 000"); res.status != http.StatusSeeOther {
		t.Fatalf("pay 60 000: %d", res.status)
	}
	wantPlan(t, e, g, "90 000 paid", "paid", "not_yet_due")

	// The final report: 143 000 kr spent of 150 000; 90 000 paid.
	cl := e.login(applicant)
	if res := e.post(cl, fmt.Sprintf("/bidrag/%d/rapporter/final", g.ID), reportForm("submit", "", "143 000", "Trycket blev billigare.")); res.status != http.StatusSeeOther {
		t.Fatalf("submit the final report: %d\n%s", res.status, res.body)
	}
	if res := e.post(o, fmt.Sprintf("%s/rapporter/%d", staffPage, e.finalReport(t, g).ID), url.Values{"action": {"approve"}}); res.status != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", res.status, res.body)
	}
	wantPlan(t, e, g, "final report approved", "paid", "to_be_paid")
	res := e.get(o, staffPage)
	wantContains(t, "after the approval", res.body, "Att betala ut nu:</strong> 53\u00a0000\u00a0kr",
		"Slutrapporten godkänd: 53\u00a0000\u00a0kr återstår att betala ut", "(planerat 60\u00a0000\u00a0kr)")
	wantContains(t, "officer's to-do", e.get(o, "/personal").body, "53\u00a0000\u00a0kr")

	// 60 000 kr (what is left of the grant) is refused: at most 53 000.
	res = pay("60 000")
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("overpaying: %d", res.status)
	}
	wantContains(t, "overpaying", res.body, "Högst 53\u00a0000\u00a0kr får betalas ut nu", `value="60 000"`, `href="#amount"`, `aria-invalid="true"`)
	res = e.post(o, fmt.Sprintf("/en/staff/grants/%d/payments", g.ID), url.Values{"amount": {"53 000,01"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("overpaying by an öre, in English: %d", res.status)
	}
	wantContains(t, "overpaying in English", res.body, "At most SEK\u00a053,000", "may be paid now", `value="53 000,01"`)
	if b, _ := e.store.Balance(ctx, g.ID); b.Paid != 9_000_000 {
		t.Fatalf("a refused payment moved money: %+v", b)
	}

	if res := pay("53 000"); res.status != http.StatusSeeOther {
		t.Fatalf("the last payment: %d\n%s", res.status, res.body)
	}
	if _, err := e.store.Closure(ctx, g.ID); err != nil {
		t.Fatalf("not closed: %v", err)
	}
	b, _ := e.store.Balance(ctx, g.ID)
	if b.Paid-b.Repaid != b.Spent || b.Spent != 14_300_000 {
		t.Errorf("closed with %+v", b)
	}
	wantPlan(t, e, g, "closed", "paid", "paid")
	wantContains(t, "closed", e.get(o, staffPage).body, "Avslutat", "Utbetalt efter återbetalning</dt><dd data-net-paid>143\u00a0000\u00a0kr")
}

// A grantee paid more than it spent repays it, and the grant closes with
// paid − repaid = spent; meanwhile the status says what is owed and the
// grant stays on the officer's to-do list.
func TestRepaymentAfterPartialReport(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	g := partialGrant(t, e)
	o := e.login(officer)
	staffPage := fmt.Sprintf("/personal/bidrag/%d", g.ID)
	if res := e.post(o, staffPage+"/utbetalningar", url.Values{"amount": {"90 000"}}); res.status != http.StatusSeeOther {
		t.Fatalf("pay: %d", res.status)
	}
	cl := e.login(applicant)
	if res := e.post(cl, fmt.Sprintf("/bidrag/%d/rapporter/final", g.ID), reportForm("submit", "", "50 000", "Halva projektet blev av.")); res.status != http.StatusSeeOther {
		t.Fatalf("submit the final report: %d\n%s", res.status, res.body)
	}
	final := e.finalReport(t, g)
	reportPage := fmt.Sprintf("%s/rapporter/%d", staffPage, final.ID)
	if res := e.post(o, reportPage, url.Values{"action": {"approve"}}); res.status != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", res.status, res.body)
	}
	wantPlan(t, e, g, "spent less than paid", "paid", "not_payable")
	wantContains(t, "officer's page", e.get(o, staffPage).body, "Slutrapporten godkänd: 40\u00a0000\u00a0kr ska betalas tillbaka")
	wantContains(t, "grantee's page", e.get(cl, fmt.Sprintf("/bidrag/%d", g.ID)).body, "Slutrapporten godkänd: 40\u00a0000\u00a0kr ska betalas tillbaka")
	wantContains(t, "officer's to-do", e.get(o, "/personal").body, "40\u00a0000\u00a0kr ska betalas tillbaka")
	wantContains(t, "grantee's start page", e.get(cl, "/personal").body, "Betala tillbaka 40\u00a0000\u00a0kr som betalats ut men inte använts")
	if res := e.post(o, staffPage+"/utbetalningar", url.Values{"amount": {"1"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Högst 0\u00a0kr får betalas ut nu") {
		t.Errorf("a payment on an overpaid grant: %d", res.status)
	}
	if res := e.post(o, reportPage, url.Values{"action": {"repay"}, "amount": {"40 000"}}); res.status != http.StatusSeeOther {
		t.Fatalf("repay: %d\n%s", res.status, res.body)
	}
	if _, err := e.store.Closure(ctx, g.ID); err != nil {
		t.Fatalf("not closed: %v", err)
	}
	if b, _ := e.store.Balance(ctx, g.ID); b.Paid-b.Repaid != b.Spent || b.Spent != 5_000_000 {
		t.Errorf("closed with %+v", b)
	}
}

// A grant left by the old rules with paid above spent after its final
// report and nothing to repay (issue 10) says what is owed, stays on the
// officer's to-do list, and closes once the officer records the
// repayment.
func TestUnsettledLedgerIsSettled(t *testing.T) {
	s, path, clk := openDemoCopy(t)
	e := newEnvOn(t, "", s, clk)
	ctx := context.Background()
	g := partialGrant(t, e)
	o := e.login(officer)
	staffPage := fmt.Sprintf("/personal/bidrag/%d", g.ID)
	if res := e.post(o, staffPage+"/utbetalningar", url.Values{"amount": {"90 000"}}); res.status != http.StatusSeeOther {
		t.Fatalf("pay: %d", res.status)
	}
	cl := e.login(applicant)
	if res := e.post(cl, fmt.Sprintf("/bidrag/%d/rapporter/final", g.ID), reportForm("submit", "", "143 000", "Trycket blev billigare.")); res.status != http.StatusSeeOther {
		t.Fatalf("submit the final report: %d\n%s", res.status, res.body)
	}
	final := e.finalReport(t, g)
	reportPage := fmt.Sprintf("%s/rapporter/%d", staffPage, final.ID)
	if res := e.post(o, reportPage, url.Values{"action": {"approve"}}); res.status != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", res.status, res.body)
	}
	// The old rule let 60 000 kr through: paid 150 000, spent 143 000.
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO ledger_entries (grant_id, kind, amount, at, note) VALUES (?, 'paid', 6000000, ?, 'gammal regel')`, g.ID, now.UTC().Format(time.RFC3339Nano)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Balance(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	wantContains(t, "officer's page", e.get(o, staffPage).body, "Slutrapporten godkänd: 7\u00a0000\u00a0kr ska betalas tillbaka")
	wantContains(t, "officer's to-do", e.get(o, "/personal").body, "7\u00a0000\u00a0kr ska betalas tillbaka")
	if res := e.post(o, reportPage, url.Values{"action": {"repay"}, "amount": {"7 000"}}); res.status != http.StatusSeeOther {
		t.Fatalf("repay: %d\n%s", res.status, res.body)
	}
	if _, err := e.store.Closure(ctx, g.ID); err != nil {
		t.Fatalf("not closed: %v", err)
	}
	if b, _ := e.store.Balance(ctx, g.ID); b.Paid-b.Repaid != b.Spent || b.ToRepay != 700_000 {
		t.Errorf("closed with %+v", b)
	}
}
