package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// One's own account, for everyone signed in: name and language, a new
// password (the current one asked first; every other session ends) and a
// new e-mail address (the current password asked; a link to the new
// address makes the change, and the old address is told).

// accountPage shows the three forms; each keeps what was typed in it,
// except passwords.
type accountPage struct {
	*Base
	Name     string
	Lang     string
	NewEmail string
}

// LinkMinutes is how long the confirmation link works, as the page says.
func (p accountPage) LinkMinutes() int { return int(user.AccountTokenTTL.Minutes()) }

func (s *Server) newAccountPage(b *Base) accountPage {
	b.Title = b.T("account.title")
	return accountPage{Base: b, Name: b.User.Name, Lang: b.User.Lang}
}

func (s *Server) accountSettings(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.render(w, b, http.StatusOK, "account", s.newAccountPage(b))
}

// accountUpdate saves the name and the language preference, then shows
// the page in the language chosen.
func (s *Server) accountUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	p := s.newAccountPage(b)
	p.Name = strings.TrimSpace(r.PostFormValue("name"))
	p.Lang = r.PostFormValue("lang")
	u, err := s.store.User(r.Context(), b.User.ID)
	if err != nil {
		return err
	}
	u.Name, u.Lang = p.Name, p.Lang
	err = s.store.UpdateUser(r.Context(), actor(b.User), u)
	if status, ok := formFailed(err, b); ok {
		return s.render(w, b, status, "account", p)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.urlIn(u.Lang, "account"), http.StatusSeeOther)
	return nil
}

// checkCurrentPassword checks the current password typed in field,
// counting a wrong one against the account (accountGuard): a stolen
// session can't guess its way to the password here. It adds the field's
// error and returns the status when the password is refused.
func (s *Server) checkCurrentPassword(w http.ResponseWriter, b *Base, field, pw string) (int, bool) {
	if pw == "" {
		b.Errors.Add(field, "error.required")
		return http.StatusUnprocessableEntity, false
	}
	wait, checked := s.accounts.admitCheck(b.User.ID, s.clock.Now())
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		b.Errors.Add(field, "error.account.too_many_tries")
		return http.StatusTooManyRequests, false
	}
	ok := auth.CheckPassword(pw, b.User.PasswordHash)
	checked(ok)
	if !ok {
		b.Errors.Add(field, "error.account.wrong_password")
		return http.StatusUnprocessableEntity, false
	}
	return 0, true
}

// accountPassword sets a new password. Every other session of the
// account ends; this one stays, and this browser stays known for the
// sign-in limits under the new password.
func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request, b *Base) error {
	p := s.newAccountPage(b)
	b.Errors = validate.Errors{}
	pw := r.PostFormValue("new_password")
	status, ok := s.checkCurrentPassword(w, b, "current_password", r.PostFormValue("current_password"))
	if ok {
		user.CheckPassword(b.Errors, "new_password", pw, b.User.Email, b.User.Name)
		if pw != r.PostFormValue("new_password2") {
			b.Errors.Add("new_password2", "error.user.passwords_differ")
		}
		status = http.StatusUnprocessableEntity
	}
	if len(b.Errors) > 0 {
		return s.render(w, b, status, "account", p)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.store.ChangePassword(r.Context(), actor(b.User), b.User.ID, hash, s.currentTokenHash(r)); err != nil {
		return err
	}
	u := *b.User
	u.PasswordHash = hash
	s.rememberDevice(w, r, &u, s.clock.Now())
	setFlash(w, "account.password_changed")
	http.Redirect(w, r, b.URL("account"), http.StatusSeeOther)
	return nil
}

// accountEmail asks to move the account to a new address: a link that
// makes the change goes to the new address, and a notice to the old one.
func (s *Server) accountEmail(w http.ResponseWriter, r *http.Request, b *Base) error {
	p := s.newAccountPage(b)
	p.NewEmail = strings.TrimSpace(r.PostFormValue("new_email"))
	b.Errors = validate.Errors{}
	b.Errors.Required("new_email", p.NewEmail)
	status, _ := s.checkCurrentPassword(w, b, "email_password", r.PostFormValue("email_password"))
	if len(b.Errors) > 0 {
		if status == 0 {
			status = http.StatusUnprocessableEntity
		}
		return s.render(w, b, status, "account", p)
	}
	token := newToken()
	email := strings.ToLower(p.NewEmail)
	link := b.mailLink("email.confirm", token)
	t := &user.AccountToken{TokenHash: hashToken(token), UserID: b.User.ID, Email: email, ExpiresAt: s.clock.Now().Add(user.AccountTokenTTL)}
	msgs := []mail.Message{s.notify.EmailConfirm(b.User, email, link), s.notify.EmailChangeNotice(b.User, email)}
	err := s.store.RequestEmailChange(r.Context(), actor(b.User), t, msgs)
	if status, ok := formFailed(err, b); ok {
		if errors.Is(err, user.ErrTooManyEmailChanges) {
			status = http.StatusTooManyRequests
		}
		b.Errors = renamed(b.Errors, "email", "new_email")
		return s.render(w, b, status, "account", p)
	}
	if err != nil {
		return err
	}
	setFlash(w, "account.email_sent")
	http.Redirect(w, r, b.URL("account"), http.StatusSeeOther)
	return nil
}

// renamed moves an error from field from to field to.
func renamed(errs validate.Errors, from, to string) validate.Errors {
	if msg, ok := errs[from]; ok {
		delete(errs, from)
		errs[to] = msg
	}
	return errs
}

// emailConfirmPage asks whoever opened the link to confirm the move (a
// button, so a mail program that opens links to check them changes
// nothing); Invalid shows that the link can't be used.
type emailConfirmPage struct {
	*Base
	Old, New string
	Token    string
}

// emailToken returns the usable confirmation token of the request's link
// and its active account, or nils.
func (s *Server) emailToken(r *http.Request) (*user.AccountToken, *user.User, error) {
	t, err := s.store.AccountToken(r.Context(), hashToken(r.PathValue("token")))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if !t.Usable(user.ConfirmEmail, s.clock.Now()) {
		return nil, nil, nil
	}
	u, err := s.store.User(r.Context(), t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, nil
	}
	return t, u, nil
}

func (s *Server) emailConfirmForm(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	t, u, err := s.emailToken(r)
	if err != nil {
		return err
	}
	if t == nil {
		return s.renderLinkInvalid(w, b, "account", "link.invalid.again_email")
	}
	b.Title = b.T("email_confirm.title")
	return s.render(w, b, http.StatusOK, "email_confirm", emailConfirmPage{Base: b, Old: u.Email, New: t.Email, Token: r.PathValue("token")})
}

// emailConfirm makes the change for whoever holds the link: the account's
// sessions end, but the one this browser has if it is the account's.
func (s *Server) emailConfirm(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	t, u, err := s.emailToken(r)
	if err != nil {
		return err
	}
	if t == nil {
		return s.renderLinkInvalid(w, b, "account", "link.invalid.again_email")
	}
	keep := s.currentTokenHash(r)
	_, err = s.store.ConfirmEmailChange(r.Context(), hashToken(r.PathValue("token")), keep, s.clock.Now())
	if errors.Is(err, store.ErrNotFound) {
		return s.renderLinkInvalid(w, b, "account", "link.invalid.again_email")
	}
	if status, ok := formFailed(err, b); ok {
		b.Title = b.T("email_confirm.title")
		return s.render(w, b, status, "email_confirm", emailConfirmPage{Base: b, Old: u.Email, New: t.Email, Token: r.PathValue("token")})
	}
	if err != nil {
		return err
	}
	setFlash(w, "account.email_changed")
	if me, err := s.sessionUser(r); err == nil && me != nil && me.ID == u.ID {
		http.Redirect(w, r, b.URL("account"), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, b.URL("login"), http.StatusSeeOther)
	return nil
}

// LangOptions are the languages one may read the site and mail in.
func (p accountPage) LangOptions() []option {
	return []option{{Value: "sv", Label: p.T("lang.sv")}, {Value: "en", Label: p.T("lang.en")}}
}
