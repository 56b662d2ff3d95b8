package web_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	_ "image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/survey"
	"github.com/icld/partnerskap/internal/user"
)

// kalixGrant returns Kalix kommun's pilot grant in the demo, whose
// applicant is the demo's applicant account.
func kalixGrant(t *testing.T, e *env) *grant.Grant {
	t.Helper()
	org, err := e.store.OrganisationByCode(context.Background(), "2514")
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.store.GrantList(context.Background(), grant.Filter{OrganisationID: org.ID})
	if err != nil || len(list) == 0 {
		t.Fatalf("Kalix's grants: %v %v", list, err)
	}
	return list[0]
}

func surveyPath(g *grant.Grant) string { return fmt.Sprintf("/bidrag/%d/enkat", g.ID) }

// createSurvey creates the grant's survey through the grantee's page and
// returns it.
func createSurvey(t *testing.T, e *env, c *http.Client, g *grant.Grant) *survey.Survey {
	t.Helper()
	res := e.get(c, surveyPath(g))
	if res.status != http.StatusOK {
		t.Fatalf("survey page: %d\n%s", res.status, res.body)
	}
	if sv, err := e.store.Survey(context.Background(), g.ID); err == nil {
		return sv // the demo made it already
	}
	wantContains(t, "survey page before creation", res.body, "Skapa enkäten", survey.DefaultQuestions()[0].Text.SV)
	if res := e.post(c, surveyPath(g), url.Values{"do": {"create"}}); res.status != http.StatusSeeOther {
		t.Fatalf("create survey: %d\n%s", res.status, res.body)
	}
	sv, err := e.store.Survey(context.Background(), g.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

func TestSurveyAnswerPage(t *testing.T) {
	e := newEnv(t, "")
	g := kalixGrant(t, e)
	sv := createSurvey(t, e, e.login(applicant), g)
	anon := e.client()
	path := "/enkat/" + sv.Token + "/fore"

	res := e.get(anon, path)
	if res.status != http.StatusOK {
		t.Fatalf("answer page: %d\n%s", res.status, res.body)
	}
	wantContains(t, "answer page", res.body,
		"<legend>"+survey.DefaultQuestions()[0].Text.SV+"</legend>", `type="radio" name="q_know_partnership" id="q_know_partnership" value="1"`,
		"1 – Ingenting", "5 – Mycket", "Vet inte", `<option value="pupils">Skolelever</option>`, "kopplar ihop dina två svar", `name="code"`)
	if strings.Contains(res.body, "<script") {
		t.Error("the answer page uses a script")
	}
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	en := e.get(anon, "/en/survey/"+sv.Token+"/before")
	wantContains(t, "English answer page", en.body, "How much do you know about the municipality&#39;s international partnership?", "School pupils", "Don&#39;t know")

	// A wrong answer comes back with what was chosen, nothing saved.
	bad := url.Values{"target_group": {""}, "q_know_partnership": {"4"}, "q_partnership_useful": {"maybe"}, "q_comment": {"Bra jobbat, Kalix!"}, "code": {"ab12"}}
	res = e.post(anon, path, bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid answer: %d", res.status)
	}
	wantContains(t, "invalid answer", res.body, `value="4" checked`, "Bra jobbat, Kalix!", `value="ab12"`, "Välj vilken grupp du tillhör.",
		`href="#q_partnership_useful"`, `href="#target_group"`)
	if rs, _ := e.store.Responses(context.Background(), g.ID); len(rs) != 0 {
		t.Fatalf("an invalid answer was saved: %+v", rs)
	}

	// A good answer is saved anonymously and thanked for.
	good := url.Values{"target_group": {"pupils"}, "q_know_partnership": {"2"}, "q_partnership_useful": {"yes"}, "code": {"ab 12"}}
	res = e.post(anon, path, good)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != path+"/tack" {
		t.Fatalf("answer: %d %s\n%s", res.status, res.header.Get("Location"), res.body)
	}
	wantContains(t, "thanks", e.get(anon, path+"/tack").body, "Tack! Dina svar är sparade.")
	rs, err := e.store.Responses(context.Background(), g.ID)
	if err != nil || len(rs) != 1 || rs[0].Code != "AB12" || rs[0].Answers["know_partnership"] != "2" || rs[0].Phase != survey.Baseline {
		t.Fatalf("saved: %+v %v", rs, err)
	}

	// The follow-up has not opened: 410, for reading and answering.
	for _, p := range []string{"/enkat/" + sv.Token + "/efter", "/en/survey/" + sv.Token + "/after"} {
		if res := e.get(anon, p); res.status != http.StatusGone {
			t.Errorf("GET %s: %d", p, res.status)
		}
	}
	res = e.post(anon, "/enkat/"+sv.Token+"/efter", good)
	if res.status != http.StatusGone {
		t.Errorf("answer to a closed phase: %d", res.status)
	}
	wantContains(t, "closed", res.body, "Enkäten är stängd.")
	// Unknown tokens and phases are 404.
	for _, p := range []string{"/enkat/nope/fore", "/enkat/" + sv.Token + "/under"} {
		if res := e.get(anon, p); res.status != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, res.status)
		}
	}
}

func TestSurveyClosesAtLastDay(t *testing.T) {
	e := newEnv(t, "")
	g := kalixGrant(t, e)
	c := e.login(applicant)
	sv := createSurvey(t, e, c, g)
	// The grantee sets the baseline's last day: answers are taken all that
	// day, Swedish time, and not after.
	res := e.post(c, surveyPath(g), url.Values{"do": {"save"}, "phase": {"baseline"}, "version": {fmt.Sprint(sv.Version)}, "baseline_closes": {"2021-06-10"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("set last day: %d\n%s", res.status, res.body)
	}
	sv, _ = e.store.Survey(context.Background(), g.ID)
	// A last day before the survey opened is refused, with the date kept.
	res = e.post(c, surveyPath(g), url.Values{"do": {"save"}, "phase": {"baseline"}, "version": {fmt.Sprint(sv.Version)}, "baseline_closes": {"2021-01-01"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("last day before opening: %d", res.status)
	}
	wantContains(t, "refused last day", res.body, `value="2021-01-01"`, "Sista svarsdagen måste komma efter att enkäten öppnade.")

	answer := url.Values{"target_group": {"citizens"}, "q_know_partnership": {"3"}}
	e.clock.Set(time.Date(2021, 6, 10, 21, 59, 0, 0, time.UTC)) // 23:59 in Stockholm
	if res := e.post(e.client(), "/enkat/"+sv.Token+"/fore", answer); res.status != http.StatusSeeOther {
		t.Errorf("answer on the last day: %d", res.status)
	}
	e.clock.Set(time.Date(2021, 6, 10, 22, 0, 0, 0, time.UTC)) // midnight in Stockholm
	if res := e.post(e.client(), "/enkat/"+sv.Token+"/fore", answer); res.status != http.StatusGone {
		t.Errorf("answer after the last day: %d", res.status)
	}
	// (A new sign-in: the clock has moved past the session's end.)
	c = e.login(applicant)
	sv, _ = e.store.Survey(context.Background(), g.ID)
	// Opening the follow-up takes answers in it; a stale form is a conflict.
	res = e.post(c, surveyPath(g), url.Values{"do": {"open"}, "phase": {"follow_up"}, "version": {fmt.Sprint(sv.Version)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("open follow-up: %d\n%s", res.status, res.body)
	}
	if res := e.post(c, surveyPath(g), url.Values{"do": {"save"}, "phase": {"follow_up"}, "version": {fmt.Sprint(sv.Version)}, "follow_up_closes": {"2021-12-31"}}); res.status != http.StatusConflict {
		t.Errorf("stale version: %d", res.status)
	}
	if res := e.get(e.client(), "/enkat/"+sv.Token+"/efter"); res.status != http.StatusOK {
		t.Errorf("follow-up after opening: %d", res.status)
	}
}

func TestSurveyFlood(t *testing.T) {
	e := newEnv(t, "")
	g := kalixGrant(t, e)
	sv := createSurvey(t, e, e.login(applicant), g)
	anon := e.client()
	path := "/enkat/" + sv.Token + "/fore"
	// The test clock stands still, so no bucket refills: a burst of
	// answers from one address is cut off after the client's allowance.
	for i := 1; i <= 40; i++ {
		res := e.post(anon, path, url.Values{"target_group": {"nobody"}})
		if res.status == http.StatusTooManyRequests {
			if i < 20 {
				t.Fatalf("limited after only %d answers", i)
			}
			wantContains(t, "429 page", res.body, "Många svar har kommit på kort tid.")
			if res.header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			// Reading the page is not limited; the limit recovers with time.
			if res := e.get(anon, path); res.status != http.StatusOK {
				t.Errorf("GET while limited: %d", res.status)
			}
			e.clock.Set(now.Add(time.Minute))
			if res := e.post(anon, path, url.Values{"target_group": {"nobody"}}); res.status != http.StatusUnprocessableEntity {
				t.Errorf("after a minute: %d", res.status)
			}
			return
		}
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("post %d: %d", i, res.status)
		}
	}
	t.Fatal("40 answers at once were not limited")
}

func TestSurveyQRCodes(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example.se")
	g := kalixGrant(t, e)
	sv := createSurvey(t, e, e.login(applicant), g)
	anon := e.client()
	for _, base := range []string{"/enkat/" + sv.Token + "/fore", "/en/survey/" + sv.Token + "/after"} {
		res := e.get(anon, base+"/qr.png")
		if res.status != http.StatusOK || res.header.Get("Content-Type") != "image/png" {
			t.Fatalf("%s PNG: %d %s", base, res.status, res.header.Get("Content-Type"))
		}
		img, format, err := image.Decode(strings.NewReader(res.body))
		if err != nil || format != "png" || img.Bounds().Dx() < 200 {
			t.Fatalf("%s PNG: %v %s", base, err, format)
		}
		res = e.get(anon, base+"/qr.svg")
		if res.status != http.StatusOK || res.header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s SVG: %d %s", base, res.status, res.header.Get("Content-Type"))
		}
		root, rects := parseSVG(t, res.body)
		if root != "svg" || rects < 50 {
			t.Errorf("%s SVG: root %q, %d rects", base, root, rects)
		}
		wantContains(t, "SVG title", res.body, "<title>https://partnerskap.example.se"+base+"</title>")
	}
	if res := e.get(anon, "/enkat/nope/fore/qr.png"); res.status != http.StatusNotFound {
		t.Errorf("unknown token: %d", res.status)
	}
}

// parseSVG checks that s is well-formed XML and returns its root element's
// name and how many rect elements it has.
func parseSVG(t *testing.T, s string) (root string, rects int) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader([]byte(s)))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return root, rects
		}
		if err != nil {
			t.Fatalf("SVG is not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "rect" {
				rects++
			}
		}
	}
}

func TestSurveyResults(t *testing.T) {
	e := newEnv(t, "")
	g := kalixGrant(t, e)
	sv := createSurvey(t, e, e.login(applicant), g)
	ctx := context.Background()
	add := func(phase survey.Phase, group, code, know, useful string) {
		t.Helper()
		err := e.store.AddResponse(ctx, &survey.Response{GrantID: g.ID, Phase: phase, TargetGroup: group, Code: code,
			Answers: map[string]string{"know_partnership": know, "partnership_useful": useful}})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The answers of the survey package's own test: before, three pupils
	// and a politician; after, two of the pupils again, a new one, and
	// the politician.
	add(survey.Baseline, "pupils", "A1", "1", survey.No)
	add(survey.Baseline, "pupils", "B2", "2", survey.Yes)
	add(survey.Baseline, "pupils", "", "3", survey.DontKnow)
	add(survey.Baseline, "politicians", "P1", "3", survey.Yes)
	sv.FollowUp.Opens = now
	if err := e.store.UpdateSurvey(ctx, audit.System("test"), sv); err != nil {
		t.Fatal(err)
	}
	add(survey.FollowUp, "pupils", "A1", "4", survey.Yes)
	add(survey.FollowUp, "pupils", "B2", "3", survey.Yes)
	add(survey.FollowUp, "pupils", "C3", "5", survey.Yes)
	add(survey.FollowUp, "politicians", "P1", "3", survey.Yes)

	off := e.login(officer)
	res := e.get(off, surveyPath(g))
	if res.status != http.StatusOK {
		t.Fatalf("results: %d\n%s", res.status, res.body)
	}
	// (html/template writes "+" as "&#43;".)
	// Means 2.25 → 3.75, change +1.50; three pairs, paired change +1.33;
	// yes 50 % → 100 %: +50 points, paired +33.3.
	wantContains(t, "results", res.body, "Svar före: 4. Svar efter: 4.", "2,25", "3,75", "&#43;1,50", "&#43;1,33", "&#43;50,0 procentenheter", "&#43;33,3 procentenheter",
		"<dd>3</dd>", "2 (50 %)", "4 (100 %)",
		`role="img"`, `<title id="q-know_partnership-title">`, `<desc id="q-know_partnership-desc">Före (n = 4): 1 – Ingenting: 25 %`)
	// The officer reads, but can't change, and is not offered the forms.
	if strings.Contains(res.body, `name="do"`) {
		t.Error("the officer is offered the grantee's forms")
	}
	// Per target group, by a GET form.
	res = e.get(off, surveyPath(g)+"?grupp=pupils")
	wantContains(t, "pupils", res.body, "Svar före: 3. Svar efter: 3.", "2,00", "4,00", "&#43;2,00", `<option value="pupils" selected>`)
	en := e.get(off, fmt.Sprintf("/en/grants/%d/survey", g.ID))
	wantContains(t, "English results", en.body, "2.25", "&#43;50.0 percentage points")
}

func TestSurveyPermissions(t *testing.T) {
	e := newEnv(t, "")
	g := kalixGrant(t, e)
	ctx := context.Background()
	arvika, err := e.store.OrganisationByCode(ctx, "1784")
	if err != nil {
		t.Fatal(err)
	}
	other := &user.User{Email: "sokande@arvika.example.se", Name: "Anna Arvika", PasswordHash: e.hash(t),
		Roles: []user.Role{{Kind: user.Applicant, OrganisationID: arvika.ID}}}
	if err := e.store.CreateUser(ctx, audit.System("test"), other); err != nil {
		t.Fatal(err)
	}
	oc := e.loginAs(t, other.Email)
	if res := e.get(oc, surveyPath(g)); res.status != http.StatusNotFound {
		t.Errorf("other organisation GET: %d", res.status)
	}
	if res := e.post(oc, surveyPath(g), url.Values{"do": {"create"}}); res.status != http.StatusNotFound {
		t.Errorf("other organisation create: %d", res.status)
	}
	if _, err := e.store.Survey(ctx, g.ID); err == nil {
		t.Fatal("another organisation's applicant created the survey")
	}
	if res := e.get(e.login("bedomare@demo.partnerskap.se"), surveyPath(g)); res.status != http.StatusNotFound {
		t.Errorf("reviewer GET: %d", res.status)
	}
	if res := e.get(e.client(), surveyPath(g)); res.status != http.StatusSeeOther {
		t.Errorf("signed out GET: %d", res.status)
	}
	off := e.login(officer)
	if res := e.get(off, surveyPath(g)); res.status != http.StatusOK {
		t.Errorf("officer GET: %d", res.status)
	}
	if res := e.post(off, surveyPath(g), url.Values{"do": {"create"}}); res.status != http.StatusForbidden {
		t.Errorf("officer create: %d", res.status)
	}
	// The grantee creates the survey and adds a question of their own;
	// the template's questions stay.
	c := e.login(applicant)
	sv := createSurvey(t, e, c, g)
	res := e.post(c, surveyPath(g), url.Values{"do": {"question"}, "version": {fmt.Sprint(sv.Version)}, "kind": {"single_choice"},
		"text_sv": {"Var såg du oss?"}, "options": {"Skolan | School\nBiblioteket | The library"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("add question: %d\n%s", res.status, res.body)
	}
	got, _ := e.store.Survey(ctx, g.ID)
	if n := len(got.Questions); n != len(sv.Questions)+1 || got.Questions[n-1].Text.SV != "Var såg du oss?" || len(got.Questions[n-1].Options) != 2 {
		t.Errorf("questions after adding: %+v", got.Questions)
	}
	res = e.post(c, surveyPath(g), url.Values{"do": {"question"}, "version": {fmt.Sprint(got.Version)}, "kind": {"single_choice"}, "text_sv": {"Bara ett?"}, "options": {"Ja"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("one option: %d", res.status)
	}
	wantContains(t, "one option", res.body, "Skriv minst två alternativ", "Bara ett?")
	wantContains(t, "answer page with own question", e.get(e.client(), "/enkat/"+sv.Token+"/fore").body, "Var såg du oss?", "Biblioteket")
}
