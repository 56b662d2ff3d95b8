package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/user"
)

// TestSecondFactor: a new officer (created as the command line creates
// one; not a demo account) signs in, is made to enrol before anything
// else, reads the secret from the page as a person without a camera
// would, computes the code as an authenticator app does, and sees the
// recovery codes once; then signs in with a code, and with a recovery
// code, which fails the second time. The code and enrolment pages pass
// axe in both languages.
func TestSecondFactor(t *testing.T) {
	axe := requireTools(t)
	dir := t.TempDir()
	base := startServerWith(t, func(c *app.Config) { c.DataDir = dir })
	ctx := context.Background()
	const password = "ett långt lösenord för tvåsteg"
	for _, email := range []string{"nina.ny@icld.se", "new.officer@icld.se"} {
		if _, err := app.CreateUser(ctx, app.Config{DataDir: dir}, email, "Nina Ny", user.Officer, password); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, base, axe)
	password1 := func(login, email string) {
		t.Helper()
		b.open(t, login)
		b.typeInto(t, "#email", email)
		b.typeInto(t, "#password", password)
		if status := b.follow(t, `main form button[type="submit"]`); status != http.StatusOK {
			t.Fatalf("password: status %d", status)
		}
	}
	submitCode := func(code string) int64 {
		t.Helper()
		b.typeInto(t, "#code", code)
		return b.follow(t, `main form button[type="submit"]`)
	}

	// Forced enrolment: no staff page before it.
	password1("/logga-in", "nina.ny@icld.se")
	if p := b.path(t); p != "/logga-in/tvastegsverifiering" {
		t.Fatalf("after the password: at %s, want the enrolment page", p)
	}
	b.checkAccessibility(t, "enrolment")
	if alt, ok := b.attr(t, "main img", "alt"); !ok || !strings.Contains(alt, "QR") {
		t.Errorf("QR code alt text %q", alt)
	}
	b.open(t, "/logga-in/tvastegsverifiering")
	run(t, b, "open a staff page", chromedp.NavigateResponse(b.base+"/personal/program"))
	if p := b.path(t); p != "/logga-in/tvastegsverifiering" || b.exists(t, ".staff-bar") {
		t.Fatalf("a staff page before enrolment: at %s", p)
	}
	secret := strings.ReplaceAll(b.text(t, "#secret"), " ", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}
	if status := submitCode(code); status != http.StatusOK {
		t.Fatalf("confirming code: status %d", status)
	}
	codes := run(t, b, "recovery codes", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#recovery-codes code')].map(c => c.textContent)`))
	if len(codes) != user.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown: %v", len(codes), codes)
	}
	b.checkAccessibility(t, "recovery codes")
	b.follow(t, "main a.button")
	if !b.exists(t, ".staff-bar") {
		t.Fatalf("after enrolment: at %s, not signed in", b.path(t))
	}
	b.signOut(t)

	// With a code: a wrong one first. The next step's code is taken, as
	// the enrolment's step is spent and an app a little ahead shows it.
	password1("/logga-in", "nina.ny@icld.se")
	if p := b.path(t); p != "/logga-in/kod" {
		t.Fatalf("second sign-in: at %s, want the code form", p)
	}
	b.checkAccessibility(t, "code form")
	wrong := "000000"
	if c, _ := totp.GenerateCode(secret, time.Now()); c == wrong {
		wrong = "999999"
	}
	if status := submitCode(wrong); status != http.StatusUnprocessableEntity {
		t.Errorf("wrong code: status %d", status)
	}
	b.checkAccessibility(t, "code form with an error")
	next, _ := totp.GenerateCode(secret, time.Now().Add(user.TOTPPeriod))
	if status := submitCode(next); status != http.StatusOK || !b.exists(t, ".staff-bar") {
		t.Fatalf("right code: status %d, at %s", status, b.path(t))
	}
	b.signOut(t)

	// With a recovery code, in English; it works once.
	password1("/en/login", "nina.ny@icld.se")
	if p := b.path(t); p != "/en/login/code" {
		t.Fatalf("English sign-in: at %s, want the code form", p)
	}
	b.checkAccessibility(t, "code form (English)")
	if status := submitCode(codes[0]); status != http.StatusOK || !b.exists(t, ".staff-bar") {
		t.Fatalf("recovery code: status %d, at %s", status, b.path(t))
	}
	b.signOut(t)
	password1("/logga-in", "nina.ny@icld.se")
	if status := submitCode(codes[0]); status != http.StatusUnprocessableEntity || b.exists(t, ".staff-bar") {
		t.Errorf("the recovery code again: status %d, at %s", status, b.path(t))
	}
	if got := b.text(t, "#code-error"); !strings.Contains(got, "redan använts") {
		t.Errorf("error for a used recovery code: %q", got)
	}

	// The enrolment page in English.
	b2 := newBrowser(t, base, axe)
	b = b2
	password1("/en/login", "new.officer@icld.se")
	if p := b.path(t); p != "/en/login/two-step" {
		t.Fatalf("English enrolment: at %s", p)
	}
	if b.lang(t) != "en" {
		t.Errorf("English enrolment page in %q", b.lang(t))
	}
	b.checkAccessibility(t, "enrolment (English)")
}
