package web_test

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/store/storetest"
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
	testDeactivationEndsSession(t, newEnv(t, ""))
}

// TestDeactivationEndsSessionOnPostgres: the same on the scale-out engine.
func TestDeactivationEndsSessionOnPostgres(t *testing.T) {
	clk := clock.NewFixed(now)
	testDeactivationEndsSession(t, newEnvOn(t, "", storetest.OpenPostgres(t, clk), clk))
}

func testDeactivationEndsSession(t *testing.T, e *env) {
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

// loginWith signs in as email from a browser that names itself ua.
func (e *env) loginWith(email, ua string) *http.Client {
	e.t.Helper()
	c := e.client()
	req, _ := http.NewRequest("POST", e.srv.URL+"/logga-in", strings.NewReader(url.Values{"email": {email}, "password": {demo.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", ua)
	if res := e.do(c, req); res.status != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d", email, res.status)
	}
	return c
}

func TestSessionList(t *testing.T) {
	e := newEnv(t, "")
	firefox := e.loginWith(officer, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
	e.clock.Set(e.clock.Now().Add(time.Hour))
	safari := e.loginWith(officer, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
	edge := e.loginWith(officer, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0")
	other := e.login("admin@demo.partnerskap.se")

	res := e.get(firefox, "/personal/inloggningar")
	if res.status != http.StatusOK {
		t.Fatalf("sessions page: %d", res.status)
	}
	wantContains(t, "sessions page", res.body, "<caption>Dina inloggningar som fortfarande gäller</caption>",
		"Firefox, Linux <strong>(den här)</strong>", "Safari, iOS", "Edge, Windows", "127.0.0.1",
		"8 timmar utan aktivitet", "7 dagar", "Logga ut överallt utom här (2 inloggningar)", `aria-current="true"`)
	if n := strings.Count(res.body, `aria-current="true"`); n != 1 {
		t.Errorf("%d sessions marked current, want 1", n)
	}
	wantNotContains(t, "sessions page", res.body, "admin@demo") // another person's sessions are not listed
	en := e.get(firefox, "/en/staff/sessions")
	wantContains(t, "English sessions page", en.body, "<caption>Your sessions that are still valid</caption>", "Firefox, Linux <strong>(this one)</strong>",
		"Sign out everywhere else (2 sessions)")

	// A form posted from another site is refused (CrossOriginProtection).
	req, _ := http.NewRequest("POST", e.srv.URL+"/personal/inloggningar/logga-ut-overallt", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := e.do(firefox, req); res.status != http.StatusForbidden {
		t.Errorf("cross-site sign-out everywhere: %d, want 403", res.status)
	}
	if res := e.get(safari, "/personal"); res.status != http.StatusOK {
		t.Fatalf("the cross-site request ended a session: %d", res.status)
	}

	// Sign out one session: Safari's, from Firefox.
	u, err := e.store.UserByEmail(t.Context(), officer)
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.store.UserSessions(t.Context(), u.ID, e.clock.Now())
	if err != nil || len(list) != 3 {
		t.Fatalf("sessions: %d, %v", len(list), err)
	}
	var safariID string
	for _, x := range list {
		if x.UserAgent == "Safari, iOS" {
			safariID = hex.EncodeToString(x.TokenHash)
		}
	}
	// Another person can't end it.
	if res := e.post(other, "/personal/inloggningar/logga-ut", url.Values{"session": {safariID}}); res.status != http.StatusNotFound {
		t.Errorf("another person's session: %d, want 404", res.status)
	}
	if res := e.post(firefox, "/personal/inloggningar/logga-ut", url.Values{"session": {"zz"}}); res.status != http.StatusNotFound {
		t.Errorf("a malformed session: %d, want 404", res.status)
	}
	if res := e.post(firefox, "/personal/inloggningar/logga-ut", url.Values{"session": {safariID}}); res.status != http.StatusSeeOther {
		t.Errorf("sign out Safari: %d, want 303", res.status)
	}
	wantSentToSignIn(t, e, safari, "the session signed out from another")
	if res := e.get(edge, "/personal"); res.status != http.StatusOK {
		t.Errorf("Edge after Safari was signed out: %d", res.status)
	}

	// Sign out everywhere else: Edge ends, Firefox stays, the admin too.
	if res := e.post(firefox, "/personal/inloggningar/logga-ut-overallt", nil); res.status != http.StatusSeeOther {
		t.Errorf("sign out everywhere else: %d, want 303", res.status)
	}
	wantSentToSignIn(t, e, edge, "after signing out everywhere else")
	res = e.get(firefox, "/personal/inloggningar")
	if res.status != http.StatusOK {
		t.Fatalf("the current session after signing out everywhere else: %d", res.status)
	}
	wantContains(t, "sessions page after", res.body, "Du är utloggad överallt utom här.", "Du är inte inloggad någon annanstans.")
	if res := e.get(other, "/personal"); res.status != http.StatusOK {
		t.Errorf("another person's session after signing out everywhere else: %d", res.status)
	}
	// Signing out the current session from the list signs out.
	list, _ = e.store.UserSessions(t.Context(), u.ID, e.clock.Now())
	if len(list) != 1 {
		t.Fatalf("sessions left: %d, want 1", len(list))
	}
	if res := e.post(firefox, "/personal/inloggningar/logga-ut", url.Values{"session": {hex.EncodeToString(list[0].TokenHash)}}); res.status != http.StatusSeeOther {
		t.Errorf("sign out here: %d", res.status)
	}
	wantSentToSignIn(t, e, firefox, "after signing out here")
}
