package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/user"
)

// decidedForReviewer builds, in a call of its own (blind review or not),
// an application of Kalix – Masaka with an attachment, assigned to a new
// reviewer who declared no conflict and scored it, and granted. It
// returns the application, the attachment and the reviewer.
func decidedForReviewer(t *testing.T, e *env, blind bool, reviewerEmail string) (*application.Application, *attachment.Attachment, *user.User) {
	t.Helper()
	ctx := context.Background()
	f := newCaseFix(t, e, 1_000_000, 300_000, func(c *call.Config) { c.Steps.BlindReview = blind })
	a := f.draft("Plasten i vardagen", "200 000") // a title that does not give the applicant away
	content := []byte("%PDF-1.4 tidsplan")
	key := fmt.Sprintf("letter-test-%d", a.ID)
	if _, _, err := e.files.Put(ctx, key, strings.NewReader(string(content))); err != nil {
		t.Fatal(err)
	}
	att := &attachment.Attachment{ApplicationID: a.ID, FieldKey: "attachments", Filename: "tidsplan.pdf", ContentType: "application/pdf",
		Size: int64(len(content)), SHA256: strings.Repeat("ef", 32), StorageKey: key}
	if err := e.store.AddAttachment(ctx, f.by, att); err != nil {
		t.Fatal(err)
	}
	a.Answers.Files = map[string][]int64{"attachments": {att.ID}}
	if err := e.store.SaveDraft(ctx, f.by, a); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.SubmitApplication(ctx, f.by, a.ID, a.Version, nil); err != nil {
		t.Fatal(err)
	}
	f.move(a.ID, application.StartCheck, application.PassCheck)
	rev := f.newReviewer(reviewerEmail, "Rut Recensent")
	f.scored(a.ID, rev, 4)
	if err := e.store.Decide(ctx, audit.Actor{Name: "Olle Handläggare"}, &decision.Decision{ApplicationID: a.ID, Outcome: decision.Granted,
		Reason: "Kalix kommun och Masaka visar hur det görs."}, nil); err != nil {
		t.Fatal(err)
	}
	return f.reload(a.ID), att, rev
}

// Under blind review a reviewer never learns who applied: not from the
// decision letter (which names the applicant and the partnership), nor
// from any other page of the application they can reach.
func TestBlindReviewerSeesNoApplicant(t *testing.T) {
	e := newEnv(t, "http://localhost")
	a, att, rev := decidedForReviewer(t, e, true, "rut@example.se")
	c := e.loginAs(t, rev.Email)
	who := []string{"Kalix", "Masaka"}
	id := a.ID
	for _, path := range []string{
		fmt.Sprintf("/ansokningar/%d/beslut.pdf", id),
		fmt.Sprintf("/en/applications/%d/decision.pdf", id),
		fmt.Sprintf("/ansokningar/%d", id),     // the applicant's page with the timeline
		fmt.Sprintf("/en/applications/%d", id), // and in English
		casePath(id),                           // the officers' case
		fmt.Sprintf("/personal/logg?post=application&id=%d", id),
	} {
		res := e.get(c, path)
		if res.status != http.StatusNotFound && res.status != http.StatusForbidden {
			t.Errorf("blind reviewer GET %s: %d, want 404 or 403", path, res.status)
		}
		if strings.HasSuffix(path, ".pdf") && res.status != http.StatusNotFound {
			t.Errorf("blind reviewer GET %s: %d, want 404 (as for a reader who may not)", path, res.status)
		}
		if ct := res.header.Get("Content-Type"); strings.HasPrefix(ct, "application/pdf") {
			t.Errorf("blind reviewer GET %s: got a PDF", path)
		}
		wantNotContains(t, "blind reviewer GET "+path, mainOf(res.body), who...)
	}
	// What the reviewer may read shows the application without who applied.
	for _, path := range []string{reviewPath(id), "/en/reviews/" + fmt.Sprint(id), "/granskning", "/en/reviews"} {
		res := e.get(c, path)
		if res.status != http.StatusOK {
			t.Errorf("blind reviewer GET %s: %d, want 200", path, res.status)
			continue
		}
		wantNotContains(t, "blind reviewer GET "+path, mainOf(res.body), who...)
	}
	res := e.get(c, reviewPath(id))
	wantContains(t, "blind review page", res.body, "tidsplan.pdf", fmt.Sprintf(`/ansokningar/%d/bilagor/%d`, id, att.ID))
	// The attachments are part of what is scored: served as uploaded, with
	// nothing of the applicant added.
	file := fmt.Sprintf("/ansokningar/%d/bilagor/%d", id, att.ID)
	res = e.get(c, file)
	if res.status != http.StatusOK || res.body != "%PDF-1.4 tidsplan" {
		t.Errorf("blind reviewer GET %s: %d %q", file, res.status, res.body)
	}
	for k, vs := range res.header {
		for _, v := range vs {
			if strings.Contains(v, "Kalix") || strings.Contains(v, "Masaka") {
				t.Errorf("attachment header %s names the applicant: %q", k, v)
			}
		}
	}
	// The applicant and the officer still get the letter.
	for _, email := range []string{kalixApplicant, officer} {
		res := e.get(e.login(email), fmt.Sprintf("/ansokningar/%d/beslut.pdf", id))
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/pdf") {
			t.Errorf("%s GET the letter: %d %s", email, res.status, res.header.Get("Content-Type"))
		}
	}
}

// A reviewer in a call without blind review sees who applied on their
// pages, and may read the decision letter as before.
func TestOpenReviewerReadsLetter(t *testing.T) {
	e := newEnv(t, "http://localhost")
	a, _, rev := decidedForReviewer(t, e, false, "rut@example.se")
	c := e.loginAs(t, rev.Email)
	for _, path := range []string{fmt.Sprintf("/ansokningar/%d/beslut.pdf", a.ID), fmt.Sprintf("/en/applications/%d/decision.pdf", a.ID)} {
		res := e.get(c, path)
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/pdf") {
			t.Errorf("reviewer GET %s: %d %s", path, res.status, res.header.Get("Content-Type"))
		}
	}
	res := e.get(c, reviewPath(a.ID))
	wantContains(t, "open review page", res.body, "Kalix kommun", "Kalix – Masaka")
}

// The decision letter states the call's payment plan with each
// instalment's amount, the reports the call asks for with their due dates,
// and the grant's terms, in the reader's language: here a call paying
// 60 % on acceptance and 40 % after an approved interim report.
func TestLetterStatesPlanAndReports(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	f := newCaseFix(t, e, 1_000_000, 300_000, func(c *call.Config) {
		c.PaymentPlan = ledger.Plan{{Percent: 60, When: ledger.OnAcceptance}, {Percent: 40, When: ledger.OnInterimApproved}}
		c.Reports.Interim, c.Reports.InterimDue = true, "2021-09-30"
	})
	a := f.inReview("Plast och avfall i Kalix", "200 000")
	if err := e.store.Decide(ctx, audit.Actor{Name: "Olle Handläggare"}, &decision.Decision{ApplicationID: a.ID, Outcome: decision.Granted,
		Conditions: "Förmätningen skickas till ICLD före första utbetalningen."}, nil); err != nil {
		t.Fatal(err)
	}
	c := e.login(kalixApplicant)
	for _, tc := range []struct {
		path   string
		want   []string
		unwant []string
	}{
		{fmt.Sprintf("/ansokningar/%d/beslut.pdf", a.ID), []string{
			"ICLD beviljar Kalix kommun 200 000 kr i bidrag",
			"Villkor för bidraget", "Kalix kommun godkänner villkoren för bidraget innan något betalas ut.",
			"betalas tillbaka till ICLD", "Särskilda villkor i detta beslut", "Förmätningen skickas till ICLD före första utbetalningen.",
			"Bidraget betalas ut i två delar:",
			"60 % 120 000 kr när Kalix kommun har godkänt villkoren för bidraget",
			"40 % 80 000 kr när ICLD har godkänt delrapporten",
			"Delrapport senast 30 september 2021", "Slutrapport senast 31 januari 2022",
			"avviker med mer än 10 % från budgeten",
		}, []string{"Hela bidraget", "betalas ut när Kalix kommun har godkänt villkoren för bidraget."}},
		{fmt.Sprintf("/en/applications/%d/decision.pdf", a.ID), []string{
			"ICLD grants Kalix kommun SEK 200,000", "Terms of the grant", "repaid to ICLD",
			"The grant is paid in two instalments:",
			"60% SEK 120,000 once Kalix kommun has accepted the terms of the grant",
			"40% SEK 80,000 once ICLD has approved the interim report",
			"Interim report by 30 September 2021", "Final report by 31 January 2022",
		}, []string{"The grant is paid once"}},
	} {
		res := e.get(c, tc.path)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d", tc.path, res.status)
		}
		text := pdfText(t, []byte(res.body))
		wantContains(t, "letter "+tc.path, text, tc.want...)
		wantNotContains(t, "letter "+tc.path, text, tc.unwant...)
	}
}
