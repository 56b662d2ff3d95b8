package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/sqlite"
)

// startServerWithData is startServer, also returning the data directory,
// so a test can read the real outbox the server writes to.
func startServerWithData(t *testing.T) (base, dataDir string) {
	t.Helper()
	dataDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := app.Config{Listen: "127.0.0.1:0", OpsListen: "", DataDir: dataDir, Demo: true, BaseURL: "http://127.0.0.1"}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, cfg, log, t.Output(), ready) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr, dataDir
	case err := <-done:
		done <- err
		t.Fatalf("server did not start: %v", err)
	case <-time.After(stepTimeout):
		t.Fatal("server did not start in time")
	}
	return "", ""
}

// outboxLink reads the newest mail to address in the server's outbox and
// returns the path of the invitation link in it.
func outboxLink(t *testing.T, dataDir, address string) string {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(dataDir, "partnerskap.db"), clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mails, err := s.MailList(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		if m.To != address {
			continue
		}
		for _, line := range strings.Split(m.Body, "\n") {
			if i := strings.Index(line, "/inbjudan/"); i >= 0 {
				return line[i:]
			}
		}
	}
	t.Fatalf("no invitation to %s in the outbox", address)
	return ""
}

// TestInviteOfficer: an administrator invites an officer on the people
// page (a refused form first, its errors checked by axe), the invitation
// waits in the list, the mail goes through the real outbox, and the
// invitee chooses a password and lands in the staff workspace as that
// officer. The new pages pass axe in both languages: the people page with
// its invitation form, the invitation page, an organisation's people, a
// call's reviewers and the organisation's setting.
func TestInviteOfficer(t *testing.T) {
	axe := requireTools(t)
	base, data := startServerWithData(t)
	b := newBrowser(t, base, axe)
	b.signIn(t, adminEmail)
	b.open(t, "/personal/personer")
	b.checkAccessibility(t, "people with the invitation form")
	b.typeInto(t, "#invite_email", "inte en adress")
	b.typeInto(t, "#invite_name", "Nina Nyanställd")
	if status := b.follow(t, `form[action="/personal/personer/inbjudan"] button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad address: status %d", status)
	}
	if !b.exists(t, "#error-summary") || !b.exists(t, "#invite_email-error") || b.value(t, "#invite_name") != "Nina Nyanställd" {
		t.Errorf("the refused invitation shows no error or lost the name, at %s", b.path(t))
	}
	b.checkAccessibility(t, "people, invitation refused")
	b.typeInto(t, "#invite_email", "nina@icld.example")
	b.selectValue(t, "#invite_role", "officer")
	b.selectByText(t, "#invite_programme", "Informations- och kommunikationsstöd")
	b.follow(t, `form[action="/personal/personer/inbjudan"] button[type="submit"]`)
	if got := b.text(t, "#invitations + *"); !strings.Contains(got, "nina@icld.example") || !strings.Contains(got, "Nina Nyanställd") {
		t.Errorf("the pending invitations: %q", got)
	}
	b.checkAccessibility(t, "people with a pending invitation")
	b.open(t, "/en/staff/people")
	b.checkAccessibility(t, "people (English)")
	b.signOut(t)

	link := outboxLink(t, data, "nina@icld.example")
	b.open(t, link)
	if got := b.value(t, "#name"); got != "Nina Nyanställd" {
		t.Errorf("the offered name: %q", got)
	}
	b.checkAccessibility(t, "invitation to the staff")
	b.typeInto(t, "#password", "gröna äpplen i korgen")
	b.typeInto(t, "#password2", "gröna äpplen i korgen")
	b.follow(t, `main form button[type="submit"]`)
	// An officer sets up the second factor first (secondfactor_test.go).
	if p := b.path(t); p != "/logga-in/tvastegsverifiering" {
		t.Fatalf("after accepting: at %s, want the second factor's enrolment", p)
	}
	code, err := totp.GenerateCode(strings.ReplaceAll(b.text(t, "#secret"), " ", ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.typeInto(t, "#code", code)
	b.follow(t, `main form button[type="submit"]`)
	b.follow(t, "main a.button")
	if p := b.path(t); p != "/personal" {
		t.Errorf("after accepting: at %s, want /personal", p)
	}
	if got := b.text(t, ".staff-bar"); !strings.Contains(got, "Nina Nyanställd") || !strings.Contains(got, "Program") {
		t.Errorf("the new officer's workspace: %q", got)
	}
	b.signOut(t)

	// An organisation's people, in both languages.
	b.signIn(t, applicantEmail)
	b.open(t, "/min-organisation")
	if got := b.text(t, "main table"); !strings.Contains(got, applicantEmail) {
		t.Errorf("Kalix's people: %q", got)
	}
	b.checkAccessibility(t, "an organisation's people")
	b.open(t, "/en/my-organisation")
	b.checkAccessibility(t, "an organisation's people (English)")
	b.signOut(t)

	// A call's reviewers, in both languages.
	b.signIn(t, officerEmail)
	b.open(t, "/personal/program")
	b.followText(t, "main table a", "Informations- och kommunikationsstöd")
	b.follow(t, `main a[href*="/personal/utlysningar/"]`)
	b.followText(t, "main .panel a", "Bedömare")
	if got := b.text(t, "main"); !strings.Contains(got, "Berit Bedömare") {
		t.Errorf("the call's reviewers: %q", got)
	}
	b.checkAccessibility(t, "a call's reviewers")
	b.open(t, strings.Replace(strings.Replace(b.path(t), "/personal/utlysningar/", "/en/staff/calls/", 1), "/bedomare", "/reviewers", 1))
	b.checkAccessibility(t, "a call's reviewers (English)")
	b.signOut(t)

	// The organisation's setting, for administrators.
	b.signIn(t, adminEmail)
	b.open(t, "/personal/organisationer")
	b.followText(t, "main table a", "Kalix kommun")
	if !b.exists(t, "#members_manage") {
		t.Error("no setting for the organisation's people")
	}
	b.checkAccessibility(t, "an organisation with its people's setting")
	b.open(t, strings.Replace(b.path(t), "/personal/organisationer/", "/en/staff/organisations/", 1))
	b.checkAccessibility(t, "an organisation with its people's setting (English)")
}
