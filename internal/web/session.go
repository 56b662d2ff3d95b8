package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

const (
	sessionCookie       = "session"
	secureSessionCookie = "__Host-session" // the prefix makes browsers insist on Secure, Path=/ and no Domain
)

func (s *Server) sessionCookieName(r *http.Request) string {
	if s.secureCookies(r) {
		return secureSessionCookie
	}
	return sessionCookie
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// startSession creates a session for u and sets its cookie. The token is
// 32 random bytes; only its hash is stored.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *user.User) error {
	_, err := s.newSession(w, r, u, false)
	return err
}

// startPendingSession creates a session for u that has passed the
// password but not the second factor (user.Session.Pending): it lasts
// user.PendingSignIn and reaches only the code and enrolment forms. It
// returns the token's hash, which names the held sign-in attempt.
func (s *Server) startPendingSession(w http.ResponseWriter, r *http.Request, u *user.User) ([]byte, error) {
	return s.newSession(w, r, u, true)
}

func (s *Server) newSession(w http.ResponseWriter, r *http.Request, u *user.User, pending bool) ([]byte, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.clock.Now()
	life := user.SessionLifetime
	if pending {
		life = user.PendingSignIn
	}
	sess := user.Session{TokenHash: hashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(life), LastSeenAt: now,
		UserAgent: user.UserAgentSummary(r.UserAgent()), Address: s.clientAddress(r), Pending: pending}
	if err := s.store.CreateSession(r.Context(), sess); err != nil {
		return nil, err
	}
	// The cookie lasts the session's lifetime; the idle timeout is the
	// database's to enforce. A new session replaces the cookie of a
	// pending one, so the token that passed only the password never
	// becomes the signed-in one.
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(r), Value: token, Path: "/", MaxAge: int(life.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	return sess.TokenHash, nil
}

// sessionUser returns the signed-in user, or nil. A session pending its
// second factor signs no one in.
func (s *Server) sessionUser(r *http.Request) (*user.User, error) {
	u, pending, err := s.sessionAuth(r)
	if pending {
		return nil, err
	}
	return u, err
}

// sessionAuth returns the user of the request's session, or nil, and
// whether the session is pending its second factor.
func (s *Server) sessionAuth(r *http.Request) (*user.User, bool, error) {
	c, err := r.Cookie(s.sessionCookieName(r))
	if err != nil || c.Value == "" {
		return nil, false, nil
	}
	u, pending, err := s.store.SessionAuth(r.Context(), hashToken(c.Value), s.clock.Now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if u.Disabled {
		return nil, false, nil
	}
	return u, pending, nil
}

// endSession deletes the session and its cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(s.sessionCookieName(r)); err == nil && c.Value != "" {
		if err := s.store.DeleteSession(r.Context(), hashToken(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(r), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	return nil
}
