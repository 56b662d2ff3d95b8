package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// testSessionTimeouts checks the idle timeout, the absolute lifetime, the
// record of the last request (at most once a minute, without moving the
// data version), the last sign-in and ending a user's other sessions.
func testSessionTimeouts(t *testing.T, s store.Store, clk *clock.Fixed) {
	u := &user.User{Email: "sessions@arvika.se", Name: "Åsa Öberg"}
	must(t, s.CreateUser(ctx(), officer, u))
	now := clk.Now()
	open := func(token string, at time.Time) {
		t.Helper()
		must(t, s.CreateSession(ctx(), user.Session{TokenHash: []byte(token), UserID: u.ID, CreatedAt: at, ExpiresAt: at.Add(user.SessionLifetime),
			UserAgent: "Firefox, Linux", Address: "192.0.2.7"}))
	}
	open("busy", now)
	open("idle", now)
	got, err := s.User(ctx(), u.ID)
	must(t, err)
	if !got.LastLoginAt.Equal(now) {
		t.Errorf("last sign-in %v, want %v", got.LastLoginAt, now)
	}
	list, err := s.UserSessions(ctx(), u.ID, now)
	must(t, err)
	if len(list) != 2 || list[0].UserAgent != "Firefox, Linux" || list[0].Address != "192.0.2.7" || !list[0].LastSeenAt.Equal(now) {
		t.Fatalf("sessions: %+v", list)
	}

	// Using "busy" every hour keeps it past the idle timeout; recording
	// the requests does not move the data version.
	v0 := dataVersion(t, s)
	at := now
	for range 10 {
		at = at.Add(time.Hour)
		if _, err := s.SessionUser(ctx(), []byte("busy"), at); err != nil {
			t.Fatalf("busy session at %v: %v", at.Sub(now), err)
		}
	}
	// A second request within the minute writes nothing new.
	if _, err := s.SessionUser(ctx(), []byte("busy"), at.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	// Watched for a while, as a change by another connection is seen
	// only when the version is next polled (SQLite: every 20 ms).
	for watch := time.Now(); time.Since(watch) < 150*time.Millisecond; time.Sleep(10 * time.Millisecond) {
		if v := dataVersion(t, s); v != v0 {
			t.Fatalf("recording activity moved the data version: %d, want %d", v, v0)
		}
	}
	list, err = s.UserSessions(ctx(), u.ID, at.Add(30*time.Second))
	must(t, err)
	if len(list) != 1 || string(list[0].TokenHash) != "busy" || !list[0].LastSeenAt.Equal(at) {
		t.Errorf("sessions after ten hours: %+v, want only busy, last seen %v", list, at)
	}
	// "idle" was not used for ten hours: past user.SessionIdle.
	if _, err := s.SessionUser(ctx(), []byte("idle"), at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("idle session: %v, want not found", err)
	}
	// Just within the idle timeout, and just past it.
	if _, err := s.SessionUser(ctx(), []byte("busy"), at.Add(user.SessionIdle-time.Second)); err != nil {
		t.Errorf("just within the idle timeout: %v", err)
	}
	last := at.Add(user.SessionIdle - time.Second)
	if _, err := s.SessionUser(ctx(), []byte("busy"), last.Add(user.SessionIdle)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("idle since %v: %v, want not found", last, err)
	}

	// However busy, a session ends after user.SessionLifetime.
	open("week", now)
	for at := now.Add(time.Hour); at.Before(now.Add(user.SessionLifetime)); at = at.Add(time.Hour) {
		if _, err := s.SessionUser(ctx(), []byte("week"), at); err != nil {
			t.Fatalf("week-old session at %v: %v", at.Sub(now), err)
		}
	}
	if _, err := s.SessionUser(ctx(), []byte("week"), now.Add(user.SessionLifetime)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session past its lifetime: %v, want not found", err)
	}

	// Signing out everywhere else keeps only the given session.
	later := now.Add(user.SessionLifetime + time.Hour)
	open("a", later)
	open("b", later)
	open("c", later)
	n, err := s.DeleteUserSessions(ctx(), u.ID, []byte("b"))
	must(t, err)
	if n < 2 {
		t.Errorf("ended %d sessions, want at least 2", n)
	}
	list, err = s.UserSessions(ctx(), u.ID, later)
	must(t, err)
	if len(list) != 1 || string(list[0].TokenHash) != "b" {
		t.Errorf("after signing out elsewhere: %+v, want only b", list)
	}
	n, err = s.DeleteExpiredSessions(ctx(), later)
	must(t, err)
	if n != 0 {
		t.Errorf("expired sessions left: %d, want 0", n)
	}
}

// testUserAccess checks deactivation (which ends the user's sessions in
// its transaction), reactivation, replacing roles and a new password (which
// also ends the sessions), each in the audit log.
func testUserAccess(t *testing.T, s store.Store, clk *clock.Fixed) {
	u := &user.User{Email: "access@arvika.se", Name: "Östen Åberg", PasswordHash: "old", Roles: []user.Role{{Kind: user.Reviewer}}}
	must(t, s.CreateUser(ctx(), officer, u))
	now := clk.Now()
	open := func(token string) {
		t.Helper()
		must(t, s.CreateSession(ctx(), user.Session{TokenHash: []byte(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime)}))
	}
	open("one")
	open("two")
	admin := audit.Actor{Name: "Ada Administratör"}
	must(t, s.SetUserDisabled(ctx(), admin, u.ID, true))
	got, err := s.User(ctx(), u.ID)
	must(t, err)
	if !got.Disabled {
		t.Errorf("deactivated user not disabled")
	}
	if list, _ := s.UserSessions(ctx(), u.ID, now); len(list) != 0 {
		t.Errorf("sessions after deactivation: %d, want 0", len(list))
	}
	if _, err := s.SessionUser(ctx(), []byte("one"), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session after deactivation: %v, want not found", err)
	}
	must(t, s.SetUserDisabled(ctx(), admin, u.ID, false))
	if got, _ := s.User(ctx(), u.ID); got.Disabled {
		t.Errorf("reactivated user still disabled")
	}

	must(t, s.SetUserRoles(ctx(), admin, u.ID, []user.Role{{Kind: user.Officer}, {Kind: user.Administrator}}))
	got, err = s.User(ctx(), u.ID)
	must(t, err)
	if len(got.Roles) != 2 || got.Roles[0].Kind != user.Officer || got.Roles[1].Kind != user.Administrator {
		t.Errorf("roles %+v, want officer and admin", got.Roles)
	}
	var verr validate.Errors
	if err := s.SetUserRoles(ctx(), admin, u.ID, []user.Role{{Kind: user.Applicant}}); !errors.As(err, &verr) {
		t.Errorf("applicant without organisation: %v, want a validation error", err)
	}
	if err := s.SetUserRoles(ctx(), admin, u.ID, []user.Role{{Kind: user.Officer, ProgrammeID: 999999}}); !errors.As(err, &verr) {
		t.Errorf("officer of an unknown programme: %v, want a validation error", err)
	}
	if err := s.SetUserDisabled(ctx(), admin, 999999, true); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deactivating an unknown user: %v, want not found", err)
	}

	open("three")
	must(t, s.SetUserPassword(ctx(), admin, u.ID, "new"))
	if got, _ := s.User(ctx(), u.ID); got.PasswordHash != "new" {
		t.Errorf("password hash %q, want new", got.PasswordHash)
	}
	if _, err := s.SessionUser(ctx(), []byte("three"), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session after a new password: %v, want not found", err)
	}

	// Deactivating through UpdateUser (a whole form) ends the sessions too.
	open("four")
	got, err = s.User(ctx(), u.ID)
	must(t, err)
	got.Disabled = true
	must(t, s.UpdateUser(ctx(), admin, got))
	if _, err := s.SessionUser(ctx(), []byte("four"), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session after UpdateUser deactivated the user: %v, want not found", err)
	}

	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "user", EntityID: u.ID})
	must(t, err)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
		if e.Action != "create" && e.Actor.Name != admin.Name {
			t.Errorf("%s by %q, want %q", e.Action, e.Actor.Name, admin.Name)
		}
		if strings.Contains(string(e.After), `"new"`) || strings.Contains(string(e.Before), `"old"`) {
			t.Errorf("%s: the audit log holds a password hash: %s", e.Action, e.After)
		}
	}
	want := []string{"update", "reset-password", "set-roles", "activate", "deactivate", "create"}
	if !slices.Equal(actions, want) {
		t.Errorf("audit actions %v, want %v", actions, want)
	}
}
