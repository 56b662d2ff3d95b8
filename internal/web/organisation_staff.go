package web

import (
	"net/http"
	"strconv"

	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/policy"
)

type orgListPage struct {
	*Base
	Orgs  []*organisation.Organisation
	Kind  string
	Query string
	Kinds []option
}

func (s *Server) kindOptions(b *Base, withAll bool) []option {
	var out []option
	if withAll {
		out = append(out, option{Value: "", Label: b.T("orgs.all_kinds")})
	}
	for _, k := range organisation.Kinds {
		out = append(out, option{Value: string(k), Label: b.T("org.kind." + string(k))})
	}
	return out
}

func (s *Server) orgList(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManageOrganisations, 0); err != nil {
		return err
	}
	q := r.URL.Query()
	f := organisation.Filter{Kind: organisation.Kind(q.Get("typ")), Query: q.Get("q")}
	orgs, err := s.store.OrganisationList(r.Context(), f)
	if err != nil {
		return err
	}
	b.Title = b.T("orgs.title")
	return s.render(w, b, http.StatusOK, "orgs", orgListPage{Base: b, Orgs: orgs, Kind: string(f.Kind), Query: f.Query, Kinds: s.kindOptions(b, true)})
}

// orgForm holds what was typed, so a refused form shows it again.
type orgForm struct {
	Kind, Code, OrgNumber, Name, Country, Version string
}

func orgFormFrom(o *organisation.Organisation) orgForm {
	return orgForm{Kind: string(o.Kind), Code: o.Code, OrgNumber: o.OrgNumber, Name: o.Name, Country: o.Country, Version: strconv.Itoa(o.Version)}
}

func parseOrgForm(r *http.Request) orgForm {
	return orgForm{Kind: r.PostFormValue("kind"), Code: r.PostFormValue("code"), OrgNumber: r.PostFormValue("org_number"),
		Name: r.PostFormValue("name"), Country: r.PostFormValue("country"), Version: r.PostFormValue("version")}
}

func (f orgForm) organisation(id int64) *organisation.Organisation {
	v, _ := strconv.Atoi(f.Version)
	return &organisation.Organisation{ID: id, Kind: organisation.Kind(f.Kind), Code: f.Code, OrgNumber: f.OrgNumber, Name: f.Name, Country: f.Country, Version: v}
}

type orgFormPage struct {
	*Base
	Form      orgForm
	ID        int64
	Kinds     []option
	Countries []option
	// ShowMembers: the organisation's setting for its people's
	// invitations and removals (MembersManage) is shown, to
	// administrators (organisation_member.go).
	ShowMembers, MembersManage bool
}

func (s *Server) renderOrgForm(w http.ResponseWriter, b *Base, status int, id int64, f orgForm) error {
	countries := []option{{Value: "", Label: b.T("form.choose")}}
	for _, c := range country.All(b.Lang) {
		if c.Code != "SE" {
			countries = append(countries, option{Value: c.Code, Label: c.Name(b.Lang)})
		}
	}
	if id == 0 {
		b.Title = b.T("org.new")
	} else {
		b.Title = b.T("org.edit", "Name", f.Name)
	}
	page := orgFormPage{Base: b, Form: f, ID: id, Kinds: s.kindOptions(b, false), Countries: countries}
	if id != 0 && policy.InviteStaff(b.User) {
		on, err := s.store.MembersManage(b.req.Context(), id)
		if err != nil {
			return err
		}
		page.ShowMembers, page.MembersManage = true, on
	}
	return s.render(w, b, status, "org_form", page)
}

func (s *Server) orgNew(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManageOrganisations, 0); err != nil {
		return err
	}
	return s.renderOrgForm(w, b, http.StatusOK, 0, orgForm{Kind: string(organisation.Partner)})
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManageOrganisations, 0); err != nil {
		return err
	}
	f := parseOrgForm(r)
	o := f.organisation(0)
	err := s.store.CreateOrganisation(r.Context(), actor(b.User), o)
	if status, ok := formFailed(err, b); ok {
		return s.renderOrgForm(w, b, status, 0, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.created")
	http.Redirect(w, r, b.URL("org.edit", o.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) orgEdit(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManageOrganisations, 0); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.store.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderOrgForm(w, b, http.StatusOK, id, orgFormFrom(o))
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManageOrganisations, 0); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := parseOrgForm(r)
	err = s.store.UpdateOrganisation(r.Context(), actor(b.User), f.organisation(id))
	if status, ok := formFailed(err, b); ok {
		if status == http.StatusConflict {
			cur, err := s.store.Organisation(r.Context(), id)
			if err != nil {
				return err
			}
			f.Version = strconv.Itoa(cur.Version)
		}
		return s.renderOrgForm(w, b, status, id, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("org.edit", id), http.StatusSeeOther)
	return nil
}
