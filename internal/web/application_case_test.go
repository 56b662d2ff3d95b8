package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/i18n"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// The officer and reviewer pages are tried on fixtures built here through
// the store, not on the demo's applications: a programme of their own, a
// call open at the test clock's now, and applications for the demo's
// active partnerships moved through their states.

const (
	reviewerEmail  = "bedomare@demo.partnerskap.se"
	kalixApplicant = "sokande@kalix.demo.partnerskap.se"
)

// caseFix is a call with applications, built through the store.
type caseFix struct {
	t      *testing.T
	e      *env
	by     audit.Actor
	call   *call.Call
	pships []*partnership.Partnership // active, with a Swedish member; Kalix – Masaka first
	next   int
}

// newCaseFix adds a programme and a call open now with the default
// configuration (formal check and review); ceiling and max in kronor.
func newCaseFix(t *testing.T, e *env, ceiling, max int64, edit func(*call.Config)) *caseFix {
	t.Helper()
	ctx := context.Background()
	f := &caseFix{t: t, e: e, by: audit.System("test")}
	p := &programme.Programme{NameSV: "Kommunikationsstöd, andra omgången", NameEN: "Communication support, second round", Funder: "Sida", Operator: "ICLD",
		TotalBudget: ceiling * 100}
	if err := e.store.CreateProgramme(ctx, f.by, p); err != nil {
		t.Fatal(err)
	}
	cfg := call.DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	c := &call.Call{ProgrammeID: p.ID, TitleSV: "Andra omgången 2021", TitleEN: "Second round 2021", OpensAt: now.Add(-7 * 24 * time.Hour),
		ClosesAt: now.Add(30 * 24 * time.Hour), Ceiling: ceiling * 100, MaxPerGrant: max * 100, Config: cfg}
	if err := e.store.CreateCall(ctx, f.by, c); err != nil {
		t.Fatal(err)
	}
	f.call = c
	// The demo's reviewer reviews in the new call too: officers assign
	// only a call's reviewers (call_reviewer.go).
	berit, err := e.store.UserByEmail(ctx, reviewerEmail)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.AddCallReviewer(ctx, f.by, c.ID, berit.ID); err != nil {
		t.Fatal(err)
	}
	ps, err := e.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	today := clock.Today(now)
	for _, p := range ps {
		if p.IsActive(today) && len(p.Swedish) > 0 {
			if p.Name == "Kalix – Masaka" {
				f.pships = append([]*partnership.Partnership{p}, f.pships...)
			} else {
				f.pships = append(f.pships, p)
			}
		}
	}
	if len(f.pships) < 4 || f.pships[0].Name != "Kalix – Masaka" {
		t.Fatalf("the demo has %d active partnerships; the fixtures need four, Kalix – Masaka among them", len(f.pships))
	}
	return f
}

// answers is a complete set of answers for the default form asking for
// amount (kronor as typed).
func fixAnswers(title, amount string) form.Answers {
	return form.Answers{
		Values: map[string]string{"title": title, "summary": "Vi berättar om partnerskapet för politiker och elever.",
			"objectives": "Fler ska känna till partnerskapet och Agenda 2030.", "survey_plan": "Samma enkät före och efter, till samma klasser."},
		TargetGroups: []form.TargetGroup{{Group: "politicians", Message: "Partnerskapet minskar plasten i båda kommunerna."}},
		Activities: []form.Activity{{Title: "Utställning i biblioteket", TargetGroup: "citizens", Channel: "exhibition",
			Start: "2021-09-01", End: "2021-09-30", Cost: "40 000"}},
		Budget:  []form.BudgetLine{{Category: "communicator", Description: "Kommunikatör 20 %", Amount: amount}},
		Targets: []string{"12.5"},
	}
}

// draft starts an application for the next partnership with the answers
// filled in, without submitting it.
func (f *caseFix) draft(title, amount string) *application.Application {
	f.t.Helper()
	ctx := context.Background()
	p := f.pships[f.next]
	f.next++
	a := &application.Application{CallID: f.call.ID, PartnershipID: p.ID, OrganisationID: p.Swedish[0].ID}
	if err := f.e.store.CreateApplication(ctx, f.by, a); err != nil {
		f.t.Fatal(err)
	}
	a.Answers = fixAnswers(title, amount)
	if errs := form.Check(&f.call.Config.Form, f.call.Config.Lists, &a.Answers); len(errs) > 0 {
		f.t.Fatalf("fixture answers incomplete: %v", errs)
	}
	if err := f.e.store.SaveDraft(ctx, f.by, a); err != nil {
		f.t.Fatal(err)
	}
	return a
}

// submitted starts and submits an application.
func (f *caseFix) submitted(title, amount string) *application.Application {
	f.t.Helper()
	a := f.draft(title, amount)
	if _, err := f.e.store.SubmitApplication(context.Background(), f.by, a.ID, a.Version, nil); err != nil {
		f.t.Fatal(err)
	}
	return f.reload(a.ID)
}

// inReview submits an application and passes the formal check.
func (f *caseFix) inReview(title, amount string) *application.Application {
	f.t.Helper()
	a := f.submitted(title, amount)
	f.move(a.ID, application.StartCheck, application.PassCheck)
	return f.reload(a.ID)
}

func (f *caseFix) move(id int64, events ...application.Event) {
	f.t.Helper()
	for _, ev := range events {
		if err := f.e.store.Transition(context.Background(), f.by, id, ev, "", nil); err != nil {
			f.t.Fatalf("%s: %v", ev, err)
		}
	}
}

func (f *caseFix) reload(id int64) *application.Application {
	f.t.Helper()
	a, err := f.e.store.Application(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *caseFix) user(email string) *user.User {
	f.t.Helper()
	u, err := f.e.store.UserByEmail(context.Background(), email)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// newReviewer adds another user with the reviewer role.
func (f *caseFix) newReviewer(email, name string) *user.User {
	f.t.Helper()
	u := &user.User{Email: email, Name: name, PasswordHash: f.e.hash(f.t), Lang: "sv", Roles: []user.Role{{Kind: user.Reviewer}}}
	if err := f.e.store.CreateUser(context.Background(), f.by, u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// scored assigns the application to the reviewer, who declares no
// conflict and submits the same score on every criterion.
func (f *caseFix) scored(appID int64, reviewer *user.User, score int) {
	f.t.Helper()
	ctx := context.Background()
	if err := f.e.store.AssignReviewer(ctx, f.by, appID, reviewer.ID); err != nil {
		f.t.Fatal(err)
	}
	by := audit.Actor{UserID: reviewer.ID, Name: reviewer.Name}
	if err := f.e.store.DeclareConflict(ctx, by, appID, reviewer.ID, false, ""); err != nil {
		f.t.Fatal(err)
	}
	r := &review.Review{ApplicationID: appID, ReviewerID: reviewer.ID, Scores: map[string]int{}, Comments: map[string]string{},
		Recommendation: review.RecommendGrant, Comment: "Sammantaget bra."}
	for _, c := range f.call.Config.Assessment.Criteria {
		r.Scores[c.Key], r.Comments[c.Key] = score, "Motivering för "+c.Key
	}
	if err := f.e.store.SaveReview(ctx, by, r, true); err != nil {
		f.t.Fatal(err)
	}
}

func casePath(id int64) string { return "/personal/ansokningar/" + strconv.FormatInt(id, 10) }
func callAppsPath(id int64) string {
	return "/personal/utlysningar/" + strconv.FormatInt(id, 10) + "/ansokningar"
}

func TestCasePermissions(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 1_000_000, 300_000, nil)
	// An application with an attachment: the officer gets a link to it.
	ctx := context.Background()
	a := f.draft("Plast i Kalix och Masaka", "200 000")
	att := &attachment.Attachment{ApplicationID: a.ID, FieldKey: "attachments", Filename: "tidsplan.pdf", ContentType: "application/pdf",
		Size: 2048, SHA256: strings.Repeat("ab", 32), StorageKey: "test-tidsplan"}
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
	a = f.reload(a.ID)
	d := f.draft("Ett utkast som ingen handläggare ser", "100 000")
	off, app, rev := e.login(officer), e.login(kalixApplicant), e.login(reviewerEmail)
	fileLink := `href="/ansokningar/` + strconv.FormatInt(a.ID, 10) + `/bilagor/` + strconv.FormatInt(att.ID, 10) + `">tidsplan.pdf</a> (2 kB)`
	tests := []struct {
		who    string
		c      *http.Client
		path   string
		status int
		want   []string
	}{
		{"officer", off, callAppsPath(f.call.ID), 200, []string{"Ansökningar: Andra omgången 2021", "Plast i Kalix och Masaka", "Kalix kommun", "Kalix – Masaka", "Inskickad", "200\u00a0000\u00a0kr", a.RegNumber}},
		{"officer", off, "/en/staff/calls/" + strconv.FormatInt(f.call.ID, 10) + "/applications", 200, []string{"Applications: Second round 2021", "SEK\u00a0200,000", "Submitted"}},
		{"applicant", app, callAppsPath(f.call.ID), 403, nil},
		{"reviewer", rev, callAppsPath(f.call.ID), 403, nil},
		{"officer", off, casePath(a.ID), 200, []string{"Ärende: Plast i Kalix och Masaka", "Kalix kommun", "Påbörja formell granskning", fileLink, "Utställning i biblioteket", "Kommunikatör 20 %", "200\u00a0000\u00a0kr", "12.5"}},
		{"officer", off, "/en/staff/applications/" + strconv.FormatInt(a.ID, 10), 200, []string{"Case: Plast i Kalix och Masaka", "Start the formal check", "SEK\u00a0200,000"}},
		{"officer", off, casePath(d.ID), 404, nil},
		{"officer", off, casePath(999999), 404, nil},
		{"applicant", app, casePath(a.ID), 403, nil},
		{"reviewer", rev, casePath(a.ID), 403, nil},
		{"officer", off, "/personal/diarium", 200, []string{"Diarium", a.RegNumber}},
		{"applicant", app, "/personal/diarium", 403, nil},
		{"reviewer", rev, "/personal/diarium", 403, nil},
		{"reviewer", rev, "/granskning", 200, []string{"Mina bedömningar"}},
		{"applicant", app, "/granskning", 403, nil},
		{"officer", off, "/granskning", 403, nil},
		{"reviewer", rev, "/granskning/" + strconv.FormatInt(a.ID, 10), 404, nil},
	}
	for _, tt := range tests {
		res := e.get(tt.c, tt.path)
		if res.status != tt.status {
			t.Errorf("%s GET %s: %d, want %d", tt.who, tt.path, res.status, tt.status)
			continue
		}
		wantContains(t, tt.who+" GET "+tt.path, res.body, tt.want...)
	}
	// Posts from the wrong role change nothing.
	for _, p := range []string{casePath(a.ID) + "/steg", casePath(a.ID) + "/beslut", casePath(a.ID) + "/bedomare", "/personal/utlysningar/" + strconv.FormatInt(f.call.ID, 10) + "/fordelning"} {
		res := e.post(app, p, url.Values{"event": {"start_check"}, "outcome": {"granted"}, "line": {strconv.FormatInt(a.ID, 10) + ":20000000"}})
		if res.status != http.StatusForbidden {
			t.Errorf("applicant POST %s: %d, want 403", p, res.status)
		}
	}
	if got := f.reload(a.ID); got.State != application.Submitted {
		t.Errorf("refused posts moved the application to %s", got.State)
	}
	// The call table links to the call's applications.
	res := e.get(off, "/personal")
	wantContains(t, "staff home", res.body, `href="`+callAppsPath(f.call.ID)+`"`)
}

func TestCaseSteps(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 1_000_000, 300_000, nil)
	a := f.submitted("Plast i Kalix och Masaka", "200 000")
	off := e.login(officer)
	path := casePath(a.ID)
	// An event the state does not allow: a clear message, nothing moved.
	res := e.post(off, path+"/steg", url.Values{"event": {"mark_ready"}})
	if res.status != http.StatusConflict {
		t.Fatalf("mark ready from submitted: %d", res.status)
	}
	wantContains(t, "refused step", res.body, "Det går inte att göra så med ansökan")
	res = e.post(off, path+"/steg", url.Values{"event": {"withdraw"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("officer withdraws: %d", res.status)
	}
	if res = e.post(off, path+"/steg", url.Values{"event": {"start_check"}}); res.status != http.StatusSeeOther {
		t.Fatalf("start check: %d\n%s", res.status, res.body)
	}
	res = e.get(off, path)
	wantContains(t, "in formal check", res.body, "Formell granskning", "Godkänn formell granskning", "Begär komplettering")
	wantNotContains(t, "in formal check", res.body, "Påbörja formell granskning")
	// A completion request needs its note; the note goes to the applicant.
	res = e.post(off, path+"/steg", url.Values{"event": {"request_completion"}, "note": {"  "}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("completion without note: %d", res.status)
	}
	wantContains(t, "completion without note", res.body, "Fältet måste fyllas i.", `href="#note"`, `id="note-error"`)
	if got := f.reload(a.ID); got.State != application.FormalCheck {
		t.Fatalf("refused completion moved to %s", got.State)
	}
	note := "Bifoga en tidsplan för enkäterna."
	if res = e.post(off, path+"/steg", url.Values{"event": {"request_completion"}, "note": {note}}); res.status != http.StatusSeeOther {
		t.Fatalf("completion: %d\n%s", res.status, res.body)
	}
	mails, err := e.store.MailList(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range mails {
		if m.To == kalixApplicant && strings.Contains(m.Subject, "Komplettering begärd") && strings.Contains(m.Body, note) && strings.Contains(m.Body, "/ansokningar/"+strconv.FormatInt(a.ID, 10)) {
			found = true
		}
	}
	if !found {
		t.Errorf("no completion mail to %s among %d mails", kalixApplicant, len(mails))
	}
	// The applicant completes and resubmits: the officer sees the change.
	cur := f.reload(a.ID)
	cur.Answers.Values["survey_plan"] = "Enkät i september och i december, samma klasser."
	cur.Answers.Budget[0].Amount = "180 000"
	if err := e.store.SaveDraft(context.Background(), f.by, cur); err != nil {
		t.Fatal(err)
	}
	res = e.get(off, path)
	wantContains(t, "completion requested", res.body, "Komplettering begärd", "Samma enkät före och efter, till samma klasser.")
	wantNotContains(t, "unsent edits", res.body, "Enkät i september och i december, samma klasser.")
	if _, err := e.store.SubmitApplication(context.Background(), f.by, a.ID, cur.Version, nil); err != nil {
		t.Fatal(err)
	}
	res = e.get(off, path)
	wantContains(t, "resubmitted", res.body, "Ändringar från version 1 till 2", "Samma enkät före och efter, till samma klasser.",
		"Enkät i september och i december, samma klasser.", `<td class="before"><p>Kommunikatörs tid · Kommunikatör 20 % · 200`+"\u00a0000\u00a0kr</p>", "180\u00a0000\u00a0kr", note, "Komplettering begärd")
	wantNotContains(t, "resubmitted diff", res.body, "<th scope=\"row\">Projektets namn")
	// The check goes on where it was (no new start), into review; then
	// assign a reviewer.
	for _, ev := range []string{"pass_check"} {
		if res = e.post(off, path+"/steg", url.Values{"event": {ev}}); res.status != http.StatusSeeOther {
			t.Fatalf("%s: %d", ev, res.status)
		}
	}
	res = e.get(off, path)
	wantContains(t, "in review", res.body, "Under bedömning", "Inga bedömare är tilldelade.", "Berit Bedömare", "Markera som klar för beslut")
	res = e.post(off, path+"/bedomare", url.Values{"reviewer": {""}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("assign nobody: %d", res.status)
	}
	wantContains(t, "assign nobody", res.body, "Fältet måste fyllas i.", `href="#reviewer"`)
	applicantUser := f.user(kalixApplicant)
	res = e.post(off, path+"/bedomare", url.Values{"reviewer": {strconv.FormatInt(applicantUser.ID, 10)}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Välj ett av alternativen.") {
		t.Fatalf("assign a non-reviewer: %d", res.status)
	}
	berit := f.user(reviewerEmail)
	if res = e.post(off, path+"/bedomare", url.Values{"reviewer": {strconv.FormatInt(berit.ID, 10)}}); res.status != http.StatusSeeOther {
		t.Fatalf("assign: %d\n%s", res.status, res.body)
	}
	as, err := e.store.Assignments(context.Background(), a.ID)
	if err != nil || len(as) != 1 || as[0].ReviewerID != berit.ID {
		t.Fatalf("assignments: %+v, %v", as, err)
	}
	res = e.get(off, path)
	wantContains(t, "assigned", res.body, "Berit Bedömare", "Har inte svarat om jäv")
	// The reviewer scores; the officer sees the review side by side.
	f.scoredAssigned(a.ID, berit, map[string]int{"relevance": 5, "feasibility": 3})
	res = e.get(off, path)
	wantContains(t, "reviewed", res.body, "Bedömningar sida vid sida", "<strong>5</strong>", "<strong>3</strong>", "Motivering för relevance",
		"Bevilja", "Sammantaget bra.", "<strong>75,0</strong>", "Viktad medelpoäng: 75,0 av 100, från 1 inskickad bedömning.")
}

// scoredAssigned has an already assigned reviewer declare and score.
func (f *caseFix) scoredAssigned(appID int64, reviewer *user.User, scores map[string]int) {
	f.t.Helper()
	ctx := context.Background()
	by := audit.Actor{UserID: reviewer.ID, Name: reviewer.Name}
	if err := f.e.store.DeclareConflict(ctx, by, appID, reviewer.ID, false, ""); err != nil {
		f.t.Fatal(err)
	}
	r := &review.Review{ApplicationID: appID, ReviewerID: reviewer.ID, Scores: scores, Comments: map[string]string{},
		Recommendation: review.RecommendGrant, Comment: "Sammantaget bra."}
	for k := range scores {
		r.Comments[k] = "Motivering för " + k
	}
	if err := f.e.store.SaveReview(ctx, by, r, true); err != nil {
		f.t.Fatal(err)
	}
}

func TestDecisionForm(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 300_000, 250_000, nil)
	ctx := context.Background()
	a := f.inReview("Plast i Kalix och Masaka", "200 000")
	b := f.inReview("Skolresan", "150 000")
	notReady := f.submitted("Inte redo", "100 000")
	off := e.login(officer)
	path := casePath(a.ID) + "/beslut"
	nothingDecided := func(what string, id int64) {
		t.Helper()
		if _, err := e.store.Decision(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: a decision was recorded (%v)", what, err)
		}
		if g, _ := e.store.GrantedInCall(ctx, f.call.ID); g != 0 {
			t.Errorf("%s: %d öre granted", what, g)
		}
	}
	// Bad amounts: the message on the field, the typed value kept.
	for _, tt := range []struct {
		outcome, amount, msg string
	}{
		{"partly_granted", "abc", "Skriv beloppet i kronor med siffror"},
		{"partly_granted", "-5 000", "Beloppet kan inte vara negativt."},
		{"partly_granted", "12,345", "högst två decimaler"},
		{"partly_granted", "", "Ange ett belopp i kronor."},
		{"partly_granted", "260 000", "Beloppet är större än utlysningens högsta belopp per bidrag."},
		{"granted", "300 000", "Beloppet är större än utlysningens högsta belopp per bidrag."},
		{"granted", "150 000", "Vid fullt beviljande är beloppet det sökta."},
		{"partly_granted", "200 000", "Vid delvis beviljande ska beloppet vara lägre än det sökta."},
		{"rejected", "10 000", "Ett avslag har inget belopp."},
	} {
		res := e.post(off, path, url.Values{"outcome": {tt.outcome}, "amount": {tt.amount}, "reason": {"Budgeten är för hög."}, "conditions": {"Rapport senast 31 januari."}})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s %q: %d, want 422", tt.outcome, tt.amount, res.status)
			continue
		}
		wantContains(t, tt.outcome+" "+tt.amount, res.body, tt.msg, `value="`+tt.amount+`"`, `href="#amount"`, `id="amount-error"`, `aria-invalid="true"`,
			`value="`+tt.outcome+`" checked`, "Budgeten är för hög.", "Rapport senast 31 januari.")
	}
	res := e.post(off, path, url.Values{"outcome": {"rejected"}})
	wantContains(t, "rejection without reason", res.body, `href="#reason"`, "Fältet måste fyllas i.")
	res = e.post(off, path, url.Values{})
	wantContains(t, "no outcome", res.body, `href="#outcome"`)
	nothingDecided("bad input", a.ID)
	// Not ready for a decision.
	res = e.post(off, casePath(notReady.ID)+"/beslut", url.Values{"outcome": {"granted"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("not ready: %d", res.status)
	}
	wantContains(t, "not ready", res.body, "Ansökan är inte redo för beslut.")
	nothingDecided("not ready", notReady.ID)
	// A good decision; the second click is refused and grants nothing more.
	good := url.Values{"outcome": {"granted"}, "amount": {""}, "conditions": {"Rapport senast 31 januari 2022."}}
	if res = e.post(off, path, good); res.status != http.StatusSeeOther {
		t.Fatalf("decide: %d\n%s", res.status, res.body)
	}
	res = e.post(off, path, good)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Ansökan är inte redo för beslut.") {
		t.Errorf("second decision: %d", res.status)
	}
	if g, _ := e.store.GrantedInCall(ctx, f.call.ID); g != 20_000_000 {
		t.Errorf("granted %d öre after a double post, want 20 000 000", g)
	}
	d, err := e.store.Decision(ctx, a.ID)
	if err != nil || d.Outcome != "granted" || d.Amount != 20_000_000 || d.DeciderName != "Olle Handläggare" {
		t.Fatalf("decision %+v, %v", d, err)
	}
	res = e.get(off, casePath(a.ID))
	wantContains(t, "decided", res.body, "Beviljad", "200\u00a0000\u00a0kr", "Rapport senast 31 januari 2022.", d.RegNumber,
		`href="/ansokningar/`+strconv.FormatInt(a.ID, 10)+`/beslut.pdf"`, "Beslutsbrev (PDF)")
	wantNotContains(t, "decided", res.body, `action="`+path+`"`)
	mails, _ := e.store.MailList(ctx, 20)
	if len(mails) == 0 || mails[0].To != kalixApplicant || !strings.Contains(mails[0].Subject, "Beslut om ansökan") || !strings.Contains(mails[0].Body, "Beviljad, 200\u00a0000\u00a0kr") {
		t.Errorf("decision mail: %+v", mails[:min(1, len(mails))])
	}
	// Over the ceiling: 200 000 + 150 000 > 300 000.
	res = e.post(off, casePath(b.ID)+"/beslut", url.Values{"outcome": {"granted"}, "amount": {"150 000"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("over the ceiling: %d", res.status)
	}
	wantContains(t, "over the ceiling", res.body, "Beloppet skulle göra att utlysningens tak överskrids.", `value="150 000"`)
	if g, _ := e.store.GrantedInCall(ctx, f.call.ID); g != 20_000_000 {
		t.Errorf("granted %d öre after an over-ceiling decision", g)
	}
	// A partial grant that fits is fine; in English the words are English.
	res = e.post(off, "/en/staff/applications/"+strconv.FormatInt(b.ID, 10)+"/decision", url.Values{"outcome": {"partly_granted"}, "amount": {"99 999,50"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "This field is required") {
		t.Errorf("partly without reason in English: %d", res.status)
	}
	res = e.post(off, casePath(b.ID)+"/beslut", url.Values{"outcome": {"partly_granted"}, "amount": {"99 999,50"}, "reason": {"Taket räcker inte till allt."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("partly: %d\n%s", res.status, res.body)
	}
	if g, _ := e.store.GrantedInCall(ctx, f.call.ID); g != 29_999_950 {
		t.Errorf("granted %d öre, want 29 999 950", g)
	}
}

func TestAllocationProposal(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 500_000, 300_000, nil)
	berit := f.user(reviewerEmail)
	// Scores 5, 4, 2 and 1 on every criterion of a 1–5 scale weigh 100,
	// 75, 25 and 0. 200 000 + 250 000 leave 50 000 of 500 000 for the
	// third; the fourth is below the line.
	a := f.inReview("Alfa", "200 000")
	b := f.inReview("Beta", "250 000")
	c := f.inReview("Gamma", "300 000")
	d := f.inReview("Delta", "100 000")
	for app, score := range map[int64]int{a.ID: 5, b.ID: 4, c.ID: 2, d.ID: 1} {
		f.scored(app, berit, score)
	}
	unscored := f.inReview("Epsilon", "50 000")
	off := e.login(officer)
	res := e.get(off, callAppsPath(f.call.ID))
	if res.status != 200 {
		t.Fatalf("call applications: %d", res.status)
	}
	body := res.body
	order := []string{">Alfa<", ">Beta<", ">Gamma<", "Här tar pengarna slut", ">Delta<", ">Epsilon<"}
	last := -1
	for _, s := range order {
		i := strings.Index(body, s)
		if i < 0 || i < last {
			t.Fatalf("proposal order: %q at %d, after %d\n%s", s, i, last, body)
		}
		last = i
	}
	wantContains(t, "proposal", body, "100,0", "75,0", "25,0", "0,0", "Ja, hela beloppet", "Ja, delvis", "50\u00a0000\u00a0kr",
		"Kvar efter förslaget: 0\u00a0kr.", "ingen bedömning", "Anta förslaget (3 beslut)")
	lines := regexp.MustCompile(`name="line" value="([0-9:]+)"`).FindAllStringSubmatch(body, -1)
	want := []string{strconv.FormatInt(a.ID, 10) + ":20000000", strconv.FormatInt(b.ID, 10) + ":25000000", strconv.FormatInt(c.ID, 10) + ":5000000"}
	if len(lines) != len(want) {
		t.Fatalf("lines %v, want %v", lines, want)
	}
	for i := range want {
		if lines[i][1] != want[i] {
			t.Errorf("line %d = %s, want %s", i, lines[i][1], want[i])
		}
	}
	// Meanwhile another officer grants Delta 100 000: of the proposal
	// (450 000 for Alfa and Beta), Beta no longer fits; Gamma's 50 000 does.
	if res := e.post(e.login(officer), casePath(d.ID)+"/beslut", url.Values{"outcome": {"granted"}}); res.status != http.StatusSeeOther {
		t.Fatalf("decide Delta: %d", res.status)
	}
	form := url.Values{}
	for _, l := range lines {
		form.Add("line", l[1])
	}
	res = e.post(off, "/personal/utlysningar/"+strconv.FormatInt(f.call.ID, 10)+"/fordelning", form)
	if res.status != 200 {
		t.Fatalf("adopt: %d\n%s", res.status, res.body)
	}
	wantContains(t, "adopted", res.body, "Resultat av förslaget", "Beviljat:</strong> Alfa", "Avvisat:</strong> Beta",
		"Beloppet skulle göra att utlysningens tak överskrids.", "Beviljat:</strong> Gamma")
	ctx := context.Background()
	if g, _ := e.store.GrantedInCall(ctx, f.call.ID); g != 35_000_000 {
		t.Errorf("granted %d öre, want 35 000 000 (Delta, Alfa and Gamma's part)", g)
	}
	for id, want := range map[int64]application.State{a.ID: application.Granted, b.ID: application.InReview, c.ID: application.PartlyGranted, unscored.ID: application.InReview} {
		if got := f.reload(id).State; got != want {
			t.Errorf("application %d: %s, want %s", id, got, want)
		}
	}
	if dc, err := e.store.Decision(ctx, c.ID); err != nil || dc.Reason != "Enligt fördelningsförslaget" || dc.Amount != 5_000_000 {
		t.Errorf("Gamma's decision: %+v, %v", dc, err)
	}
	// Posting the same proposal again decides nothing twice.
	res = e.post(off, "/personal/utlysningar/"+strconv.FormatInt(f.call.ID, 10)+"/fordelning", form)
	wantContains(t, "adopted twice", res.body, "Avvisat:</strong> Alfa", "Ansökan är inte redo för beslut.")
	if g, _ := e.store.GrantedInCall(ctx, f.call.ID); g != 35_000_000 {
		t.Errorf("granted %d öre after adopting twice", g)
	}
	// A line for an application of another call is refused outright.
	other := newCaseFix(t, e, 100_000, 50_000, nil)
	x := other.inReview("Annan utlysning", "10 000")
	res = e.post(off, "/personal/utlysningar/"+strconv.FormatInt(f.call.ID, 10)+"/fordelning", url.Values{"line": {strconv.FormatInt(x.ID, 10) + ":1000000"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("line of another call: %d", res.status)
	}
	// The money left (150 000 − 0) is shown in English too.
	res = e.get(off, "/en/staff/calls/"+strconv.FormatInt(f.call.ID, 10)+"/applications")
	wantContains(t, "English", res.body, "Ranking and allocation proposal", "Left to share", "SEK\u00a0150,000")
}

// TestCaseMessages: the keys the officer and reviewer pages build at run
// time exist in both languages.
func TestCaseMessages(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range []string{"start_check", "pass_check", "send_to_review", "mark_ready", "request_completion"} {
		keys = append(keys, "case.do."+s)
	}
	for _, s := range []string{"granted", "partly_granted", "rejected"} {
		keys = append(keys, "case.outcome."+s)
	}
	for _, s := range []string{"grant", "partly", "reject"} {
		keys = append(keys, "case.recommend."+s)
	}
	for _, s := range []string{"application", "completion_request", "resubmission", "decision", "report", "document"} {
		keys = append(keys, "registry.kind."+s)
	}
	for _, s := range application.States {
		keys = append(keys, "app.state."+string(s))
	}
	for _, s := range []string{"completion", "decided"} {
		keys = append(keys, "mail."+s+".subject", "mail."+s+".body")
	}
	keys = append(keys, "callapps.column", "callapps.link")
	for _, k := range keys {
		for _, l := range i18n.Langs {
			if got := c.T(l, k, map[string]any{"Count": 2}); got == k || got == "" {
				t.Errorf("%s: %q has no message", l, k)
			}
		}
	}
}
