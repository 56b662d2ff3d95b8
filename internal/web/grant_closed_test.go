package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/programme"
)

// closedGrantState is what a refused write on a closed grant must leave
// as it was.
type closedGrantState struct {
	Balance    ledger.Balance
	Entries    int
	Activities []*activity.Activity
	Changes    []grant.ChangeRequest
}

func (e *env) closedGrantState(t *testing.T, grantID int64) closedGrantState {
	t.Helper()
	ctx := context.Background()
	var st closedGrantState
	var err error
	if st.Balance, err = e.store.Balance(ctx, grantID); err != nil {
		t.Fatal(err)
	}
	entries, err := e.store.LedgerEntries(ctx, grantID)
	if err != nil {
		t.Fatal(err)
	}
	st.Entries = len(entries)
	if st.Activities, err = e.store.ActivityList(ctx, grantID); err != nil {
		t.Fatal(err)
	}
	if st.Changes, err = e.store.ChangeRequests(ctx, grantID); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestClosedGrant walks a grant paid 80 % on acceptance and 20 % after the
// final report to its closing: once the report is approved the last
// instalment shows as due, capped to the costs reported, and paying it
// closes the grant. Then every form of the grant's pages is refused with
// the closed message, and nothing changes.
func TestClosedGrant(t *testing.T) {
	e := newEnv(t, "")
	ctx := context.Background()
	own, _ := demoGrants(t, e)
	by := audit.System("test")
	p := &programme.Programme{NameSV: "Avslutsprov", Funder: "Sida", Operator: "ICLD", TotalBudget: 100_000_000}
	if err := e.store.CreateProgramme(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	cfg := call.DefaultConfig()
	cfg.PaymentPlan = ledger.Plan{{Percent: 80, When: ledger.OnAcceptance}, {Percent: 20, When: ledger.OnFinalReportApproved}}
	c := &call.Call{ProgrammeID: p.ID, TitleSV: "Avslutsprovet 2021", OpensAt: now.Add(-48 * time.Hour), ClosesAt: now.Add(-24 * time.Hour),
		Ceiling: 50_000_000, MaxPerGrant: 10_000_000, Config: cfg}
	if err := e.store.CreateCall(ctx, by, c); err != nil {
		t.Fatal(err)
	}
	g := &grant.Grant{CallID: c.ID, PartnershipID: own.PartnershipID, OrganisationID: own.OrganisationID, Amount: 10_000_000, AwardedOn: clock.Date(2021, 6, 1)}
	if err := e.store.CreateGrant(ctx, by, g); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.AcceptGrant(ctx, by, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.RecordPayment(ctx, by, g.ID, 8_000_000, ""); err != nil {
		t.Fatal(err)
	}
	cr := &grant.ChangeRequest{GrantID: g.ID, NewEndDate: clock.Date(2022, 3, 31), Reason: "Skolorna stängde under våren."}
	if err := e.store.RequestChange(ctx, by, cr); err != nil {
		t.Fatal(err)
	}

	// The final report: 90 000 kr spent of 100 000, 80 000 paid.
	cl := e.login(applicant)
	grantPage := fmt.Sprintf("/bidrag/%d", g.ID)
	if res := e.post(cl, grantPage+"/rapporter/final", reportForm("submit", "", "90 000", "Ingen budget i ansökan.")); res.status != http.StatusSeeOther {
		t.Fatalf("submit the final report: %d\n%s", res.status, res.body)
	}
	o := e.login(officer)
	staffPage := fmt.Sprintf("/personal/bidrag/%d", g.ID)
	if res := e.post(o, fmt.Sprintf("%s/rapporter/%d", staffPage, e.finalReport(t, g).ID), url.Values{"action": {"approve"}}); res.status != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", res.status, res.body)
	}
	if _, err := e.store.Closure(ctx, g.ID); err == nil {
		t.Fatal("closed while the grantee is owed money")
	}
	// The last instalment is due, but only the 10 000 kr spent and not paid.
	for _, page := range []struct {
		c    *http.Client
		path string
	}{{o, staffPage}, {cl, grantPage}} {
		res := e.get(page.c, page.path)
		wantContains(t, page.path, res.body, "Att betala ut nu:</strong> 10\u00a0000\u00a0kr")
		// The first instalment is paid; the last is to be paid, shrunk
		// to the costs not yet paid.
		wantContains(t, page.path, res.body, `data-instalment="paid">Betald`, `data-instalment="to_be_paid">Ska betalas`,
			"10\u00a0000\u00a0kr <span class=\"hint\">(planerat 20\u00a0000\u00a0kr)")
	}
	if res := e.post(o, staffPage+"/utbetalningar", url.Values{"amount": {"10 000"}}); res.status != http.StatusSeeOther {
		t.Fatalf("the last payment: %d\n%s", res.status, res.body)
	}
	if _, err := e.store.Closure(ctx, g.ID); err != nil {
		t.Fatalf("the payment that settled the grant did not close it: %v", err)
	}

	before := e.closedGrantState(t, g.ID)
	posts := []struct {
		name string
		c    *http.Client
		path string
		form url.Values
	}{
		{"payment", o, staffPage + "/utbetalningar", url.Values{"amount": {"1"}}},
		{"change decision", o, fmt.Sprintf("%s/andringar/%d", staffPage, cr.ID), url.Values{fmt.Sprintf("decision-%d", cr.ID): {"approve"}}},
		{"activity", cl, fmt.Sprintf("/bidrag/%d/aktiviteter", g.ID), seminar()},
		{"change request", cl, grantPage + "/andringar", url.Values{"end_date": {"2022-06-30"}, "reason": {"Ännu en förskjutning."}}},
		{"acceptance", cl, grantPage + "/villkor", url.Values{"confirm": {"yes"}}},
		{"survey", cl, fmt.Sprintf("/bidrag/%d/enkat", g.ID), url.Values{"do": {"create"}}},
	}
	for _, p := range posts {
		res := e.post(p.c, p.path, p.form)
		if res.status != http.StatusConflict {
			t.Errorf("%s on a closed grant: %d, want 409\n%s", p.name, res.status, res.body)
			continue
		}
		wantContains(t, p.name, res.body, "Bidraget är avslutat")
	}
	if after := e.closedGrantState(t, g.ID); !reflect.DeepEqual(after, before) {
		t.Errorf("the refused posts changed the grant:\n got %+v\nwant %+v", after, before)
	}
	if _, err := e.store.Survey(ctx, g.ID); err == nil {
		t.Error("a survey was created on a closed grant")
	}
}
