package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
)

func testSurveys(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	g := &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: 20_000_000, AwardedOn: clock.Date(2021, 3, 1)}
	must(t, s.CreateGrant(ctx(), officer, g))
	if _, err := s.Survey(ctx(), g.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("survey before creation: %v", err)
	}
	if _, err := s.SurveyByToken(ctx(), "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	grantee := audit.Actor{Name: "test:grantee"}
	sv := survey.New(g.ID, f.call.Config.SurveyTemplate(), clk.Now())
	must(t, s.CreateSurvey(ctx(), grantee, sv))
	if err := s.CreateSurvey(ctx(), grantee, survey.New(g.ID, survey.DefaultQuestions(), clk.Now())); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second survey of a grant: %v", err)
	}
	if err := s.CreateSurvey(ctx(), grantee, survey.New(9999, survey.DefaultQuestions(), clk.Now())); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("survey of a missing grant: %v", err)
	}
	got, err := s.SurveyByToken(ctx(), sv.Token)
	must(t, err)
	if got.ID != sv.ID || got.GrantID != g.ID || len(got.Questions) != len(survey.DefaultQuestions()) || got.Version != 1 ||
		got.Questions[0].Text.SV != survey.DefaultQuestions()[0].Text.SV || !got.Baseline.Opens.Equal(Start) || !got.FollowUp.Opens.IsZero() {
		t.Fatalf("survey read back: %+v", got)
	}

	// Baseline answers while open; å/ä/ö and the code round-trip.
	answer := func(phase survey.Phase, group, code, know string) error {
		return s.AddResponse(ctx(), &survey.Response{GrantID: g.ID, Phase: phase, TargetGroup: group, Code: code,
			Answers: map[string]string{"know_partnership": know, "comment": "Jättebra, över förväntan"}})
	}
	must(t, answer(survey.Baseline, "pupils", "ab 12", "1"))
	must(t, answer(survey.Baseline, "pupils", "", "3"))
	wantField(t, answer(survey.Baseline, "aliens", "", "3"), "target_group", "error.survey.target_group")
	wantField(t, answer(survey.Baseline, "pupils", "", "7"), "q_know_partnership", "error.invalid_choice")
	// The follow-up is not open yet.
	if err := answer(survey.FollowUp, "pupils", "AB12", "4"); !errors.Is(err, survey.ErrClosed) {
		t.Errorf("answer before the follow-up opened: %v", err)
	}

	// The grantee adds a question, closes the baseline and opens the follow-up.
	got.AddQuestion(survey.OwnQuestion{Kind: "yes_no", TextSV: "Har du sett utställningen?"})
	got.Baseline.Closes = survey.EndOfDay(clock.Date(2021, 3, 10))
	clk.Set(Start.Add(30 * 24 * time.Hour))
	got.FollowUp.Opens = clk.Now()
	must(t, s.UpdateSurvey(ctx(), grantee, got))
	if got.Version != 2 {
		t.Errorf("version after update %d", got.Version)
	}
	stale := *got
	stale.Version = 1
	if err := s.UpdateSurvey(ctx(), grantee, &stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale update: %v", err)
	}
	removed := *got
	removed.Questions = removed.Questions[1:]
	if err := s.UpdateSurvey(ctx(), grantee, &removed); err == nil || errors.Is(err, store.ErrConflict) {
		t.Errorf("removing a template question: %v", err)
	}
	bad := *got
	bad.FollowUp.Closes = bad.FollowUp.Opens.Add(-time.Hour)
	wantField(t, s.UpdateSurvey(ctx(), grantee, &bad), "follow_up_closes", "error.survey.closes_before_opens")

	if err := answer(survey.Baseline, "pupils", "", "2"); !errors.Is(err, survey.ErrClosed) {
		t.Errorf("answer after the baseline closed: %v", err)
	}
	must(t, s.AddResponse(ctx(), &survey.Response{GrantID: g.ID, Phase: survey.FollowUp, TargetGroup: "pupils", Code: "AB12",
		Answers: map[string]string{"know_partnership": "4", "own_5": survey.Yes}}))

	rs, err := s.Responses(ctx(), g.ID)
	must(t, err)
	if len(rs) != 3 || rs[0].Code != "AB12" || rs[0].Answers["comment"] != "Jättebra, över förväntan" || !rs[0].At.Equal(Start) ||
		rs[2].Phase != survey.FollowUp || rs[2].Answers["own_5"] != survey.Yes || rs[2].GrantID != g.ID {
		t.Fatalf("responses: %+v", rs)
	}
	res := survey.Results(got.Questions, rs, "")
	if res[0].Pairs != 1 || res[0].PairedChange != 3 {
		t.Errorf("paired from the store: %+v", res[0])
	}
	// The survey's creation and change are audited; answers are not.
	log, err := s.AuditLog(ctx(), audit.Filter{Entity: "survey", EntityID: sv.ID})
	must(t, err)
	if len(log) != 2 || log[0].Actor.Name != "test:grantee" {
		t.Errorf("audit: %+v", log)
	}
}
