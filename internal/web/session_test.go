package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/user"
)

// wantSentToSignIn checks that c is sent to the sign-in page from the
// workspace.
func wantSentToSignIn(t *testing.T, e *env, c *http.Client, what string) {
	t.Helper()
	res := e.get(c, "/personal")
	if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "/logga-in") {
		t.Errorf("%s: GET /personal gave %d to %q, want 303 to the sign-in page", what, res.status, res.header.Get("Location"))
	}
}

func TestSessionTimeouts(t *testing.T) {
	e := newEnv(t, "")
	c := e.login(officer)
	if res := e.get(c, "/personal"); res.status != http.StatusOK {
		t.Fatalf("signed in: %d", res.status)
	}
	// A request every seven hours keeps the session past the idle timeout.
	for range 3 {
		e.clock.Set(e.clock.Now().Add(user.SessionIdle - time.Hour))
		if res := e.get(c, "/personal"); res.status != http.StatusOK {
			t.Fatalf("after %v idle: %d, want 200", user.SessionIdle-time.Hour, res.status)
		}
	}
	e.clock.Set(e.clock.Now().Add(user.SessionIdle))
	wantSentToSignIn(t, e, c, "after the idle timeout")

	// However busy, the session ends after its lifetime.
	c = e.login(officer)
	for d := time.Duration(0); d < user.SessionLifetime-user.SessionIdle; d += user.SessionIdle - time.Hour {
		e.clock.Set(e.clock.Now().Add(user.SessionIdle - time.Hour))
		if res := e.get(c, "/personal"); res.status != http.StatusOK {
			t.Fatalf("busy session: %d, want 200", res.status)
		}
	}
	e.clock.Set(e.clock.Now().Add(user.SessionIdle - time.Hour))
	wantSentToSignIn(t, e, c, "after the lifetime")
}

func TestDeactivationEndsSession(t *testing.T) {
	e := newEnv(t, "")
	c := e.login(officer)
	if res := e.get(c, "/personal"); res.status != http.StatusOK {
		t.Fatalf("signed in: %d", res.status)
	}
	u, err := e.store.UserByEmail(t.Context(), officer)
	if err != nil {
		t.Fatal(err)
	}
	if u.LastLoginAt.IsZero() {
		t.Errorf("no last sign-in recorded")
	}
	if err := e.store.SetUserDisabled(t.Context(), audit.System("test"), u.ID, true); err != nil {
		t.Fatal(err)
	}
	wantSentToSignIn(t, e, c, "after deactivation")
	// Reactivated, the old session stays ended; a new sign-in works.
	if err := e.store.SetUserDisabled(t.Context(), audit.System("test"), u.ID, false); err != nil {
		t.Fatal(err)
	}
	wantSentToSignIn(t, e, c, "after reactivation, the old session")
	c = e.login(officer)
	if res := e.get(c, "/personal"); res.status != http.StatusOK {
		t.Errorf("signed in again: %d", res.status)
	}
}
