package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// CreateUser creates a user with one role, for bootstrapping an
// administrator from the command line.
func CreateUser(ctx context.Context, cfg Config, email, name string, role user.RoleKind, password string) (*user.User, error) {
	errs := validate.Errors{}
	user.CheckPassword(errs, "password", password, email, name)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	s, err := OpenStore(ctx, cfg, clock.System{})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if _, err := Prepare(ctx, s, clock.System{}, false); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &user.User{Email: email, Name: name, PasswordHash: hash, Roles: []user.Role{{Kind: role}}}
	if err := s.CreateUser(ctx, audit.System("cli"), u); err != nil {
		return nil, err
	}
	return u, nil
}

// Migrate opens the database, which applies every pending migration.
func Migrate(ctx context.Context, cfg Config) error {
	s, err := OpenStore(ctx, cfg, clock.System{})
	if err != nil {
		return err
	}
	return s.Close()
}

// withStore opens the database for one command and closes it after fn.
func withStore(ctx context.Context, cfg Config, fn func(s store.Store) error) error {
	s, err := OpenStore(ctx, cfg, clock.System{})
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// userByEmail finds the account for a command, saying which address had
// none.
func userByEmail(ctx context.Context, s store.Store, email string) (*user.User, error) {
	u, err := s.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("no account has the e-mail address %q", strings.TrimSpace(email))
	}
	return u, err
}

// ListUsers returns every account, in Swedish order of name.
func ListUsers(ctx context.Context, cfg Config) ([]*user.User, error) {
	var out []*user.User
	err := withStore(ctx, cfg, func(s store.Store) error {
		var err error
		out, err = s.UserList(ctx)
		return err
	})
	return out, err
}

// SetRole gives the account with email role r: in place of all its roles,
// or besides them when add is set (a role it holds already is kept once).
// The change is audited as done by the command line.
func SetRole(ctx context.Context, cfg Config, email string, r user.Role, add bool) (*user.User, error) {
	var u *user.User
	err := withStore(ctx, cfg, func(s store.Store) error {
		var err error
		if u, err = userByEmail(ctx, s, email); err != nil {
			return err
		}
		roles := []user.Role{r}
		if add {
			u.AddRole(r)
			roles = u.Roles
		}
		if err := s.SetUserRoles(ctx, audit.System("cli"), u.ID, roles); err != nil {
			return err
		}
		u, err = s.User(ctx, u.ID)
		return err
	})
	return u, err
}

// SetDisabled deactivates (ending all the account's sessions at once) or
// reactivates the account with email.
func SetDisabled(ctx context.Context, cfg Config, email string, disabled bool) (*user.User, error) {
	var u *user.User
	err := withStore(ctx, cfg, func(s store.Store) error {
		var err error
		if u, err = userByEmail(ctx, s, email); err != nil {
			return err
		}
		if err := s.SetUserDisabled(ctx, audit.System("cli"), u.ID, disabled); err != nil {
			return err
		}
		u.Disabled = disabled
		return nil
	})
	return u, err
}

// ResetPassword gives the account with email a new password and ends all
// its sessions.
func ResetPassword(ctx context.Context, cfg Config, email, password string) (*user.User, error) {
	var u *user.User
	err := withStore(ctx, cfg, func(s store.Store) error {
		var err error
		if u, err = userByEmail(ctx, s, email); err != nil {
			return err
		}
		errs := validate.Errors{}
		user.CheckPassword(errs, "password", password, u.Email, u.Name)
		if err := errs.Err(); err != nil {
			return err
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		return s.SetUserPassword(ctx, audit.System("cli"), u.ID, hash)
	})
	return u, err
}
