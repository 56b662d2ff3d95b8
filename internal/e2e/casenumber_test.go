package e2e

import (
	"strings"
	"testing"
)

// TestCaseDocuments: the registry lists documents with their numbers in
// their case and links each to its whole case; the case page lists the
// case's documents and registers one, refusing an empty title with the
// summary and the field error. Each passes axe, in Swedish and English.
func TestCaseDocuments(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)
	b.signIn(t, officerEmail)
	b.open(t, "/personal/diarium")
	b.checkAccessibility(t, "registry")
	b.checkReflow(t, "registry")
	number := b.text(t, "main table tbody tr th")
	if !strings.Contains(number, "2026/") || !strings.Contains(number, "-") {
		t.Fatalf("first registry number: %q", number)
	}
	// An application's document: its case link lists the case alone.
	b.follow(t, `main table tbody tr:has(td a[href^="/personal/ansokningar/"]) a.case-link`)
	if q := b.value(t, "#q"); !strings.HasPrefix(q, "2026/") || strings.Contains(q, "-") {
		t.Errorf("the case link searched %q", q)
	}
	b.checkAccessibility(t, "registry, one case")
	b.follow(t, `main table tbody tr td a[href^="/personal/ansokningar/"]`) // the document's application
	if got := b.text(t, "#documents-heading"); got != "Handlingar i ärendet" {
		t.Fatalf("case page: %q at %s", got, b.path(t))
	}
	b.follow(t, `form[action$="/handlingar"] button[type="submit"]`)
	if !b.exists(t, "#error-summary") || !b.exists(t, "#title-error") {
		t.Errorf("empty title: no error shown, at %s", b.path(t))
	}
	b.checkAccessibility(t, "case, document refused")
	b.typeInto(t, "#title", "E-post från sökande om startdatum")
	b.follow(t, `form[action$="/handlingar"] button[type="submit"]`)
	if got := b.text(t, `section[aria-labelledby="documents-heading"] table`); !strings.Contains(got, "E-post från sökande om startdatum") {
		t.Errorf("the case's documents: %q", got)
	}
	b.checkAccessibility(t, "case with its documents")
	b.open(t, "/en/staff/registry")
	b.checkAccessibility(t, "registry (English)")
}
