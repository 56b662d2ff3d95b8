package web_test

import (
	"context"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/survey"
	"github.com/icld/partnerskap/internal/user"
)

// demoApp finds the demo's application in state st in the rolling call
// (there is one per state, the Kalix one for a completion request).
func demoApp(t *testing.T, e *env, st application.State) *application.Application {
	t.Helper()
	apps, err := e.store.ApplicationList(context.Background(), application.Filter{States: []application.State{st}})
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 1 {
		t.Fatalf("the demo has %d applications in state %s, want 1", len(apps), st)
	}
	return apps[0]
}

// TestWorkspaceHome: the workspace start shows each role what waits for
// them, linked to where they do it, and nothing of the other roles' work.
func TestWorkspaceHome(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ready, submitted, check := demoApp(t, e, application.Ready), demoApp(t, e, application.Submitted), demoApp(t, e, application.FormalCheck)
	inReview, completion := demoApp(t, e, application.InReview), demoApp(t, e, application.CompletionRequested)
	id := func(a *application.Application) string { return strconv.FormatInt(a.ID, 10) }

	t.Run("officer", func(t *testing.T) {
		c := e.login(officer)
		res := e.get(c, "/personal")
		if res.status != 200 {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, "officer home", res.body, "Ansökningar som väntar på handläggning",
			`href="/personal/ansokningar/`+id(ready)+`"`, "<strong>Fatta beslut</strong>",
			`href="/personal/ansokningar/`+id(submitted)+`"`, "<strong>Påbörja den formella granskningen</strong>",
			`href="/personal/ansokningar/`+id(check)+`"`, "<strong>Gör klart den formella granskningen</strong>",
			`href="/personal/ansokningar/`+id(inReview)+`"`, "Väntar på bedömare (0 av 1 klara)",
			"1 ansökan väntar på komplettering från den sökande.",
			`href="/personal/utlysningar/`+strconv.FormatInt(ready.CallID, 10)+`/ansokningar"`,
			"Program och utlysningar", "Ny organisation")
		// The decision first, the reviewers' turn last; a completion
		// request (the applicant's turn) is counted, not listed.
		if i, j := strings.Index(res.body, "Fatta beslut"), strings.Index(res.body, "Väntar på bedömare"); i < 0 || j < i {
			t.Errorf("the decision is not listed before the review that waits for reviewers")
		}
		wantNotContains(t, "officer home", res.body, `href="/personal/ansokningar/`+id(completion)+`"`, "home.", "Era ansökningar", "Att bedöma", "ingen roll")
		res = e.get(c, "/en/staff")
		wantContains(t, "officer home in English", res.body, "Applications waiting for case handling", "<strong>Decide</strong>",
			"Waiting for reviewers (0 of 1 done)", "1 application is waiting for its applicant to complete it.", "Programmes and calls")
	})

	t.Run("applicant", func(t *testing.T) {
		c := e.login(kalixApplicant)
		res := e.get(c, "/personal")
		wantContains(t, "applicant home", res.body, "Era ansökningar", `href="/ansokningar/`+id(completion)+`"`,
			"<strong>Komplettera ansökan och skicka in den igen</strong>", "Öppna utlysningar", "Kommunikationsstöd – löpande",
			"Högst 300\u00a0000\u00a0kr per ansökan.", `href="/ansokningar#start-heading"`)
		wantNotContains(t, "applicant home", res.body, "Ansökningar som väntar på handläggning", "Ny organisation", "Att bedöma",
			`href="/personal/ansokningar/`, "ingen roll")
		res = e.get(c, "/en/staff")
		wantContains(t, "applicant home in English", res.body, "Your applications", "Complete the application and submit it again", "Open calls")
	})

	t.Run("reviewer", func(t *testing.T) {
		c := e.login(reviewerEmail)
		res := e.get(c, "/personal")
		wantContains(t, "reviewer home", res.body, "Att bedöma", `href="/granskning/`+id(inReview)+`"`,
			"<strong>Svara om du är jävig</strong>", `href="/granskning"`, "Alla dina bedömningar (4 klara)")
		wantNotContains(t, "reviewer home", res.body, "Ansökningar som väntar på handläggning", "Era ansökningar", `href="/granskning/`+id(ready)+`"`)
		// Once the reviewer has declared, the next step is the score.
		if res := e.post(c, "/granskning/"+id(inReview)+"/jav", url.Values{"conflict": {"no"}}); res.status != 303 {
			t.Fatalf("declare: %d\n%s", res.status, res.body)
		}
		res = e.get(c, "/personal")
		wantContains(t, "reviewer home after declaring", res.body, "<strong>Bedöm ansökan</strong>")
		// The list puts what waits for the reviewer first.
		res = e.get(c, "/granskning")
		if i, j := strings.Index(res.body, `href="/granskning/`+id(inReview)+`"`), strings.Index(res.body, `href="/granskning/`+id(ready)+`"`); i < 0 || j < i {
			t.Errorf("the review to do is not first in the list")
		}
		// The officer sees the review under way.
		res = e.get(e.login(officer), "/personal")
		wantContains(t, "officer home during the review", res.body, "Väntar på bedömare (0 av 1 klara)")
	})

	t.Run("partner", func(t *testing.T) {
		c := e.login("partner@masaka.demo.partnerskap.se")
		ps, err := e.store.PartnershipList(context.Background(), partnership.Filter{Query: "Kalix"})
		if err != nil || len(ps) != 1 {
			t.Fatalf("Kalix – Masaka: %v %d", err, len(ps))
		}
		res := e.get(c, "/en/staff")
		wantContains(t, "partner home", res.body, "Your partnerships", `href="/en/partnerships/`+strconv.FormatInt(ps[0].ID, 10)+`"`, "Kalix – Masaka")
		wantNotContains(t, "partner home", res.body, "has no role", `href="/en/applications"`, `href="/en/reviews"`, "Applications waiting")
	})

	t.Run("administrator", func(t *testing.T) {
		res := e.get(e.login("admin@demo.partnerskap.se"), "/personal")
		wantContains(t, "admin home", res.body, "Ansökningar som väntar på handläggning", "Fatta beslut")
		// An administrator has no organisation to apply for and nothing
		// assigned to review: the navigation does not offer those pages.
		wantNotContains(t, "admin staff bar", res.body, `href="/ansokningar"`, `href="/granskning"`)
	})

	t.Run("no role", func(t *testing.T) {
		u := &user.User{Email: "ny@example.se", Name: "Ny Användare", PasswordHash: e.hash(t), Lang: "sv"}
		if err := e.store.CreateUser(context.Background(), audit.System("test"), u); err != nil {
			t.Fatal(err)
		}
		res := e.get(e.login(u.Email), "/personal")
		wantContains(t, "home without a role", res.body, "Ditt konto har ingen roll ännu")
		wantNotContains(t, "home without a role", res.body, "Välkommen", "Era ansökningar", "Att bedöma")
	})
}

// TestErrorSummaryNamesFields: a form's error summary says which field
// each error is about, so repeated messages can be told apart.
func TestErrorSummaryNamesFields(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.login(officer)
	res := e.post(c, "/personal/organisationer/ny", url.Values{"kind": {"partner"}})
	wantContains(t, "organisation form", res.body, `<a href="#name">Namn: Fältet måste fyllas i.</a>`, `<a href="#country">Land: Fältet måste fyllas i.</a>`)

	// The application form: one list, in the form's order, with labels
	// and no internal keys; a row's error names the row and the column.
	ready := demoApp(t, e, application.Ready)
	res = e.post(c, "/personal/ansokningar/"+strconv.FormatInt(ready.ID, 10)+"/beslut", url.Values{})
	wantContains(t, "decision form", res.body, `<a href="#outcome">Beslut: Fältet måste fyllas i.</a>`)

	app := e.login(kalixApplicant)
	completion := demoApp(t, e, application.CompletionRequested)
	path := "/ansokningar/" + strconv.FormatInt(completion.ID, 10)
	res = e.get(app, path)
	wantContains(t, "completion requested", res.body, "Handläggaren ber dig komplettera ansökan", "Olle Handläggare",
		"Beskriv hur nollmätningen och uppföljningen")
	res = e.post(app, path, url.Values{"action": {"submit"}, "version": {strconv.Itoa(completion.Version)}, "title": {"Unga berättar om plasten"},
		"budget.0.category": {"communicator"}, "budget.0.description": {"Kommunikatör"}, "budget.0.amount": {"mycket"}})
	wantContains(t, "submit with errors", res.body, "Sammanfattning: Fältet måste fyllas i.",
		`<a href="#budget-0-amount">Budgetrader – Rad 1 – Belopp (kronor): `)
	wantNotContains(t, "submit with errors", res.body, "saker saknas", "(summary)", "(budget)")
	if i, j := strings.Index(res.body, "Sammanfattning: Fältet"), strings.Index(res.body, "Budgetrader – Rad 1"); i < 0 || j < i {
		t.Errorf("the errors are not in the form's order")
	}
}

// TestGrantOverviews: the grantee's start page shows each grant of their
// organisation with its status, money, dates ahead and next steps, each a
// link; the officer's shows, across grants, payments due, change
// requests and grants whose terms wait for the grantee.
func TestGrantOverviews(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	kalix := kalixGrant(t, e)
	id := strconv.FormatInt(kalix.ID, 10)
	forshaga, _ := forshagaGrant(t, e)

	t.Run("grantee", func(t *testing.T) {
		c := e.login(kalixApplicant)
		res := e.get(c, "/personal")
		wantContains(t, "grantee home", res.body, "Era bidrag", `href="/bidrag/`+id+`"`, "Kalix – Masaka – Kommunikationsstöd 2021",
			"Kalix kommun · Väntar på att villkoren godkänns", `<meter id="home-paid-`+id+`" min="0" max="30000000" value="0">`,
			"0\u00a0kr av 300\u00a0000\u00a0kr", "Beviljat 300\u00a0000\u00a0kr, utbetalt 0\u00a0kr, redovisade kostnader 0\u00a0kr, kvar att använda 300\u00a0000\u00a0kr.",
			"Slutrapporten ska lämnas senast 2022-01-31", `<a href="/bidrag/`+id+`#terms-heading"><strong>Läs och godkänn villkoren</strong></a>`)
		wantNotContains(t, "grantee home", res.body, "home.", "Logga genomförda aktiviteter", `href="/bidrag/`+strconv.FormatInt(forshaga.ID, 10)+`"`,
			"Bidrag att hantera")
		// Grants come before the applications.
		if i, j := strings.Index(res.body, "Era bidrag"), strings.Index(res.body, "Era ansökningar"); i < 0 || j < i {
			t.Error("the grants are not shown before the applications")
		}

		// Accepted: the next steps are the activities and the survey.
		if res := e.post(c, "/bidrag/"+id+"/villkor", url.Values{"confirm": {"yes"}}); res.status != 303 {
			t.Fatalf("accept: %d", res.status)
		}
		res = e.get(c, "/personal")
		wantContains(t, "after accepting", res.body, "Kalix kommun · Pågår",
			`<a href="/bidrag/`+id+`/aktiviteter"><strong>Logga genomförda aktiviteter och hur många ni nådde</strong></a>`,
			`<a href="/bidrag/`+id+`/enkat"><strong>Skapa enkäten före och efter</strong></a>`,
			`<a href="/bidrag/`+id+`/rapporter"><strong>Skriv slutrapporten</strong></a>`)
		wantNotContains(t, "after accepting", res.body, "Läs och godkänn villkoren")

		// With the survey's baseline open, its closing date is ahead.
		sv := createSurvey(t, e, c, kalix)
		sv.Baseline.Closes = survey.EndOfDay(clock.Date(2021, 6, 30))
		if err := e.store.UpdateSurvey(ctx, audit.System("test"), sv); err != nil {
			t.Fatal(err)
		}
		res = e.get(c, "/personal")
		wantContains(t, "baseline open", res.body, "Nollmätningen tar emot svar till och med 2021-06-30", "Nollmätningen pågår: dela länken")
		res = e.get(c, "/en/staff")
		wantContains(t, "grantee home in English", res.body, "Your grants", "Under way", "The baseline survey takes answers until 2021-06-30",
			"The final report is due on 2022-01-31", "Log the activities carried out", `href="/en/grants/`+id+`/survey"`)
	})

	t.Run("officer", func(t *testing.T) {
		c := e.login(officer)
		res := e.get(c, "/personal")
		// Kalix accepted above: the plan pays everything on acceptance.
		wantContains(t, "officer home", res.body, "Bidrag att hantera", `href="/personal/bidrag/`+id+`#ledger-heading"`,
			"<strong>Betala ut 300\u00a0000\u00a0kr enligt betalningsplanen</strong>",
			"Väntar på att bidragsmottagaren godkänner villkoren", `href="/personal/bidrag"`)
		// Forshaga's first instalment is paid; the rest waits for the final report.
		wantNotContains(t, "officer home", res.body, `href="/personal/bidrag/`+strconv.FormatInt(forshaga.ID, 10)+`#ledger-heading"`, "home.")
		if i, j := strings.Index(res.body, "Betala ut"), strings.Index(res.body, "Väntar på att bidragsmottagaren"); i < 0 || j < i {
			t.Error("the payment due is not listed before what waits for the grantees")
		}

		// A change request and the payment: the request is listed, the
		// payment is gone.
		cr := &grant.ChangeRequest{GrantID: forshaga.ID, NewEndDate: clock.Date(2022, 3, 31), Reason: "Utställningen flyttas till våren."}
		if err := e.store.RequestChange(ctx, audit.System("test"), cr); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.RecordPayment(ctx, audit.System("test"), kalix.ID, 30_000_000, ""); err != nil {
			t.Fatal(err)
		}
		res = e.get(c, "/personal")
		wantContains(t, "officer home with a change request", res.body,
			`href="/personal/bidrag/`+strconv.FormatInt(forshaga.ID, 10)+`#changes-heading"`, "<strong>Besluta om en begärd ändring</strong>")
		wantNotContains(t, "officer home after paying", res.body, "Betala ut 300")
		res = e.get(c, "/en/staff")
		wantContains(t, "officer home in English", res.body, "Grants to handle", "Decide on a requested change", "Waiting for the grantee to accept the terms")

		// The grantee sees the money paid.
		res = e.get(e.login(kalixApplicant), "/personal")
		wantContains(t, "grantee home after the payment", res.body, "Pågår, hela bidraget utbetalt", `value="30000000"`)
	})
}

// TestGrantOverviewsAfterPilot: in a demo loaded after the pilot, the
// Kalix grantee's pilot grant is closed, paid in full and all of it
// reported as spent, with nothing left to do or due, and the officer's
// start page has nothing to handle for the pilot's grants.
func TestGrantOverviewsAfterPilot(t *testing.T) {
	later := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	clk := clock.NewFixed(later)
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "later.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	e := newEnvOn(t, "http://localhost", s, clk)
	kalix := kalixGrant(t, e)
	id := strconv.FormatInt(kalix.ID, 10)
	res := e.get(e.login(kalixApplicant), "/personal")
	wantContains(t, "grantee home", res.body, `href="/bidrag/`+id+`"`, "Avslutat", `value="30000000"`,
		"redovisade kostnader 300\u00a0000\u00a0kr, kvar att använda 0\u00a0kr.")
	wantNotContains(t, "grantee home", res.body, "Pågår", "Slutrapporten", `href="/bidrag/`+id+`/aktiviteter"`,
		"Nollmätningen tar emot", "Uppföljningen tar emot", "Läs och godkänn villkoren", "Skapa enkäten")
	res = e.get(e.login(officer), "/personal")
	wantContains(t, "officer home", res.body, "Inga bidrag väntar på något just nu.")
	wantNotContains(t, "officer home", res.body, "Slutrapporten är försenad", "Betala ut", "Väntar på att bidragsmottagaren godkänner villkoren")
}
