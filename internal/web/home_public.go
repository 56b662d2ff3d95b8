package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/swedish"
)

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
