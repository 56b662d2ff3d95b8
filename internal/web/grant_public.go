package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/export"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/swedish"
)

// publicGrant is one line of the public register of grants.
type publicGrant struct {
	grantRow
	Partnership  *partnership.Partnership
	RegNumber    string // the decision's registration number; "" for a grant recorded directly
	Confidential bool   // the decision's record is confidential: the number is not shown
}

// grantsFilter is what the register's GET form selects.
type grantsFilter struct {
	ProgrammeID int64
	Year        int
	Country     string
}

type registerPage struct {
	*Base
	Filter     grantsFilter
	Grants     []publicGrant
	Sum        int64
	Total      int // grants in the register before filtering
	Programmes []option
	Years      []option
	Countries  []option
	CSVURL     string
}

// publicGrants is the public register of grants, like a transparency
// register: every decided grant with its amount and the decision's
// registration number, filtered by programme, year and partner country
// (a GET form, so it works without JavaScript), newest first; with
// ?format=csv the same list as a CSV file.
func (s *Server) publicGrants(w http.ResponseWriter, r *http.Request, b *Base) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := grantsFilter{Country: strings.ToUpper(strings.TrimSpace(q.Get("land")))}
	f.ProgrammeID, _ = strconv.ParseInt(q.Get("program"), 10, 64)
	f.Year, _ = strconv.Atoi(q.Get("ar"))
	all, err := s.publicGrantList(ctx)
	if err != nil {
		return err
	}
	p := registerPage{Base: b, Filter: f, Total: len(all)}
	progs := map[int64]string{}
	years := map[int]bool{}
	codes := map[string]bool{}
	for _, g := range all {
		progs[g.Programme.ID] = g.Programme.Name(b.Lang)
		years[g.Grant.AwardedOn.In(clock.Stockholm).Year()] = true
		for _, c := range g.Partnership.Countries() {
			codes[c] = true
		}
		if f.match(g) {
			p.Grants = append(p.Grants, g)
			p.Sum += g.Grant.Amount
		}
	}
	if q.Get("format") == "csv" {
		return s.grantsCSV(w, b, p.Grants)
	}
	for id, name := range progs {
		p.Programmes = append(p.Programmes, option{Value: strconv.FormatInt(id, 10), Label: name})
	}
	swedish.Sort(p.Programmes, func(o option) string { return o.Label })
	for y := range years {
		p.Years = append(p.Years, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	slices.SortFunc(p.Years, func(a, b option) int { return strings.Compare(b.Value, a.Value) })
	for c := range codes {
		p.Countries = append(p.Countries, option{Value: c, Label: country.Name(c, b.Lang)})
	}
	swedish.Sort(p.Countries, func(o option) string { return o.Label })
	cq := url.Values{}
	if f.ProgrammeID != 0 {
		cq.Set("program", strconv.FormatInt(f.ProgrammeID, 10))
	}
	if f.Year != 0 {
		cq.Set("ar", strconv.Itoa(f.Year))
	}
	if f.Country != "" {
		cq.Set("land", f.Country)
	}
	cq.Set("format", "csv")
	p.CSVURL = b.URL("public.grants") + "?" + cq.Encode()
	b.Title = b.T("register.title")
	return s.render(w, b, http.StatusOK, "public_grants", p)
}

func (f grantsFilter) match(g publicGrant) bool {
	if f.ProgrammeID != 0 && g.Programme.ID != f.ProgrammeID {
		return false
	}
	if f.Year != 0 && g.Grant.AwardedOn.In(clock.Stockholm).Year() != f.Year {
		return false
	}
	if f.Country != "" && !slices.Contains(g.Partnership.Countries(), f.Country) {
		return false
	}
	return true
}

// publicGrantList loads the decided grants, newest first, with their
// partnerships and the registration numbers of their decisions.
func (s *Server) publicGrantList(ctx context.Context) ([]publicGrant, error) {
	rows, err := s.grantRows(ctx, grant.Filter{})
	if err != nil {
		return nil, err
	}
	ps, err := s.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		return nil, err
	}
	pships := map[int64]*partnership.Partnership{}
	for _, p := range ps {
		pships[p.ID] = p
	}
	var out []publicGrant
	for _, row := range rows {
		g := row.Grant
		pg := publicGrant{grantRow: row, Partnership: pships[g.PartnershipID]}
		if pg.Partnership == nil {
			if pg.Partnership, err = s.store.Partnership(ctx, g.PartnershipID); err != nil {
				return nil, err
			}
		}
		if g.ApplicationID != 0 {
			d, err := s.store.Decision(ctx, g.ApplicationID)
			if errors.Is(err, store.ErrNotFound) {
				continue // no decision yet: not public
			}
			if err != nil {
				return nil, err
			}
			if d.Outcome != decision.Granted && d.Outcome != decision.PartlyGranted {
				continue
			}
			pg.RegNumber = d.RegNumber
			entries, err := s.store.RegistryList(ctx, registry.Filter{ApplicationID: g.ApplicationID})
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				if e.Kind == registry.Decision && (e.Number == d.RegNumber || d.RegNumber == "") {
					pg.Confidential = e.Confidential
					if pg.RegNumber == "" {
						pg.RegNumber = e.Number
					}
				}
			}
		}
		out = append(out, pg)
	}
	slices.SortStableFunc(out, func(a, b publicGrant) int {
		if c := b.Grant.AwardedOn.Compare(a.Grant.AwardedOn); c != 0 {
			return c
		}
		return int(b.Grant.ID - a.Grant.ID)
	})
	return out, nil
}

// kronor writes öre as kronor with two decimals and a dot, for a file.
func kronor(ore int64) string {
	sign := ""
	if ore < 0 {
		sign, ore = "-", -ore
	}
	return fmt.Sprintf("%s%d.%02d", sign, ore/100, ore%100)
}

// grantsCSV writes the register as CSV: UTF-8 with a byte order mark (so
// Excel reads å, ä and ö), ISO dates, amounts in kronor with a dot.
func (s *Server) grantsCSV(w http.ResponseWriter, b *Base, grants []publicGrant) error {
	return sendCSV(w, b, "partnerskap-bidrag.csv", func(t export.Table) error {
		t.Header(
			b.T("register.programme"), b.T("register.call"), b.T("register.applicant"),
			b.T("register.partnership"), b.T("register.awarded"), b.T("register.amount_sek"), b.T("register.regnumber"),
		)
		for _, g := range grants {
			reg := g.RegNumber
			if g.Confidential {
				reg = b.T("register.confidential")
			}
			if err := t.Row(
				export.Text(g.Programme.Name(b.Lang)), export.Text(g.Call.Title(b.Lang)), export.Text(g.Applicant.Name),
				export.Text(g.Partnership.Name), export.Text(b.Date(g.Grant.AwardedOn)), export.Number(kronor(g.Grant.Amount)),
				export.Text(reg),
			); err != nil {
				return err
			}
		}
		w.Header().Set("Cache-Control", "public, max-age=60")
		return nil
	})
}
