package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
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
	must(t, s.AcceptInvite(ctx(), []byte("hash-of-token-1"), u, Start.Add(time.Hour)))
	created, err := s.UserByEmail(ctx(), "ny.kollega@kalix.se")
	must(t, err)
	if created.Name != "Ny Kollega" || len(created.Roles) != 1 || created.Roles[0].Kind != user.Applicant || created.Roles[0].OrganisationID != f.kalix.ID {
		t.Errorf("accepted user: %+v", created)
	}
	if err := s.AcceptInvite(ctx(), []byte("hash-of-token-1"), &user.User{Name: "Igen"}, Start.Add(2*time.Hour)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second use: %v", err)
	}
	// An expired invitation can't be used.
	old := &user.Invite{TokenHash: []byte("hash-of-token-2"), Email: "sen@kalix.se", OrganisationID: f.kalix.ID, Role: user.Applicant}
	must(t, s.CreateInvite(ctx(), officer, old, nil))
	if err := s.AcceptInvite(ctx(), []byte("hash-of-token-2"), &user.User{Name: "Sen"}, Start.Add(user.InviteTTL)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired: %v", err)
	}
	if _, err := s.UserByEmail(ctx(), "sen@kalix.se"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an expired invitation created a user: %v", err)
	}
	// An existing user gets the role added.
	third := &user.Invite{TokenHash: []byte("hash-of-token-3"), Email: "ny.kollega@kalix.se", OrganisationID: f.arvika.ID, Role: user.Applicant}
	must(t, s.CreateInvite(ctx(), officer, third, nil))
	must(t, s.AcceptInvite(ctx(), []byte("hash-of-token-3"), &user.User{Name: "ignored"}, Start.Add(time.Hour)))
	again, err := s.UserByEmail(ctx(), "ny.kollega@kalix.se")
	must(t, err)
	if len(again.Roles) != 2 || again.Name != "Ny Kollega" {
		t.Errorf("existing user after a second invitation: %+v", again)
	}
	if err := s.CreateInvite(ctx(), officer, &user.Invite{TokenHash: []byte("h4"), Email: "inte en adress", OrganisationID: f.kalix.ID, Role: user.Applicant}, nil); err == nil {
		t.Error("invitation to a bad address saved")
	}
}
