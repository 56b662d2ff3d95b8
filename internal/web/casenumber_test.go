package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/application"
)

// TestResubmissionKeepsCaseNumber follows an application through the
// pages: submitted by the applicant's form, sent back for completion by
// the officer, completed and resubmitted by the form. It keeps its
// registration number, returns to the formal check the officer left (as
// the officer's page promised), its documents are numbered within the
// case, the registry finds them all by the case number, and the decision
// letter cites the case, not a number of its own.
func TestResubmissionKeepsCaseNumber(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	cl := e.login(applicant)
	path := startApplication(t, e, cl, c.ID)
	form := complete("1")
	form.Set("action", "submit")
	if res := e.post(cl, path, form); res.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", res.status, res.body)
	}
	a := e.app(path)
	num := a.RegNumber
	if !strings.HasPrefix(num, "2021/") || strings.Contains(num, "-") {
		t.Fatalf("case number %q", num)
	}
	off := e.login(officer)
	cp := casePath(a.ID)
	if res := e.post(off, cp+"/steg", url.Values{"event": {"start_check"}}); res.status != http.StatusSeeOther {
		t.Fatalf("start check: %d", res.status)
	}
	if res := e.post(off, cp+"/steg", url.Values{"event": {"request_completion"}, "note": {"Bifoga en tidsplan."}}); res.status != http.StatusSeeOther {
		t.Fatalf("completion: %d\n%s", res.status, res.body)
	}
	res := e.get(off, cp)
	wantContains(t, "waiting", res.body, "När ansökan kommer tillbaka fortsätter den formella granskningen här.")
	// The applicant completes and resubmits through the form.
	a = e.app(path)
	form = complete(strconv.Itoa(a.Version))
	form.Set("survey_plan", "Samma enkät i september och i december, till samma klasser.")
	form.Set("action", "submit")
	if res := e.post(cl, path, form); res.status != http.StatusSeeOther {
		t.Fatalf("resubmit: %d\n%s", res.status, res.body)
	}
	a = e.app(path)
	if a.RegNumber != num || a.State != application.FormalCheck || a.Submissions != 2 {
		t.Fatalf("resubmitted: number %q (was %q), state %s, submissions %d", a.RegNumber, num, a.State, a.Submissions)
	}
	res = e.get(cl, path)
	wantContains(t, "applicant's page", res.body, num)
	// The officer continues the formal check: the same number, the check's
	// own steps, no new start; the versions and the documents are the
	// case's.
	res = e.get(off, cp)
	wantContains(t, "officer after resubmission", res.body, "<dd>"+num+"</dd>", "Formell granskning", "Godkänn formell granskning", "Begär komplettering",
		num+"-1", num+"-2", num+"-3", "Handlingar i ärendet", "Begäran om komplettering: Plast i Kalix och Masaka – vad unga vet")
	wantNotContains(t, "officer after resubmission", res.body, "Påbörja formell granskning", "väntar på att den sökande kompletterar")
	// An officer registers a letter in the case: its next document.
	res = e.post(off, cp+"/handlingar", url.Values{"title": {"  "}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("document without a title: %d", res.status)
	}
	wantContains(t, "document without a title", res.body, "Fältet måste fyllas i.", `href="#title"`, `id="title-error"`)
	if res = e.post(off, cp+"/handlingar", url.Values{"title": {"Brev från Kalix om tidsplanen"}}); res.status != http.StatusSeeOther {
		t.Fatalf("document: %d\n%s", res.status, res.body)
	}
	for _, ev := range []string{"pass_check"} {
		if res = e.post(off, cp+"/steg", url.Values{"event": {ev}}); res.status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", ev, res.status, res.body)
		}
	}
	if res = e.post(off, cp+"/beslut", url.Values{"outcome": {"granted"}, "amount": {""}, "reason": {"Väl underbyggd."}}); res.status != http.StatusSeeOther {
		t.Fatalf("decide: %d\n%s", res.status, res.body)
	}
	res = e.get(off, cp)
	wantContains(t, "decided", res.body, "<dd>"+num+"</dd>", "<dd>"+num+"-5</dd>", "Brev från Kalix om tidsplanen")
	// The registry finds the case's documents by its number, and only them.
	res = e.get(off, "/personal/diarium?q="+url.QueryEscape(num))
	for _, want := range []string{num + "-1", num + "-2", num + "-3", num + "-4", num + "-5", "Begäran om komplettering", "Komplettering", "Beslut", "Handling"} {
		wantContains(t, "registry search", res.body, want)
	}
	if n := strings.Count(res.body, `<tr id="entry-`); n != 5 {
		t.Errorf("registry search %s: %d rows, want 5", num, n)
	}
	// The decision letter cites the case (and the decision's number in
	// it), not a number of the resubmission's own.
	res = e.get(cl, "/ansokningar/"+strconv.FormatInt(a.ID, 10)+"/beslut.pdf")
	if res.status != http.StatusOK {
		t.Fatalf("letter: %d", res.status)
	}
	text := pdfText(t, []byte(res.body))
	wantContains(t, "letter", text, "Diarienummer "+num+"-5", "Ansökans diarienummer "+num)
	seq, _ := strconv.Atoi(strings.TrimPrefix(num, "2021/"))
	for _, other := range []string{num + "-3", "2021/" + pad4(seq+1), "2021/" + pad4(seq+2)} {
		wantNotContains(t, "letter", text, other)
	}
}

func pad4(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
