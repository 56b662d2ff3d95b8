package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/sso"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Single sign-on through an OpenID Connect provider (internal/sso), when
// the deployment configures one (Config.SSO). The sign-in page links to
// ssoStart, which sends the browser to the provider with a new flow's
// state, nonce and PKCE challenge, the flow's secrets kept in a short-lived
// cookie; the provider sends it back to ssoDone, which checks the state,
// has the code exchanged and the ID token verified, finds the account by
// the verified e-mail address (user.SSOIdentity, user.SSOAccount) and
// ends in signIn like a password sign-in, with secondFactorDone when the
// provider asserts a second factor (user.SSOIdentity.SecondFactor).

const (
	ssoCookie       = "sso"
	secureSSOCookie = "__Host-sso" // Secure, Path=/ and no Domain: no subdomain can plant a flow
	// ssoFlowLifetime is how long a person has at the provider before the
	// flow is forgotten and must start again.
	ssoFlowLifetime = 10 * time.Minute
)

// ssoFlow is what the flow cookie holds between ssoStart and ssoDone.
type ssoFlow struct {
	sso.Flow
	Next    string    `json:"next,omitempty"`
	Lang    string    `json:"lang"`
	Started time.Time `json:"at"`
}

func (s *Server) ssoCookieName(r *http.Request) string {
	if s.secureCookies(r) {
		return secureSSOCookie
	}
	return ssoCookie
}

// SSOName is the provider's name for the sign-in button, "" when single
// sign-on is off.
func (b *Base) SSOName() string {
	if b.srv.cfg.SSO == nil {
		return ""
	}
	if n := b.srv.cfg.SSO.Name(); n != "" {
		return n
	}
	return b.T("login.sso.default_name")
}

// SSOStart is the address of the single sign-on button, keeping next.
func (b *Base) SSOStart(next string) string {
	u := b.URL("login.sso")
	if next = safeNext(next); next != "" {
		u += "?next=" + url.QueryEscape(next)
	}
	return u
}

// SSORedirectURL is the address the provider sends the browser back to,
// to be registered there: the base URL and the Swedish path of ssoDone
// (the flow remembers the language the sign-in started in).
func (s *Server) SSORedirectURL() string {
	b := &Base{srv: s}
	return b.BaseURL() + b.urlIn("sv", "login.sso.done")
}

func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request, b *Base) error {
	if s.cfg.SSO == nil {
		return store.ErrNotFound
	}
	w.Header().Set("Cache-Control", "no-store")
	next := safeNext(r.URL.Query().Get("next"))
	f := sso.NewFlow()
	to, err := s.cfg.SSO.AuthURL(r.Context(), s.SSORedirectURL(), f)
	if err != nil {
		s.log.Error("single sign-on unavailable", "err", err)
		return s.ssoRefused(w, b, http.StatusServiceUnavailable, "error.sso.unavailable", next)
	}
	v, _ := json.Marshal(ssoFlow{Flow: f, Next: next, Lang: b.Lang, Started: s.clock.Now()})
	http.SetCookie(w, &http.Cookie{Name: s.ssoCookieName(r), Value: base64.RawURLEncoding.EncodeToString(v), Path: "/",
		MaxAge: int(ssoFlowLifetime.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// takeSSOFlow reads the flow cookie and deletes it, so a flow is finished
// at most once; ok is false without one, or when it is older than
// ssoFlowLifetime.
func (s *Server) takeSSOFlow(w http.ResponseWriter, r *http.Request) (f ssoFlow, ok bool) {
	c, err := r.Cookie(s.ssoCookieName(r))
	if err != nil {
		return f, false
	}
	http.SetCookie(w, &http.Cookie{Name: s.ssoCookieName(r), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(raw, &f) != nil {
		return ssoFlow{}, false
	}
	now := s.clock.Now()
	if f.State == "" || f.Started.After(now) || now.Sub(f.Started) > ssoFlowLifetime {
		return ssoFlow{}, false
	}
	return f, true
}

func (s *Server) ssoDone(w http.ResponseWriter, r *http.Request, b *Base) error {
	if s.cfg.SSO == nil {
		return store.ErrNotFound
	}
	w.Header().Set("Cache-Control", "no-store")
	q := r.URL.Query()
	f, ok := s.takeSSOFlow(w, r)
	if !ok {
		s.log.Warn("single sign-on refused", "reason", "no flow: cookie missing, unreadable or expired")
		return s.ssoRefused(w, b, http.StatusUnauthorized, "error.sso.failed", "")
	}
	if f.Lang == "en" || f.Lang == "sv" {
		b.Lang = f.Lang // answer in the language the sign-in started in
	}
	next := safeNext(f.Next)
	if !f.StateMatches(q.Get("state")) {
		s.log.Warn("single sign-on refused", "reason", "state does not match the flow")
		return s.ssoRefused(w, b, http.StatusUnauthorized, "error.sso.failed", next)
	}
	if e := q.Get("error"); e != "" {
		s.log.Warn("single sign-on refused", "reason", "provider error", "error", e, "description", q.Get("error_description"))
		return s.ssoRefused(w, b, http.StatusUnauthorized, "error.sso.cancelled", next)
	}
	code := q.Get("code")
	if code == "" {
		s.log.Warn("single sign-on refused", "reason", "no code")
		return s.ssoRefused(w, b, http.StatusUnauthorized, "error.sso.failed", next)
	}
	id, err := s.cfg.SSO.Finish(r.Context(), s.SSORedirectURL(), f.Flow, code)
	switch {
	case errors.Is(err, sso.ErrUnavailable):
		s.log.Error("single sign-on unavailable", "err", err)
		return s.ssoRefused(w, b, http.StatusServiceUnavailable, "error.sso.unavailable", next)
	case errors.Is(err, sso.ErrExchange), errors.Is(err, sso.ErrToken):
		s.log.Warn("single sign-on refused", "reason", "token", "err", err)
		return s.ssoRefused(w, b, http.StatusUnauthorized, "error.sso.failed", next)
	case err != nil:
		return err
	}
	addr, err := id.Address()
	if err != nil {
		s.log.Warn("single sign-on refused", "reason", "e-mail address", "err", err, "subject", id.Subject, "email", id.Email)
		return s.ssoRefused(w, b, http.StatusForbidden, "error.sso.unverified", next)
	}
	u, err := s.store.UserByEmail(r.Context(), addr)
	if errors.Is(err, store.ErrNotFound) {
		u = nil
	} else if err != nil {
		return err
	}
	if err := user.SSOAccount(u); err != nil {
		s.log.Warn("single sign-on refused", "reason", "no active account", "err", err, "subject", id.Subject, "email", addr)
		if u != nil {
			if err := s.store.RecordEvent(r.Context(), audit.Actor{UserID: u.ID, Name: u.Name}, "sso-refused", "user", u.ID); err != nil {
				return err
			}
		}
		return s.ssoRefused(w, b, http.StatusForbidden, "error.sso.no_account", next)
	}
	mfa := id.SecondFactor()
	action := "sso-login"
	if mfa {
		action = "sso-login-mfa"
	}
	if err := s.store.RecordEvent(r.Context(), audit.Actor{UserID: u.ID, Name: u.Name}, action, "user", u.ID); err != nil {
		return err
	}
	return s.signIn(w, r, b, u, next, mfa)
}

// ssoRefused shows the sign-in page with why single sign-on did not sign
// the person in; the password form and the button to try again stay.
// The page stands for the sign-in page: its own address, the language
// switch and the hreflang links lead there (with next), never back to this
// address with the provider's code and state.
func (s *Server) ssoRefused(w http.ResponseWriter, b *Base, status int, msg, next string) error {
	if rt, ok := s.routeByName("login"); ok {
		r := b.req.WithContext(b.req.Context())
		u := *r.URL
		u.RawQuery = ""
		if next != "" {
			u.RawQuery = url.Values{"next": {next}}.Encode()
		}
		r.URL = &u
		b.route, b.req = rt, r
	}
	b.Title = b.T("login.title")
	b.Errors = validate.Errors{}
	b.Errors.Add("form", msg)
	return s.render(w, b, status, "login", loginPage{Base: b, Next: next})
}
