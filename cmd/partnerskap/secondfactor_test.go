package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/user"
)

func TestResetSecondFactorCommandSQLite(t *testing.T) {
	testResetSecondFactorCommand(t, app.Config{DataDir: t.TempDir()}, "--data-dir", "")
}

func TestResetSecondFactorCommandPostgres(t *testing.T) {
	url := pgtest.NewSchema(t) // skips without PARTNERSKAP_TEST_POSTGRES, fails so in CI
	testResetSecondFactorCommand(t, app.Config{Database: url}, "--database", url)
}

// testResetSecondFactorCommand: user reset-2fa removes the factor, ends
// the sessions and is logged as the command line's.
func testResetSecondFactorCommand(t *testing.T, cfg app.Config, dbFlag, dbValue string) {
	if dbValue == "" {
		dbValue = cfg.DataDir
	}
	ctx := context.Background()
	cmd := func(stdin string, args ...string) (string, error) {
		t.Helper()
		return runCmd(t, stdin, append(args, dbFlag, dbValue)...)
	}
	if out, err := cmd("ett långt lösenord\n", "user", "create", "--email", "olle@icld.se", "--name", "Olle Öst", "--role", "officer"); err != nil {
		t.Fatalf("create: %v\n%s", err, out)
	}
	withStore := func(fn func(s store.Store)) {
		t.Helper()
		s, err := app.OpenStore(ctx, cfg, clock.System{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fn(s)
	}
	var u *user.User
	now := time.Now()
	withStore(func(s store.Store) {
		var err error
		if u, err = s.UserByEmail(ctx, "olle@icld.se"); err != nil {
			t.Fatal(err)
		}
		secret, _, _ := user.NewTOTPSecret(u.Email)
		_, hashes := user.NewRecoveryCodes()
		if err := s.EnrolSecondFactor(ctx, audit.Actor{UserID: u.ID, Name: u.Name}, u.ID, secret, hashes, 0); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, user.Session{TokenHash: []byte("live"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime)}); err != nil {
			t.Fatal(err)
		}
	})

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"user", "reset-2fa"}, "usage: partnerskap user reset-2fa EMAIL"},
		{[]string{"user", "reset-2fa", "nobody@icld.se"}, `no account has the e-mail address "nobody@icld.se"`},
	} {
		if _, err := cmd("", tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want an error with %q", tt.args, err, tt.want)
		}
	}
	out, err := cmd("", "user", "reset-2fa", "OLLE@icld.se")
	if err != nil || !strings.Contains(out, "second factor of olle@icld.se removed; its sessions have ended") {
		t.Fatalf("reset-2fa: %q, %v", out, err)
	}
	withStore(func(s store.Store) {
		st, err := s.SecondFactorStatus(ctx, u.ID)
		if err != nil || st.Enrolled {
			t.Errorf("after reset-2fa: %+v, %v", st, err)
		}
		if _, err := s.SessionUser(ctx, []byte("live"), time.Now()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the session outlived reset-2fa: %v", err)
		}
		entries, err := s.AuditLog(ctx, audit.Filter{Entity: "user", EntityID: u.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 || entries[0].Action != "second_factor.reset" || entries[0].Actor.Name != "system:cli" {
			t.Errorf("last audit entry %+v, want second_factor.reset by system:cli", entries[0])
		}
	})
	// Again, with --email: nothing left to remove, said so.
	if out, err := cmd("", "user", "reset-2fa", "--email", "olle@icld.se"); err != nil || !strings.Contains(out, "olle@icld.se had no second factor") {
		t.Errorf("reset-2fa again: %q, %v", out, err)
	}
}
