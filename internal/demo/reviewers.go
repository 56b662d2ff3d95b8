package demo

import (
	"context"
	"fmt"

	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// callReviewers makes the demo's reviewers reviewers of every call, so an
// officer trying the demo finds them offered on each application's page.
// It adds only what is missing, so it runs on every start.
func callReviewers(ctx context.Context, s store.Store) error {
	calls, err := s.CallList(ctx, 0)
	if err != nil {
		return err
	}
	for _, a := range Accounts() {
		if a.Role != user.Reviewer {
			continue
		}
		u, err := s.UserByEmail(ctx, a.Email)
		if err != nil {
			return fmt.Errorf("reviewer %s: %w", a.Email, err)
		}
		for _, c := range calls {
			if err := s.AddCallReviewer(ctx, actor, c.ID, u.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
