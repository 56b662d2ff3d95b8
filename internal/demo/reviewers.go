package demo

import (
	"context"
	"fmt"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// callReviewers makes the demo's reviewers reviewers of every call that
// has none, so an officer trying the demo finds them offered on each
// application's page. It runs on every start (a database loaded before
// the calls had reviewers gets them), and leaves alone a call whose
// reviewers an officer has chosen.
func callReviewers(ctx context.Context, s store.Store) error {
	all, err := s.CallList(ctx, 0)
	if err != nil {
		return err
	}
	var calls []*call.Call
	for _, c := range all {
		rs, err := s.CallReviewers(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			calls = append(calls, c)
		}
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
