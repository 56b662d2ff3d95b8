package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/validate"
)

type pshipListPage struct {
	*Base
	Partnerships []*partnership.Partnership
}

func (s *Server) pshipList(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManagePartnerships, 0); err != nil {
		return err
	}
	ps, err := s.store.PartnershipList(r.Context(), partnership.Filter{Query: r.URL.Query().Get("q")})
	if err != nil {
		return err
	}
	b.Title = b.T("pships.title")
	return s.render(w, b, http.StatusOK, "pships", pshipListPage{Base: b, Partnerships: ps})
}

// pshipForm holds what was typed.
type pshipForm struct {
	Name, ThemeSV, ThemeEN, DescriptionSV, DescriptionEN string
	Start, End, Status, Version                          string
	Swedish, Partners, Goals, Targets                    []string
}

func pshipFormFrom(p *partnership.Partnership) pshipForm {
	f := pshipForm{Name: p.Name, ThemeSV: p.ThemeSV, ThemeEN: p.ThemeEN, DescriptionSV: p.DescriptionSV, DescriptionEN: p.DescriptionEN,
		Status: string(p.Status), Version: strconv.Itoa(p.Version), Targets: p.Targets}
	if !p.Start.IsZero() {
		f.Start = p.Start.Format("2006-01-02")
	}
	if !p.End.IsZero() {
		f.End = p.End.Format("2006-01-02")
	}
	for _, o := range p.Swedish {
		f.Swedish = append(f.Swedish, strconv.FormatInt(o.ID, 10))
	}
	for _, o := range p.Partners {
		f.Partners = append(f.Partners, strconv.FormatInt(o.ID, 10))
	}
	// Goals implied by a target are shown through the target.
	for _, g := range p.Goals {
		implied := false
		for _, t := range p.Targets {
			if sdg.GoalOf(t) == g {
				implied = true
			}
		}
		if !implied {
			f.Goals = append(f.Goals, strconv.Itoa(g))
		}
	}
	return f
}

func parsePshipForm(r *http.Request) pshipForm {
	r.ParseForm()
	return pshipForm{
		Name: r.PostFormValue("name"), ThemeSV: r.PostFormValue("theme_sv"), ThemeEN: r.PostFormValue("theme_en"),
		DescriptionSV: r.PostFormValue("description_sv"), DescriptionEN: r.PostFormValue("description_en"),
		Start: r.PostFormValue("start"), End: r.PostFormValue("end"), Status: r.PostFormValue("status"), Version: r.PostFormValue("version"),
		Swedish: r.PostForm["swedish"], Partners: r.PostForm["partners"], Goals: r.PostForm["goals"], Targets: r.PostForm["targets"],
	}
}

// partnership converts the form; fields that can't be read become errors.
func (f pshipForm) partnership(id int64) (*partnership.Partnership, validate.Errors) {
	errs := validate.Errors{}
	v, _ := strconv.Atoi(f.Version)
	p := &partnership.Partnership{ID: id, Name: f.Name, ThemeSV: f.ThemeSV, ThemeEN: f.ThemeEN, DescriptionSV: f.DescriptionSV,
		DescriptionEN: f.DescriptionEN, Status: partnership.Status(f.Status), Version: v, Targets: f.Targets}
	p.Start = parseDateField(errs, "start", f.Start)
	p.End = parseDateField(errs, "end", f.End)
	for _, s := range f.Swedish {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			p.Swedish = append(p.Swedish, organisation.Organisation{ID: id})
		}
	}
	for _, s := range f.Partners {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			p.Partners = append(p.Partners, organisation.Organisation{ID: id})
		}
	}
	for _, s := range f.Goals {
		if g, err := strconv.Atoi(s); err == nil {
			p.Goals = append(p.Goals, g)
		} else {
			errs.Add("goals", "error.invalid_choice")
		}
	}
	return p, errs
}

func parseDateField(errs validate.Errors, field, s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := clock.ParseDate(s)
	if err != nil {
		errs.Add(field, "error.date")
	}
	return t
}

type pshipFormPage struct {
	*Base
	Form     pshipForm
	ID       int64
	Swedish  []option
	Partners []option
	Statuses []option
	Goals    []option
	Targets  []option
}

func (s *Server) renderPshipForm(ctx context.Context, w http.ResponseWriter, b *Base, status int, id int64, f pshipForm) error {
	page := pshipFormPage{Base: b, Form: f, ID: id}
	orgs, err := s.store.OrganisationList(ctx, organisation.Filter{})
	if err != nil {
		return err
	}
	for _, o := range orgs {
		opt := option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name}
		if o.Kind.Swedish() {
			page.Swedish = append(page.Swedish, opt)
		} else {
			opt.Label += " (" + countryName(o.Country, b.Lang) + ")"
			page.Partners = append(page.Partners, opt)
		}
	}
	for _, st := range partnership.Statuses {
		page.Statuses = append(page.Statuses, option{Value: string(st), Label: b.T("pship.status." + string(st))})
	}
	for _, g := range sdg.Goals() {
		page.Goals = append(page.Goals, option{Value: strconv.Itoa(g.Number), Label: strconv.Itoa(g.Number) + ". " + g.Short.In(b.Lang)})
		group := b.T("goal.title", "Number", g.Number, "Name", g.Short.In(b.Lang))
		for _, t := range g.Targets {
			label := t.Code + " " + t.ShortSV
			if b.Lang == "en" {
				label = t.Code + " " + t.TitleEN
			}
			page.Targets = append(page.Targets, option{Value: t.Code, Label: label, Group: group})
		}
	}
	if id == 0 {
		b.Title = b.T("pship.new")
	} else {
		b.Title = b.T("pship.edit", "Name", f.Name)
	}
	return s.render(w, b, status, "pship_form", page)
}

func (s *Server) pshipNew(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManagePartnerships, 0); err != nil {
		return err
	}
	return s.renderPshipForm(r.Context(), w, b, http.StatusOK, 0, pshipForm{Status: string(partnership.Active)})
}

func (s *Server) pshipCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManagePartnerships, 0); err != nil {
		return err
	}
	f := parsePshipForm(r)
	p, errs := f.partnership(0)
	var err error = errs.Err()
	if err == nil {
		err = s.store.CreatePartnership(r.Context(), actor(b.User), p)
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderPshipForm(r.Context(), w, b, status, 0, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.created")
	http.Redirect(w, r, b.URL("pship.edit", p.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) pshipEdit(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManagePartnerships, 0); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.store.Partnership(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderPshipForm(r.Context(), w, b, http.StatusOK, id, pshipFormFrom(p))
}

func (s *Server) pshipUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManagePartnerships, 0); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := parsePshipForm(r)
	p, errs := f.partnership(id)
	err = errs.Err()
	if err == nil {
		err = s.store.UpdatePartnership(r.Context(), actor(b.User), p)
	}
	if status, ok := formFailed(err, b); ok {
		if status == http.StatusConflict {
			cur, err := s.store.Partnership(r.Context(), id)
			if err != nil {
				return err
			}
			f.Version = strconv.Itoa(cur.Version)
		}
		return s.renderPshipForm(r.Context(), w, b, status, id, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("pship.edit", id), http.StatusSeeOther)
	return nil
}
