package e2e

import (
	"strings"
	"testing"
)

const adminEmail = "admin@demo.partnerskap.se"

// TestPeoplePages: the administrators' people list and a person's page, in
// both languages and with a refused change's errors, pass axe and reflow.
func TestPeoplePages(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)
	b.signIn(t, adminEmail)
	b.open(t, "/personal")
	b.followText(t, ".staff-bar a", "Personer")
	if got := b.text(t, "main table"); !strings.Contains(got, "Olle Handläggare") || !strings.Contains(got, "Handläggare: Alla program") {
		t.Errorf("the people list: %q", got)
	}
	b.checkAccessibility(t, "people")
	b.checkReflow(t, "people")
	b.followText(t, "main table a", "Olle Handläggare")
	b.checkAccessibility(t, "person")
	b.checkReflow(t, "person")
	// Taking away one's own administrator role is refused, with the
	// summary and the field error.
	b.open(t, "/personal/personer")
	b.followText(t, "main table a", "Alva Administratör")
	b.selectValue(t, "#kind_0", "officer")
	b.follow(t, `form.form button[type="submit"]`)
	if !b.exists(t, "#error-summary") || !b.exists(t, "#roles-error") {
		t.Errorf("self-demotion: no error shown, at %s", b.path(t))
	}
	b.checkAccessibility(t, "person with errors")
	b.open(t, "/en/staff/people")
	b.checkAccessibility(t, "people (English)")
	b.followText(t, "main table a", "Olle Handläggare")
	b.checkAccessibility(t, "person (English)")
}
