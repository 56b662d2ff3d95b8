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
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.clock.Now()
	sess := user.Session{TokenHash: hashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime), LastSeenAt: now,
		UserAgent: user.UserAgentSummary(r.UserAgent()), Address: s.clientAddress(r)}
	if err := s.store.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	// The cookie lasts the session's lifetime; the idle timeout is the
	// database's to enforce.
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(r), Value: token, Path: "/", MaxAge: int(user.SessionLifetime.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	return nil
}

// sessionUser returns the signed-in user, or nil.
func (s *Server) sessionUser(r *http.Request) (*user.User, error) {
	c, err := r.Cookie(s.sessionCookieName(r))
	if err != nil || c.Value == "" {
		return nil, nil
	}
	u, err := s.store.SessionUser(r.Context(), hashToken(c.Value), s.clock.Now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, nil
	}
	return u, nil
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
