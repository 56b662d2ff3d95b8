package user

import (
	"errors"
	"testing"
	"time"

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
	inv := &Invite{Role: Applicant, OrganisationID: 9}
	if err := CheckInvite(inv, nil, 0, true); err != nil {
		t.Errorf("a new address: %v", err)
	}
	if err := CheckInvite(inv, applicant, InvitesPerHour-1, true); err != nil {
		t.Errorf("an applicant, the last invitation in the hour: %v", err)
	}
	if err := CheckInvite(inv, nil, InvitesPerHour, true); !errors.Is(err, ErrTooManyInvites) {
		t.Errorf("over the limit: %v", err)
	}
	// A sender over the limit learns nothing of the address.
	if err := CheckInvite(inv, officer, InvitesPerHour, true); !errors.Is(err, ErrTooManyInvites) {
		t.Errorf("over the limit, to staff: %v", err)
	}
	err := CheckInvite(inv, officer, 0, true)
	var errs validate.Errors
	if !errors.Is(err, ErrInviteStaff) || !errors.As(err, &errs) || errs["email"] != "error.invite.staff" {
		t.Errorf("staff: %v", err)
	}
	if err := CheckInvite(inv, nil, 0, false); !errors.Is(err, ErrMembersClosed) {
		t.Errorf("an organisation closed to its people's invitations: %v", err)
	}
}

// A staff invitation never reaches an account that speaks for an
// organisation; the organisation's setting does not bind it.
func TestCheckStaffInvite(t *testing.T) {
	partner := &User{Roles: []Role{{Kind: PartnerRole, OrganisationID: 11}}}
	reviewer := &User{Roles: []Role{{Kind: Reviewer}}}
	for _, k := range []RoleKind{Administrator, Officer, Reviewer} {
		inv := &Invite{Role: k}
		if err := CheckInvite(inv, nil, 0, false); err != nil {
			t.Errorf("%s to a new address: %v", k, err)
		}
		if err := CheckInvite(inv, reviewer, 0, true); err != nil {
			t.Errorf("%s to a reviewer: %v", k, err)
		}
		err := CheckInvite(inv, partner, 0, true)
		var errs validate.Errors
		if !errors.Is(err, ErrInviteMember) || !errors.As(err, &errs) || errs["email"] != "error.invite.member" {
			t.Errorf("%s to a partner: %v", k, err)
		}
		if err := CheckInvite(inv, nil, InvitesPerHour, true); !errors.Is(err, ErrTooManyInvites) {
			t.Errorf("%s over the limit: %v", k, err)
		}
	}
}

func TestStaffInviteAcceptance(t *testing.T) {
	inv := &Invite{Email: "ny@icld.se", Role: Officer, ProgrammeID: 3}
	reviewer := &User{ID: 3, Roles: []Role{{Kind: Reviewer}}}
	applicant := &User{ID: 4, Roles: []Role{{Kind: Applicant, OrganisationID: 9}}}
	for _, tt := range []struct {
		name     string
		account  *User
		signedIn int64
		want     InviteAcceptance
		err      error
	}{
		{"new address", nil, 0, CreateAccount, nil},
		{"a reviewer, nobody signed in", reviewer, 0, 0, ErrInviteSignIn},
		{"a reviewer, another signed in", reviewer, 4, 0, ErrInviteWrongAccount},
		{"a reviewer signed in as itself", reviewer, 3, AddRole, nil},
		{"an applicant signed in as itself", applicant, 4, 0, ErrInviteMember},
		{"an applicant, nobody signed in", applicant, 0, 0, ErrInviteMember},
	} {
		got, err := inv.Acceptance(tt.account, tt.signedIn)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("%s: got %v, %v; want %v, %v", tt.name, got, err, tt.want, tt.err)
		}
	}
	if got := inv.Grants(); got != (Role{Kind: Officer, ProgrammeID: 3}) {
		t.Errorf("grants %+v", got)
	}
}

func TestInviteValidate(t *testing.T) {
	for _, tt := range []struct {
		inv   Invite
		field string
	}{
		{Invite{Email: "a@b.se", Role: Applicant, OrganisationID: 1}, ""},
		{Invite{Email: "a@b.se", Role: PartnerRole, OrganisationID: 1}, ""},
		{Invite{Email: "a@b.se", Role: Officer}, ""},
		{Invite{Email: "a@b.se", Role: Officer, ProgrammeID: 2}, ""},
		{Invite{Email: "a@b.se", Role: Reviewer, CallID: 2}, ""},
		{Invite{Email: "a@b.se", Role: Administrator}, ""},
		{Invite{Email: "a@b.se", Role: Applicant}, "role"},
		{Invite{Email: "a@b.se", Role: Applicant, OrganisationID: 1, ProgrammeID: 2}, "role"},
		{Invite{Email: "a@b.se", Role: Officer, OrganisationID: 1}, "role"},
		{Invite{Email: "a@b.se", Role: Reviewer, ProgrammeID: 1}, "role"},
		{Invite{Email: "a@b.se", Role: Administrator, CallID: 1}, "role"},
		{Invite{Email: "a@b.se", Role: "king"}, "role"},
		{Invite{Email: "inte en adress", Role: Administrator}, "email"},
	} {
		errs := tt.inv.Validate()
		if tt.field == "" && len(errs) != 0 || tt.field != "" && !errs.Has(tt.field) {
			t.Errorf("%+v: %v, want an error on %q", tt.inv, errs, tt.field)
		}
	}
}

func TestInviteUsable(t *testing.T) {
	now := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	inv := Invite{ExpiresAt: now.Add(time.Hour)}
	if !inv.Usable(now) {
		t.Error("a fresh invitation is not usable")
	}
	inv.WithdrawnAt = now
	if inv.Usable(now) {
		t.Error("a withdrawn invitation is usable")
	}
}

func TestAddRole(t *testing.T) {
	u := &User{Roles: []Role{{Kind: Applicant, OrganisationID: 9}}}
	if !u.AddRole(Role{Kind: Applicant, OrganisationID: 7}) || u.AddRole(Role{Kind: Applicant, OrganisationID: 9}) || len(u.Roles) != 2 {
		t.Errorf("roles: %+v", u.Roles)
	}
}
