package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// inviteCreate sends a colleague of the applicant's organisation a
// single-use link to join it. The token is only in the mail; the database
// keeps its hash. The store refuses a staff address and a sender over
// user.InvitesPerHour (429).
func (s *Server) inviteCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.Apply, 0); err != nil {
		return err
	}
	orgID, _ := strconv.ParseInt(r.PostFormValue("organisation"), 10, 64)
	if !policy.ApplicantFor(b.User, orgID) {
		return errForbidden
	}
	typed := strings.TrimSpace(r.PostFormValue("invite_email"))
	email := strings.ToLower(typed)
	lang := r.PostFormValue("lang")
	if lang != "en" {
		lang = "sv"
	}
	org, err := s.store.Organisation(r.Context(), orgID)
	if err != nil {
		return err
	}
	inv := &user.Invite{Email: email, OrganisationID: orgID, Role: user.Applicant}
	err = s.sendInvite(r.Context(), b, inv, lang, "", org.Name)
	if errors.Is(err, user.ErrMembersClosed) {
		return errForbidden // the administrators keep the organisation's people to themselves
	}
	if status, ok := formFailed(err, b); ok {
		if errors.Is(err, user.ErrTooManyInvites) {
			status = http.StatusTooManyRequests
		}
		b.Errors = prefixed(b.Errors, "invite_")
		return s.renderAppListWith(w, r, b, status, appStartForm{}, typed)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.invited")
	http.Redirect(w, r, b.URL("apps"), http.StatusSeeOther)
	return nil
}

// invitePage shows what the invitation asks of the visitor, by Mode:
//
//	create         no account has the address: choose a name and a password
//	accept         signed in as the invited account: accept with one button
//	sign_in        the address has an account: sign in as it (SignIn) first
//	wrong_account  signed in as another account than the invited one
//	staff          the address belongs to a staff account, which never
//	               joins through an invitation
//	member         a staff invitation to an address whose account speaks
//	               for an organisation, which never joins the staff
//	               through an invitation
//	disabled       the invited account is deactivated
//
// A staff invitation (Staff) names no organisation: What says what it
// makes the invitee (user_invite.go).
type invitePage struct {
	*Base
	Invite *user.Invite
	Org    string
	Staff  bool
	What   string
	Name   string
	Token  string
	Mode   string
	SignIn string
}

func (s *Server) loadInvite(r *http.Request) (*user.Invite, error) {
	inv, err := s.store.InviteByToken(r.Context(), hashToken(r.PathValue("token")))
	if err != nil {
		return nil, err
	}
	if !inv.Usable(s.clock.Now()) {
		return nil, store.ErrNotFound
	}
	return inv, nil
}

// inviteModes names the page's mode for each refusal of
// user.Invite.Acceptance.
var inviteModes = []struct {
	err  error
	mode string
}{
	{user.ErrInviteSignIn, "sign_in"},
	{user.ErrInviteWrongAccount, "wrong_account"},
	{user.ErrInviteStaff, "staff"},
	{user.ErrInviteMember, "member"},
	{user.ErrInviteDisabled, "disabled"},
}

// inviteRefusal is the page's mode for err, or "" when err is no refusal
// to accept.
func inviteRefusal(err error) string {
	for _, m := range inviteModes {
		if errors.Is(err, m.err) {
			return m.mode
		}
	}
	return ""
}

// newInvitePage loads the invitation, the signed-in user (invitation pages
// are public, so the wrapper loads none) and the account that holds the
// invited address, and sets the page's mode as user.Invite.Acceptance
// decides; the store decides again when the invitation is accepted.
func (s *Server) newInvitePage(w http.ResponseWriter, r *http.Request, b *Base) (*invitePage, error) {
	w.Header().Set("Cache-Control", "no-store")
	inv, err := s.loadInvite(r)
	if err != nil {
		return nil, err
	}
	u, err := s.sessionUser(r)
	if err != nil {
		return nil, err
	}
	b.User = u
	var signedIn int64
	if u != nil {
		signedIn = u.ID
	}
	account, err := s.store.UserByEmail(r.Context(), inv.Email)
	if errors.Is(err, store.ErrNotFound) {
		account, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	token := r.PathValue("token")
	p := &invitePage{Base: b, Invite: inv, Token: token, Name: inv.Name,
		SignIn: b.URL("login") + "?next=" + url.QueryEscape(b.URL("invite", token))}
	if inv.ForStaff() {
		p.Staff = true
		if p.What, err = s.inviteWhat(r.Context(), b.Lang, inv); err != nil {
			return nil, err
		}
		b.Title = b.T("staffinvite.title")
	} else {
		org, err := s.store.Organisation(r.Context(), inv.OrganisationID)
		if err != nil {
			return nil, err
		}
		p.Org = org.Name
		b.Title = b.T("invite.title", "Organisation", org.Name)
	}
	how, err := inv.Acceptance(account, signedIn)
	switch {
	case err != nil:
		p.Mode = inviteRefusal(err)
	case how == user.AddRole:
		p.Mode = "accept"
	default:
		p.Mode = "create"
	}
	return p, nil
}

func (s *Server) invitePage(w http.ResponseWriter, r *http.Request, b *Base) error {
	p, err := s.newInvitePage(w, r, b)
	if err != nil {
		return err
	}
	return s.render(w, b, http.StatusOK, "invite", p)
}

// inviteAccept accepts an invitation: for a new address it creates the
// account and signs it in; for an existing account it adds the role to
// it, signed in as itself. It never signs in to an existing account: its
// owner signs in first, with its password.
func (s *Server) inviteAccept(w http.ResponseWriter, r *http.Request, b *Base) error {
	p, err := s.newInvitePage(w, r, b)
	if err != nil {
		return err
	}
	token := hashToken(p.Token)
	now := s.clock.Now()
	switch p.Mode {
	case "accept":
		err = s.store.AcceptInvite(r.Context(), token, b.User.ID, &user.User{}, now)
	case "create":
		return s.inviteCreateAccount(w, r, b, p)
	default:
		return s.render(w, b, http.StatusForbidden, "invite", p)
	}
	if mode := inviteRefusal(err); mode != "" { // changed since the page was read
		p.Mode = mode
		return s.render(w, b, http.StatusForbidden, "invite", p)
	}
	if errors.Is(err, store.ErrConflict) {
		return store.ErrNotFound // used meanwhile
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, inviteLanding(b, p.Invite), http.StatusSeeOther)
	return nil
}

// inviteLanding is where an accepted invitation leads: the staff
// workspace, the reviewer's list, the applications or the organisation's
// people page for a partner.
func inviteLanding(b *Base, inv *user.Invite) string {
	switch inv.Role {
	case user.Administrator, user.Officer:
		return b.URL("staff")
	case user.Reviewer:
		return b.URL("reviews")
	case user.PartnerRole:
		return b.URL("members", inv.OrganisationID)
	}
	return b.URL("apps")
}

// inviteCreateAccount creates the account for an address that has none,
// with the name and password chosen, and signs it in.
func (s *Server) inviteCreateAccount(w http.ResponseWriter, r *http.Request, b *Base, p *invitePage) error {
	p.Name = strings.TrimSpace(r.PostFormValue("name"))
	pw := r.PostFormValue("password")
	b.Errors = validate.Errors{}
	b.Errors.Required("name", p.Name)
	user.CheckPassword(b.Errors, "password", pw, p.Invite.Email, p.Name)
	if pw != r.PostFormValue("password2") {
		b.Errors.Add("password2", "error.user.passwords_differ")
	}
	if len(b.Errors) > 0 {
		return s.render(w, b, http.StatusUnprocessableEntity, "invite", p)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	u := &user.User{Name: p.Name, PasswordHash: hash, Lang: b.Lang}
	// Signed in as nobody (0), the store can only create a new account
	// here: should the address have gained one meanwhile, it refuses
	// with user.ErrInviteSignIn rather than hand that account over.
	err = s.store.AcceptInvite(r.Context(), hashToken(p.Token), 0, u, s.clock.Now())
	if mode := inviteRefusal(err); mode != "" {
		b.Errors = nil
		p.Mode = mode
		return s.render(w, b, http.StatusForbidden, "invite", p)
	}
	if errors.Is(err, store.ErrConflict) {
		return store.ErrNotFound // used meanwhile
	}
	if status, ok := formFailed(err, b); ok {
		return s.render(w, b, status, "invite", p)
	}
	if err != nil {
		return err
	}
	// The new account signs in as every sign-in does (signIn): an
	// officer or administrator invited sets up a second factor before
	// reaching any staff page.
	setFlash(w, "flash.signed_in")
	return s.signIn(w, r, b, u, inviteLanding(b, p.Invite), false)
}
