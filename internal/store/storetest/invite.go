package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

func testInvites(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	inv := &user.Invite{TokenHash: []byte("hash-of-token-1"), Email: " Ny.Kollega@Kalix.se", OrganisationID: f.kalix.ID, Role: user.Applicant}
	must(t, s.CreateInvite(ctx(), officer, inv, []mail.Message{{To: "ny.kollega@kalix.se", Subject: "Inbjudan", Body: "Välkommen"}}))
	got, err := s.InviteByToken(ctx(), []byte("hash-of-token-1"))
	must(t, err)
	if got.Email != "ny.kollega@kalix.se" || !got.ExpiresAt.Equal(Start.Add(user.InviteTTL)) || !got.AcceptedAt.IsZero() {
		t.Errorf("invite: %+v", got)
	}
	if _, err := s.InviteByToken(ctx(), []byte("nope")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown token: %v", err)
	}
	// Accepting creates the user with the role, once.
	u := &user.User{Name: "Ny Kollega", PasswordHash: "$argon2id$x"}
	must(t, s.AcceptInvite(ctx(), []byte("hash-of-token-1"), 0, u, Start.Add(time.Hour)))
	created, err := s.UserByEmail(ctx(), "ny.kollega@kalix.se")
	must(t, err)
	if created.Name != "Ny Kollega" || len(created.Roles) != 1 || created.Roles[0].Kind != user.Applicant || created.Roles[0].OrganisationID != f.kalix.ID {
		t.Errorf("accepted user: %+v", created)
	}
	if err := s.AcceptInvite(ctx(), []byte("hash-of-token-1"), 0, &user.User{Name: "Igen"}, Start.Add(2*time.Hour)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second use: %v", err)
	}
	// An expired invitation can't be used.
	old := &user.Invite{TokenHash: []byte("hash-of-token-2"), Email: "sen@kalix.se", OrganisationID: f.kalix.ID, Role: user.Applicant}
	must(t, s.CreateInvite(ctx(), officer, old, nil))
	if err := s.AcceptInvite(ctx(), []byte("hash-of-token-2"), 0, &user.User{Name: "Sen"}, Start.Add(user.InviteTTL)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired: %v", err)
	}
	if _, err := s.UserByEmail(ctx(), "sen@kalix.se"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an expired invitation created a user: %v", err)
	}
	// An existing user gets the role added, but only when signed in as
	// that user: the invitation signs no one in to an existing account.
	third := &user.Invite{TokenHash: []byte("hash-of-token-3"), Email: "ny.kollega@kalix.se", OrganisationID: f.arvika.ID, Role: user.Applicant}
	must(t, s.CreateInvite(ctx(), officer, third, nil))
	other := &user.User{Email: "annan@arvika.se", Name: "Annan", Roles: []user.Role{{Kind: user.Applicant, OrganisationID: f.arvika.ID}}}
	must(t, s.CreateUser(ctx(), officer, other))
	for _, c := range []struct {
		signedIn int64
		want     error
	}{{0, user.ErrInviteSignIn}, {other.ID, user.ErrInviteWrongAccount}} {
		err := s.AcceptInvite(ctx(), []byte("hash-of-token-3"), c.signedIn, &user.User{Name: "Inkräktare", PasswordHash: "$argon2id$y"}, Start.Add(time.Hour))
		if !errors.Is(err, c.want) {
			t.Errorf("existing account, signed in as %d: %v, want %v", c.signedIn, err, c.want)
		}
	}
	unchanged, err := s.UserByEmail(ctx(), "ny.kollega@kalix.se")
	must(t, err)
	if len(unchanged.Roles) != 1 || unchanged.Name != "Ny Kollega" || unchanged.PasswordHash != "$argon2id$x" || unchanged.Version != created.Version {
		t.Errorf("an invitation changed an account not signed in: %+v", unchanged)
	}
	if got, _ := s.InviteByToken(ctx(), []byte("hash-of-token-3")); !got.AcceptedAt.IsZero() {
		t.Error("a refused acceptance used up the invitation")
	}
	accepted := &user.User{}
	must(t, s.AcceptInvite(ctx(), []byte("hash-of-token-3"), created.ID, accepted, Start.Add(time.Hour)))
	again, err := s.UserByEmail(ctx(), "ny.kollega@kalix.se")
	must(t, err)
	if len(again.Roles) != 2 || again.Roles[1] != (user.Role{Kind: user.Applicant, OrganisationID: f.arvika.ID}) || again.Name != "Ny Kollega" ||
		again.PasswordHash != "$argon2id$x" || accepted.ID != created.ID || again.Version != created.Version+1 {
		t.Errorf("existing user after a second invitation: %+v", again)
	}
	if err := s.AcceptInvite(ctx(), []byte("hash-of-token-3"), created.ID, &user.User{}, Start.Add(time.Hour)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second use by the signed-in owner: %v", err)
	}
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "invite", EntityID: third.ID})
	must(t, err)
	if len(entries) != 2 || entries[0].Action != "accept" || entries[0].Actor.UserID != created.ID {
		t.Errorf("audit of the accepted invitation: %+v", entries)
	}
	// A role already held is not added twice.
	fourth := &user.Invite{TokenHash: []byte("hash-of-token-5"), Email: "ny.kollega@kalix.se", OrganisationID: f.kalix.ID, Role: user.Applicant}
	must(t, s.CreateInvite(ctx(), officer, fourth, nil))
	must(t, s.AcceptInvite(ctx(), []byte("hash-of-token-5"), created.ID, &user.User{}, Start.Add(time.Hour)))
	if again, _ := s.UserByEmail(ctx(), "ny.kollega@kalix.se"); len(again.Roles) != 2 {
		t.Errorf("a role held already was added again: %+v", again.Roles)
	}
	if err := s.CreateInvite(ctx(), officer, &user.Invite{TokenHash: []byte("h4"), Email: "inte en adress", OrganisationID: f.kalix.ID, Role: user.Applicant}, nil); err == nil {
		t.Error("invitation to a bad address saved")
	}
	t.Run("Staff", func(t *testing.T) { testInviteStaff(t, s, f) })
	t.Run("RatePerSender", func(t *testing.T) { testInviteRate(t, s, clk, f) })
}

// testInviteStaff: staff accounts never gain a role through an invitation,
// refused when it is sent and again when it is accepted.
func testInviteStaff(t *testing.T, s store.Store, f *fixture) {
	for _, k := range []user.RoleKind{user.Administrator, user.Officer, user.Reviewer} {
		staff := &user.User{Email: string(k) + "@icld.se", Name: string(k), Roles: []user.Role{{Kind: k}}}
		must(t, s.CreateUser(ctx(), officer, staff))
		hash := []byte("staff-" + string(k))
		err := s.CreateInvite(ctx(), officer, &user.Invite{TokenHash: hash, Email: strings.ToUpper(staff.Email), OrganisationID: f.kalix.ID, Role: user.Applicant}, nil)
		var errs validate.Errors
		if !errors.Is(err, user.ErrInviteStaff) || !errors.As(err, &errs) || errs["email"] != "error.invite.staff" {
			t.Errorf("invitation to %s: %v", k, err)
		}
		if _, err := s.InviteByToken(ctx(), hash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("invitation to %s stored: %v", k, err)
		}
	}
	// The address became staff after the invitation was sent.
	inv := &user.Invite{TokenHash: []byte("blivande"), Email: "blivande@icld.se", OrganisationID: f.kalix.ID, Role: user.Applicant}
	must(t, s.CreateInvite(ctx(), officer, inv, nil))
	staff := &user.User{Email: "blivande@icld.se", Name: "Blivande", Roles: []user.Role{{Kind: user.Officer}}}
	must(t, s.CreateUser(ctx(), officer, staff))
	for _, signedIn := range []int64{0, staff.ID} {
		if err := s.AcceptInvite(ctx(), inv.TokenHash, signedIn, &user.User{Name: "x", PasswordHash: "$argon2id$z"}, Start.Add(time.Hour)); !errors.Is(err, user.ErrInviteStaff) {
			t.Errorf("accepting for a staff account, signed in as %d: %v", signedIn, err)
		}
	}
	got, err := s.UserByEmail(ctx(), "blivande@icld.se")
	must(t, err)
	if len(got.Roles) != 1 || got.Roles[0].Kind != user.Officer {
		t.Errorf("the officer's roles: %+v", got.Roles)
	}
}

// testInviteRate: a sender sends at most user.InvitesPerHour invitations
// in an hour, counted from the invitations stored.
func testInviteRate(t *testing.T, s store.Store, clk *clock.Fixed, f *fixture) {
	newSender := func(email string) int64 {
		u := &user.User{Email: email, Name: email, Roles: []user.Role{{Kind: user.Applicant, OrganisationID: f.kalix.ID}}}
		must(t, s.CreateUser(ctx(), officer, u))
		return u.ID
	}
	sender, colleague := newSender("avsandare@kalix.se"), newSender("kollega2@kalix.se")
	n := 0
	invite := func(by int64) error {
		n++
		inv := &user.Invite{TokenHash: fmt.Appendf(nil, "rate-%d", n), Email: fmt.Sprintf("mottagare%d@kalix.se", n), OrganisationID: f.kalix.ID, Role: user.Applicant, InvitedBy: by}
		return s.CreateInvite(ctx(), audit.Actor{UserID: by}, inv, []mail.Message{{To: inv.Email, Subject: "Inbjudan", Body: "Välkommen"}})
	}
	clk.Set(Start.Add(10 * time.Minute))
	for i := range user.InvitesPerHour {
		if i == user.InvitesPerHour/2 {
			clk.Set(Start.Add(30 * time.Minute))
		}
		must(t, invite(sender))
	}
	before, err := s.MailList(ctx(), 1000)
	must(t, err)
	clk.Set(Start.Add(69 * time.Minute))
	err = invite(sender)
	var errs validate.Errors
	if !errors.Is(err, user.ErrTooManyInvites) || !errors.As(err, &errs) || errs["email"] != "error.invite.too_many" {
		t.Errorf("invitation %d in the hour: %v", user.InvitesPerHour+1, err)
	}
	if after, _ := s.MailList(ctx(), 1000); len(after) != len(before) {
		t.Errorf("a refused invitation queued mail: %d, then %d", len(before), len(after))
	}
	// Per sender: another one, or the system (no sender), is not limited.
	must(t, invite(colleague))
	must(t, invite(0))
	// The first half leaves the window an hour after it was sent.
	clk.Set(Start.Add(70 * time.Minute))
	for range user.InvitesPerHour / 2 {
		must(t, invite(sender))
	}
	if err := invite(sender); !errors.Is(err, user.ErrTooManyInvites) {
		t.Errorf("over the limit again: %v", err)
	}
	// Sent at once, no more than the limit get through.
	rush := newSender("rusning@kalix.se")
	var wg sync.WaitGroup
	var mu sync.Mutex
	sent := 0
	for i := range 2 * user.InvitesPerHour {
		wg.Go(func() {
			inv := &user.Invite{TokenHash: fmt.Appendf(nil, "rush-%d", i), Email: fmt.Sprintf("rusning%d@kalix.se", i), OrganisationID: f.kalix.ID, Role: user.Applicant, InvitedBy: rush}
			err := s.CreateInvite(ctx(), audit.Actor{UserID: rush}, inv, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				sent++
			case !errors.Is(err, user.ErrTooManyInvites):
				t.Errorf("invitation in the rush: %v", err)
			}
		})
	}
	wg.Wait()
	if sent != user.InvitesPerHour {
		t.Errorf("sent at once: %d got through, want %d", sent, user.InvitesPerHour)
	}
}
