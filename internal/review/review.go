// Package review describes how reviewers assess applications: criteria
// with weights on a score scale, conflict-of-interest declarations,
// scores with comments, and the ranking the officer sees.
package review

import (
	"cmp"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/validate"
)

// Criterion is one thing applications are assessed on.
type Criterion struct {
	Key    string    `json:"key"`
	Title  form.Text `json:"title"`
	Help   form.Text `json:"help,omitempty"`
	Weight int       `json:"weight"` // relative weight, e.g. 60 and 40
}

// Scale is the range of scores, e.g. 1–5.
type Scale struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Setup is a call's assessment: its criteria and scale.
type Setup struct {
	Criteria []Criterion `json:"criteria"`
	Scale    Scale       `json:"scale"`
}

// DefaultSetup is the communication support's assessment: relevance and
// feasibility on a 1–5 scale.
func DefaultSetup() Setup {
	return Setup{Scale: Scale{Min: 1, Max: 5}, Criteria: []Criterion{
		{Key: "relevance", Title: form.Text{SV: "Relevans", EN: "Relevance"}, Weight: 50,
			Help: form.Text{SV: "Bidrar kommunikationen till kunskap om partnerskapet och Agenda 2030 hos målgrupperna?", EN: "Does the communication build the target groups' knowledge of the partnership and Agenda 2030?"}},
		{Key: "feasibility", Title: form.Text{SV: "Genomförbarhet", EN: "Feasibility"}, Weight: 50,
			Help: form.Text{SV: "Är planen, budgeten och mätningen realistiska?", EN: "Are the plan, budget and survey realistic?"}},
	}}
}

// Check checks a setup an officer wrote.
func (s Setup) Check() validate.Errors {
	e := validate.Errors{}
	if len(s.Criteria) == 0 {
		e.Add("criteria", "error.review.no_criteria")
	}
	seen := map[string]bool{}
	for _, c := range s.Criteria {
		if c.Key == "" || seen[c.Key] || strings.TrimSpace(c.Title.SV) == "" {
			e.Add("criteria", "error.review.criterion")
		}
		seen[c.Key] = true
		if c.Weight <= 0 {
			e.Add("criteria", "error.review.weight")
		}
	}
	if s.Scale.Min < 0 || s.Scale.Max <= s.Scale.Min || s.Scale.Max > 100 {
		e.Add("scale", "error.review.scale")
	}
	return e
}

// Recommendation is what a reviewer suggests.
type Recommendation string

const (
	RecommendGrant  Recommendation = "grant"
	RecommendPartly Recommendation = "partly"
	RecommendReject Recommendation = "reject"
)

// Recommendations lists them in the order forms offer them.
var Recommendations = []Recommendation{RecommendGrant, RecommendPartly, RecommendReject}

// Assignment gives an application to a reviewer.
type Assignment struct {
	ApplicationID int64
	ReviewerID    int64
	AssignedAt    time.Time
	AssignedBy    int64
	// Conflict is the reviewer's declaration: a conflicted reviewer no
	// longer sees the application. Declared is false until they answer.
	Declared     bool
	Conflict     bool
	ConflictNote string
	DeclaredAt   time.Time
}

// Review is one reviewer's assessment.
type Review struct {
	ApplicationID  int64
	ReviewerID     int64
	Scores         map[string]int    // criterion key → score
	Comments       map[string]string // criterion key → comment
	Recommendation Recommendation
	Comment        string
	SubmittedAt    time.Time // zero while it is a draft
	UpdatedAt      time.Time
}

// Submitted reports whether the review is done.
func (r *Review) Submitted() bool { return !r.SubmittedAt.IsZero() }

// Check checks a review against the setup: every criterion scored within
// the scale, a comment on each, and a recommendation.
func (r *Review) Check(s Setup) validate.Errors {
	e := validate.Errors{}
	for _, c := range s.Criteria {
		score, ok := r.Scores[c.Key]
		if !ok {
			e.Add("score_"+c.Key, "error.required")
		} else if score < s.Scale.Min || score > s.Scale.Max {
			e.Add("score_"+c.Key, "error.review.out_of_scale")
		}
		e.Required("comment_"+c.Key, r.Comments[c.Key])
		e.MaxLen("comment_"+c.Key, r.Comments[c.Key], 5000)
	}
	for k := range r.Scores {
		if !slices.ContainsFunc(s.Criteria, func(c Criterion) bool { return c.Key == k }) {
			e.Add("scores", "error.invalid_choice")
		}
	}
	if !slices.Contains(Recommendations, r.Recommendation) {
		e.Add("recommendation", "error.required")
	}
	e.MaxLen("comment", r.Comment, 10000)
	return e
}

// Weighted returns the review's weighted score, scaled to 0–100 so calls
// with different scales compare: (score − min) / (max − min), weighted.
func (r *Review) Weighted(s Setup) float64 {
	f, _ := r.weighted(s).Float64()
	return f
}

// weighted is Weighted as an exact fraction. Scores are often thirds or
// ninths, which a float64 rounds, so Rank adds and compares these
// instead: two applications with the same mean then tie, whatever the
// order of their reviews.
func (r *Review) weighted(s Setup) *big.Rat {
	var sum, weights int64
	span := int64(s.Scale.Max - s.Scale.Min)
	for _, c := range s.Criteria {
		score, ok := r.Scores[c.Key]
		if !ok || span <= 0 {
			continue
		}
		sum += int64(c.Weight) * int64(score-s.Scale.Min)
		weights += int64(c.Weight)
	}
	if weights == 0 {
		return new(big.Rat)
	}
	return big.NewRat(100*sum, span*weights)
}

// Ranked is an application with its mean weighted score over the submitted
// reviews.
type Ranked struct {
	ApplicationID int64
	Requested     int64
	Score         float64 // mean weighted score, 0–100
	Reviews       int     // submitted reviews counted
}

// Rank orders applications by mean weighted score, best first; ties keep
// the earlier submission (lower id) first, so the order is stable. The
// means are compared exactly (see weighted), so a tie is a tie.
func Rank(setup Setup, requested map[int64]int64, reviews []Review) []Ranked {
	type ranking struct {
		Ranked
		mean big.Rat // the sum of the weighted scores, then their mean
	}
	byApp := map[int64]*ranking{}
	for id, req := range requested {
		byApp[id] = &ranking{Ranked: Ranked{ApplicationID: id, Requested: req}}
	}
	for _, r := range reviews {
		rk := byApp[r.ApplicationID]
		if rk == nil || !r.Submitted() {
			continue
		}
		rk.mean.Add(&rk.mean, r.weighted(setup))
		rk.Reviews++
	}
	all := make([]*ranking, 0, len(byApp))
	for _, rk := range byApp {
		if rk.Reviews > 0 {
			rk.mean.Quo(&rk.mean, new(big.Rat).SetInt64(int64(rk.Reviews)))
		}
		rk.Score, _ = rk.mean.Float64()
		all = append(all, rk)
	}
	slices.SortFunc(all, func(a, b *ranking) int {
		if c := b.mean.Cmp(&a.mean); c != 0 {
			return c
		}
		return cmp.Compare(a.ApplicationID, b.ApplicationID)
	})
	out := make([]Ranked, len(all))
	for i, rk := range all {
		out[i] = rk.Ranked
	}
	return out
}
