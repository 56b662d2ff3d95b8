package e2e

import "testing"

// TestLogFilters: the change log's filters and download buttons, for an
// administrator, and a filter that fails (a record id that is no number), pass axe and reflow, in Swedish
// and English.
func TestLogFilters(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)
	b.signIn(t, adminEmail)
	b.open(t, "/personal/logg")
	if !b.exists(t, `button[formaction="/personal/logg/export.csv"]`) {
		t.Fatal("no CSV download on the administrator's log page")
	}
	b.checkAccessibility(t, "log with filters")
	b.checkReflow(t, "log with filters")
	b.open(t, "/en/staff/log")
	b.typeInto(t, "#id", "twelve")
	b.follow(t, `form[role="search"] button[type="submit"]:not([formaction])`)
	if !b.exists(t, "#error-summary") || !b.exists(t, "#id-error") {
		t.Errorf("a bad record id: no error shown, at %s", b.path(t))
	}
	b.checkAccessibility(t, "log, a bad record id (English)")
	b.open(t, "/personal/diarium?from=2026-01-01")
	b.checkAccessibility(t, "registry from a date")
}
