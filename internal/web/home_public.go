package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/worldmap"
)

// goalCount is a goal with the number of partnerships working on it.
type goalCount struct {
	Goal  *sdg.Goal
	Count int
}

// programmeSummary is a programme with what it has granted.
type programmeSummary struct {
	Programme *programme.Programme
	Granted   int64
	Grants    int
	Calls     int
}

type homePage struct {
	*Base
	Programmes   []programmeSummary
	Granted      int64
	Grants       int
	Partnerships []*partnership.Partnership
	Countries    []string // country names, Swedish order
	Swedish      int      // Swedish municipalities and regions taking part
	Goals        []goalCount
	Reached      int64 // people the activities reached (insight.go)
}

// home is the public start page: what the programme has granted, the
// partnerships, their countries and the goals they work on.
func (s *Server) home(w http.ResponseWriter, r *http.Request, b *Base) error {
	if b.Lang == "sv" && r.URL.RawQuery == "" {
		if target := s.firstVisitLanguage(r); target != "" {
			w.Header().Set("Vary", "Cookie, Accept-Language")
			http.Redirect(w, r, target, http.StatusSeeOther)
			return nil
		}
	}
	w.Header().Set("Vary", "Cookie, Accept-Language")
	ctx := r.Context()
	progs, err := s.store.ProgrammeList(ctx)
	if err != nil {
		return err
	}
	ps, err := s.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		return err
	}
	p := homePage{Base: b, Partnerships: ps}
	for _, prog := range progs {
		grants, err := s.store.GrantList(ctx, grant.Filter{ProgrammeID: prog.ID})
		if err != nil {
			return err
		}
		calls, err := s.store.CallList(ctx, prog.ID)
		if err != nil {
			return err
		}
		sum := programmeSummary{Programme: prog, Grants: len(grants), Calls: len(calls)}
		for _, g := range grants {
			sum.Granted += g.Amount
		}
		p.Programmes = append(p.Programmes, sum)
		p.Granted += sum.Granted
		p.Grants += sum.Grants
	}
	p.Countries, p.Swedish = countriesAndMembers(ps, b.Lang)
	p.Goals = goalCounts(ps)
	if p.Reached, err = s.peopleReached(ctx); err != nil {
		return err
	}
	b.Title = b.T("home.title")
	return s.render(w, b, http.StatusOK, "home", p)
}

// firstVisitLanguage decides where the Swedish home page sends a visitor:
// to English when they chose it with the switch, or, on a first visit
// (no choice remembered), when their browser prefers English.
func (s *Server) firstVisitLanguage(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		if c.Value == "en" {
			return "/en/"
		}
		return ""
	}
	if prefersEnglish(r.Header.Get("Accept-Language")) {
		return "/en/"
	}
	return ""
}

// prefersEnglish reads an Accept-Language header: English wins only when
// it ranks above Swedish (or Swedish is absent). Other languages are
// ignored, since the site has only these two.
func prefersEnglish(header string) bool {
	best := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if q > best[base] {
			best[base] = q
		}
	}
	en, sv := best["en"], best["sv"]
	if best["nb"] > sv || best["no"] > sv || best["nn"] > sv || best["da"] > sv {
		sv = max(best["nb"], best["no"], best["nn"], best["da"]) // Scandinavians read Swedish
	}
	return en > 0 && en > sv
}

func countriesAndMembers(ps []*partnership.Partnership, lang string) ([]string, int) {
	codes := map[string]bool{}
	members := map[int64]bool{}
	for _, p := range ps {
		for _, c := range p.Countries() {
			codes[c] = true
		}
		for _, o := range p.Swedish {
			members[o.ID] = true
		}
	}
	var names []string
	for c := range codes {
		names = append(names, country.Name(c, lang))
	}
	swedish.Strings(names)
	return names, len(members)
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

// grantRow is a grant with what a reader needs to make sense of it.
type grantRow struct {
	Grant     *grant.Grant
	Call      *call.Call
	Programme *programme.Programme
	Applicant *organisation.Organisation
}

type partnershipPage struct {
	*Base
	P       *partnership.Partnership
	Active  bool
	Grants  []grantRow
	Granted int64
	Targets []*sdg.Target
	Map     template.HTML // the partner countries on a world map
	// MapMissing names the partner countries too small to be drawn.
	MapMissing []string
	Insight    partnershipInsight // activities, reach and surveys (insight.go)
}

func (s *Server) partnershipPage(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := s.store.Partnership(ctx, id)
	if err != nil {
		return err
	}
	page := partnershipPage{Base: b, P: p, Active: p.IsActive(clock.Today(s.clock.Now()))}
	if page.Grants, err = s.grantRows(ctx, grant.Filter{PartnershipID: id}); err != nil {
		return err
	}
	for _, g := range page.Grants {
		page.Granted += g.Grant.Amount
	}
	for _, code := range p.Targets {
		if t := sdg.TargetByCode(code); t != nil {
			page.Targets = append(page.Targets, t)
		}
	}
	page.Map = worldmap.SVG(p.Countries(), b.Lang, b.T("partnership.map_title"))
	for _, c := range worldmap.Missing(p.Countries()) {
		page.MapMissing = append(page.MapMissing, country.Name(c, b.Lang))
	}
	if page.Insight, err = s.partnershipInsight(ctx, b, p, page.Grants); err != nil {
		return err
	}
	b.Title = p.Name
	return s.render(w, b, http.StatusOK, "partnership", page)
}

// grantRows loads the grants f selects with their calls, programmes and
// applicants, reading each call and programme once.
func (s *Server) grantRows(ctx context.Context, f grant.Filter) ([]grantRow, error) {
	grants, err := s.store.GrantList(ctx, f)
	if err != nil {
		return nil, err
	}
	calls := map[int64]*call.Call{}
	progs := map[int64]*programme.Programme{}
	var out []grantRow
	for _, g := range grants {
		c, ok := calls[g.CallID]
		if !ok {
			if c, err = s.store.Call(ctx, g.CallID); err != nil {
				return nil, err
			}
			calls[g.CallID] = c
		}
		prog, ok := progs[c.ProgrammeID]
		if !ok {
			if prog, err = s.store.Programme(ctx, c.ProgrammeID); err != nil {
				return nil, err
			}
			progs[c.ProgrammeID] = prog
		}
		org, err := s.store.Organisation(ctx, g.OrganisationID)
		if err != nil {
			return nil, err
		}
		out = append(out, grantRow{Grant: g, Call: c, Programme: prog, Applicant: org})
	}
	return out, nil
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
