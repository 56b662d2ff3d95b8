package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/mail"
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
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	link := b.BaseURL() + b.urlIn(lang, "invite", token)
	msg := s.notify.Invite(email, lang, b.User.Name, org.Name, link)
	inv := &user.Invite{TokenHash: hashToken(token), Email: email, OrganisationID: orgID, Role: user.Applicant, InvitedBy: b.User.ID}
	err = s.store.CreateInvite(r.Context(), actor(b.User), inv, []mail.Message{msg})
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
//	disabled       the invited account is deactivated
type invitePage struct {
	*Base
	Invite *user.Invite
	Org    string
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
	org, err := s.store.Organisation(r.Context(), inv.OrganisationID)
	if err != nil {
		return nil, err
	}
	token := r.PathValue("token")
	p := &invitePage{Base: b, Invite: inv, Org: org.Name, Token: token,
		SignIn: b.URL("login") + "?next=" + url.QueryEscape(b.URL("invite", token))}
	b.Title = b.T("invite.title", "Organisation", org.Name)
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
	http.Redirect(w, r, b.URL("apps"), http.StatusSeeOther)
	return nil
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
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	setFlash(w, "flash.signed_in")
	http.Redirect(w, r, b.URL("apps"), http.StatusSeeOther)
	return nil
}
