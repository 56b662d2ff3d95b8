package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
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
// keeps its hash.
func (s *Server) inviteCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.Apply, 0); err != nil {
		return err
	}
	orgID, _ := strconv.ParseInt(r.PostFormValue("organisation"), 10, 64)
	if !policy.ApplicantFor(b.User, orgID) {
		return errForbidden
	}
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("invite_email")))
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
		b.Errors = prefixed(b.Errors, "invite_")
		return s.renderAppListWith(w, r, b, status, appStartForm{}, email)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.invited")
	http.Redirect(w, r, b.URL("apps"), http.StatusSeeOther)
	return nil
}

type invitePage struct {
	*Base
	Invite *user.Invite
	Org    string
	Name   string
	Token  string
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

func (s *Server) invitePage(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	inv, err := s.loadInvite(r)
	if err != nil {
		return err
	}
	return s.renderInvite(w, r, b, http.StatusOK, inv, "")
}

func (s *Server) renderInvite(w http.ResponseWriter, r *http.Request, b *Base, status int, inv *user.Invite, name string) error {
	org, err := s.store.Organisation(r.Context(), inv.OrganisationID)
	if err != nil {
		return err
	}
	b.Title = b.T("invite.title", "Organisation", org.Name)
	return s.render(w, b, status, "invite", invitePage{Base: b, Invite: inv, Org: org.Name, Name: name, Token: r.PathValue("token")})
}

// inviteAccept creates the account (or adds the role to an existing one)
// and signs the new colleague in.
func (s *Server) inviteAccept(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	inv, err := s.loadInvite(r)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	pw := r.PostFormValue("password")
	b.Errors = validate.Errors{}
	b.Errors.Required("name", name)
	user.CheckPassword(b.Errors, "password", pw)
	if pw != r.PostFormValue("password2") {
		b.Errors.Add("password2", "error.user.passwords_differ")
	}
	if len(b.Errors) > 0 {
		return s.renderInvite(w, r, b, http.StatusUnprocessableEntity, inv, name)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	u := &user.User{Name: name, PasswordHash: hash, Lang: b.Lang}
	err = s.store.AcceptInvite(r.Context(), hashToken(r.PathValue("token")), u, s.clock.Now())
	if errors.Is(err, store.ErrConflict) {
		return store.ErrNotFound // used meanwhile
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderInvite(w, r, b, status, inv, name)
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
