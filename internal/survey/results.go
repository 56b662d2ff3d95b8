package survey

import (
	"sort"
	"strconv"
)

// Share is how many chose one answer, and the share of those who answered.
type Share struct {
	Value string
	Count int
	Share float64 // 0–1
}

// PhaseResult is one question's answers in one phase.
type PhaseResult struct {
	Answered int
	Mean     float64 // scale questions: mean of 1–5; 0 when none answered
	Shares   []Share // choice questions, in the options' order
}

// QuestionResult compares a question before and after.
type QuestionResult struct {
	Question Question
	Baseline PhaseResult
	FollowUp PhaseResult
	// Change is follow-up minus baseline: of the mean for a scale, of the
	// share answering yes for a yes/no question (in percentage points).
	Change float64
	// Pairs counts the complete pairs of this question: respondents who
	// answered it in both phases under the same code and target group.
	// An answer of "don't know" (or none) in either phase breaks the
	// pair, so a yes/no question may have fewer pairs than a scale
	// question of the same survey. PairedChange is the pairs' mean
	// change, which shows the effect on the same people.
	Pairs        int
	PairedChange float64
}

// MinPublicAnswers is the fewest answers a figure must rest on before it
// is shown to the public (the partnership page, the fact sheet): fewer
// mean little, and could point at the people who answered. It is the one
// privacy rule for every published survey figure; Public applies it.
const MinPublicAnswers = 5

// Public reports whether a figure resting on n answers may be shown to the
// public. For a phase's mean or shares n is the answers to the question in
// that phase; for the change between phases, the smaller phase; for the
// paired change, the complete pairs (see QuestionResult.Pairs).
func Public(n int) bool { return n >= MinPublicAnswers }

// Shown says which of a question's figures the public may see.
type Shown struct {
	Baseline, FollowUp bool // the phase's mean or shares
	Change             bool // follow-up minus baseline
	PairedChange       bool // the mean change of the same people
}

// Public says which of the question's figures may be shown to the
// public, each by Public on the answers it rests on.
func (r QuestionResult) Public() Shown {
	sh := Shown{Baseline: Public(r.Baseline.Answered), FollowUp: Public(r.FollowUp.Answered), PairedChange: Public(r.Pairs)}
	sh.Change = sh.Baseline && sh.FollowUp
	return sh
}

// PublicResponses keeps the responses of the phases that have at least
// MinPublicAnswers answers, and names the phases it left out.
func PublicResponses(responses []Response) (kept []Response, withheld []Phase) {
	n := map[Phase]int{}
	for _, r := range responses {
		n[r.Phase]++
	}
	for _, p := range []Phase{Baseline, FollowUp} {
		if n[p] > 0 && !Public(n[p]) {
			withheld = append(withheld, p)
		}
	}
	for _, r := range responses {
		if Public(n[r.Phase]) {
			kept = append(kept, r)
		}
	}
	return kept, withheld
}

// Results computes each question's results over responses, optionally
// limited to one target group ("" for all). Free-text questions are left
// out: they are read, not counted.
func Results(qs []Question, responses []Response, group string) []QuestionResult {
	var rs []Response
	for _, r := range responses {
		if group == "" || r.TargetGroup == group {
			rs = append(rs, r)
		}
	}
	var out []QuestionResult
	for _, q := range qs {
		if q.Kind == FreeText {
			continue
		}
		res := QuestionResult{Question: q, Baseline: phaseResult(q, rs, Baseline), FollowUp: phaseResult(q, rs, FollowUp)}
		switch q.Kind {
		case Scale:
			if res.Baseline.Answered > 0 && res.FollowUp.Answered > 0 {
				res.Change = res.FollowUp.Mean - res.Baseline.Mean
			}
		case YesNo:
			if res.Baseline.Answered > 0 && res.FollowUp.Answered > 0 {
				res.Change = 100 * (shareOf(res.FollowUp, Yes) - shareOf(res.Baseline, Yes))
			}
		}
		res.Pairs, res.PairedChange = paired(q, rs)
		out = append(out, res)
	}
	return out
}

func phaseResult(q Question, rs []Response, phase Phase) PhaseResult {
	var pr PhaseResult
	counts := map[string]int{}
	sum := 0
	for _, r := range rs {
		v, ok := r.Answers[q.Key]
		if r.Phase != phase || !ok || v == "" {
			continue
		}
		pr.Answered++
		counts[v]++
		if q.Kind == Scale {
			n, _ := strconv.Atoi(v)
			sum += n
		}
	}
	if pr.Answered == 0 {
		return pr
	}
	var values []string
	switch q.Kind {
	case Scale:
		pr.Mean = float64(sum) / float64(pr.Answered)
		values = []string{"1", "2", "3", "4", "5"}
	case YesNo:
		values = []string{Yes, No, DontKnow}
	case SingleChoice:
		for _, o := range q.Options {
			values = append(values, o.Value)
		}
	}
	for _, v := range values {
		pr.Shares = append(pr.Shares, Share{Value: v, Count: counts[v], Share: float64(counts[v]) / float64(pr.Answered)})
	}
	return pr
}

func shareOf(pr PhaseResult, v string) float64 {
	for _, s := range pr.Shares {
		if s.Value == v {
			return s.Share
		}
	}
	return 0
}

// paired matches baseline and follow-up responses by code and target
// group. A code used twice in one phase is ambiguous and left out.
func paired(q Question, rs []Response) (int, float64) {
	if q.Kind != Scale && q.Kind != YesNo {
		return 0, 0
	}
	type key struct{ code, group string }
	first := map[key][]Response{}
	second := map[key][]Response{}
	for _, r := range rs {
		if r.Code == "" {
			continue
		}
		k := key{r.Code, r.TargetGroup}
		if r.Phase == Baseline {
			first[k] = append(first[k], r)
		} else {
			second[k] = append(second[k], r)
		}
	}
	keys := make([]key, 0, len(first))
	for k := range first {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].code+keys[i].group < keys[j].code+keys[j].group })
	n, sum := 0, 0.0
	for _, k := range keys {
		b, f := first[k], second[k]
		if len(b) != 1 || len(f) != 1 {
			continue
		}
		bv, ok1 := value(q, b[0].Answers[q.Key])
		fv, ok2 := value(q, f[0].Answers[q.Key])
		if !ok1 || !ok2 {
			continue
		}
		n++
		sum += fv - bv
	}
	if n == 0 {
		return 0, 0
	}
	if q.Kind == YesNo {
		return n, 100 * sum / float64(n)
	}
	return n, sum / float64(n)
}

// value is an answer as a number: the score of a scale; 1 for yes and 0
// for no (don't know is not counted) for a yes/no question.
func value(q Question, v string) (float64, bool) {
	switch q.Kind {
	case Scale:
		n, err := strconv.Atoi(v)
		return float64(n), err == nil
	case YesNo:
		switch v {
		case Yes:
			return 1, true
		case No:
			return 0, true
		}
	}
	return 0, false
}
