package web

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// sessionsPage lists the signed-in person's own sessions.
type sessionsPage struct {
	*Base
	Sessions []sessionRow
	Others   int // how many besides the current one
}

type sessionRow struct {
	ID        string // the token hash in hex: no credential, and only ever shown to its owner
	Current   bool
	CreatedAt time.Time
	LastSeen  time.Time
	Browser   string
	Address   string
}

// currentTokenHash is the hash of this request's session token, or nil.
func (s *Server) currentTokenHash(r *http.Request) []byte {
	c, err := r.Cookie(s.sessionCookieName(r))
	if err != nil || c.Value == "" {
		return nil
	}
	return hashToken(c.Value)
}

// sessionList shows the user's active sessions, the current one marked,
// each with a sign-out button, and one to sign out everywhere else.
func (s *Server) sessionList(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	now := s.clock.Now()
	list, err := s.store.UserSessions(r.Context(), b.User.ID, now)
	if err != nil {
		return err
	}
	current := s.currentTokenHash(r)
	page := sessionsPage{Base: b}
	for _, x := range list {
		row := sessionRow{ID: hex.EncodeToString(x.TokenHash), Current: bytes.Equal(x.TokenHash, current),
			CreatedAt: x.CreatedAt, LastSeen: x.LastSeenAt, Browser: x.UserAgent, Address: x.Address}
		if !row.Current {
			page.Others++
		}
		page.Sessions = append(page.Sessions, row)
	}
	b.Title = b.T("sessions.title")
	return s.render(w, b, http.StatusOK, "sessions", page)
}

// sessionEnd signs out one of the user's own sessions (the current one
// too, which then leads to the sign-in page). Another person's session,
// or one already ended, is not found.
func (s *Server) sessionEnd(w http.ResponseWriter, r *http.Request, b *Base) error {
	hash, err := hex.DecodeString(r.PostFormValue("session"))
	if err != nil || len(hash) == 0 {
		return store.ErrNotFound
	}
	list, err := s.store.UserSessions(r.Context(), b.User.ID, s.clock.Now())
	if err != nil {
		return err
	}
	found := false
	for _, x := range list {
		found = found || bytes.Equal(x.TokenHash, hash)
	}
	if !found {
		return store.ErrNotFound
	}
	if bytes.Equal(hash, s.currentTokenHash(r)) {
		return s.logout(w, r, b)
	}
	if err := s.store.DeleteSession(r.Context(), hash); err != nil {
		return err
	}
	setFlash(w, "sessions.ended")
	http.Redirect(w, r, b.URL("sessions"), http.StatusSeeOther)
	return nil
}

// sessionEndOthers signs out every session of the user but this one.
func (s *Server) sessionEndOthers(w http.ResponseWriter, r *http.Request, b *Base) error {
	current := s.currentTokenHash(r)
	if current == nil {
		return errForbidden
	}
	if _, err := s.store.DeleteUserSessions(r.Context(), b.User.ID, current); err != nil {
		return err
	}
	setFlash(w, "sessions.ended_others")
	http.Redirect(w, r, b.URL("sessions"), http.StatusSeeOther)
	return nil
}

// IdleHours and LifetimeDays are the timeouts the page states.
func (p sessionsPage) IdleHours() int    { return int(user.SessionIdle.Hours()) }
func (p sessionsPage) LifetimeDays() int { return int(user.SessionLifetime.Hours() / 24) }
