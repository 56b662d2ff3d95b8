package survey

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/icld/partnerskap/internal/form"
)

// FuzzResponseCheck: a response that Check accepts holds only answers the
// questions offer, written as the results count them (a scale answer is
// one of "1" to "5", not "03" or "+3", which would count in the mean
// and in no bar), and its results add up: each phase's shares count
// every answer. The corpus is in testdata/fuzz/FuzzResponseCheck.
func FuzzResponseCheck(f *testing.F) {
	f.Add("baseline", "politicians", "ab 12", "know_partnership", "3", "partnership_useful", "yes")
	f.Add("follow_up", "citizens", "", "channel", "web", "comment", "Bra!")
	f.Add("baseline", "politicians", "x", "know_partnership", "03", "know_agenda2030", "+3")
	f.Add("baseline", "politicians", "x", "know_partnership", " 3", "partnership_useful", "Yes")
	f.Fuzz(func(t *testing.T, phase, group, code, k1, v1, k2, v2 string) {
		qs := append(DefaultQuestions(),
			Question{Key: "channel", Kind: SingleChoice, Text: form.Text{SV: "Var?"}, Options: []form.Option{{Value: "web"}, {Value: "paper"}}})
		groups := []form.Option{{Value: "politicians"}, {Value: "citizens"}}
		r := &Response{Phase: Phase(phase), TargetGroup: group, Code: code, Answers: map[string]string{k1: v1, k2: v2}}
		if len(r.Check(qs, groups)) > 0 {
			return
		}
		if !slices.Contains(Phases, r.Phase) || !slices.ContainsFunc(groups, func(o form.Option) bool { return o.Value == r.TargetGroup }) {
			t.Fatalf("accepted phase %q, group %q", r.Phase, r.TargetGroup)
		}
		if utf8.RuneCountInString(r.Code) > 20 || r.Code != NormalizeCode(r.Code) {
			t.Fatalf("accepted code %q", r.Code)
		}
		for key, v := range r.Answers {
			i := slices.IndexFunc(qs, func(q Question) bool { return q.Key == key })
			if i < 0 {
				t.Fatalf("accepted an answer to no question: %q", key)
			}
			q := qs[i]
			var ok bool
			switch q.Kind {
			case Scale:
				ok = slices.Contains([]string{"1", "2", "3", "4", "5"}, v)
			case YesNo:
				ok = slices.Contains([]string{Yes, No, DontKnow}, v)
			case SingleChoice:
				ok = slices.ContainsFunc(q.Options, func(o form.Option) bool { return o.Value == v })
			case FreeText:
				ok = utf8.RuneCountInString(v) <= 2000
			}
			if !ok && v != "" {
				t.Fatalf("question %q (%s) accepted %q", key, q.Kind, v)
			}
		}
		for _, res := range Results(qs, []Response{*r}, "") {
			for _, pr := range []PhaseResult{res.Baseline, res.FollowUp} {
				if pr.Answered == 0 || res.Question.Kind == FreeText {
					continue
				}
				n := 0
				for _, s := range pr.Shares {
					n += s.Count
				}
				if n != pr.Answered {
					t.Fatalf("question %q: %d answered, %d in the shares", res.Question.Key, pr.Answered, n)
				}
				if res.Question.Kind == Scale && (pr.Mean < 1 || pr.Mean > 5) {
					t.Fatalf("question %q: mean %v", res.Question.Key, pr.Mean)
				}
			}
		}
	})
}
