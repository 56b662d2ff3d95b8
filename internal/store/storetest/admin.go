package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// testAdministratorsRace: two administrators take each other's role, or
// deactivate each other, at the same moment. Exactly one change commits
// and the other is refused as a conflict, so an administrator always
// remains; and someone who is no longer an administrator changes nobody.
func testAdministratorsRace(t *testing.T, s store.Store, clk *clock.Fixed) {
	as := func(u *user.User) audit.Actor { return audit.Actor{UserID: u.ID, Name: u.Name} }
	admins := func() int {
		list, err := s.UserList(ctx())
		must(t, err)
		n := 0
		for _, u := range list {
			if u.Has(user.Administrator) && !u.Disabled {
				n++
			}
		}
		return n
	}
	for round := range 6 {
		a := &user.User{Email: fmt.Sprintf("alva-%d@icld.se", round), Name: "Alva", Roles: []user.Role{{Kind: user.Administrator}}}
		b := &user.User{Email: fmt.Sprintf("bo-%d@icld.se", round), Name: "Bo", Roles: []user.Role{{Kind: user.Administrator}}}
		must(t, s.CreateUser(ctx(), officer, a))
		must(t, s.CreateUser(ctx(), officer, b))
		before := admins()
		change := func(by, of *user.User) error {
			if round%2 == 0 {
				return s.SetUserRoles(ctx(), as(by), of.ID, []user.Role{{Kind: user.Reviewer}})
			}
			return s.SetUserDisabled(ctx(), as(by), of.ID, true)
		}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		wg.Go(func() { errs[0] = change(a, b) })
		wg.Go(func() { errs[1] = change(b, a) })
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrConflict):
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if ok != 1 || admins() != before-1 {
			t.Fatalf("round %d: %d changes committed, %d of %d administrators left; want 1 and %d (%v)", round, ok, admins(), before, before-1, errs)
		}
		// The loser is no administrator any more: it changes nobody.
		loser, winner := a, b
		if errs[0] == nil {
			loser, winner = b, a
		}
		if err := change(loser, winner); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("round %d: a former administrator's change: %v, want a conflict", round, err)
		}
	}
}
