package review

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/validate"
)

var submitted = time.Date(2021, 4, 20, 9, 0, 0, 0, time.UTC)

// scored is a submitted review of application app with the default
// setup's two criteria.
func scored(app int64, relevance, feasibility int) Review {
	return Review{ApplicationID: app, Scores: map[string]int{"relevance": relevance, "feasibility": feasibility}, SubmittedAt: submitted}
}

func TestDefaultSetup(t *testing.T) {
	s := DefaultSetup()
	if errs := s.Check(); len(errs) > 0 {
		t.Errorf("DefaultSetup().Check() = %v", errs)
	}
	if want := (Scale{Min: 1, Max: 5}); s.Scale != want {
		t.Errorf("scale = %+v, want %+v", s.Scale, want)
	}
	type kw struct {
		key    string
		weight int
		sv     string
	}
	var got []kw
	for _, c := range s.Criteria {
		got = append(got, kw{c.Key, c.Weight, c.Title.SV})
		if c.Title.EN == "" || c.Help.SV == "" || c.Help.EN == "" {
			t.Errorf("%s: missing a title or help text: %+v", c.Key, c)
		}
	}
	want := []kw{{"relevance", 50, "Relevans"}, {"feasibility", 50, "Genomförbarhet"}}
	if !slices.Equal(got, want) {
		t.Errorf("criteria = %v, want %v", got, want)
	}
}

func TestSetupCheck(t *testing.T) {
	crit := func(key, sv string, weight int) Criterion {
		return Criterion{Key: key, Title: form.Text{SV: sv}, Weight: weight}
	}
	scale := Scale{Min: 1, Max: 5}
	tests := []struct {
		name string
		s    Setup
		want validate.Errors
	}{
		{"one criterion", Setup{Criteria: []Criterion{crit("relevans", "Relevans", 1)}, Scale: scale}, nil},
		{"uneven weights", Setup{Criteria: []Criterion{crit("a", "Förankring", 60), crit("b", "Målgrupp", 40)}, Scale: scale}, nil},
		{"no criteria", Setup{Scale: scale}, validate.Errors{"criteria": "error.review.no_criteria"}},
		{"no key", Setup{Criteria: []Criterion{crit("", "Relevans", 1)}, Scale: scale}, validate.Errors{"criteria": "error.review.criterion"}},
		{"same key twice", Setup{Criteria: []Criterion{crit("a", "Relevans", 1), crit("a", "Genomförbarhet", 1)}, Scale: scale},
			validate.Errors{"criteria": "error.review.criterion"}},
		{"no Swedish title", Setup{Criteria: []Criterion{{Key: "a", Title: form.Text{EN: "Relevance"}, Weight: 1}}, Scale: scale},
			validate.Errors{"criteria": "error.review.criterion"}},
		{"blank Swedish title", Setup{Criteria: []Criterion{crit("a", " \t", 1)}, Scale: scale}, validate.Errors{"criteria": "error.review.criterion"}},
		{"zero weight", Setup{Criteria: []Criterion{crit("a", "Relevans", 1), crit("b", "Genomförbarhet", 0)}, Scale: scale},
			validate.Errors{"criteria": "error.review.weight"}},
		{"negative weight", Setup{Criteria: []Criterion{crit("a", "Relevans", -50)}, Scale: scale}, validate.Errors{"criteria": "error.review.weight"}},
		{"bad criterion before bad weight", Setup{Criteria: []Criterion{crit("", "Relevans", 0)}, Scale: scale},
			validate.Errors{"criteria": "error.review.criterion"}},
		{"scale 0–100", Setup{Criteria: []Criterion{crit("a", "Relevans", 1)}, Scale: Scale{0, 100}}, nil},
		{"scale 0–1", Setup{Criteria: []Criterion{crit("a", "Relevans", 1)}, Scale: Scale{0, 1}}, nil},
		{"negative minimum", Setup{Criteria: []Criterion{crit("a", "Relevans", 1)}, Scale: Scale{-1, 5}}, validate.Errors{"scale": "error.review.scale"}},
		{"empty scale", Setup{Criteria: []Criterion{crit("a", "Relevans", 1)}, Scale: Scale{3, 3}}, validate.Errors{"scale": "error.review.scale"}},
		{"reversed scale", Setup{Criteria: []Criterion{crit("a", "Relevans", 1)}, Scale: Scale{5, 1}}, validate.Errors{"scale": "error.review.scale"}},
		{"scale to 101", Setup{Criteria: []Criterion{crit("a", "Relevans", 1)}, Scale: Scale{0, 101}}, validate.Errors{"scale": "error.review.scale"}},
		{"nothing set", Setup{}, validate.Errors{"criteria": "error.review.no_criteria", "scale": "error.review.scale"}},
	}
	for _, tt := range tests {
		if got := tt.s.Check(); !maps.Equal(got, tt.want) {
			t.Errorf("%s: Check = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSubmitted(t *testing.T) {
	if (&Review{}).Submitted() {
		t.Error("a draft reads as submitted")
	}
	if !(&Review{SubmittedAt: submitted}).Submitted() {
		t.Error("a submitted review reads as a draft")
	}
}

// TestReviewCheck checks a review against the default setup (relevance
// and feasibility on 1–5) and compares the whole set of field errors.
func TestReviewCheck(t *testing.T) {
	setup := DefaultSetup()
	valid := func() Review {
		return Review{
			Scores:         map[string]int{"relevance": 4, "feasibility": 3},
			Comments:       map[string]string{"relevance": "Tydlig koppling till Agenda 2030.", "feasibility": "Enkäten är väl förberedd."},
			Recommendation: RecommendGrant,
		}
	}
	tests := []struct {
		name   string
		change func(r *Review)
		want   validate.Errors
	}{
		{"valid", func(r *Review) {}, nil},
		{"partly", func(r *Review) { r.Recommendation = RecommendPartly }, nil},
		{"reject", func(r *Review) { r.Recommendation = RecommendReject }, nil},
		{"lowest and highest", func(r *Review) { r.Scores["relevance"], r.Scores["feasibility"] = 1, 5 }, nil},
		{"no score", func(r *Review) { delete(r.Scores, "relevance") }, validate.Errors{"score_relevance": "error.required"}},
		{"below the scale", func(r *Review) { r.Scores["feasibility"] = 0 }, validate.Errors{"score_feasibility": "error.review.out_of_scale"}},
		{"above the scale", func(r *Review) { r.Scores["relevance"] = 6 }, validate.Errors{"score_relevance": "error.review.out_of_scale"}},
		{"negative", func(r *Review) { r.Scores["relevance"] = -3 }, validate.Errors{"score_relevance": "error.review.out_of_scale"}},
		{"score of another criterion", func(r *Review) { r.Scores["budget"] = 3 }, validate.Errors{"scores": "error.invalid_choice"}},
		{"no comment", func(r *Review) { delete(r.Comments, "feasibility") }, validate.Errors{"comment_feasibility": "error.required"}},
		{"blank comment", func(r *Review) { r.Comments["relevance"] = "  \n" }, validate.Errors{"comment_relevance": "error.required"}},
		{"comment of 5000 ö", func(r *Review) { r.Comments["relevance"] = strings.Repeat("ö", 5000) }, nil},
		{"comment of 5001 ö", func(r *Review) { r.Comments["relevance"] = strings.Repeat("ö", 5001) }, validate.Errors{"comment_relevance": "error.too_long"}},
		{"no recommendation", func(r *Review) { r.Recommendation = "" }, validate.Errors{"recommendation": "error.required"}},
		{"unknown recommendation", func(r *Review) { r.Recommendation = "bevilja" }, validate.Errors{"recommendation": "error.required"}},
		{"overall comment of 10000", func(r *Review) { r.Comment = strings.Repeat("å", 10000) }, nil},
		{"overall comment of 10001", func(r *Review) { r.Comment = strings.Repeat("å", 10001) }, validate.Errors{"comment": "error.too_long"}},
		{"empty", func(r *Review) { *r = Review{} }, validate.Errors{
			"score_relevance":     "error.required",
			"comment_relevance":   "error.required",
			"score_feasibility":   "error.required",
			"comment_feasibility": "error.required",
			"recommendation":      "error.required",
		}},
	}
	for _, tt := range tests {
		r := valid()
		tt.change(&r)
		if got := r.Check(setup); !maps.Equal(got, tt.want) {
			t.Errorf("%s: Check = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestWeighted(t *testing.T) {
	crit := func(key string, weight int) Criterion {
		return Criterion{Key: key, Title: form.Text{SV: key}, Weight: weight}
	}
	sixtyForty := Setup{Scale: Scale{1, 5}, Criteria: []Criterion{crit("a", 60), crit("b", 40)}}
	tests := []struct {
		name   string
		s      Setup
		scores map[string]int
		want   float64
	}{
		{"best", DefaultSetup(), map[string]int{"relevance": 5, "feasibility": 5}, 100},
		{"worst", DefaultSetup(), map[string]int{"relevance": 1, "feasibility": 1}, 0},
		{"middle", DefaultSetup(), map[string]int{"relevance": 3, "feasibility": 3}, 50},
		{"5 and 1", DefaultSetup(), map[string]int{"relevance": 5, "feasibility": 1}, 50},
		{"4 and 4", DefaultSetup(), map[string]int{"relevance": 4, "feasibility": 4}, 75},
		{"5 and 4", DefaultSetup(), map[string]int{"relevance": 5, "feasibility": 4}, 87.5},
		{"60/40, heavy best", sixtyForty, map[string]int{"a": 5, "b": 1}, 60},
		{"60/40, light best", sixtyForty, map[string]int{"a": 1, "b": 5}, 40},
		{"60/40, 3 and 5", sixtyForty, map[string]int{"a": 3, "b": 5}, 70},
		{"scale 0–100", Setup{Scale: Scale{0, 100}, Criteria: []Criterion{crit("a", 1)}}, map[string]int{"a": 37}, 37},
		{"three criteria 1/1/2 on 0–4", Setup{Scale: Scale{0, 4}, Criteria: []Criterion{crit("a", 1), crit("b", 1), crit("c", 2)}},
			map[string]int{"a": 4, "b": 0, "c": 2}, 50},
		// A criterion without a score counts for nothing, not as the worst.
		{"one of two scored", DefaultSetup(), map[string]int{"relevance": 5}, 100},
		{"scores of unknown criteria ignored", DefaultSetup(), map[string]int{"relevance": 5, "feasibility": 1, "budget": 5}, 50},
		{"no scores", DefaultSetup(), nil, 0},
		{"empty scale", Setup{Scale: Scale{3, 3}, Criteria: []Criterion{crit("a", 1)}}, map[string]int{"a": 3}, 0},
		{"no criteria", Setup{Scale: Scale{1, 5}}, map[string]int{"a": 3}, 0},
	}
	for _, tt := range tests {
		r := Review{Scores: tt.scores}
		if got := r.Weighted(tt.s); got != tt.want {
			t.Errorf("%s: Weighted = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRank(t *testing.T) {
	setup := DefaultSetup()
	requested := map[int64]int64{1: 10_000_000, 2: 20_000_000, 3: 30_000_000, 4: 5_000_000}
	draft := scored(2, 5, 5)
	draft.SubmittedAt = time.Time{}
	reviews := []Review{
		scored(1, 5, 5), scored(1, 3, 3), // 100 and 50: 75
		scored(2, 4, 4), draft, // 75; the draft does not count
		scored(3, 5, 4), // 87.5
		// 4 has no review.
		scored(9, 5, 5), // not among the applications ranked
	}
	want := []Ranked{
		{ApplicationID: 3, Requested: 30_000_000, Score: 87.5, Reviews: 1},
		{ApplicationID: 1, Requested: 10_000_000, Score: 75, Reviews: 2}, // tie with 2: the lower id first
		{ApplicationID: 2, Requested: 20_000_000, Score: 75, Reviews: 1},
		{ApplicationID: 4, Requested: 5_000_000, Score: 0, Reviews: 0},
	}
	// Rank starts from a map; run it often enough that a result which
	// depended on the map's order would show.
	for range 20 {
		if got := Rank(setup, requested, reviews); !slices.Equal(got, want) {
			t.Fatalf("Rank =\n%v\nwant\n%v", got, want)
		}
	}
	if got := Rank(setup, nil, reviews); len(got) != 0 {
		t.Errorf("Rank of no applications = %v", got)
	}
}

// TestRankTiesAreExact checks that applications whose mean scores are
// equal are ordered by id, as Rank promises, also when the scores are
// thirds, which floating point cannot hold exactly: the order in which
// the reviews are added, or which reviews make up the same mean, must not
// decide who is ranked first, and so who gets the remainder at the cut
// line.
func TestRankTiesAreExact(t *testing.T) {
	crit := func(key, sv string) Criterion { return Criterion{Key: key, Title: form.Text{SV: sv}, Weight: 1} }
	setup := Setup{Scale: Scale{1, 5}, Criteria: []Criterion{crit("a", "Relevans"), crit("b", "Genomförbarhet"), crit("c", "Mätning")}}
	review := func(app int64, a, b, c int) Review {
		return Review{ApplicationID: app, Scores: map[string]int{"a": a, "b": b, "c": c}, SubmittedAt: submitted}
	}
	tests := []struct {
		name    string
		reviews []Review
	}{
		{"same reviews, another order", []Review{
			review(1, 1, 1, 2), review(1, 1, 1, 2), review(1, 1, 2, 5),
			review(2, 1, 2, 5), review(2, 1, 1, 2), review(2, 1, 1, 2),
		}},
		{"other reviews, same mean", []Review{
			review(1, 1, 3, 4), review(1, 1, 3, 4),
			review(2, 1, 1, 3), review(2, 1, 5, 5),
		}},
	}
	for _, tt := range tests {
		got := Rank(setup, map[int64]int64{1: 10_000_000, 2: 10_000_000}, tt.reviews)
		if len(got) != 2 || got[0].ApplicationID != 1 || got[0].Score != got[1].Score {
			t.Errorf("%s: Rank = %+v, want 1 then 2 with equal scores", tt.name, got)
			continue
		}
		// With money for one and a half, the first in line gets it all.
		p := Allocate(got, 15_000_000, 30_000_000)
		if p[0].ApplicationID != 1 || p[0].Amount != 10_000_000 || p[1].Amount != 5_000_000 {
			t.Errorf("%s: Allocate = %+v, want 1 in full and 2 partly", tt.name, p)
		}
	}
}

func TestAllocate(t *testing.T) {
	const maxPerGrant = 30_000_000
	rk := func(id, requested int64, reviews int) Ranked {
		return Ranked{ApplicationID: id, Requested: requested, Score: float64(100 - id), Reviews: reviews}
	}
	full := func(r Ranked) Proposal { return Proposal{Ranked: r, Amount: r.Requested, AboveCut: true} }
	part := func(r Ranked, amount int64) Proposal {
		return Proposal{Ranked: r, Amount: amount, Partly: true, AboveCut: true}
	}
	below := func(r Ranked) Proposal { return Proposal{Ranked: r} }

	a, b, c := rk(1, 10_000_000, 2), rk(2, 20_000_000, 2), rk(3, 15_000_000, 2)
	big := rk(4, 40_000_000, 2) // asks for more than the maximum
	unreviewed := rk(5, 10_000_000, 0)
	nothing := rk(6, 0, 2)
	tests := []struct {
		name      string
		ranked    []Ranked
		available int64
		want      []Proposal
	}{
		{"money for all", []Ranked{a, b, c}, 50_000_000, []Proposal{full(a), full(b), full(c)}},
		{"cut line", []Ranked{a, b, c}, 25_000_000, []Proposal{full(a), part(b, 15_000_000), below(c)}},
		{"exact fit", []Ranked{a, b, c}, 30_000_000, []Proposal{full(a), full(b), below(c)}},
		{"one öre left", []Ranked{a, b, c}, 30_000_001, []Proposal{full(a), full(b), part(c, 1)}},
		{"one öre short", []Ranked{a, b}, 29_999_999, []Proposal{full(a), part(b, 19_999_999)}},
		// The cut-line application takes the rest, even when a smaller
		// one below would have fitted: the order is the ranking's.
		{"no skipping", []Ranked{b, a}, 15_000_000, []Proposal{part(b, 15_000_000), below(a)}},
		{"capped at the maximum", []Ranked{big, a}, 100_000_000, []Proposal{part(big, maxPerGrant), full(a)}},
		{"capped, then cut", []Ranked{big, a}, 35_000_000, []Proposal{part(big, maxPerGrant), part(a, 5_000_000)}},
		{"unreviewed left out", []Ranked{unreviewed, a}, 10_000_000, []Proposal{below(unreviewed), full(a)}},
		{"nothing requested", []Ranked{nothing, a}, 10_000_000, []Proposal{below(nothing), full(a)}},
		{"nothing available", []Ranked{a, b}, 0, []Proposal{below(a), below(b)}},
		{"over the ceiling already", []Ranked{a, b}, -5_000_000, []Proposal{below(a), below(b)}},
		{"no applications", nil, 10_000_000, []Proposal{}},
	}
	for _, tt := range tests {
		got := Allocate(tt.ranked, tt.available, maxPerGrant)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// TestRankAndAllocate shares 1.7 MSEK between the six pilot
// municipalities and regions as the officer's page does: rank, then
// allocate, with the last one above the cut line granted partly.
func TestRankAndAllocate(t *testing.T) {
	requested := map[int64]int64{
		1: 30_000_000, // Arvika
		2: 30_000_000, // Forshaga
		3: 30_000_000, // Kalix
		4: 40_000_000, // Lund, over the maximum
		5: 30_000_000, // Växjö
		6: 30_000_000, // Region Östergötland
		7: 25_000_000, // not yet reviewed
	}
	reviews := []Review{
		scored(1, 4, 4), scored(1, 4, 3), // 68.75
		scored(2, 3, 3), scored(2, 3, 2), // 43.75
		scored(3, 5, 5), scored(3, 5, 4), // 93.75
		scored(4, 5, 4), scored(4, 4, 5), // 87.5
		scored(5, 4, 4), scored(5, 3, 4), // 68.75, as Arvika
		scored(6, 2, 2), scored(6, 1, 2), // 18.75
	}
	got := Allocate(Rank(DefaultSetup(), requested, reviews), 170_000_000, 30_000_000)
	type line struct {
		id       int64
		amount   int64
		partly   bool
		aboveCut bool
	}
	var lines []line
	var sum int64
	for _, p := range got {
		lines = append(lines, line{p.ApplicationID, p.Amount, p.Partly, p.AboveCut})
		sum += p.Amount
	}
	want := []line{
		{3, 30_000_000, false, true},
		{4, 30_000_000, true, true}, // capped at the maximum
		{1, 30_000_000, false, true},
		{5, 30_000_000, false, true},
		{2, 30_000_000, false, true},
		{6, 20_000_000, true, true}, // the cut line
		{7, 0, false, false},
	}
	if !slices.Equal(lines, want) {
		t.Errorf("proposal:\n got %v\nwant %v", lines, want)
	}
	if sum != 170_000_000 {
		t.Errorf("proposed %d öre, want all 170 000 000", sum)
	}
}

// TestAllocateInvariants allocates random rankings and checks the rules
// that must hold whatever the numbers: never more than available, never
// more than asked or the maximum, the ranking's order kept, everyone
// above the cut line fully funded (up to the maximum) except the last,
// and nobody below it funded.
func TestAllocateInvariants(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for run := range 2000 {
		maxPerGrant := 1 + r.Int64N(30_000_000)
		available := r.Int64N(200_000_000) - 10_000_000
		ranked := make([]Ranked, r.IntN(12))
		for i := range ranked {
			ranked[i] = Ranked{ApplicationID: int64(i + 1), Requested: r.Int64N(40_000_000), Reviews: r.IntN(3)}
		}
		got := Allocate(ranked, available, maxPerGrant)
		money := max(available, 0) // a call already over its ceiling has nothing left
		if len(got) != len(ranked) {
			t.Fatalf("run %d: %d proposals for %d applications", run, len(got), len(ranked))
		}
		var sum int64
		cut := false // the money has run out
		for i, p := range got {
			want := min(p.Requested, maxPerGrant)
			switch {
			case p.Ranked != ranked[i]:
				t.Fatalf("run %d: line %d is %+v, want %+v", run, i, p.Ranked, ranked[i])
			case p.Amount < 0 || p.Amount > want:
				t.Fatalf("run %d: %+v outside 0–%d", run, p, want)
			case p.AboveCut != (p.Amount > 0):
				t.Fatalf("run %d: %+v: above the cut line without money, or below it with", run, p)
			case p.Partly != (p.AboveCut && p.Amount < p.Requested):
				t.Fatalf("run %d: %+v: Partly wrong", run, p)
			case p.Reviews == 0 && p.AboveCut:
				t.Fatalf("run %d: %+v: unreviewed and funded", run, p)
			case cut && p.AboveCut:
				t.Fatalf("run %d: %+v funded below the cut line", run, p)
			case !cut && p.Reviews > 0 && want > 0 && p.Amount < want && sum+p.Amount != money:
				t.Fatalf("run %d: %+v cut short with %d öre left", run, p, money-sum)
			}
			sum += p.Amount
			if p.Reviews > 0 && want > 0 && p.Amount < want {
				cut = true
			}
		}
		if sum > money {
			t.Fatalf("run %d: %d öre proposed, %d available", run, sum, available)
		}
	}
}
