package main

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/user"
)

func TestUserCommandsSQLite(t *testing.T) {
	testUserCommands(t, app.Config{DataDir: t.TempDir()}, "--data-dir", "")
}

func TestUserCommandsPostgres(t *testing.T) {
	url := pgtest.NewSchema(t) // skips without PARTNERSKAP_TEST_POSTGRES, fails so in CI
	testUserCommands(t, app.Config{Database: url}, "--database", url)
}

// testUserCommands runs user list, set-role, deactivate, activate and
// reset-password against the database cfg names (given to the commands
// as dbFlag dbValue) and checks what they stored.
func testUserCommands(t *testing.T, cfg app.Config, dbFlag, dbValue string) {
	if dbValue == "" {
		dbValue = cfg.DataDir
	}
	ctx := context.Background()
	cmd := func(stdin string, args ...string) (string, error) {
		t.Helper()
		return runCmd(t, stdin, append(args, dbFlag, dbValue)...)
	}
	mustCmd := func(stdin string, args ...string) string {
		t.Helper()
		out, err := cmd(stdin, args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, explain(err), out)
		}
		return out
	}
	mustCmd("ett långt lösenord\n", "user", "create", "--email", "ada@icld.se", "--name", "Ada Admin")
	mustCmd("ett långt lösenord\n", "user", "create", "--email", "orjan@icld.se", "--name", "Örjan Öst", "--role", "reviewer")
	withStore := func(fn func(s store.Store)) {
		t.Helper()
		s, err := app.OpenStore(ctx, cfg, clock.System{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fn(s)
	}
	var orjan *user.User
	now := time.Now()
	signIn := func(token string) {
		t.Helper()
		withStore(func(s store.Store) {
			var err error
			if orjan, err = s.UserByEmail(ctx, "orjan@icld.se"); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateSession(ctx, user.Session{TokenHash: []byte(token), UserID: orjan.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime)}); err != nil {
				t.Fatal(err)
			}
		})
	}
	signedIn := func(token string) bool {
		t.Helper()
		ok := false
		withStore(func(s store.Store) {
			_, err := s.SessionUser(ctx, []byte(token), time.Now())
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
			ok = err == nil
		})
		return ok
	}
	signIn("live")

	out := mustCmd("", "user", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "E-MAIL") {
		t.Fatalf("user list:\n%s", out)
	}
	// Swedish order of name: Ada before Örjan.
	if !strings.HasPrefix(lines[1], "ada@icld.se") || !strings.Contains(lines[1], "admin") || !strings.Contains(lines[1], "never") {
		t.Errorf("user list, Ada: %q", lines[1])
	}
	if !strings.HasPrefix(lines[2], "orjan@icld.se") || !strings.Contains(lines[2], "Örjan Öst") || !strings.Contains(lines[2], "reviewer") ||
		!strings.Contains(lines[2], "active") || !strings.Contains(lines[2], now.UTC().Format("2006-01-02")) {
		t.Errorf("user list, Örjan: %q", lines[2])
	}

	out = mustCmd("", "user", "set-role", "--email", "ORJAN@icld.se", "--role", "officer")
	if !strings.Contains(out, "orjan@icld.se now holds: officer (every programme)\n") {
		t.Errorf("set-role: %q", out)
	}
	out = mustCmd("", "user", "set-role", "--email", "orjan@icld.se", "--role", "reviewer", "--add")
	if !strings.Contains(out, "now holds: officer (every programme), reviewer\n") {
		t.Errorf("set-role --add: %q", out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"user", "set-role", "--email", "orjan@icld.se", "--role", "officer", "--programme", "999"}, "roles:"},
		{[]string{"user", "set-role", "--email", "orjan@icld.se", "--role", "applicant"}, "--organisation is required for the applicant role"},
		{[]string{"user", "set-role", "--email", "orjan@icld.se", "--role", "admin", "--organisation", "3"}, "--organisation is for applicant and partner roles"},
		{[]string{"user", "set-role", "--email", "orjan@icld.se", "--role", "reviewer", "--programme", "3"}, "--programme is for the officer role"},
		{[]string{"user", "set-role", "--email", "orjan@icld.se", "--role", "chef"}, `unknown role "chef"`},
		{[]string{"user", "set-role", "--email", "orjan@icld.se"}, "--role is required"},
		{[]string{"user", "set-role", "--email", "nobody@icld.se", "--role", "admin"}, `no account has the e-mail address "nobody@icld.se"`},
		{[]string{"user", "deactivate"}, "--email is required"},
		{[]string{"user", "deactivate", "--email", "nobody@icld.se"}, "no account has the e-mail address"},
		{[]string{"user", "frobnicate"}, `unknown user command "frobnicate"`},
	} {
		if _, err := cmd("", tt.args...); err == nil || !strings.Contains(explain(err), tt.want) {
			t.Errorf("%v: %v, want an error with %q", tt.args, err, tt.want)
		}
	}

	// The officer's role, given to an account without a second factor,
	// ended its session (the next sign-in enrols one).
	if signedIn("live") {
		t.Error("the session signed in without a second factor kept an officer's role")
	}
	signIn("officer")
	if !signedIn("officer") {
		t.Fatal("the session ended before deactivation")
	}
	out = mustCmd("", "user", "deactivate", "--email", "orjan@icld.se")
	if !strings.Contains(out, "deactivated orjan@icld.se") {
		t.Errorf("deactivate: %q", out)
	}
	if signedIn("officer") {
		t.Error("the session outlived deactivation")
	}
	if out := mustCmd("", "user", "list"); !strings.Contains(out, "deactivated") {
		t.Errorf("user list after deactivation:\n%s", out)
	}
	mustCmd("", "user", "activate", "--email", "orjan@icld.se")
	if out := mustCmd("", "user", "list"); strings.Contains(out, "deactivated") {
		t.Errorf("user list after activation:\n%s", out)
	}

	signIn("second")
	if _, err := cmd("kort\n", "user", "reset-password", "--email", "orjan@icld.se"); err == nil || !strings.Contains(explain(err), "at least") {
		t.Errorf("short password: %v", err)
	}
	if _, err := cmd("orjan@icld.se\n", "user", "reset-password", "--email", "orjan@icld.se"); err == nil || !strings.Contains(explain(err), "e-mail address or your name") {
		t.Errorf("the account's own address as password: %v", err)
	}
	if _, err := cmd("", "user", "reset-password", "--email", "orjan@icld.se"); err == nil || !strings.Contains(err.Error(), "no password on standard input") {
		t.Errorf("no password: %v", err)
	}
	if !signedIn("second") {
		t.Error("a refused reset ended the session")
	}
	out = mustCmd("ett helt nytt lösenord\n", "user", "reset-password", "--email", "orjan@icld.se")
	if !strings.Contains(out, "new password set for orjan@icld.se") {
		t.Errorf("reset-password: %q", out)
	}
	if signedIn("second") {
		t.Error("the session outlived the new password")
	}
	withStore(func(s store.Store) {
		u, err := s.UserByEmail(ctx, "orjan@icld.se")
		if err != nil {
			t.Fatal(err)
		}
		if !auth.CheckPassword("ett helt nytt lösenord", u.PasswordHash) || auth.CheckPassword("ett långt lösenord", u.PasswordHash) {
			t.Error("the new password was not stored")
		}
		entries, err := s.AuditLog(ctx, audit.Filter{Entity: "user", EntityID: u.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			if e.Actor.Name != "system:cli" {
				t.Errorf("%s by %q, want system:cli", e.Action, e.Actor.Name)
			}
			actions = append(actions, e.Action)
		}
		want := []string{"reset-password", "activate", "deactivate", "set-roles", "set-roles", "create"}
		if !slices.Equal(actions, want) {
			t.Errorf("audit log %v, want %v", actions, want)
		}
	})
}
