package user

import (
	"errors"
	"testing"

	"github.com/icld/partnerskap/internal/validate"
)

func TestInviteAcceptance(t *testing.T) {
	inv := &Invite{Email: "kollega@arvika.se", OrganisationID: 7, Role: Applicant}
	applicant := &User{ID: 3, Roles: []Role{{Kind: Applicant, OrganisationID: 9}}}
	partner := &User{ID: 4, Roles: []Role{{Kind: PartnerRole, OrganisationID: 11}}}
	disabled := &User{ID: 5, Disabled: true, Roles: []Role{{Kind: Applicant, OrganisationID: 9}}}
	type test struct {
		name     string
		account  *User
		signedIn int64
		want     InviteAcceptance
		err      error
	}
	tests := []test{
		{"new address, nobody signed in", nil, 0, CreateAccount, nil},
		{"new address, someone signed in", nil, 3, CreateAccount, nil},
		{"existing account, nobody signed in", applicant, 0, 0, ErrInviteSignIn},
		{"existing account, another signed in", applicant, 4, 0, ErrInviteWrongAccount},
		{"existing account, signed in as it", applicant, 3, AddRole, nil},
		{"a partner signed in as itself", partner, 4, AddRole, nil},
		{"deactivated account", disabled, 5, 0, ErrInviteDisabled},
	}
	for _, k := range []RoleKind{Administrator, Officer, Reviewer} {
		staff := &User{ID: 6, Roles: []Role{{Kind: Applicant, OrganisationID: 9}, {Kind: k}}}
		tests = append(tests,
			test{string(k) + " signed in as itself", staff, 6, 0, ErrInviteStaff},
			test{string(k) + ", nobody signed in", staff, 0, 0, ErrInviteStaff})
	}
	for _, tt := range tests {
		got, err := inv.Acceptance(tt.account, tt.signedIn)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("%s: got %v, %v; want %v, %v", tt.name, got, err, tt.want, tt.err)
		}
	}
}

func TestCheckInvite(t *testing.T) {
	officer := &User{Roles: []Role{{Kind: Officer}}}
	applicant := &User{Roles: []Role{{Kind: Applicant, OrganisationID: 9}}}
	if err := CheckInvite(nil, 0); err != nil {
		t.Errorf("a new address: %v", err)
	}
	if err := CheckInvite(applicant, InvitesPerHour-1); err != nil {
		t.Errorf("an applicant, the last invitation in the hour: %v", err)
	}
	if err := CheckInvite(nil, InvitesPerHour); !errors.Is(err, ErrTooManyInvites) {
		t.Errorf("over the limit: %v", err)
	}
	// A sender over the limit learns nothing of the address.
	if err := CheckInvite(officer, InvitesPerHour); !errors.Is(err, ErrTooManyInvites) {
		t.Errorf("over the limit, to staff: %v", err)
	}
	err := CheckInvite(officer, 0)
	var errs validate.Errors
	if !errors.Is(err, ErrInviteStaff) || !errors.As(err, &errs) || errs["email"] != "error.invite.staff" {
		t.Errorf("staff: %v", err)
	}
}

func TestAddRole(t *testing.T) {
	u := &User{Roles: []Role{{Kind: Applicant, OrganisationID: 9}}}
	if !u.AddRole(Role{Kind: Applicant, OrganisationID: 7}) || u.AddRole(Role{Kind: Applicant, OrganisationID: 9}) || len(u.Roles) != 2 {
		t.Errorf("roles: %+v", u.Roles)
	}
}
