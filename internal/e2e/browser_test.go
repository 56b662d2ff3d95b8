package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	officerEmail    = "handlaggare@demo.partnerskap.se"
	officerPassword = "demo-partnerskap"
	programmeSV     = "Informations- och kommunikationsstöd (pilot 2021)"
)

// TestBrowser walks through the site as a visitor and then as an officer:
// the public pages in both languages, signing in, raising a programme's
// budget and opening a new call, first with mistakes and then without. axe
// checks every kind of page on the way, including a form showing errors.
func TestBrowser(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)

	t.Run("public pages in Swedish and English", func(t *testing.T) {
		b.open(t, "/")
		if got := b.lang(t); got != "sv" {
			t.Errorf("home: <html lang=%q>, want sv", got)
		}
		// The pilot's row in the programme table: its six grants sum to 1.8 MSEK.
		if got := b.text(t, "main table"); !strings.Contains(got, "1 800 000 kr") {
			t.Errorf("home: programmes %q do not show 1 800 000 kr granted", got)
		}
		b.checkAccessibility(t, "home (sv)")

		b.follow(t, "a.lang-switch")
		if got := b.path(t); got != "/en/" {
			t.Errorf("language switch led to %s, want /en/", got)
		}
		if got := b.lang(t); got != "en" {
			t.Errorf("home (en): <html lang=%q>, want en", got)
		}
		if got := b.text(t, "main table"); !strings.Contains(got, "SEK 1,800,000") {
			t.Errorf("home (en): programmes %q do not show SEK 1,800,000", got)
		}
		if got := b.text(t, "h1"); got == "" {
			t.Error("home (en): empty h1")
		}
		b.checkAccessibility(t, "home (en)")

		b.follow(t, "a.lang-switch")
		if got := b.path(t); got != "/" {
			t.Errorf("language switch back led to %s, want /", got)
		}
		if got := b.lang(t); got != "sv" {
			t.Errorf("home after switching back: <html lang=%q>, want sv", got)
		}

		b.follow(t, `.site-header nav a[href="/partnerskap"]`)
		if got := b.text(t, "h1"); got != "Partnerskap" {
			t.Errorf("partnerships list: h1 %q", got)
		}
		b.checkAccessibility(t, "partnerships list")

		name := b.text(t, "main .cards h3 a")
		b.follow(t, "main .cards h3 a")
		if got := b.text(t, "h1"); got != name {
			t.Errorf("partnership page: h1 %q, want %q", got, name)
		}
		b.checkAccessibility(t, "partnership page")

		b.follow(t, `.site-header nav a[href="/mal"]`)
		b.follow(t, "main a.goal-tile.goal-12")
		if got := b.path(t); got != "/mal/12" {
			t.Errorf("goal tile 12 led to %s", got)
		}
		b.checkAccessibility(t, "goal 12")

		b.follow(t, `.site-footer a[href="/tillganglighet"]`)
		if got := b.text(t, "h1"); got != "Tillgänglighetsredogörelse" {
			t.Errorf("accessibility statement: h1 %q", got)
		}
		b.checkAccessibility(t, "accessibility statement (sv)")
		b.follow(t, "a.lang-switch")
		if got := b.path(t); got != "/en/accessibility" {
			t.Errorf("language switch on the statement led to %s, want /en/accessibility", got)
		}
		b.checkAccessibility(t, "accessibility statement (en)")
		b.follow(t, "a.lang-switch")
	})
	if t.Failed() {
		return
	}

	t.Run("officer signs in", func(t *testing.T) {
		b.follow(t, `.site-header nav a[href="/personal"]`)
		if got := b.path(t); got != "/logga-in" {
			t.Fatalf("workspace link for a visitor led to %s, want the login page", got)
		}
		b.checkAccessibility(t, "login")
		b.typeInto(t, "#email", officerEmail)
		b.typeInto(t, "#password", officerPassword)
		b.follow(t, `main form button[type="submit"]`)
		b.do(t, "staff bar", chromedp.WaitVisible(chromedp.CSS(".staff-bar")))
		if got := b.path(t); got != "/personal" {
			t.Errorf("after signing in: at %s, want /personal", got)
		}
	})
	if t.Failed() {
		return
	}

	t.Run("officer raises the programme budget", func(t *testing.T) {
		b.follow(t, `.staff-bar a[href="/personal/program"]`)
		b.follow(t, `main table a[href="/personal/program/1"]`) // the pilot, created first
		if got := b.text(t, "h1"); !strings.Contains(got, programmeSV) {
			t.Fatalf("programme page: h1 %q, want the demo programme", got)
		}
		b.checkAccessibility(t, "programme form")
		b.typeInto(t, "#total_budget", "5 000 000")
		if status := b.follow(t, `main form button[type="submit"]`); status != http.StatusOK {
			t.Fatalf("saving the programme: status %d", status)
		}
		b.do(t, "flash", chromedp.WaitVisible(chromedp.CSS(".flash")))
		if got := strings.ReplaceAll(plain(b.value(t, "#total_budget")), " ", ""); got != "5000000" {
			t.Errorf("budget after saving: %q, want 5 000 000", got)
		}
	})
	if t.Failed() {
		return
	}

	// The new call opens in a month and closes two months later, so it is
	// upcoming whenever the test runs.
	opens := time.Now().AddDate(0, 1, 0).Truncate(24 * time.Hour).Add(9 * time.Hour)
	closes := opens.AddDate(0, 2, 0)

	t.Run("officer opens a new call", func(t *testing.T) {
		b.follow(t, `main a.button[href$="/utlysningar/ny"]`)
		if got := b.text(t, "h1"); got != "Ny utlysning" {
			t.Fatalf("new call: h1 %q", got)
		}

		// First with mistakes: it closes before it opens, and the ceiling
		// is not an amount.
		b.typeInto(t, "#title_sv", "Kommunikationsstöd 2027")
		b.typeInto(t, "#title_en", "Communication support 2027")
		b.setDateTime(t, "#opens_at", opens)
		b.setDateTime(t, "#closes_at", opens.AddDate(0, 0, -1))
		b.typeInto(t, "#ceiling", "abc")
		b.typeInto(t, "#max_per_grant", "300 000")
		if status := b.follow(t, `main form button[type="submit"]`); status != http.StatusUnprocessableEntity {
			t.Errorf("call with mistakes: status %d, want 422", status)
		}
		summary := b.text(t, ".error-summary")
		// The summary takes the focus, so a keyboard or screen reader user
		// starts at the list of mistakes, and each links to its field.
		if got := run(t, b, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); got != "error-summary" {
			t.Errorf("after the failed submit the focus is on #%s, want the error summary", got)
		}
		for _, id := range []string{"closes_at", "ceiling"} {
			if !b.exists(t, `.error-summary a[href="#`+id+`"]`) {
				t.Errorf("error summary has no link to #%s", id)
			}
		}
		for _, want := range []string{"Utlysningen måste stänga efter att den öppnar.", "Skriv beloppet i kronor med siffror"} {
			if !strings.Contains(summary, want) {
				t.Errorf("error summary %q lacks %q", summary, want)
			}
		}
		for sel, want := range map[string]string{
			"#title_sv":      "Kommunikationsstöd 2027",
			"#opens_at":      opens.Format("2006-01-02T15:04"),
			"#closes_at":     opens.AddDate(0, 0, -1).Format("2006-01-02T15:04"),
			"#ceiling":       "abc",
			"#max_per_grant": "300 000",
		} {
			if got := b.value(t, sel); got != want {
				t.Errorf("%s after the failed submit holds %q, want what was typed, %q", sel, got, want)
			}
		}
		for _, sel := range []string{"#closes_at", "#ceiling"} {
			if v, _ := b.attr(t, sel, "aria-invalid"); v != "true" {
				t.Errorf("%s: aria-invalid=%q, want true", sel, v)
			}
			if v, _ := b.attr(t, sel, "aria-describedby"); !strings.Contains(v, sel[1:]+"-error") {
				t.Errorf("%s: aria-describedby=%q does not name its error", sel, v)
			}
		}
		for _, sel := range []string{"#title_sv", "#opens_at", "#max_per_grant"} {
			if _, ok := b.attr(t, sel, "aria-invalid"); ok {
				t.Errorf("%s is marked invalid but has no error", sel)
			}
		}
		b.checkAccessibility(t, "new call with errors")

		// Then right: a real ceiling, within the raised budget.
		b.setDateTime(t, "#closes_at", closes)
		b.typeInto(t, "#ceiling", "2 000 000 kr")
		if status := b.follow(t, `main form button[type="submit"]`); status != http.StatusOK {
			t.Fatalf("corrected call: status %d, want a redirect to the saved call", status)
		}
		b.do(t, "flash", chromedp.WaitVisible(chromedp.CSS(".flash")))
		if b.exists(t, ".error-summary") {
			t.Fatalf("corrected call still fails: %s", b.text(t, ".error-summary"))
		}

		b.follow(t, "main .breadcrumb a")
		row := b.row(t, "Kommunikationsstöd 2027")
		for _, want := range []string{"Kommunikationsstöd 2027", "Kommande", "2 000 000 kr"} {
			if !strings.Contains(row, want) {
				t.Errorf("programme page: the new call's row %q lacks %q", row, want)
			}
		}
	})
}
