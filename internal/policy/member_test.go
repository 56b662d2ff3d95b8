package policy

import (
	"testing"

	"github.com/icld/partnerskap/internal/user"
)

func TestWhoAddsWhom(t *testing.T) {
	admin := &user.User{Roles: []user.Role{{Kind: user.Administrator}}}
	allOfficer := &user.User{Roles: []user.Role{{Kind: user.Officer}}}
	officer7 := &user.User{Roles: []user.Role{{Kind: user.Officer, ProgrammeID: 7}}}
	applicant := &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 3}}}
	partner := &user.User{Roles: []user.Role{{Kind: user.PartnerRole, OrganisationID: 5}}}
	reviewer := &user.User{Roles: []user.Role{{Kind: user.Reviewer}}}
	gone := &user.User{Disabled: true, Roles: []user.Role{{Kind: user.Administrator}, {Kind: user.Applicant, OrganisationID: 3}}}
	tests := []struct {
		name          string
		u             *user.User
		staff         bool
		reviewers7    bool
		members3      bool
		members5      bool
		reviewersNone bool // a call of programme 8
	}{
		{"anonymous", nil, false, false, false, false, false},
		{"administrator", admin, true, true, false, false, true},
		{"officer of every programme", allOfficer, false, true, false, false, true},
		{"officer of programme 7", officer7, false, true, false, false, false},
		{"applicant of 3", applicant, false, false, true, false, false},
		{"partner of 5", partner, false, false, false, true, false},
		{"reviewer", reviewer, false, false, false, false, false},
		{"deactivated", gone, false, false, false, false, false},
	}
	for _, tt := range tests {
		if got := InviteStaff(tt.u); got != tt.staff {
			t.Errorf("%s: InviteStaff %v", tt.name, got)
		}
		if got := ChooseReviewers(tt.u, 7); got != tt.reviewers7 {
			t.Errorf("%s: ChooseReviewers(7) %v", tt.name, got)
		}
		if got := ChooseReviewers(tt.u, 8); got != tt.reviewersNone {
			t.Errorf("%s: ChooseReviewers(8) %v", tt.name, got)
		}
		if got := SeesMembers(tt.u, 3); got != tt.members3 {
			t.Errorf("%s: SeesMembers(3) %v", tt.name, got)
		}
		if got := SeesMembers(tt.u, 5); got != tt.members5 {
			t.Errorf("%s: SeesMembers(5) %v", tt.name, got)
		}
	}
}
