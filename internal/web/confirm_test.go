package web_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
)

// follow GETs the page a 303 leads to, where the flash message shows.
func (e *env) follow(c *http.Client, res response) response {
	e.t.Helper()
	if res.status != http.StatusSeeOther {
		e.t.Fatalf("want a redirect, got %d\n%s", res.status, res.body)
	}
	return e.get(c, res.header.Get("Location"))
}

// TestWithdrawAsksFirst: withdrawing an application is a step of its own,
// apart from Submit: a page (no script needed) says what it means, and
// only a POST that confirms it withdraws.
func TestWithdrawAsksFirst(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	cl := e.login(applicant)
	path := startApplication(t, e, cl, c.ID)
	id := path[strings.LastIndex(path, "/")+1:]
	confirm := "/ansokningar/" + id + "/dra-tillbaka"

	// On the draft, no button withdraws at once, and the way to it sits
	// apart from Submit, after the timeline.
	res := e.get(cl, path)
	wantNotContains(t, "draft page", res.body, `value="withdraw"`)
	submit, timeline, link := strings.Index(res.body, `value="submit"`), strings.Index(res.body, `id="timeline-heading"`), strings.Index(res.body, `href="`+confirm+`"`)
	if submit < 0 || timeline < 0 || link < 0 || !(submit < timeline && timeline < link) {
		t.Errorf("submit at %d, timeline at %d, withdraw link at %d: the link must come after the timeline", submit, timeline, link)
	}
	wantContains(t, "draft page", res.body, `id="other-actions-heading"`)

	// The confirmation page says what withdrawing means.
	res = e.get(cl, confirm)
	if res.status != http.StatusOK {
		t.Fatalf("confirmation page: %d", res.status)
	}
	wantContains(t, "confirmation page", res.body, "Vill du dra tillbaka ansökan?", "kan inte ångras", "handläggs inte",
		`name="confirm" value="yes"`, `action="`+path+`"`, `href="`+path+`"`)

	// A POST without the confirmation shows the question and withdraws nothing.
	res = e.post(cl, path, url.Values{"action": {"withdraw"}})
	if res.status != http.StatusOK || e.app(path).State != application.Draft {
		t.Fatalf("unconfirmed withdraw: %d, state %s", res.status, e.app(path).State)
	}
	wantContains(t, "unconfirmed withdraw", res.body, "Vill du dra tillbaka ansökan?", `name="confirm" value="yes"`)

	// Confirmed, it withdraws, and says so.
	res = e.post(cl, path, url.Values{"action": {"withdraw"}, "confirm": {"yes"}})
	if e.app(path).State != application.Withdrawn {
		t.Fatalf("confirmed withdraw: %d, state %s", res.status, e.app(path).State)
	}
	res = e.follow(cl, res)
	wantContains(t, "after withdrawing", res.body, `role="alert"`, "Ansökan är tillbakadragen")
	wantNotContains(t, "after withdrawing", res.body, `href="`+confirm+`"`)
	// Nothing is left to withdraw: the confirmation page leads back.
	if res := e.get(cl, confirm); res.status != http.StatusSeeOther || res.header.Get("Location") != path {
		t.Errorf("confirmation of a withdrawn application: %d %q", res.status, res.header.Get("Location"))
	}
}

// TestWithdrawAsksFirstEnglish: the confirmation page in English.
func TestWithdrawAsksFirstEnglish(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	cl := e.login(applicant)
	path := startApplication(t, e, cl, c.ID)
	id, _ := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	res := e.get(cl, "/en/applications/"+strconv.FormatInt(id, 10)+"/withdraw")
	if res.status != http.StatusOK {
		t.Fatalf("confirmation page: %d", res.status)
	}
	wantContains(t, "English confirmation page", res.body, "Withdraw the application?", "cannot be undone")
}

// TestFlashSaysWhatNext: after submitting, accepting, paying, approving
// and publishing, the next page says what happened, to which record, and
// what comes next, in a region a screen reader announces.
func TestFlashSaysWhatNext(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()

	// The applicant submits an application: its number, and what follows.
	c := openCall(t, e)
	cl := e.login(applicant)
	path := startApplication(t, e, cl, c.ID)
	if res := e.post(cl, path, complete("1")); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.status)
	}
	form := complete(strconv.Itoa(e.app(path).Version))
	form.Set("action", "submit")
	res := e.follow(cl, e.post(cl, path, form))
	number := e.app(path).RegNumber
	wantContains(t, "after submitting", res.body, `<p class="flash" role="alert">Ansökan är inskickad och diarieförd som ärende `+number+".",
		"ni får e-post om den behöver kompletteras och när beslutet är fattat")

	// The grantee accepts the terms: payment follows the plan.
	own, _ := demoGrants(t, e)
	grantPage := fmt.Sprintf("/bidrag/%d", own.ID)
	res = e.follow(cl, e.post(cl, grantPage+"/villkor", url.Values{"confirm": {"yes"}}))
	wantContains(t, "after accepting", res.body, "Villkoren är godkända. Programkontoret betalar ut bidraget enligt betalningsplanen")

	// The officer pays: the amount, and where the grantee sees it; the
	// log names the payment in Swedish.
	o := e.login(officer)
	res = e.follow(o, e.post(o, fmt.Sprintf("/personal/bidrag/%d/utbetalningar", own.ID), url.Values{"amount": {"1 000"}}))
	wantContains(t, "after paying", res.body, "Utbetalningen på 1\u00a0000\u00a0kr är registrerad i bidragets reskontra. Bidragsmottagaren ser den på bidragets sida.")
	res = e.get(o, fmt.Sprintf("/personal/logg?post=grant&id=%d", own.ID))
	wantContains(t, "the grant's log", res.body, "<td>Utbetalning registrerad</td>")
	wantNotContains(t, "the grant's log", res.body, "<td>pay</td>")
	// Shown once.
	res = e.get(o, fmt.Sprintf("/personal/bidrag/%d", own.ID))
	wantNotContains(t, "the page after", res.body, "Utbetalningen på")

	// A final report: submitted with its number, approved with what follows.
	g := reportGrant(t, e)
	if _, err := e.store.RecordPayment(ctx, audit.System("test"), g.ID, 10_000_000, ""); err != nil {
		t.Fatal(err)
	}
	reportPage := fmt.Sprintf("/bidrag/%d/rapporter/final", g.ID)
	if res := e.post(cl, reportPage, reportForm("save", "", "80 000", "Ingen budget i ansökan.")); res.status != http.StatusSeeOther {
		t.Fatalf("save report: %d", res.status)
	}
	r := e.finalReport(t, g)
	res = e.follow(cl, e.post(cl, reportPage, reportForm("submit", fmt.Sprint(r.Version), "80 000", "Ingen budget i ansökan.")))
	r = e.finalReport(t, g)
	wantContains(t, "after submitting the report", res.body, "Slutrapporten är inlämnad och diarieförd som "+r.RegNumber+".", "ni får e-post när den är godkänd")
	res = e.follow(o, e.post(o, fmt.Sprintf("/personal/bidrag/%d/rapporter/%d", g.ID, r.ID), url.Values{"action": {"approve"}}))
	wantContains(t, "after approving", res.body, "Slutrapporten är godkänd och bidraget är slutavräknat", "Bidragsmottagaren får ett e-postmeddelande.")

	// The writer publishes a story: where it now shows.
	kalix := e.partnershipNamed("Kalix – Masaka")
	res = e.postStory(cl, "/mina-berattelser/ny", url.Values{"partnership": {fmt.Sprint(kalix.ID)}, "title_sv": {"Städdag vid älven"}, "body_sv": {"Vi städade."}}, "", nil)
	st := e.storyAt(res.header.Get("Location"))
	res = e.follow(cl, e.post(cl, fmt.Sprintf("/mina-berattelser/%d/publicera", st.ID), url.Values{"version": {fmt.Sprint(st.Version)}}))
	wantContains(t, "after publishing", res.body, "Berättelsen är publicerad. Den syns nu på webbplatsen, på partnerskapets sida och i flödena.")
}

// TestFlashSaysWhatNextEnglish: the same in English, with the amount as
// English writes it.
func TestFlashSaysWhatNextEnglish(t *testing.T) {
	e := newEnv(t, "http://localhost")
	own, _ := demoGrants(t, e)
	cl := e.login(applicant)
	if res := e.post(cl, fmt.Sprintf("/en/grants/%d/terms", own.ID), url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	o := e.login(officer)
	res := e.follow(o, e.post(o, fmt.Sprintf("/en/staff/grants/%d/payments", own.ID), url.Values{"amount": {"1 000"}}))
	wantContains(t, "after paying", res.body, `role="alert">The payment of SEK`, "is recorded in the grant&#39;s ledger. The grantee sees it on the grant&#39;s page.")
	res = e.get(o, fmt.Sprintf("/en/staff/log?post=grant&id=%d", own.ID))
	wantContains(t, "the grant's log in English", res.body, "<td>Payment recorded</td>")
}

// TestFlashRefusesForgedText: the flash cookie names a message of the
// site's; a made-up key, or a value with markup, shows nothing.
func TestFlashRefusesForgedText(t *testing.T) {
	e := newEnv(t, "http://localhost")
	o := e.login(officer)
	u, _ := url.Parse(e.srv.URL)
	for _, v := range []string{
		"flash.nonsense",
		"flash.grant.payment_recorded|" + base64.RawURLEncoding.EncodeToString([]byte("Amount=%3Cb%3Efree%3C%2Fb%3E")),
		"flash.grant.payment_recorded|" + base64.RawURLEncoding.EncodeToString([]byte("Amount=call+https%3A%2F%2Fevil.example")),
		"audit.title",
	} {
		o.Jar.SetCookies(u, []*http.Cookie{{Name: "flash", Value: v, Path: "/"}})
		res := e.get(o, "/personal/bidrag")
		wantNotContains(t, v, res.body, `class="flash"`)
	}
}

// TestFlashSaysWhatNextOnTheCase: the officer's steps on an application,
// a decision with its number and amount, and the reviewer's declaration
// and review each say what happened and what follows.
func TestFlashSaysWhatNextOnTheCase(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 1_000_000, 300_000, nil)
	ctx := context.Background()
	off := e.login(officer)

	// Completion requested: the applicant is told, with the comment.
	a := f.submitted("Komplettera mig", "100 000")
	f.move(a.ID, application.StartCheck)
	res := e.follow(off, e.post(off, casePath(a.ID)+"/steg", url.Values{"event": {"request_completion"}, "note": {"Bifoga budgeten."}}))
	wantContains(t, "after requesting completion", res.body, "Komplettering är begärd. Den sökande får e-post med din kommentar")
	// The applicant completes it: resubmitted, with the new number.
	cl := e.login(kalixApplicant)
	path := "/ansokningar/" + strconv.FormatInt(a.ID, 10)
	form := complete(strconv.Itoa(f.reload(a.ID).Version))
	form.Set("action", "submit")
	res = e.follow(cl, e.post(cl, path, form))
	wantContains(t, "after resubmitting", res.body, "Kompletteringen är inskickad och diarieförd som handling "+f.reload(a.ID).RegNumber+"-3 i ärende "+f.reload(a.ID).RegNumber+".")

	// A step of the case.
	b := f.submitted("Granska mig", "100 000")
	res = e.follow(off, e.post(off, casePath(b.ID)+"/steg", url.Values{"event": {"start_check"}}))
	wantContains(t, "after starting the check", res.body, "Den formella granskningen är påbörjad.")

	// The reviewer declares no conflict, then submits.
	c := f.inReview("Bedöm mig", "200 000")
	berit := f.newReviewer("greta@example.se", "Greta Granskare")
	if err := e.store.AssignReviewer(ctx, f.by, c.ID, berit.ID); err != nil {
		t.Fatal(err)
	}
	rev := e.loginAs(t, berit.Email)
	res = e.follow(rev, e.post(rev, reviewPath(c.ID)+"/jav", url.Values{"conflict": {"no"}}))
	wantContains(t, "after declaring", res.body, "Du har intygat att du inte är jävig. Nu kan du bedöma ansökan.")
	full := url.Values{"action": {"submit"}, "score_relevance": {"4"}, "comment_relevance": {"Bra."}, "score_feasibility": {"3"},
		"comment_feasibility": {"Budgeten är rimlig."}, "recommendation": {"grant"}, "comment": {"Stöd ansökan."}}
	res = e.follow(rev, e.post(rev, reviewPath(c.ID), full))
	wantContains(t, "after submitting the review", res.body, "Bedömningen är inskickad och kan inte längre ändras.")

	// The decision: outcome, number and amount, and the applicant's next step.
	res = e.follow(off, e.post(off, casePath(c.ID)+"/beslut", url.Values{"outcome": {"granted"}, "conditions": {"Rapport senast 31 januari 2022."}}))
	d, err := e.store.Decision(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, "after deciding", res.body, "Beslutet är fattat och diariefört som "+d.RegNumber+": 200\u00a0000\u00a0kr beviljas.",
		"godkänner sedan villkoren")
}
