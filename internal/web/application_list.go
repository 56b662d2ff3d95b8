package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/validate"
)

// appRow is an application in a list, with what a reader needs.
type appRow struct {
	App         *application.Application
	Call        *call.Call
	Partnership *partnership.Partnership
	Org         *organisation.Organisation
}

type appListPage struct {
	*Base
	InviteEmail  string   // what was typed in the invitation form
	Orgs         []option // the organisations the user applies for
	Apps         []appRow
	Calls        []option // open calls
	Partnerships []option // active partnerships of the user's organisations
	Form         appStartForm
}

type appStartForm struct{ Call, Partnership string }

// appList shows the applications of the applicant's organisations and a
// form to start one for an active partnership in an open call.
func (s *Server) appList(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.Apply, 0); err != nil {
		return err
	}
	return s.renderAppList(w, r, b, http.StatusOK, appStartForm{})
}

func (s *Server) renderAppList(w http.ResponseWriter, r *http.Request, b *Base, status int, f appStartForm) error {
	return s.renderAppListWith(w, r, b, status, f, "")
}

func (s *Server) renderAppListWith(w http.ResponseWriter, r *http.Request, b *Base, status int, f appStartForm, inviteEmail string) error {
	ctx := r.Context()
	page := appListPage{Base: b, Form: f, InviteEmail: inviteEmail}
	for _, orgID := range policy.ApplicantOrganisations(b.User) {
		org, err := s.store.Organisation(ctx, orgID)
		if err != nil {
			return err
		}
		page.Orgs = append(page.Orgs, option{Value: strconv.FormatInt(orgID, 10), Label: org.Name})
		apps, err := s.store.ApplicationList(ctx, application.Filter{OrganisationID: orgID})
		if err != nil {
			return err
		}
		for _, a := range apps {
			row, err := s.appRowOf(ctx, a)
			if err != nil {
				return err
			}
			page.Apps = append(page.Apps, row)
		}
	}
	now := s.clock.Now()
	calls, err := s.store.CallList(ctx, 0)
	if err != nil {
		return err
	}
	for _, c := range calls {
		if c.Status(now) == call.Open {
			page.Calls = append(page.Calls, option{Value: strconv.FormatInt(c.ID, 10), Label: c.Title(b.Lang) + " (" + b.T("apply.closes", "When", b.DateTime(c.ClosesAt)) + ")"})
		}
	}
	ps, err := s.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		return err
	}
	today := clock.Today(now)
	for _, p := range ps {
		for _, orgID := range policy.ApplicantOrganisations(b.User) {
			if p.HasSwedishMember(orgID) && p.IsActive(today) {
				page.Partnerships = append(page.Partnerships, option{Value: strconv.FormatInt(p.ID, 10) + ":" + strconv.FormatInt(orgID, 10), Label: p.Name})
			}
		}
	}
	b.Title = b.T("apply.title")
	return s.render(w, b, status, "apps", page)
}

func (s *Server) appRowOf(ctx context.Context, a *application.Application) (appRow, error) {
	c, err := s.store.Call(ctx, a.CallID)
	if err != nil {
		return appRow{}, err
	}
	p, err := s.store.Partnership(ctx, a.PartnershipID)
	if err != nil {
		return appRow{}, err
	}
	o, err := s.store.Organisation(ctx, a.OrganisationID)
	if err != nil {
		return appRow{}, err
	}
	return appRow{App: a, Call: c, Partnership: p, Org: o}, nil
}

// appCreate starts a draft. The partnership choice carries the applicant
// organisation ("partnership:organisation"), so a user of two
// organisations applies for the right one.
func (s *Server) appCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.Apply, 0); err != nil {
		return err
	}
	f := appStartForm{Call: r.PostFormValue("call"), Partnership: r.PostFormValue("partnership")}
	b.Errors = validate.Errors{}
	callID, _ := strconv.ParseInt(f.Call, 10, 64)
	var pID, orgID int64
	if p, o, ok := cutInts(f.Partnership); ok {
		pID, orgID = p, o
	}
	if callID == 0 {
		b.Errors.Add("call", "error.required")
	}
	if pID == 0 {
		b.Errors.Add("partnership", "error.required")
	} else if !policy.ApplicantFor(b.User, orgID) {
		return errForbidden
	}
	if len(b.Errors) > 0 {
		return s.renderAppList(w, r, b, http.StatusUnprocessableEntity, f)
	}
	a := &application.Application{CallID: callID, PartnershipID: pID, OrganisationID: orgID, CreatedBy: b.User.ID}
	err := s.store.CreateApplication(r.Context(), actor(b.User), a)
	if status, ok := formFailed(err, b); ok {
		return s.renderAppList(w, r, b, status, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.created")
	http.Redirect(w, r, b.URL("app", a.ID), http.StatusSeeOther)
	return nil
}
