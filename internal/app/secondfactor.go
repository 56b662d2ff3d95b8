package app

import (
	"context"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// ResetSecondFactor removes the second factor of the account with email
// (a lost phone, or the last administrator's) and ends all its sessions;
// the next sign-in asks for a new enrolment when the account's role
// requires one. Audited as "second_factor.reset" by the command line.
func ResetSecondFactor(ctx context.Context, cfg Config, email string) (u *user.User, had bool, err error) {
	err = withStore(ctx, cfg, func(s store.Store) error {
		if u, err = userByEmail(ctx, s, email); err != nil {
			return err
		}
		st, err := s.SecondFactorStatus(ctx, u.ID)
		if err != nil {
			return err
		}
		had = st.Enrolled
		return s.ResetSecondFactor(ctx, audit.System("cli"), u.ID)
	})
	return u, had, err
}
