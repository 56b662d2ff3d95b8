package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// An organisation's people (applicants of a Swedish organisation,
// partners of one abroad) see who else speaks for it, invite colleagues
// (the one invitation, user_invite.go) and remove them, as far as the
// organisation's setting allows; administrators set it on the
// organisation's page. To anyone who does not speak for the organisation
// the page does not exist (404), whatever else they may do.

// memberRow is one person who speaks for the organisation.
type memberRow struct {
	ID       int64
	Name     string
	Email    string
	Role     string
	Disabled bool
	Self     bool
}

type membersPage struct {
	*Base
	Org     *organisation.Organisation
	Members []memberRow
	Manage  bool // the organisation lets its people invite and remove
	Active  int  // active people: the last one cannot be removed
	Email   string
	Lang    string
	Pending []pendingInvite
}

// memberOrg loads the organisation of the path for one who speaks for it.
func (s *Server) memberOrg(r *http.Request, b *Base) (*organisation.Organisation, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	if !policy.SeesMembers(b.User, id) {
		return nil, store.ErrNotFound
	}
	return s.store.Organisation(r.Context(), id)
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, b *Base, status int, org *organisation.Organisation, email, lang string) error {
	ctx := r.Context()
	us, err := s.store.OrganisationMembers(ctx, org.ID)
	if err != nil {
		return err
	}
	page := membersPage{Base: b, Org: org, Email: email, Lang: lang}
	if page.Manage, err = s.store.MembersManage(ctx, org.ID); err != nil {
		return err
	}
	for _, u := range us {
		row := memberRow{ID: u.ID, Name: u.Name, Email: u.Email, Disabled: u.Disabled, Self: u.ID == b.User.ID}
		for _, role := range u.Roles {
			if role.OrganisationID == org.ID {
				row.Role = b.T("people.role." + string(role.Kind))
				break
			}
		}
		if !u.Disabled {
			page.Active++
		}
		page.Members = append(page.Members, row)
	}
	if page.Manage {
		if page.Pending, err = s.pendingInvites(ctx, b, store.InviteFilter{OrganisationID: org.ID}); err != nil {
			return err
		}
	}
	b.Title = b.T("members.title", "Organisation", org.Name)
	return s.render(w, b, status, "members", page)
}

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request, b *Base) error {
	org, err := s.memberOrg(r, b)
	if err != nil {
		return err
	}
	return s.renderMembers(w, r, b, http.StatusOK, org, "", b.Lang)
}

// membersMine leads to the people page of one's organisation, or lists
// one's organisations when one speaks for several.
func (s *Server) membersMine(w http.ResponseWriter, r *http.Request, b *Base) error {
	ids := b.User.Organisations()
	switch len(ids) {
	case 0:
		return store.ErrNotFound
	case 1:
		http.Redirect(w, r, b.URL("members", ids[0]), http.StatusSeeOther)
		return nil
	}
	var orgs []option
	for _, id := range ids {
		o, err := s.store.Organisation(r.Context(), id)
		if err != nil {
			return err
		}
		orgs = append(orgs, option{Value: b.URL("members", id), Label: o.Name})
	}
	b.Title = b.T("members.mine")
	return s.render(w, b, http.StatusOK, "members_mine", membersMinePage{Base: b, Orgs: orgs})
}

type membersMinePage struct {
	*Base
	Orgs []option
}

// membersInvite invites a colleague to the organisation: an applicant of
// a Swedish organisation, a partner of one abroad.
func (s *Server) membersInvite(w http.ResponseWriter, r *http.Request, b *Base) error {
	org, err := s.memberOrg(r, b)
	if err != nil {
		return err
	}
	typed := strings.TrimSpace(r.PostFormValue("invite_email"))
	lang := inviteLang(r, "invite_lang")
	role := user.Applicant
	if !org.Kind.Swedish() {
		role = user.PartnerRole
	}
	inv := &user.Invite{Email: typed, OrganisationID: org.ID, Role: role}
	err = s.sendInvite(r.Context(), b, inv, lang, "", org.Name)
	if errors.Is(err, user.ErrMembersClosed) {
		return errForbidden
	}
	if status, ok := formFailed(err, b); ok {
		if errors.Is(err, user.ErrTooManyInvites) {
			status = http.StatusTooManyRequests
		}
		b.Errors = prefixed(b.Errors, "invite_")
		return s.renderMembers(w, r, b, status, org, typed, lang)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.invited")
	http.Redirect(w, r, b.URL("members", org.ID), http.StatusSeeOther)
	return nil
}

// membersRemove takes a person's role for the organisation away (not
// their account). Their next request is made without it: roles are read
// afresh with the session on every request.
func (s *Server) membersRemove(w http.ResponseWriter, r *http.Request, b *Base) error {
	org, err := s.memberOrg(r, b)
	if err != nil {
		return err
	}
	uid, err := pathID(r, "uid")
	if err != nil {
		return err
	}
	err = s.store.RemoveMember(r.Context(), actor(b.User), org.ID, uid)
	switch {
	case errors.Is(err, user.ErrMembersClosed):
		return errForbidden
	case errors.Is(err, user.ErrNotMember):
		return store.ErrNotFound
	case errors.Is(err, user.ErrLastMember):
		b.Errors = validate.Errors{"form": "error.members.last"}
		return s.renderMembers(w, r, b, http.StatusConflict, org, "", b.Lang)
	case err != nil:
		return err
	}
	setFlash(w, "flash.member_removed")
	if uid == b.User.ID { // one left the organisation oneself
		http.Redirect(w, r, b.URL("staff"), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, b.URL("members", org.ID), http.StatusSeeOther)
	return nil
}

// CanSeeMembers reports whether the signed-in user speaks for an
// organisation, for the navigation.
func (b *Base) CanSeeMembers() bool { return len(b.User.Organisations()) > 0 }

// orgMembersSetting sets whether the organisation's people may invite and
// remove colleagues: administrators only, on the organisation's page.
func (s *Server) orgMembersSetting(w http.ResponseWriter, r *http.Request, b *Base) error {
	if !policy.InviteStaff(b.User) {
		return errForbidden
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.SetMembersManage(r.Context(), actor(b.User), id, r.PostFormValue("members_manage") == "on"); err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("org.edit", id)+"#members", http.StatusSeeOther)
	return nil
}
