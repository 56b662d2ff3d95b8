package e2e

import (
	"strings"
	"testing"
)

// TestPrivacyPages: the privacy notice reached from the footer in both
// languages, the administrators' retention setting and the confirmation
// before erasing a person pass axe; erasing works without JavaScript's
// help (a plain form) and says so after.
func TestPrivacyPages(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)
	b.open(t, "/")
	b.follow(t, `.site-footer a[href="/integritet"]`)
	if got := b.text(t, "h1"); got != "Integritet och personuppgifter" {
		t.Errorf("privacy notice: h1 %q", got)
	}
	b.checkAccessibility(t, "privacy notice (sv)")
	b.follow(t, "a.lang-switch")
	if got := b.path(t); got != "/en/privacy" {
		t.Errorf("language switch on the notice led to %s", got)
	}
	b.checkAccessibility(t, "privacy notice (en)")

	b.signIn(t, adminEmail)
	b.open(t, "/personal/personer")
	b.followText(t, "main a", "Personuppgifter och lagringstid")
	b.checkAccessibility(t, "retention setting")
	b.open(t, "/personal/personer")
	b.followText(t, "main table a", "Åsa Sökande")
	b.followText(t, "main a", "Radera personen")
	if got := b.text(t, "h1"); got != "Radera Åsa Sökande" {
		t.Errorf("erase confirmation: h1 %q", got)
	}
	b.checkAccessibility(t, "erase confirmation")
	b.checkReflow(t, "erase confirmation")
	b.follow(t, `main form button[type="submit"]`)
	if got := b.text(t, ".flash"); !strings.Contains(got, "Personen är raderad") {
		t.Errorf("after erasing: flash %q at %s", got, b.path(t))
	}
	if got := b.text(t, "main table"); strings.Contains(got, "Åsa Sökande") {
		t.Error("the erased person is still listed by name")
	}
}
