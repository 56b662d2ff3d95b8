package web

import (
	"net/http"
	"strconv"

	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/validate"
)

func countryName(code, lang string) string { return country.Name(code, lang) }

type progListPage struct {
	*Base
	Programmes []*programme.Programme
	CanCreate  bool
	Editable   map[int64]bool // the programmes the user may change, linked to their form
}

func (s *Server) progList(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ViewStaffArea, 0); err != nil {
		return err
	}
	progs, err := s.store.ProgrammeList(r.Context())
	if err != nil {
		return err
	}
	editable := map[int64]bool{}
	for _, p := range progs {
		editable[p.ID] = policy.Can(b.User, policy.ManageProgramme, p.ID)
	}
	b.Title = b.T("progs.title")
	return s.render(w, b, http.StatusOK, "progs", progListPage{Base: b, Programmes: progs, CanCreate: policy.Can(b.User, policy.CreateProgramme, 0),
		Editable: editable})
}

// progForm holds what was typed; money stays as typed until it parses.
type progForm struct {
	NameSV, NameEN, Funder, Operator, TotalBudget, DescriptionSV, DescriptionEN, Version string
}

func progFormFrom(p *programme.Programme) progForm {
	return progForm{NameSV: p.NameSV, NameEN: p.NameEN, Funder: p.Funder, Operator: p.Operator, TotalBudget: money.Input(p.TotalBudget),
		DescriptionSV: p.DescriptionSV, DescriptionEN: p.DescriptionEN, Version: strconv.Itoa(p.Version)}
}

func parseProgForm(r *http.Request) progForm {
	return progForm{NameSV: r.PostFormValue("name_sv"), NameEN: r.PostFormValue("name_en"), Funder: r.PostFormValue("funder"),
		Operator: r.PostFormValue("operator"), TotalBudget: r.PostFormValue("total_budget"),
		DescriptionSV: r.PostFormValue("description_sv"), DescriptionEN: r.PostFormValue("description_en"), Version: r.PostFormValue("version")}
}

// programme converts the form. Money that can't be read is an error on its
// field; the domain's own checks are added, so the user sees all at once.
func (f progForm) programme(id int64) (*programme.Programme, validate.Errors) {
	v, _ := strconv.Atoi(f.Version)
	p := &programme.Programme{ID: id, NameSV: f.NameSV, NameEN: f.NameEN, Funder: f.Funder, Operator: f.Operator,
		DescriptionSV: f.DescriptionSV, DescriptionEN: f.DescriptionEN, Version: v}
	errs := validate.Errors{}
	p.TotalBudget = parseMoneyField(errs, "total_budget", f.TotalBudget)
	p.Normalize()
	for k, m := range p.Validate() {
		errs.Add(k, m)
	}
	return p, errs
}

// parseMoneyField reads kronor typed by a person; a problem is added to
// errs under field, so the form can show it there.
func parseMoneyField(errs validate.Errors, field, s string) int64 {
	ore, err := money.ParsePositive(s)
	if err != nil {
		errs.Add(field, err.Error())
	}
	return ore
}

type progFormPage struct {
	*Base
	Form    progForm
	ID      int64
	Calls   []callSummary
	CanEdit bool
	Budget  int64 // the stored budget
	Used    int64 // what the calls' ceilings take of it
}

func (s *Server) renderProgForm(w http.ResponseWriter, r *http.Request, b *Base, status int, id int64, f progForm) error {
	page := progFormPage{Base: b, Form: f, ID: id, CanEdit: id == 0 || policy.Can(b.User, policy.ManageProgramme, id)}
	if id != 0 {
		calls, err := s.store.CallList(r.Context(), id)
		if err != nil {
			return err
		}
		prog, err := s.store.Programme(r.Context(), id)
		if err != nil {
			return err
		}
		page.Budget = prog.TotalBudget
		now := s.clock.Now()
		for _, c := range calls {
			g, err := s.store.GrantedInCall(r.Context(), c.ID)
			if err != nil {
				return err
			}
			page.Calls = append(page.Calls, callSummary{Call: c, Status: c.Status(now), Granted: g})
			if !c.Cancelled {
				page.Used += c.Ceiling
			}
		}
		b.Title = b.T("prog.edit", "Name", f.NameSV)
		if b.Lang == "en" && f.NameEN != "" {
			b.Title = b.T("prog.edit", "Name", f.NameEN)
		}
	} else {
		b.Title = b.T("prog.new")
	}
	return s.render(w, b, status, "prog_form", page)
}

func (s *Server) progNew(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.CreateProgramme, 0); err != nil {
		return err
	}
	return s.renderProgForm(w, r, b, http.StatusOK, 0, progForm{Funder: "Sida", Operator: "ICLD"})
}

func (s *Server) progCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.CreateProgramme, 0); err != nil {
		return err
	}
	f := parseProgForm(r)
	p, errs := f.programme(0)
	var err error = errs.Err()
	if err == nil {
		err = s.store.CreateProgramme(r.Context(), actor(b.User), p)
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderProgForm(w, r, b, status, 0, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.created")
	http.Redirect(w, r, b.URL("prog.edit", p.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) progEdit(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// The form is for those who may save it: not an officer of another programme.
	if err := require(b, policy.ManageProgramme, id); err != nil {
		return err
	}
	p, err := s.store.Programme(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderProgForm(w, r, b, http.StatusOK, id, progFormFrom(p))
}

func (s *Server) progUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := require(b, policy.ManageProgramme, id); err != nil {
		return err
	}
	f := parseProgForm(r)
	p, errs := f.programme(id)
	err = errs.Err()
	if err == nil {
		err = s.store.UpdateProgramme(r.Context(), actor(b.User), p)
	}
	if status, ok := formFailed(err, b); ok {
		if status == http.StatusConflict {
			cur, err := s.store.Programme(r.Context(), id)
			if err != nil {
				return err
			}
			f.Version = strconv.Itoa(cur.Version)
		}
		return s.renderProgForm(w, r, b, status, id, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("prog.edit", id), http.StatusSeeOther)
	return nil
}
