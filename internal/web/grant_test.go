package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
)

// demoGrants returns a demo grant of Kalix kommun (the demo applicant's
// organisation) and one of another organisation.
func demoGrants(t *testing.T, e *env) (own, other *grant.Grant) {
	t.Helper()
	ctx := context.Background()
	kalix, err := e.store.OrganisationByCode(ctx, "2514")
	if err != nil {
		t.Fatal(err)
	}
	all, err := e.store.GrantList(ctx, grant.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range all {
		switch {
		case g.OrganisationID == kalix.ID && own == nil:
			own = g
		case g.OrganisationID != kalix.ID && other == nil:
			other = g
		}
	}
	if own == nil || other == nil {
		t.Fatalf("the demo lacks a grant of Kalix and one of another organisation: %v, %v", own, other)
	}
	return own, other
}

func TestGrantPagesForGrantee(t *testing.T) {
	e := newEnv(t, "")
	own, other := demoGrants(t, e)
	c := e.login(applicant)
	page := fmt.Sprintf("/bidrag/%d", own.ID)

	res := e.get(c, "/bidrag")
	if res.status != http.StatusOK {
		t.Fatalf("list: %d", res.status)
	}
	wantContains(t, "list", res.body, `href="`+page+`"`, "Väntar på att villkoren godkänns", `href="/bidrag" aria-current="page"`)
	wantNotContains(t, "list", res.body, fmt.Sprintf(`href="/bidrag/%d"`, other.ID))
	res = e.get(c, "/en/grants")
	wantContains(t, "list in English", res.body, "Our grants", fmt.Sprintf(`href="/en/grants/%d"`, own.ID))

	res = e.get(c, page)
	if res.status != http.StatusOK {
		t.Fatalf("grant page: %d\n%s", res.status, res.body)
	}
	wantContains(t, "grant page", res.body, "<meter", `id="meter-paid"`, "Betalningsplan", "När villkoren godkänts", "100 %",
		`action="`+page+`/villkor"`, `action="`+page+`/andringar"`, "Inga utbetalningar ännu.", "Att betala ut nu")
	if res := e.get(c, fmt.Sprintf("/en/grants/%d", own.ID)); res.status != http.StatusOK || !strings.Contains(res.body, "Accept the terms") {
		t.Errorf("English grant page: %d", res.status)
	}

	// Accepting needs the box ticked, then works once.
	res = e.post(c, page+"/villkor", url.Values{})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("accept unticked: %d", res.status)
	}
	wantContains(t, "accept unticked", res.body, "Kryssa i att ni har läst", `href="#confirm"`)
	if res := e.post(c, page+"/villkor", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", res.status, res.body)
	}
	res = e.get(c, page)
	wantContains(t, "after accepting", res.body, "Villkoren godkändes av Åsa Sökande", "Villkoren är godkända.")
	wantNotContains(t, "after accepting", res.body, `action="`+page+`/villkor"`)
	res = e.post(c, page+"/villkor", url.Values{"confirm": {"yes"}})
	if res.status != http.StatusConflict {
		t.Errorf("accepting twice: %d", res.status)
	}
	wantContains(t, "accepting twice", res.body, "Villkoren är redan godkända.")

	// Another organisation's grant does not exist for this grantee.
	otherPage := fmt.Sprintf("/bidrag/%d", other.ID)
	for _, r := range []response{e.get(c, otherPage), e.post(c, otherPage+"/villkor", url.Values{"confirm": {"yes"}}),
		e.post(c, otherPage+"/andringar", url.Values{"end_date": {"2022-03-31"}, "reason": {"x"}}), e.get(c, "/bidrag/999999")} {
		if r.status != http.StatusNotFound {
			t.Errorf("another organisation's grant: %d", r.status)
		}
	}
	if _, err := e.store.Acceptance(context.Background(), other.ID); err == nil {
		t.Error("another organisation's grant was accepted")
	}
	// Officers' pages are not the grantee's.
	if res := e.get(c, "/personal/bidrag"); res.status != http.StatusForbidden {
		t.Errorf("grantee on the officers' list: %d", res.status)
	}
}

func TestGrantChangeRequest(t *testing.T) {
	e := newEnv(t, "")
	own, _ := demoGrants(t, e)
	c := e.login(applicant)
	page := fmt.Sprintf("/bidrag/%d", own.ID)
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"no reason", url.Values{"end_date": {"2022-03-31"}}, 422, []string{"Fältet måste fyllas i.", `value="2022-03-31"`}},
		{"nothing to change", url.Values{"reason": {"Vi vill ändra."}}, 422, []string{"Ange ett nytt slutdatum eller ett belopp"}},
		{"bad date", url.Values{"end_date": {"31/3"}, "reason": {"Skolorna stängde."}}, 422, []string{"Skriv datumet som ÅÅÅÅ-MM-DD", `value="31/3"`, "Skolorna stängde."}},
		{"bad amount", url.Values{"from_line": {"Material"}, "to_line": {"Konsult"}, "amount": {"mycket"}, "reason": {"x"}}, 422, []string{"Skriv beloppet i kronor med siffror", `value="mycket"`}},
		{"same line", url.Values{"from_line": {"Material"}, "to_line": {"Material"}, "amount": {"5 000"}, "reason": {"x"}}, 422, []string{"Välj en annan budgetpost"}},
		{"valid", url.Values{"end_date": {"2022-03-31"}, "from_line": {"Material"}, "to_line": {"Konsult"}, "amount": {"15 000"}, "reason": {"Skolorna i Kalix stängde under våren."}}, 303, nil},
	}
	for _, tt := range tests {
		res := e.post(c, page+"/andringar", tt.form)
		if res.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, res.status, tt.status)
			continue
		}
		wantContains(t, tt.name, res.body, tt.want...)
	}
	if reports := e.get(c, page+"/rapporter").body; !strings.Contains(reports, "2022-01-31") {
		t.Error("before any change the final report is not due 2022-01-31")
	}
	res := e.get(c, page)
	wantNotContains(t, "pending request", res.body, "Aktiviteterna slutar")
	wantContains(t, "after the request", res.body, "Ändring ", "väntar på beslut", "Nytt slutdatum: 2022-03-31", "Flytta 15\u00a0000\u00a0kr från Material till Konsult",
		"Skolorna i Kalix stängde under våren.")
	list, err := e.store.ChangeRequests(context.Background(), own.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("stored requests: %v, %v", list, err)
	}

	// The officer decides: a rejection needs a note; then it is approved.
	o := e.login(officer)
	staffPage := fmt.Sprintf("/personal/bidrag/%d", own.ID)
	res = e.get(o, "/personal/bidrag")
	wantContains(t, "officers' list", res.body, `href="`+staffPage+`"`, "En ändring väntar på beslut", `href="/personal/bidrag" aria-current="page"`)
	decide := fmt.Sprintf("%s/andringar/%d", staffPage, list[0].ID)
	field := fmt.Sprintf("%d", list[0].ID)
	res = e.post(o, decide, url.Values{"decision-" + field: {"reject"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("reject without a note: %d", res.status)
	}
	wantContains(t, "reject without a note", res.body, "Skriv varför ändringen avslås.", `href="#note-`+field+`"`)
	if res := e.post(o, decide, url.Values{}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("no decision: %d", res.status)
	}
	if res := e.post(o, decide, url.Values{"decision-" + field: {"approve"}, "note-" + field: {"Godkänt."}}); res.status != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.status)
	}
	res = e.post(o, decide, url.Values{"decision-" + field: {"reject"}, "note-" + field: {"Nej."}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Ändringen är redan beslutad.") {
		t.Errorf("deciding twice: %d", res.status)
	}
	res = e.get(c, page)
	wantContains(t, "grantee sees the decision", res.body, "godkänd", "Beslutad av Olle Handläggare", "Godkänt.")
	// The approved end date takes effect: the grant shows it, and the
	// final report moves to 31 January after it.
	wantContains(t, "grant after the approval", res.body, "<dt>Aktiviteterna slutar</dt><dd><time datetime=\"2022-03-31\">2022-03-31</time>")
	wantContains(t, "officer's grant after the approval", e.get(o, staffPage).body, "<dt>Aktiviteterna slutar</dt><dd><time datetime=\"2022-03-31\">2022-03-31</time>")
	reports := e.get(c, page+"/rapporter").body
	wantContains(t, "reports after the extension", reports, "2023-01-31")
	wantNotContains(t, "reports after the extension", reports, "2022-01-31")
	// The approved move of money stands beside the financial report.
	wantContains(t, "final report after the move", e.get(c, page+"/rapporter/final").body,
		"Godkända omfördelningar", "15\u00a0000\u00a0kr från Material till Konsult, godkänd")
}

func TestGrantPayments(t *testing.T) {
	e := newEnv(t, "")
	own, _ := demoGrants(t, e)
	o := e.login(officer)
	page := fmt.Sprintf("/personal/bidrag/%d", own.ID)
	res := e.get(o, page)
	if res.status != http.StatusOK {
		t.Fatalf("officer's grant page: %d\n%s", res.status, res.body)
	}
	wantContains(t, "officer's grant page", res.body, "Bidragets konto", "Registrera en utbetalning", "Inte godkända ännu", "<meter")
	if res := e.get(o, "/en/staff/grants"); res.status != http.StatusOK || !strings.Contains(res.body, "Grants") {
		t.Errorf("English list: %d", res.status)
	}
	over := own.Amount/100 + 1
	tests := []struct {
		name, amount string
		status       int
		want         string
	}{
		{"non-numeric", "femtio", 422, "Skriv beloppet i kronor med siffror"},
		{"negative", "-5 000", 422, "Beloppet kan inte vara negativt."},
		{"zero", "0", 422, "Beloppet måste vara större än noll."},
		{"empty", "", 422, "Ange ett belopp i kronor."},
		{"above the grant", fmt.Sprintf("%d kr", over), 422, "får betalas ut: det som återstår av det beviljade beloppet."},
		{"valid", "100 000,50", 303, ""},
	}
	for _, tt := range tests {
		res := e.post(o, page+"/utbetalningar", url.Values{"amount": {tt.amount}, "note": {"Första utbetalningen"}})
		if res.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, res.status, tt.status)
			continue
		}
		if tt.status == 422 {
			wantContains(t, tt.name, res.body, tt.want, `value="`+tt.amount+`"`, `value="Första utbetalningen"`, `href="#amount"`)
		}
	}
	b, err := e.store.Balance(context.Background(), own.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Paid != 10_000_050 || b.Granted != own.Amount {
		t.Errorf("balance: %+v", b)
	}
	// What is left can be paid, and not an öre more.
	left := own.Amount - b.Paid
	res = e.post(o, page+"/utbetalningar", url.Values{"amount": {fmt.Sprintf("%d,%02d", left/100, left%100+1)}})
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("one öre over: %d", res.status)
	}
	if res := e.post(o, page+"/utbetalningar", url.Values{"amount": {fmt.Sprintf("%d,%02d", left/100, left%100)}}); res.status != http.StatusSeeOther {
		t.Errorf("the rest: %d", res.status)
	}
	res = e.get(o, page)
	wantContains(t, "after paying", res.body, "är registrerad i bidragets reskontra.", "Första utbetalningen", "100\u00a0000,50\u00a0kr")
	if b, _ := e.store.Balance(context.Background(), own.ID); b.Paid != own.Amount || b.Unpaid() != 0 {
		t.Errorf("balance after paying the rest: %+v", b)
	}
	entries, _ := e.store.LedgerEntries(context.Background(), own.ID)
	if len(entries) != 3 || entries[0].Kind != ledger.Granted {
		t.Errorf("ledger: %+v", entries)
	}
	// The grantee sees the payments.
	c := e.login(applicant)
	res = e.get(c, fmt.Sprintf("/bidrag/%d", own.ID))
	wantContains(t, "grantee's payments", res.body, "Första utbetalningen", "100\u00a0000,50\u00a0kr")
	if res := e.post(c, page+"/utbetalningar", url.Values{"amount": {"1"}}); res.status != http.StatusForbidden {
		t.Errorf("grantee recording a payment: %d", res.status)
	}
}
