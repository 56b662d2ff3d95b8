package web

import (
	"net/http"
	"slices"

	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/sdg"
)

// goalCount is a goal with the number of partnerships working on it.
type goalCount struct {
	Goal  *sdg.Goal
	Count int
}

func goalCounts(ps []*partnership.Partnership) []goalCount {
	var out []goalCount
	for _, g := range sdg.Goals() {
		n := 0
		for _, p := range ps {
			if slices.Contains(p.Goals, g.Number) {
				n++
			}
		}
		out = append(out, goalCount{Goal: g, Count: n})
	}
	return out
}

type goalsPage struct {
	*Base
	Goals []goalCount
}

func (s *Server) goals(w http.ResponseWriter, r *http.Request, b *Base) error {
	ps, err := s.store.PartnershipList(r.Context(), partnership.Filter{})
	if err != nil {
		return err
	}
	b.Title = b.T("goals.title")
	return s.render(w, b, http.StatusOK, "goals", goalsPage{Base: b, Goals: goalCounts(ps)})
}

type goalPage struct {
	*Base
	Goal         *sdg.Goal
	Partnerships []*partnership.Partnership
	TargetCount  map[string]int // partnerships per target
	Prev, Next   int
	Insight      goalInsight // money and activities (insight.go)
}

func (s *Server) goalPage(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, err := pathGoal(r)
	if err != nil {
		return err
	}
	n := g.Number
	ps, err := s.store.PartnershipList(r.Context(), partnership.Filter{Goal: n})
	if err != nil {
		return err
	}
	page := goalPage{Base: b, Goal: g, Partnerships: ps, TargetCount: map[string]int{}}
	if page.Insight, err = s.goalInsight(r.Context(), b, ps); err != nil {
		return err
	}
	for _, p := range ps {
		for _, t := range p.Targets {
			page.TargetCount[t]++
		}
	}
	if n > 1 {
		page.Prev = n - 1
	}
	if n < 17 {
		page.Next = n + 1
	}
	b.Title = b.T("goal.title", "Number", n, "Name", g.Short.In(b.Lang))
	return s.render(w, b, http.StatusOK, "goal", page)
}
