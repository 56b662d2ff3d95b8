package app

import (
	"context"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/clock"
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
