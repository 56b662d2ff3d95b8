package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Invitations of every kind go through one mechanism (user.Invite, the
// store's CreateInvite and AcceptInvite, the page at /inbjudan/{token}):
// an organisation's colleagues (application_invite.go,
// organisation_member.go), staff invited by administrators on the people
// page (here) and a call's reviewers invited by its officers
// (call_reviewer.go). sendInvite makes the token, the link and the mail;
// the store checks the rules and the sender's rate.

// sendInvite gives inv a new token and stores it with its mail, written
// in lang: what is the invitation's subject for a staff invitation (the
// role, in lang), org the organisation's name for an organisation's.
func (s *Server) sendInvite(ctx context.Context, b *Base, inv *user.Invite, lang, what, org string) error {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	link := b.BaseURL() + b.urlIn(lang, "invite", token)
	inv.Email = strings.ToLower(strings.TrimSpace(inv.Email)) // as the store keeps it, so the mail goes where the invitation points
	inv.TokenHash = hashToken(token)
	inv.InvitedBy = b.User.ID
	var msg mail.Message
	if inv.ForStaff() {
		msg = s.notify.StaffInvite(inv.Email, lang, b.User.Name, what, link)
	} else {
		msg = s.notify.Invite(inv.Email, lang, b.User.Name, org, link)
	}
	return s.store.CreateInvite(ctx, actor(b.User), inv, []mail.Message{msg})
}

// inviteWhat names what a staff invitation makes its invitee, in lang:
// "handläggare för Kommunalt partnerskap", "bedömare i utlysningen …".
func (s *Server) inviteWhat(ctx context.Context, lang string, inv *user.Invite) (string, error) {
	switch {
	case inv.Role == user.Officer && inv.ProgrammeID != 0:
		p, err := s.store.Programme(ctx, inv.ProgrammeID)
		if err != nil {
			return "", err
		}
		return s.msgs.T(lang, "invite.what.officer", map[string]any{"Programme": p.Name(lang)}), nil
	case inv.Role == user.Officer:
		return s.msgs.T(lang, "invite.what.officer_all", nil), nil
	case inv.Role == user.Reviewer && inv.CallID != 0:
		c, err := s.store.Call(ctx, inv.CallID)
		if err != nil {
			return "", err
		}
		return s.msgs.T(lang, "invite.what.reviewer_call", map[string]any{"Call": c.Title(lang)}), nil
	}
	return s.msgs.T(lang, "invite.what."+string(inv.Role), nil), nil
}

// inviteLang reads the language an invitation is written in.
func inviteLang(r *http.Request, field string) string {
	if r.PostFormValue(field) == "en" {
		return "en"
	}
	return "sv"
}

// staffInviteForm is the people page's invitation as typed.
type staffInviteForm struct {
	Email, Name, Role, Programme, Lang string
}

// staffInviteRoles are the roles an administrator invites to.
var staffInviteRoles = []user.RoleKind{user.Officer, user.Reviewer, user.Administrator}

// pendingInvite is a pending invitation, for reading.
type pendingInvite struct {
	ID                   int64
	Email, Name, What    string
	Created, Expires, By string
}

// pendingInvites reads invitations for a page: what each gives, in the
// page's language, and who sent it.
func (s *Server) pendingInvites(ctx context.Context, b *Base, f store.InviteFilter) ([]pendingInvite, error) {
	invs, err := s.store.PendingInvites(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]pendingInvite, 0, len(invs))
	for _, inv := range invs {
		p := pendingInvite{ID: inv.ID, Email: inv.Email, Name: inv.Name, Created: b.DateTime(inv.CreatedAt), Expires: b.DateTime(inv.ExpiresAt)}
		if inv.ForStaff() {
			if p.What, err = s.inviteWhat(ctx, b.Lang, inv); err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
		}
		if inv.InvitedBy != 0 {
			if u, err := s.store.User(ctx, inv.InvitedBy); err == nil {
				p.By = u.Name
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// staffInviteCreate sends an invitation to join the staff: only
// administrators; the store refuses an address that speaks for an
// organisation and a sender over user.InvitesPerHour (429).
func (s *Server) staffInviteCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	if !policy.InviteStaff(b.User) {
		return errForbidden
	}
	f := staffInviteForm{Email: strings.TrimSpace(r.PostFormValue("invite_email")), Name: strings.TrimSpace(r.PostFormValue("invite_name")),
		Role: r.PostFormValue("invite_role"), Programme: r.PostFormValue("invite_programme"), Lang: inviteLang(r, "invite_lang")}
	inv := &user.Invite{Email: f.Email, Name: f.Name, Role: user.RoleKind(f.Role)}
	if inv.Role == user.Officer && f.Programme != "" {
		inv.ProgrammeID, _ = strconv.ParseInt(f.Programme, 10, 64)
		if inv.ProgrammeID <= 0 {
			inv.ProgrammeID = -1 // no such programme: the store refuses it
		}
	}
	if !validStaffRole(inv.Role) {
		b.Errors = validate.Errors{"invite_role": "error.invalid_choice"}
		return s.renderPeople(w, r, b, http.StatusUnprocessableEntity, f)
	}
	what, err := s.inviteWhat(r.Context(), f.Lang, inv)
	if errors.Is(err, store.ErrNotFound) {
		err = nil // a programme that is gone: the store refuses it
	}
	if err == nil {
		err = s.sendInvite(r.Context(), b, inv, f.Lang, what, "")
	}
	if status, ok := formFailed(err, b); ok {
		if errors.Is(err, user.ErrTooManyInvites) {
			status = http.StatusTooManyRequests
		}
		if key, ok := b.Errors["role"]; ok && inv.ProgrammeID != 0 {
			delete(b.Errors, "role")
			b.Errors["programme"] = key
		}
		b.Errors = prefixed(b.Errors, "invite_")
		return s.renderPeople(w, r, b, status, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.invited")
	http.Redirect(w, r, b.URL("people")+"#invitations", http.StatusSeeOther)
	return nil
}

func validStaffRole(k user.RoleKind) bool {
	for _, r := range staffInviteRoles {
		if r == k {
			return true
		}
	}
	return false
}

// staffInviteWithdraw withdraws a pending staff invitation: only
// administrators, and only a staff invitation (an organisation's are its
// people's).
func (s *Server) staffInviteWithdraw(w http.ResponseWriter, r *http.Request, b *Base) error {
	if !policy.InviteStaff(b.User) {
		return errForbidden
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	inv, err := s.store.Invite(r.Context(), id)
	if err != nil {
		return err
	}
	if !inv.ForStaff() {
		return store.ErrNotFound
	}
	if err := s.store.WithdrawInvite(r.Context(), actor(b.User), id); err != nil {
		return err
	}
	setFlash(w, "flash.invite_withdrawn")
	http.Redirect(w, r, b.URL("people")+"#invitations", http.StatusSeeOther)
	return nil
}
