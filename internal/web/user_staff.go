package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// The people page: administrators see every account with its roles and
// last sign-in, change a person's roles and deactivate or reactivate them.
// The store audits each change and ends a deactivated person's sessions;
// user.CheckRoleChange and user.CheckDisable keep an administrator from
// locking themself out.

// scopeNames names programmes and organisations, for reading roles.
type scopeNames struct {
	progs []*programme.Programme
	orgs  []*organisation.Organisation
}

func (s *Server) scopeNames(ctx context.Context) (scopeNames, error) {
	progs, err := s.store.ProgrammeList(ctx)
	if err != nil {
		return scopeNames{}, err
	}
	orgs, err := s.store.OrganisationList(ctx, organisation.Filter{})
	if err != nil {
		return scopeNames{}, err
	}
	return scopeNames{progs: progs, orgs: orgs}, nil
}

func (n scopeNames) findProgramme(id int64) *programme.Programme {
	for _, p := range n.progs {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (n scopeNames) findOrganisation(id int64) *organisation.Organisation {
	for _, o := range n.orgs {
		if o.ID == id {
			return o
		}
	}
	return nil
}

func (n scopeNames) programme(id int64, lang string) string {
	if p := n.findProgramme(id); p != nil {
		return p.Name(lang)
	}
	return "#" + strconv.FormatInt(id, 10)
}

func (n scopeNames) organisation(id int64) string {
	if o := n.findOrganisation(id); o != nil {
		return o.Name
	}
	return "#" + strconv.FormatInt(id, 10)
}

// roleLabel reads a role with its scope: "Handläggare: Kommunalt
// partnerskap", "Sökande: Kalix kommun".
func (n scopeNames) roleLabel(b *Base, r user.Role) string {
	kind := b.T("people.role." + string(r.Kind))
	switch {
	case r.OrganisationID != 0:
		return kind + ": " + n.organisation(r.OrganisationID)
	case r.Kind == user.Officer && r.ProgrammeID != 0:
		return kind + ": " + n.programme(r.ProgrammeID, b.Lang)
	case r.Kind == user.Officer:
		return kind + ": " + b.T("people.all_programmes")
	}
	return kind
}

type personRow struct {
	ID        int64
	Name      string
	Email     string
	Roles     []string
	Disabled  bool
	LastLogin string
}

type peoplePage struct {
	*Base
	People []personRow
	// The staff invitation form (user_invite.go) and the invitations
	// still pending.
	Invite     staffInviteForm
	Roles      []option
	Programmes []option
	Pending    []pendingInvite
}

func (s *Server) peopleList(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ManageUsers, 0); err != nil {
		return err
	}
	return s.renderPeople(w, r, b, http.StatusOK, staffInviteForm{Role: string(user.Officer), Lang: b.Lang})
}

func (s *Server) renderPeople(w http.ResponseWriter, r *http.Request, b *Base, status int, f staffInviteForm) error {
	us, err := s.store.UserList(r.Context())
	if err != nil {
		return err
	}
	names, err := s.scopeNames(r.Context())
	if err != nil {
		return err
	}
	rows := make([]personRow, 0, len(us))
	for _, u := range us {
		row := personRow{ID: u.ID, Name: u.Name, Email: u.Email, Disabled: u.Disabled, LastLogin: b.DateTime(u.LastLoginAt)}
		for _, role := range u.Roles {
			row.Roles = append(row.Roles, names.roleLabel(b, role))
		}
		rows = append(rows, row)
	}
	swedish.Sort(rows, func(p personRow) string { return p.Name })
	page := peoplePage{Base: b, People: rows, Invite: f}
	for _, k := range staffInviteRoles {
		page.Roles = append(page.Roles, option{Value: string(k), Label: b.T("people.role." + string(k))})
	}
	page.Programmes = []option{{Value: "", Label: b.T("people.all_programmes")}}
	for _, p := range names.progs {
		page.Programmes = append(page.Programmes, option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name(b.Lang)})
	}
	if page.Pending, err = s.pendingInvites(r.Context(), b, store.InviteFilter{Staff: true}); err != nil {
		return err
	}
	b.Title = b.T("people.title")
	return s.render(w, b, status, "people", page)
}

// roleRow is one role as typed: its kind, and the programme or
// organisation it concerns (ids as text, "" for none).
type roleRow struct {
	Index                   int
	Kind, Programme, Org    string
	KindF, ProgrammeF, OrgF field
}

// personForm holds the roles as typed, so a refused form shows them again,
// with one empty row for adding a role.
type personForm struct {
	Rows []roleRow
}

func personFormFrom(u *user.User) personForm {
	var f personForm
	for _, r := range u.Roles {
		row := roleRow{Kind: string(r.Kind)}
		if r.ProgrammeID != 0 {
			row.Programme = strconv.FormatInt(r.ProgrammeID, 10)
		}
		if r.OrganisationID != 0 {
			row.Org = strconv.FormatInt(r.OrganisationID, 10)
		}
		f.Rows = append(f.Rows, row)
	}
	return f
}

// maxRoleRows bounds the rows a posted form may name.
const maxRoleRows = 50

func parsePersonForm(r *http.Request) personForm {
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	n = min(max(n, 0), maxRoleRows)
	var f personForm
	for i := range n {
		f.Rows = append(f.Rows, roleRow{
			Kind:      strings.TrimSpace(r.PostFormValue(fmt.Sprintf("kind_%d", i))),
			Programme: strings.TrimSpace(r.PostFormValue(fmt.Sprintf("programme_%d", i))),
			Org:       strings.TrimSpace(r.PostFormValue(fmt.Sprintf("organisation_%d", i))),
		})
	}
	return f
}

// roles reads the typed rows as roles; a row without a kind is dropped. A
// programme or organisation that is not among the choices is a field error
// on its row, so the person sees which row to mend.
func (f personForm) roles(names scopeNames) ([]user.Role, validate.Errors) {
	errs := validate.Errors{}
	var out []user.Role
	for i, row := range f.Rows {
		if row.Kind == "" {
			continue
		}
		role := user.Role{Kind: user.RoleKind(row.Kind)}
		if row.Kind == string(user.Officer) && row.Programme != "" {
			id, err := strconv.ParseInt(row.Programme, 10, 64)
			if err != nil || names.findProgramme(id) == nil {
				errs.Add(fmt.Sprintf("programme_%d", i), "error.user.unknown_programme")
			}
			role.ProgrammeID = id
		}
		if (row.Kind == string(user.Applicant) || row.Kind == string(user.PartnerRole)) && row.Org != "" {
			id, err := strconv.ParseInt(row.Org, 10, 64)
			if err != nil || names.findOrganisation(id) == nil {
				errs.Add(fmt.Sprintf("organisation_%d", i), "error.user.unknown_organisation")
			}
			role.OrganisationID = id
		}
		out = append(out, role)
	}
	return out, errs
}

type personPage struct {
	*Base
	Person   *user.User
	Self     bool
	Rows     []roleRow
	Summary  errorSummary
	RolesErr string
	LastSeen string
	Factor   user.SecondFactorStatus // the person's second factor, which an administrator may reset
}

func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, b *Base, status int, u *user.User, f personForm) error {
	names, err := s.scopeNames(r.Context())
	if err != nil {
		return err
	}
	kinds := []option{{Value: "", Label: b.T("people.role.none")}}
	for _, k := range user.RoleKinds {
		kinds = append(kinds, option{Value: string(k), Label: b.T("people.role." + string(k))})
	}
	progs := []option{{Value: "", Label: b.T("people.all_programmes")}}
	for _, p := range names.progs {
		progs = append(progs, option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name(b.Lang)})
	}
	orgs := []option{{Value: "", Label: b.T("form.choose")}}
	for _, o := range names.orgs {
		orgs = append(orgs, option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
	}
	swedish.Sort(orgs[1:], func(o option) string { return o.Label })
	rows := append(append([]roleRow(nil), f.Rows...), roleRow{})
	var order []string
	labels := map[string]string{"roles": b.T("people.roles")}
	order = append(order, "roles")
	for i := range rows {
		row := &rows[i]
		row.Index = i
		kind, prog, org := fmt.Sprintf("kind_%d", i), fmt.Sprintf("programme_%d", i), fmt.Sprintf("organisation_%d", i)
		row.KindF = b.Choice(kind, "people.role_kind", "select", row.Kind, kinds)
		row.ProgrammeF = b.Choice(prog, "people.programme", "select", row.Programme, progs, "hint")
		row.OrgF = b.Choice(org, "people.organisation", "select", row.Org, orgs, "hint")
		// A programme or organisation typed that is no longer among the
		// choices stays selectable, so the form keeps what was sent.
		if row.Programme != "" && !hasOption(progs, row.Programme) {
			row.ProgrammeF.Options = append(append([]option(nil), progs...), option{Value: row.Programme, Label: "#" + row.Programme})
		}
		if row.Org != "" && !hasOption(orgs, row.Org) {
			row.OrgF.Options = append(append([]option(nil), orgs...), option{Value: row.Org, Label: "#" + row.Org})
		}
		n := strconv.Itoa(i + 1)
		labels[kind] = b.T("people.row", "N", n) + " – " + b.T("people.role_kind")
		labels[prog] = b.T("people.row", "N", n) + " – " + b.T("people.programme")
		labels[org] = b.T("people.row", "N", n) + " – " + b.T("people.organisation")
		order = append(order, kind, prog, org)
	}
	page := personPage{Base: b, Person: u, Self: u.ID == b.User.ID, Rows: rows,
		Summary: b.labelledSummary(append([]string{"form"}, order...), labels), LastSeen: b.DateTime(u.LastLoginAt)}
	if key, ok := b.Errors["roles"]; ok {
		page.RolesErr = b.T(key)
	}
	if page.Factor, err = s.store.SecondFactorStatus(r.Context(), u.ID); err != nil {
		return err
	}
	b.Title = b.T("people.edit", "Name", u.Name)
	return s.render(w, b, status, "person", page)
}

func hasOption(opts []option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// person loads the person the path names, for an administrator.
func (s *Server) person(r *http.Request, b *Base) (*user.User, error) {
	if err := require(b, policy.ManageUsers, 0); err != nil {
		return nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.store.User(r.Context(), id)
}

func (s *Server) personEdit(w http.ResponseWriter, r *http.Request, b *Base) error {
	u, err := s.person(r, b)
	if err != nil {
		return err
	}
	return s.renderPerson(w, r, b, http.StatusOK, u, personFormFrom(u))
}

func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	u, err := s.person(r, b)
	if err != nil {
		return err
	}
	f := parsePersonForm(r)
	names, err := s.scopeNames(r.Context())
	if err != nil {
		return err
	}
	roles, errs := f.roles(names)
	err = errs.Err()
	if err == nil {
		err = user.CheckRoleChange(b.User, u, roles)
	}
	if err == nil {
		err = s.store.SetUserRoles(r.Context(), actor(b.User), u.ID, roles)
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderPerson(w, r, b, status, u, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("person.edit", u.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) personStatus(w http.ResponseWriter, r *http.Request, b *Base) error {
	u, err := s.person(r, b)
	if err != nil {
		return err
	}
	disabled := r.PostFormValue("disabled") == "1"
	err = user.CheckDisable(b.User, u, disabled)
	if err == nil {
		err = s.store.SetUserDisabled(r.Context(), actor(b.User), u.ID, disabled)
	}
	if errors.Is(err, user.ErrSelfDeactivate) {
		formFailed(err, b)
		return s.renderPerson(w, r, b, http.StatusUnprocessableEntity, u, personFormFrom(u))
	}
	if err != nil {
		return err
	}
	if disabled {
		setFlash(w, "people.deactivated")
	} else {
		setFlash(w, "people.reactivated")
	}
	http.Redirect(w, r, b.URL("person.edit", u.ID), http.StatusSeeOther)
	return nil
}

// CanManageUsers reports whether the signed-in user may open the people
// page, for the navigation.
func (b *Base) CanManageUsers() bool { return policy.Can(b.User, policy.ManageUsers, 0) }
