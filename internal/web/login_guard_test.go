package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/web"
)

// failuresAllowed is how many failed sign-ins an account takes at once
// (loginAccountMax in login_guard.go).
const failuresAllowed = 10

// triesPerAddress is how many failed sign-ins each client address has at
// an account that has had failuresAllowed (loginPairMax).
const triesPerAddress = 3

// clientFailuresAllowed is how many failed sign-ins one client address
// has at once, to any accounts (loginClientMax).
const clientFailuresAllowed = 30

// TestLoginThrottle: failed sign-ins from one address to one account are
// limited; the form says so and keeps the address typed; a new browser
// there waits even with the right password (the owner's own does not:
// TestLoginGuessingSparesTheOwner); other accounts are not affected; a
// minute later one more try is allowed; and successes take nothing.
func TestLoginThrottle(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.client()
	wrong := url.Values{"email": {officer}, "password": {"fel lösenord"}}
	for i := range failuresAllowed {
		if res := e.post(c, "/logga-in", wrong); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Fel e-postadress eller lösenord.") {
			t.Fatalf("failed sign-in %d: %d", i+1, res.status)
		}
	}
	res := e.post(c, "/logga-in", wrong)
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "60" {
		t.Fatalf("after %d failures: %d (Retry-After %q), want 429 and 60", failuresAllowed, res.status, res.header.Get("Retry-After"))
	}
	wantContains(t, "throttled form", res.body, "Många misslyckade inloggningar har gjorts till det här kontot", `value="`+officer+`"`, `password-error"`, `aria-invalid="true"`)
	if res := e.post(c, "/logga-in", url.Values{"email": {officer}, "password": {demo.Password}}); res.status != http.StatusTooManyRequests {
		t.Fatalf("the right password from a new browser at the same address: %d, want 429", res.status)
	}
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

// newProxiedEnv is newEnv behind a trusted proxy on the loopback address,
// so a test chooses each request's client address with X-Forwarded-For.
func newProxiedEnv(t *testing.T) *env {
	t.Helper()
	s, _, clk := openDemoCopy(t)
	files := &memFiles{}
	h, err := web.New(s, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: "http://localhost", Files: files,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, store: s, srv: srv, clock: clk, files: files}
}

// signInFrom posts the sign-in form as a visitor at the client address addr.
func (e *env) signInFrom(c *http.Client, addr, email, password string) response {
	e.t.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	req, _ := http.NewRequest("POST", e.srv.URL+"/logga-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", addr)
	return e.do(c, req)
}

// TestLoginGuessingSparesTheOwner: an attacker guessing an account's
// password from several addresses cannot lock its owner out. After ten
// wrong passwords the owner still signs in, from her own address or from
// a browser she signed in with before (even at an attacker's address),
// while the attacker's guesses are refused.
func TestLoginGuessingSparesTheOwner(t *testing.T) {
	e := newProxiedEnv(t)
	attacker := e.client()
	attackers := []string{"198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.5"}
	for i := range failuresAllowed {
		if res := e.signInFrom(attacker, attackers[i%len(attackers)], officer, "gissning"); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i+1, res.status)
		}
	}
	// The owner, at her own address with the right password, signs in.
	owner := e.client()
	if res := e.signInFrom(owner, "203.0.113.7", officer, demo.Password); res.status != http.StatusSeeOther {
		t.Fatalf("the owner after %d guesses: %d, want 303\n%s", failuresAllowed, res.status, res.body)
	}
	// The guesses are refused: each address is soon answered 429, and
	// stays refused; so is a new one, after a few tries.
	for _, addr := range append(attackers, "198.51.100.99") {
		tries := 0
		for {
			res := e.signInFrom(attacker, addr, officer, "gissning")
			if res.status == http.StatusTooManyRequests {
				break
			}
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("guess from %s: %d", addr, res.status)
			}
			if tries++; tries > triesPerAddress {
				t.Fatalf("%s still guessing after %d more tries", addr, tries)
			}
		}
		if res := e.signInFrom(attacker, addr, officer, "gissning"); res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
			t.Errorf("%s guesses again: %d (Retry-After %q)", addr, res.status, res.header.Get("Retry-After"))
		}
	}
	// A refused address is refused whatever it sends, unless the browser
	// has signed in to the account before.
	if res := e.signInFrom(e.client(), attackers[0], officer, demo.Password); res.status != http.StatusTooManyRequests {
		t.Errorf("a new browser at an attacker's address: %d, want 429", res.status)
	}
	if res := e.signInFrom(owner, attackers[0], officer, demo.Password); res.status != http.StatusSeeOther {
		t.Errorf("the owner's browser at an attacker's address: %d, want 303", res.status)
	}
}

// TestLoginKnownDevice: a browser that has signed in to an account
// before (and since signed out) signs in to it even from an address that
// has used its tries at it; a new browser, one known for another
// account, or one with a forged cookie does not.
func TestLoginKnownDevice(t *testing.T) {
	e := newProxiedEnv(t)
	const shared = "192.0.2.10" // an office's one address, with a guesser in it
	const reviewer = "bedomare@demo.partnerskap.se"
	owner := e.client()
	if res := e.signInFrom(owner, shared, officer, demo.Password); res.status != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d", res.status)
	}
	if res := e.post(owner, "/logga-ut", nil); res.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.status)
	}
	colleague := e.client() // known for another account
	if res := e.signInFrom(colleague, shared, reviewer, demo.Password); res.status != http.StatusSeeOther {
		t.Fatalf("colleague: %d", res.status)
	}
	attacker := e.client()
	for i := range failuresAllowed {
		if res := e.signInFrom(attacker, shared, officer, "gissning"); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i+1, res.status)
		}
	}
	u, _ := url.Parse(e.srv.URL)
	var known *http.Cookie
	for _, c := range owner.Jar.Cookies(u) {
		if c.Name == "device" {
			known = c
		}
	}
	if known == nil {
		t.Fatalf("no device cookie after signing in: %v", owner.Jar.Cookies(u))
	}
	forge := func(value string) *http.Client {
		c := e.client()
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "device", Value: value}})
		return c
	}
	id, issued, mac := splitDevice(t, known.Value)
	other := "1"
	if id == other {
		other = "2"
	}
	for name, c := range map[string]*http.Client{
		"a new browser":                 e.client(),
		"a browser known for another":   colleague,
		"a forged signature":            forge(id + "." + issued + "." + strings.Repeat("A", len(mac))),
		"the signature of another time": forge(id + ".1622541601." + mac),
		"the signature for another id":  forge(other + "." + issued + "." + mac),
	} {
		if res := e.signInFrom(c, shared, officer, demo.Password); res.status != http.StatusTooManyRequests {
			t.Errorf("%s at the spent address: %d, want 429", name, res.status)
		}
	}
	if res := e.signInFrom(owner, shared, officer, demo.Password); res.status != http.StatusSeeOther {
		t.Errorf("the known browser at the spent address: %d, want 303", res.status)
	}
}

// splitDevice reads the one entry of a device cookie: "id.issued.mac".
func splitDevice(t *testing.T, v string) (id, issued, mac string) {
	t.Helper()
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		t.Fatalf("device cookie %q", v)
	}
	return parts[0], parts[1], parts[2]
}
