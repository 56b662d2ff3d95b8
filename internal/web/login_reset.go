package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// A forgotten password: the visitor gives an e-mail address and, if it is
// an active account's, a single-use link that works for an hour
// (user.AccountTokenTTL) is mailed to it. The answer never tells whether
// the address has an account: for a missing, deactivated or limited
// address the page, its status and its work are the same as for an
// active one (a token is drawn and the store asked in one transaction,
// which queues nothing for them).

// accountGuard limits reset requests per e-mail address and per client
// address, and wrong current passwords on one's own account page per
// account. Each table holds at most loginGuardSize keys and, when full,
// forgets the one that clears soonest (failures.add), never all at once,
// so a flood of made-up addresses does not reset a victim's count. Its
// zero value is ready to use.
type accountGuard struct {
	size int // keys per table; 0 means loginGuardSize (tests make it small)

	mu                         sync.Mutex
	addresses, clients, checks *failures
}

func (g *accountGuard) init() {
	if g.addresses != nil {
		return
	}
	size := g.size
	if size <= 0 {
		size = loginGuardSize
	}
	g.addresses = newFailures(user.ResetsPerAddress, user.ResetAddressEvery, size)
	g.clients = newFailures(user.ResetsPerClient, user.ResetClientEvery, size)
	g.checks = newFailures(user.PasswordChecksMax, user.PasswordChecksEvery, size)
}

// admitReset counts a reset request from client for the address email
// and reports whether a link may be sent. A refused request still counts
// against the client, which made it, but not against the address.
func (g *accountGuard) admitReset(client, email string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	address := strings.ToLower(strings.TrimSpace(email))
	if g.clients.wait(client, now) > 0 {
		return false
	}
	g.clients.add(client, now)
	if g.addresses.wait(address, now) > 0 {
		return false
	}
	g.addresses.add(address, now)
	return true
}

// admitCheck counts a check of userID's current password as failed
// until checked(true) gives it back; wait > 0 refuses it.
func (g *accountGuard) admitCheck(userID int64, now time.Time) (wait time.Duration, checked func(ok bool)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	key := strconv.FormatInt(userID, 10)
	if w := g.checks.wait(key, now); w > 0 {
		return w, nil
	}
	g.checks.add(key, now)
	return 0, func(ok bool) {
		if ok {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.checks.refund(key, now)
		}
	}
}

// newToken draws a link's token: 32 random bytes, URL-safe. Only its
// hash (hashToken) is stored.
func newToken() string {
	raw := make([]byte, 32)
	rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}

type forgotPage struct {
	*Base
	Email string
	Sent  bool // the answer, the same whether or not a mail went out
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	b.Title = b.T("forgot.title")
	return s.render(w, b, http.StatusOK, "forgot", forgotPage{Base: b})
}

// forgot answers a reset request. Only a missing or malformed address is
// an error; otherwise the answer is the same page for every address.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	b.Title = b.T("forgot.title")
	email := strings.TrimSpace(r.PostFormValue("email"))
	b.Errors = validate.Errors{}
	b.Errors.Required("email", email)
	if email != "" {
		if errs := (&user.User{Email: strings.ToLower(email), Name: "x"}).Validate(); errs.Has("email") {
			b.Errors.Add("email", errs["email"])
		}
	}
	if len(b.Errors) > 0 {
		return s.render(w, b, http.StatusUnprocessableEntity, "forgot", forgotPage{Base: b, Email: email})
	}
	now := s.clock.Now()
	token := newToken()
	if s.accounts.admitReset(s.clientAddress(r), email, now) {
		link := b.mailLink("login.reset", token)
		t := user.AccountToken{TokenHash: hashToken(token), ExpiresAt: now.Add(user.AccountTokenTTL)}
		_, err := s.store.RequestPasswordReset(r.Context(), email, t, func(u *user.User) []mail.Message {
			return []mail.Message{s.notify.PasswordReset(u, link)}
		})
		if err != nil {
			return err
		}
	}
	return s.render(w, b, http.StatusOK, "forgot", forgotPage{Base: b, Sent: true})
}

// resetPage is the form a reset link opens; Invalid shows instead that
// the link is used, expired or unknown (one page for the three), with a
// way to ask again.
type resetPage struct {
	*Base
	Token    string
	Email    string // the account's, for password managers
	Invalid  bool
	Again    string // where to ask for a new link
	AgainKey string
}

// resetAccount returns the usable reset token of the request's link and
// its active account, or nil.
func (s *Server) resetAccount(r *http.Request) (*user.User, error) {
	t, err := s.store.AccountToken(r.Context(), hashToken(r.PathValue("token")))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !t.Usable(user.ResetPassword, s.clock.Now()) {
		return nil, nil
	}
	u, err := s.store.User(r.Context(), t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, nil
	}
	return u, nil
}

// renderLinkInvalid shows that a link can't be used, with again (a
// route's name) as where to ask for a new one.
func (s *Server) renderLinkInvalid(w http.ResponseWriter, b *Base, again, againKey string) error {
	b.Title = b.T("link.invalid.title")
	b.Errors = nil
	return s.render(w, b, http.StatusNotFound, "reset", resetPage{Base: b, Invalid: true, Again: b.URL(again), AgainKey: againKey})
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	u, err := s.resetAccount(r)
	if err != nil {
		return err
	}
	if u == nil {
		return s.renderLinkInvalid(w, b, "login.forgot", "link.invalid.again_reset")
	}
	b.Title = b.T("reset.title")
	return s.render(w, b, http.StatusOK, "reset", resetPage{Base: b, Token: r.PathValue("token"), Email: u.Email})
}

// reset sets the new password chosen through a reset link. The store
// uses the link up, voids the account's other links and ends all its
// sessions in the same transaction; the person then signs in afresh,
// so no session opened before the reset (an attacker's) survives it and
// none is handed to the link's holder.
func (s *Server) reset(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	u, err := s.resetAccount(r)
	if err != nil {
		return err
	}
	if u == nil {
		return s.renderLinkInvalid(w, b, "login.forgot", "link.invalid.again_reset")
	}
	b.Title = b.T("reset.title")
	pw := r.PostFormValue("password")
	b.Errors = validate.Errors{}
	user.CheckPassword(b.Errors, "password", pw, u.Email, u.Name)
	if pw != r.PostFormValue("password2") {
		b.Errors.Add("password2", "error.user.passwords_differ")
	}
	page := resetPage{Base: b, Token: r.PathValue("token"), Email: u.Email}
	if len(b.Errors) > 0 {
		// What was typed is not sent back: a password never travels
		// back to the browser in a page.
		return s.render(w, b, http.StatusUnprocessableEntity, "reset", page)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	_, err = s.store.ResetPassword(r.Context(), hashToken(r.PathValue("token")), hash, s.clock.Now())
	if errors.Is(err, store.ErrNotFound) { // used or deactivated meanwhile
		return s.renderLinkInvalid(w, b, "login.forgot", "link.invalid.again_reset")
	}
	if err != nil {
		return err
	}
	// This browser's session, if it had one, ended with the others.
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(r), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	setFlash(w, "account.reset_done")
	http.Redirect(w, r, b.URL("login"), http.StatusSeeOther)
	return nil
}

// LinkMinutes is how long a link works, as the pages say.
func (p forgotPage) LinkMinutes() int { return int(user.AccountTokenTTL.Minutes()) }
func (p resetPage) LinkMinutes() int  { return int(user.AccountTokenTTL.Minutes()) }
