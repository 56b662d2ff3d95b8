package user

import (
	"errors"
	"slices"
	"testing"
)

func TestMemberOf(t *testing.T) {
	u := &User{Roles: []Role{{Kind: Applicant, OrganisationID: 7}, {Kind: PartnerRole, OrganisationID: 11}, {Kind: Applicant, OrganisationID: 7}, {Kind: Reviewer}}}
	if !u.MemberOf(7) || !u.MemberOf(11) || u.MemberOf(9) || u.MemberOf(0) {
		t.Error("MemberOf")
	}
	if got := u.Organisations(); !slices.Equal(got, []int64{7, 11}) {
		t.Errorf("Organisations = %v", got)
	}
	off := &User{Disabled: true, Roles: u.Roles}
	if off.MemberOf(7) || off.Organisations() != nil {
		t.Error("a deactivated account speaks for an organisation")
	}
	var none *User
	if none.MemberOf(7) {
		t.Error("nobody speaks for an organisation")
	}
	admin := &User{Roles: []Role{{Kind: Administrator}, {Kind: Officer}}}
	if admin.MemberOf(7) || admin.Member() {
		t.Error("staff speak for an organisation")
	}
}

func TestLeaveOrganisation(t *testing.T) {
	u := &User{Roles: []Role{{Kind: Applicant, OrganisationID: 7}, {Kind: Applicant, OrganisationID: 9}, {Kind: Reviewer}}}
	if !u.LeaveOrganisation(7) {
		t.Error("left nothing")
	}
	if !slices.Equal(u.Roles, []Role{{Kind: Applicant, OrganisationID: 9}, {Kind: Reviewer}}) {
		t.Errorf("roles after leaving: %+v", u.Roles)
	}
	if u.LeaveOrganisation(7) {
		t.Error("left twice")
	}
}

func TestCheckRemoveMember(t *testing.T) {
	kalix := &User{ID: 2, Roles: []Role{{Kind: Applicant, OrganisationID: 7}}}
	gone := &User{ID: 3, Disabled: true, Roles: []Role{{Kind: Applicant, OrganisationID: 7}}}
	other := &User{ID: 4, Roles: []Role{{Kind: Applicant, OrganisationID: 9}}}
	for _, tt := range []struct {
		name   string
		target *User
		active int
		manage bool
		err    error
	}{
		{"a colleague of two", kalix, 2, true, nil},
		{"the last active person", kalix, 1, true, ErrLastMember},
		{"a deactivated person beside the last", gone, 1, true, nil},
		{"the setting off", kalix, 2, false, ErrMembersClosed},
		{"another organisation's person", other, 2, true, ErrNotMember},
		{"nobody", nil, 2, true, ErrNotMember},
	} {
		err := CheckRemoveMember(tt.target, 7, tt.active, tt.manage)
		if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
		}
	}
}
