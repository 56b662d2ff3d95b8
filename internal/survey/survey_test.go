package survey

import (
	"math"
	"testing"

	"github.com/icld/partnerskap/internal/form"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestResultsKnownAnswers(t *testing.T) {
	qs := DefaultQuestions()
	r := func(phase Phase, group, code, know, useful string) Response {
		return Response{Phase: phase, TargetGroup: group, Code: code, Answers: map[string]string{"know_partnership": know, "partnership_useful": useful}}
	}
	responses := []Response{
		// Before: three pupils and a politician.
		r(Baseline, "pupils", "A1", "1", No),
		r(Baseline, "pupils", "B2", "2", Yes),
		r(Baseline, "pupils", "", "3", DontKnow),
		r(Baseline, "politicians", "P1", "3", Yes),
		// After: A1 and B2 again, a new pupil, and the politician.
		r(FollowUp, "pupils", "A1", "4", Yes),
		r(FollowUp, "pupils", "B2", "3", Yes),
		r(FollowUp, "pupils", "C3", "5", Yes),
		r(FollowUp, "politicians", "P1", "3", Yes),
	}
	all := Results(qs, responses, "")
	if len(all) != 3 { // the free-text question is not counted
		t.Fatalf("results for %d questions", len(all))
	}
	know := all[0]
	if know.Baseline.Answered != 4 || !near(know.Baseline.Mean, 9.0/4) || !near(know.FollowUp.Mean, 15.0/4) || !near(know.Change, 1.5) {
		t.Errorf("knowledge: %+v", know)
	}
	// Pairs: A1 (1→4), B2 (2→3), P1 (3→3): mean change (3+1+0)/3.
	if know.Pairs != 3 || !near(know.PairedChange, 4.0/3) {
		t.Errorf("knowledge pairs %d change %v", know.Pairs, know.PairedChange)
	}
	useful := all[2]
	// Yes before: 2 of 4 (50 %); after 4 of 4 (100 %): +50 points.
	if !near(useful.Change, 50) || useful.Baseline.Shares[0].Count != 2 || useful.FollowUp.Shares[0].Count != 4 {
		t.Errorf("useful: %+v", useful)
	}
	// Paired yes/no: A1 no→yes (+1), B2 yes→yes, P1 yes→yes: +33.3 points.
	if useful.Pairs != 3 || !near(useful.PairedChange, 100.0/3) {
		t.Errorf("useful pairs %d change %v", useful.Pairs, useful.PairedChange)
	}
	pupils := Results(qs, responses, "pupils")[0]
	if pupils.Baseline.Answered != 3 || !near(pupils.Baseline.Mean, 2) || !near(pupils.FollowUp.Mean, 4) || pupils.Pairs != 2 {
		t.Errorf("pupils: %+v", pupils)
	}
}

func TestPairingIgnoresAmbiguousCodes(t *testing.T) {
	qs := DefaultQuestions()
	responses := []Response{
		{Phase: Baseline, TargetGroup: "pupils", Code: "X", Answers: map[string]string{"know_partnership": "1"}},
		{Phase: Baseline, TargetGroup: "pupils", Code: "X", Answers: map[string]string{"know_partnership": "2"}},
		{Phase: FollowUp, TargetGroup: "pupils", Code: "X", Answers: map[string]string{"know_partnership": "5"}},
		// Same code in another target group is another person.
		{Phase: FollowUp, TargetGroup: "citizens", Code: "Y", Answers: map[string]string{"know_partnership": "5"}},
		{Phase: Baseline, TargetGroup: "pupils", Code: "Y", Answers: map[string]string{"know_partnership": "1"}},
	}
	if res := Results(qs, responses, "")[0]; res.Pairs != 0 {
		t.Errorf("pairs %d, want 0", res.Pairs)
	}
}

func TestCheckResponse(t *testing.T) {
	qs := DefaultQuestions()
	groups := form.DefaultLists().TargetGroups
	ok := Response{Phase: Baseline, TargetGroup: "pupils", Code: " ab 12 ", Answers: map[string]string{"know_partnership": "3", "partnership_useful": DontKnow, "comment": "Bra!"}}
	if errs := ok.Check(qs, groups); len(errs) != 0 || ok.Code != "AB12" {
		t.Fatalf("valid response: %v, code %q", errs, ok.Code)
	}
	for _, tt := range []struct {
		r     Response
		field string
	}{
		{Response{Phase: "during", TargetGroup: "pupils"}, "phase"},
		{Response{Phase: Baseline, TargetGroup: "aliens"}, "target_group"},
		{Response{Phase: Baseline, TargetGroup: "pupils", Answers: map[string]string{"know_partnership": "6"}}, "q_know_partnership"},
		{Response{Phase: Baseline, TargetGroup: "pupils", Answers: map[string]string{"partnership_useful": "maybe"}}, "q_partnership_useful"},
		{Response{Phase: Baseline, TargetGroup: "pupils", Answers: map[string]string{"unknown": "1"}}, "q_unknown"},
		{Response{Phase: Baseline, TargetGroup: "pupils", Code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}, "code"},
	} {
		if errs := tt.r.Check(qs, groups); !errs.Has(tt.field) {
			t.Errorf("%+v: errors %v, want one on %s", tt.r, errs, tt.field)
		}
	}
}

func TestCheckQuestions(t *testing.T) {
	if err := CheckQuestions(DefaultQuestions()); err != nil {
		t.Fatal(err)
	}
	bad := append(DefaultQuestions(), Question{Key: "know_partnership", Kind: Scale, Text: form.Text{SV: "Igen"}})
	if CheckQuestions(bad) == nil {
		t.Error("a duplicate key was accepted")
	}
	if CheckQuestions([]Question{{Key: "c", Kind: SingleChoice, Text: form.Text{SV: "Välj"}, Options: []form.Option{{Value: "a"}}}}) == nil {
		t.Error("a choice with one option was accepted")
	}
}

// TestPublicResponses keeps a phase only with MinPublicAnswers answers.
func TestPublicResponses(t *testing.T) {
	var rs []Response
	for range MinPublicAnswers {
		rs = append(rs, Response{Phase: Baseline})
	}
	for range MinPublicAnswers - 1 {
		rs = append(rs, Response{Phase: FollowUp})
	}
	kept, withheld := PublicResponses(rs)
	if len(kept) != MinPublicAnswers || kept[0].Phase != Baseline || len(withheld) != 1 || withheld[0] != FollowUp {
		t.Errorf("%d baseline, %d follow-up: kept %d, withheld %v", MinPublicAnswers, MinPublicAnswers-1, len(kept), withheld)
	}
	if kept, withheld := PublicResponses(rs[:MinPublicAnswers]); len(kept) != MinPublicAnswers || len(withheld) != 0 {
		t.Errorf("no follow-up yet: kept %d, withheld %v (a phase nobody answered is not withheld)", len(kept), withheld)
	}
	if kept, withheld := PublicResponses(nil); kept != nil || withheld != nil {
		t.Errorf("none: %v %v", kept, withheld)
	}
}

// TestPublicFigures: every public figure follows one rule, at least
// MinPublicAnswers answers under it; for the paired change the count is
// the question's complete pairs, so "don't know" answers that break pairs
// can hide a yes/no question's paired change while the scale question of
// the same people shows its own.
func TestPublicFigures(t *testing.T) {
	for n, want := range map[int]bool{0: false, 3: false, 4: false, 5: true, 6: true} {
		if Public(n) != want {
			t.Errorf("Public(%d) = %v, want %v", n, !want, want)
		}
	}
	qs := DefaultQuestions()
	var rs []Response
	for i, code := range []string{"A", "B", "C", "D", "E"} {
		after := Yes
		if i >= 3 {
			after = DontKnow // D and E don't know afterwards: no pair for the yes/no question
		}
		rs = append(rs,
			Response{Phase: Baseline, TargetGroup: "pupils", Code: code, Answers: map[string]string{"know_partnership": "2", "partnership_useful": No}},
			Response{Phase: FollowUp, TargetGroup: "pupils", Code: code, Answers: map[string]string{"know_partnership": "4", "partnership_useful": after}})
	}
	res := Results(qs, rs, "")
	scale, yesNo := res[0], res[2]
	if scale.Pairs != 5 || yesNo.Pairs != 3 {
		t.Fatalf("pairs: scale %d, yes/no %d; want 5 and 3", scale.Pairs, yesNo.Pairs)
	}
	if got, want := scale.Public(), (Shown{Baseline: true, FollowUp: true, Change: true, PairedChange: true}); got != want {
		t.Errorf("scale with 5 pairs: %+v, want %+v", got, want)
	}
	// Five answered the yes/no question each time (don't know is an
	// answer), so its shares and change are shown; its three pairs are not.
	if got, want := yesNo.Public(), (Shown{Baseline: true, FollowUp: true, Change: true, PairedChange: false}); got != want {
		t.Errorf("yes/no with 3 pairs: %+v, want %+v", got, want)
	}
	few := Results(qs, rs[:6], "") // three answers in each phase
	if got := few[0].Public(); got != (Shown{}) {
		t.Errorf("three answers a phase: %+v, want nothing shown", got)
	}
}
