package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/demo"
)

// failuresAllowed is how many failed sign-ins an account takes at once
// (loginAccountMax in login_guard.go).
const failuresAllowed = 10

// TestLoginThrottle: failed sign-ins to one account are limited, the
// form says so and keeps the address typed, the right password waits
// too, other accounts are not affected, and a minute later one more try
// is allowed.
func TestLoginThrottle(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.client()
	wrong := url.Values{"email": {officer}, "password": {"fel lösenord"}}
	for i := range failuresAllowed {
		if res := e.post(c, "/logga-in", wrong); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Fel e-postadress eller lösenord.") {
			t.Fatalf("failed sign-in %d: %d", i+1, res.status)
		}
	}
	res := e.post(c, "/logga-in", url.Values{"email": {officer}, "password": {demo.Password}})
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("after %d failures the right password: %d (Retry-After %q), want 429", failuresAllowed, res.status, res.header.Get("Retry-After"))
	}
	wantContains(t, "throttled form", res.body, "För många misslyckade inloggningar", `value="`+officer+`"`, `password-error"`, `aria-invalid="true"`)
	// Another account from the same address signs in.
	e.login("bedomare@demo.partnerskap.se")
	// A minute later the account may try once more.
	e.clock.Set(e.clock.Now().Add(61 * time.Second))
	if res := e.post(c, "/logga-in", url.Values{"email": {officer}, "password": {demo.Password}}); res.status != http.StatusSeeOther {
		t.Fatalf("a minute later: %d, want 303", res.status)
	}
	// Successes take nothing: many sign-ins in a row all work.
	for range 3 * failuresAllowed {
		e.login(officer)
	}
}
