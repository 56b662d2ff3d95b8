package app

import (
	"context"
	"errors"
	"testing"

	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// `partnerskap user create` follows the password rule: a short, common or
// personal password is refused before the database is touched, with the
// error on the password field; an uncommon one creates the user.
func TestCreateUserPasswordRule(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	cfg.Demo = false
	for pw, want := range map[string]string{
		"kort":            "error.user.password_short",
		"qwertyuiop":      "error.user.password_common",
		"Password123":     "error.user.password_common",
		"anna.admin":      "error.user.password_personal",
		"Anna Administra": "error.user.password_personal",
	} {
		_, err := CreateUser(ctx, cfg, "anna.admin@kommun.se", "Anna Administra", user.Administrator, pw)
		var errs validate.Errors
		if !errors.As(err, &errs) || errs["password"] != want {
			t.Errorf("CreateUser with %q: %v, want %s", pw, err, want)
		}
	}
	u, err := CreateUser(ctx, cfg, "anna.admin@kommun.se", "Anna Administra", user.Administrator, "tre gröna äpplen")
	if err != nil || u.ID == 0 {
		t.Fatalf("an uncommon password: %+v, %v", u, err)
	}
}
