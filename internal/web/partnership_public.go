package web

import (
	"context"
	"html/template"
	"net/http"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/worldmap"
)

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

// grantRow is a grant with what a reader needs to make sense of it.
type grantRow struct {
	Grant     *grant.Grant
	Call      *call.Call
	Programme *programme.Programme
	Applicant *organisation.Organisation
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
