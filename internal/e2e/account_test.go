package e2e

import (
	"strings"
	"testing"
)

// TestAccountPages: a signed-in person's own sessions, in both languages,
// pass axe and reflow and list the browser in use; signing out everywhere
// else keeps this session and ends the one in another browser.
func TestAccountPages(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	other := newBrowser(t, base, axe)
	other.signIn(t, applicantEmail)
	b := newBrowser(t, base, axe)
	b.signIn(t, applicantEmail)
	b.open(t, "/personal/inloggningar")
	if got := b.text(t, "main"); !strings.Contains(got, "HeadlessChrome") && !strings.Contains(got, "Chrome") {
		t.Errorf("the sessions page does not name this browser: %q", got)
	}
	b.checkAccessibility(t, "sessions")
	b.follow(t, `form[action="/personal/inloggningar/logga-ut-overallt"] button[type="submit"]`)
	if p := b.path(t); !strings.HasPrefix(p, "/personal/inloggningar") {
		t.Errorf("after signing out elsewhere: at %s, want the sessions page", p)
	}
	if !b.exists(t, ".staff-bar") {
		t.Error("signing out elsewhere signed this browser out")
	}
	other.open(t, "/personal/inloggningar")
	if other.exists(t, ".staff-bar") || !other.exists(t, "#password") {
		t.Errorf("the other browser is still signed in, at %s", other.path(t))
	}
	b.open(t, "/en/staff/sessions")
	b.checkAccessibility(t, "sessions (English)")
}
