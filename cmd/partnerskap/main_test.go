package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/clock"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestVersionAndUsage(t *testing.T) {
	out, err := runCmd(t, "", "version")
	if err != nil || !strings.HasPrefix(out, "partnerskap ") {
		t.Errorf("version: %q %v", out, err)
	}
	if _, err := runCmd(t, "", "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %v", err)
	}
	if _, err := runCmd(t, ""); err == nil {
		t.Error("no command accepted")
	}
}

func TestUserCreate(t *testing.T) {
	dir := t.TempDir()
	out, err := runCmd(t, "ett långt lösenord\n", "user", "create", "--data-dir", dir, "--email", "Admin@ICLD.se", "--name", "Åke Admin")
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, out)
	}
	if !strings.Contains(out, "created admin admin@icld.se") {
		t.Errorf("output %q", out)
	}
	s, err := app.OpenStore(context.Background(), app.Config{DataDir: dir}, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByEmail(context.Background(), "admin@icld.se")
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Åke Admin" || len(u.Roles) != 1 || u.Roles[0].Kind != "admin" || !auth.CheckPassword("ett långt lösenord", u.PasswordHash) {
		t.Errorf("stored %+v", u)
	}
	if _, err := runCmd(t, "ett annat långt lösenord\n", "user", "create", "--data-dir", dir, "--email", "admin@icld.se", "--name", "X"); err == nil ||
		!strings.Contains(explain(err), "email: An account with this e-mail address already exists.") {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := runCmd(t, "kort\n", "user", "create", "--data-dir", dir, "--email", "b@icld.se", "--name", "B"); err == nil ||
		!strings.Contains(explain(err), "password: The password must have at least 10 characters.") {
		t.Errorf("short password: %v", err)
	}
	if _, err := runCmd(t, "", "user", "create", "--data-dir", dir, "--email", "c@icld.se", "--name", "C"); err == nil ||
		!strings.Contains(err.Error(), "no password on standard input") {
		t.Errorf("no password: %v", err)
	}
	if _, err := runCmd(t, "ett långt lösenord\n", "user", "create", "--data-dir", dir, "--email", "d@icld.se", "--name", "D", "--role", "applicant"); err == nil {
		t.Error("applicant created from the command line")
	}
}

func TestMigrateAndEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PARTNERSKAP_DATA_DIR", dir)
	out, err := runCmd(t, "", "migrate")
	if err != nil || !strings.Contains(out, dir) {
		t.Errorf("migrate: %q %v", out, err)
	}
	_, err = runCmd(t, "", "migrate", "--database", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if err == nil || !strings.HasPrefix(err.Error(), "cannot open database") {
		t.Errorf("unreachable database: %v", err)
	}
}

// TestOIDCSettings: single sign-on is configured by flags and by
// PARTNERSKAP_OIDC_* variables, a flag winning.
func TestOIDCSettings(t *testing.T) {
	t.Setenv("PARTNERSKAP_OIDC_ISSUER", "https://login.example.org")
	t.Setenv("PARTNERSKAP_OIDC_CLIENT_SECRET", "från miljön")
	fs, cfg := flags("serve", &bytes.Buffer{})
	if err := fs.Parse([]string{"--oidc-client-id", "partnerskap", "--oidc-name", "ICLD-konto", "--oidc-issuer", "https://idp.example.org"}); err != nil {
		t.Fatal(err)
	}
	want := app.Config{}.OIDC
	want.Issuer, want.ClientID, want.ClientSecret, want.Name = "https://idp.example.org", "partnerskap", "från miljön", "ICLD-konto"
	if cfg.OIDC != want {
		t.Errorf("got %+v, want %+v", cfg.OIDC, want)
	}
}

// TestBaseURLFollowsListen: --base-url has no fixed default, so a server
// moved with --listen alone names its new address in its links (app
// derives it, Config.PublicBaseURL); the flag or PARTNERSKAP_BASE_URL
// still sets it.
func TestBaseURLFollowsListen(t *testing.T) {
	fs, cfg := flags("serve", &bytes.Buffer{})
	if err := fs.Parse([]string{"--listen", "127.0.0.1:9000"}); err != nil {
		t.Fatal(err)
	}
	if base, _ := cfg.PublicBaseURL(cfg.Listen); cfg.BaseURL != "" || base != "http://127.0.0.1:9000" {
		t.Errorf("--listen 127.0.0.1:9000 alone: base URL %q, links to %q", cfg.BaseURL, base)
	}
	t.Setenv("PARTNERSKAP_BASE_URL", "https://partnerskap.example")
	fs, cfg = flags("serve", &bytes.Buffer{})
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "https://partnerskap.example" {
		t.Errorf("PARTNERSKAP_BASE_URL: base URL %q", cfg.BaseURL)
	}
}
