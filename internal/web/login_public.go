package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

type loginPage struct {
	*Base
	Email string
	Next  string
}

// safeNext keeps a destination (after signing in, after the language
// switch) only if it is a path on this site. Browsers drop tabs and line
// breaks from addresses and read a backslash as a slash, so "/\t/x" or
// "/\\x" would lead to the host x: any control character, space or
// backslash refuses the address, and so does one that does not parse as
// a bare path.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") {
		return ""
	}
	for _, r := range next {
		if r <= ' ' || r == 0x7f || r == '\\' {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return ""
	}
	return next
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	b.Title = b.T("login.title")
	b.Flash, b.flashArgs = s.takeFlash(w, r) // after a password reset or an e-mail change
	return s.render(w, b, http.StatusOK, "login", loginPage{Base: b, Next: safeNext(r.URL.Query().Get("next"))})
}

// dummyHash is compared against when no user has the e-mail address, so
// the answer takes as long whether or not the account exists.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("no such user")
	return h
})

func (s *Server) login(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	email := strings.TrimSpace(r.PostFormValue("email"))
	pw := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	b.Title = b.T("login.title")
	b.Errors = validate.Errors{}
	b.Errors.Required("email", email)
	if pw == "" {
		b.Errors.Add("password", "error.required")
	}
	if len(b.Errors) > 0 {
		return s.render(w, b, http.StatusUnprocessableEntity, "login", loginPage{Base: b, Email: email, Next: next})
	}
	u, err := s.store.UserByEmail(r.Context(), email)
	if errors.Is(err, store.ErrNotFound) {
		u = nil
	} else if err != nil {
		return err
	}
	now := s.clock.Now()
	try, refused := s.logins.admit(s.clientAddress(r), email, s.knownDevice(r, u, now), now)
	if refused != nil {
		msg := "error.login.throttled"
		if refused.account {
			msg = "error.login.throttled.account"
		}
		b.Errors.Add("password", msg)
		s.logFailedSignIn(r, u, email, "throttled")
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(refused.wait.Seconds()))))
		return s.render(w, b, http.StatusTooManyRequests, "login", loginPage{Base: b, Email: email, Next: next})
	}
	if !passwordMatches(u, pw) {
		// The attempt stays counted as a failure.
		s.logFailedSignIn(r, u, email, "password")
		b.Errors.Add("password", "error.login.failed")
		return s.render(w, b, http.StatusUnprocessableEntity, "login", loginPage{Base: b, Email: email, Next: next})
	}
	// The attempt stays counted until the whole sign-in succeeds: at once
	// when no second factor is asked for, else when its code is given
	// (login_code.go).
	return s.finishSignIn(w, r, b, u, next, false, try)
}

// signIn finishes a sign-in once u is known: by password (login) or by
// the identity provider (single sign-on). secondFactorDone says whether a
// second factor was already proven (an identity provider asserting one).
// When u has a second factor and it was not proven, or must have one and
// has none, the session starts pending (user.Session.Pending) and the
// browser goes to the code form or the enrolment page; otherwise the
// session starts, the browser is remembered, the sign-in logged, and the
// browser goes on to next, or to the person's start page.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, b *Base, u *user.User, next string, secondFactorDone bool) error {
	return s.finishSignIn(w, r, b, u, next, secondFactorDone, nil)
}

// finishSignIn is signIn with the password's attempt (nil for single
// sign-on), given back only when the sign-in completes.
func (s *Server) finishSignIn(w http.ResponseWriter, r *http.Request, b *Base, u *user.User, next string, secondFactorDone bool, try *loginTry) error {
	st, err := s.store.SecondFactorStatus(r.Context(), u.ID)
	if err != nil {
		return err
	}
	step := user.NextSignInStep(u, st, secondFactorDone)
	if step == user.StepDone {
		if err := s.completeSignIn(w, r, u, try); err != nil {
			return err
		}
		http.Redirect(w, r, s.afterSignIn(b, u, next), http.StatusSeeOther)
		return nil
	}
	hash, err := s.startPendingSession(w, r, u)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	if try != nil {
		s.logins.hold(string(hash), try, now.Add(user.PendingSignIn))
	}
	http.Redirect(w, r, s.secondStepURL(b, step, next), http.StatusSeeOther)
	return nil
}

// completeSignIn starts u's session (replacing a pending one), gives the
// password's attempt back, remembers the browser and logs the sign-in.
func (s *Server) completeSignIn(w http.ResponseWriter, r *http.Request, u *user.User, try *loginTry) error {
	now := s.clock.Now()
	if old := s.currentTokenHash(r); old != nil {
		if err := s.store.DeleteSession(r.Context(), old); err != nil {
			return err
		}
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	if try != nil {
		try.succeeded(now)
	}
	s.rememberDevice(w, r, u, now)
	return s.store.RecordEvent(r.Context(), audit.Actor{UserID: u.ID, Name: u.Name}, "login", "user", u.ID)
}

// afterSignIn is where a sign-in leads: next, or the person's start page
// in their language.
func (s *Server) afterSignIn(b *Base, u *user.User, next string) string {
	if next != "" {
		return next
	}
	if u.Lang == "en" && b.Lang == "sv" {
		return b.urlIn("en", "staff")
	}
	return b.URL("staff")
}

// passwordMatches checks pw against u's hash, or against a dummy one when
// there is no such user, so the answer takes as long whether or not the
// account exists. A disabled account matches nothing.
func passwordMatches(u *user.User, pw string) bool {
	if u == nil {
		auth.CheckPassword(pw, dummyHash())
		return false
	}
	return auth.CheckPassword(pw, u.PasswordHash) && !u.Disabled
}

// failedSignIn is what the audit log keeps of a failed sign-in (its
// entry's After). The entry names the account tried when there is one;
// an address that is no account's is personal data of someone who may
// never have used the system, so only a short digest of it is kept,
// enough to tell repeated tries at one address apart.
type failedSignIn struct {
	Reason   string `json:"reason"`                    // password, throttled (refused by the guard) or code (the second factor)
	Address  string `json:"address_digest,omitempty"`  // of an address that is no account's
	Client   string `json:"client"`                    // the client's address
	Unlogged int    `json:"unlogged_before,omitempty"` // failed sign-ins not logged since the entry before (login_guard.go)
}

// logFailedSignIn writes a failed sign-in at the account u (nil: none has
// the address email) to the audit log, at the rate the guard allows
// (loginGuard.logFailure). It does not move the data version
// (store.RecordEvent). Failing to log does not change the answer: it is
// reported to the operator.
func (s *Server) logFailedSignIn(r *http.Request, u *user.User, email, reason string) {
	client := s.clientAddress(r)
	write, unlogged := s.logins.logFailure(client, email, s.clock.Now())
	if !write {
		return
	}
	d := failedSignIn{Reason: reason, Client: client, Unlogged: unlogged}
	var id int64
	if u != nil {
		id = u.ID
	} else {
		sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
		d.Address = hex.EncodeToString(sum[:6])
	}
	if err := s.store.RecordEventDetail(r.Context(), audit.System("login"), "login.failed", "user", id, d); err != nil {
		s.log.Error("log failed sign-in", "err", err)
	}
}

// logout ends the session and logs the sign-out of the person signed in
// (a session pending its second factor signed nobody in).
func (s *Server) logout(w http.ResponseWriter, r *http.Request, b *Base) error {
	u, _ := s.sessionUser(r)
	if err := s.endSession(w, r); err != nil {
		return err
	}
	if u != nil {
		if err := s.store.RecordEvent(r.Context(), actor(u), "logout", "user", u.ID); err != nil {
			return err
		}
	}
	http.Redirect(w, r, b.URL("home"), http.StatusSeeOther)
	return nil
}
