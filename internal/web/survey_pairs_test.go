package web_test

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/survey"
)

// TestSurveyPublicPairs: the paired change follows the public pages' one
// rule (survey.Public) on the question's complete pairs. Five people answer
// before and after under a code; two of them answer "don't know" afterwards
// to the yes/no question, leaving it three pairs while the scale question
// has five. The public page shows the scale question's paired change and,
// for the yes/no question, says there are too few pairs; both the public
// and the grantee's pages explain what a pair is, in Swedish and English.
func TestSurveyPublicPairs(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	pid := e.partnershipID("Forshaga – Lundazi")
	grants, err := e.store.GrantList(ctx, grant.Filter{PartnershipID: pid})
	if err != nil || len(grants) == 0 {
		t.Fatalf("grants of Forshaga – Lundazi: %v, %v", grants, err)
	}
	var sv *survey.Survey
	var g *grant.Grant
	for _, x := range grants {
		if s, err := e.store.Survey(ctx, x.ID); err == nil {
			sv, g = s, x
		}
	}
	if sv == nil {
		t.Fatal("the demo's Forshaga – Lundazi grant has no survey")
	}
	existing, err := e.store.Responses(ctx, g.ID)
	if err != nil || len(existing) == 0 {
		t.Fatalf("demo answers: %d, %v", len(existing), err)
	}
	var scale, yesNo *survey.Question
	for i, q := range sv.Questions {
		switch {
		case q.Kind == survey.Scale && scale == nil:
			scale = &sv.Questions[i]
		case q.Kind == survey.YesNo && yesNo == nil:
			yesNo = &sv.Questions[i]
		}
	}
	if scale == nil || yesNo == nil {
		t.Fatalf("the survey lacks a scale or a yes/no question: %+v", sv.Questions)
	}

	start := e.clock.Now()
	sv.Baseline = survey.Window{Opens: start.Add(-time.Hour), Closes: start.Add(time.Hour)}
	sv.FollowUp = survey.Window{Opens: start.Add(2 * time.Hour)}
	if err := e.store.UpdateSurvey(ctx, audit.System("test"), sv); err != nil {
		t.Fatal(err)
	}
	add := func(phase survey.Phase, code, level, yes string) {
		t.Helper()
		r := survey.Response{GrantID: g.ID, Phase: phase, TargetGroup: existing[0].TargetGroup, Code: code,
			Answers: map[string]string{scale.Key: level, yesNo.Key: yes}}
		if err := e.store.AddResponse(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	codes := []string{"PARTEST1", "PARTEST2", "PARTEST3", "PARTEST4", "PARTEST5"}
	for _, code := range codes {
		add(survey.Baseline, code, "2", survey.No)
	}
	e.clock.Set(start.Add(3 * time.Hour))
	for i, code := range codes {
		after := survey.Yes
		if i >= 3 {
			after = survey.DontKnow
		}
		add(survey.FollowUp, code, "4", after)
	}

	row := func(body, question string) string {
		t.Helper()
		i := strings.Index(body, `id="surveys-heading"`)
		if i < 0 {
			t.Fatal("no survey section")
		}
		section := body[i:]
		j := strings.Index(section, ">"+html.EscapeString(question)+"</th>")
		if j < 0 {
			t.Fatalf("no row for %q", question)
		}
		r := section[j:]
		return r[:strings.Index(r, "</tr>")]
	}
	anon := e.client()
	sv1 := e.get(anon, fmt.Sprintf("/partnerskap/%d", pid)).body
	wantContains(t, "public page, yes/no question with 3 pairs", row(sv1, yesNo.Text.SV), "för få par för att visas (minst 5 behövs)")
	wantNotContains(t, "public page, yes/no question with 3 pairs", row(sv1, yesNo.Text.SV), "3 par")
	wantContains(t, "public page, scale question with 5 pairs", row(sv1, scale.Text.SV), "&#43;2,00 (5 par)")
	wantContains(t, "public page", sv1, "Ett par är en person som har svarat på frågan både före och efter",
		"förändringen för parade svar på minst 5 par")

	en := e.get(anon, fmt.Sprintf("/en/partnerships/%d", pid)).body
	wantContains(t, "public page in English, 3 pairs", row(en, yesNo.Text.In("en")), "too few pairs to show (at least 5 needed)")
	wantContains(t, "public page in English, 5 pairs", row(en, scale.Text.In("en")), "&#43;2.00 (5 pairs)")
	wantContains(t, "public page in English", en, "A pair is one person who answered the question both before and after")

	// The grantee's and officers' own page shows the small number, says
	// what a pair is, and that the public won't see this one.
	staff := e.login(officer)
	own := e.get(staff, surveyPath(g))
	if own.status != 200 {
		t.Fatalf("survey page: %d", own.status)
	}
	wantContains(t, "the survey page", own.body, "Ett par är en person som har svarat på frågan både före och efter",
		"Visas inte på de offentliga sidorna: färre än 5 par.")
	ownEN := e.get(staff, fmt.Sprintf("/en/grants/%d/survey", g.ID)).body
	wantContains(t, "the survey page in English", ownEN, "A pair is one person who answered the question both before and after",
		"Not shown on the public pages: fewer than 5 pairs.")
}
