package demo

import (
	"context"
	"testing"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/user"
)

// The demo's reviewer reviews in every demo call, so the case page offers
// her; a call whose reviewers an officer has changed keeps them when the
// demo starts again.
func TestDemoCallReviewers(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	_, err := Load(ctx, s, clk)
	must(t, err)
	berit, err := s.UserByEmail(ctx, reviewerEmail)
	must(t, err)
	calls, err := s.CallList(ctx, 0)
	must(t, err)
	if len(calls) < 2 {
		t.Fatalf("%d calls", len(calls))
	}
	for _, c := range calls {
		rs, err := s.CallReviewers(ctx, c.ID)
		must(t, err)
		if len(rs) != 1 || rs[0].ID != berit.ID {
			t.Errorf("reviewers of %q: %+v", c.TitleSV, rs)
		}
	}
	// An officer replaces her in a call where she has submitted no review
	// with another reviewer; a second start keeps that.
	other := &user.User{Email: "annan.bedomare@example.se", Name: "Annan Bedömare", Roles: []user.Role{{Kind: user.Reviewer}}}
	must(t, s.CreateUser(ctx, audit.System("test"), other))
	var changed int64
	for _, c := range calls {
		must(t, s.AddCallReviewer(ctx, audit.System("test"), c.ID, other.ID))
		if err := s.RemoveCallReviewer(ctx, audit.System("test"), c.ID, berit.ID); err == nil {
			changed = c.ID
			break
		}
	}
	if changed == 0 {
		t.Fatal("the demo reviewer has submitted reviews in every call")
	}
	_, err = Load(ctx, s, clk)
	must(t, err)
	rs, err := s.CallReviewers(ctx, changed)
	must(t, err)
	if len(rs) != 1 || rs[0].ID != other.ID {
		t.Errorf("after a second start, reviewers of call %d: %+v", changed, rs)
	}
}
