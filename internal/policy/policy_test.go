package policy

import (
	"testing"

	"github.com/icld/partnerskap/internal/user"
)

func TestCan(t *testing.T) {
	admin := &user.User{Roles: []user.Role{{Kind: user.Administrator}}}
	allOfficer := &user.User{Roles: []user.Role{{Kind: user.Officer}}}
	officer7 := &user.User{Roles: []user.Role{{Kind: user.Officer, ProgrammeID: 7}}}
	applicant := &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 3}}}
	disabled := &user.User{Disabled: true, Roles: []user.Role{{Kind: user.Administrator}}}
	tests := []struct {
		name string
		u    *user.User
		a    Action
		prog int64
		want bool
	}{
		{"anonymous staff", nil, ViewStaffArea, 0, false},
		{"admin users", admin, ManageUsers, 0, true},
		{"admin programme", admin, ManageProgramme, 7, true},
		{"officer users", allOfficer, ManageUsers, 0, false},
		{"officer orgs", allOfficer, ManageOrganisations, 0, true},
		{"officer any programme", allOfficer, ManageProgramme, 9, true},
		{"officer creates programme", allOfficer, CreateProgramme, 0, true},
		{"scoped officer own programme", officer7, ManageProgramme, 7, true},
		{"scoped officer other programme", officer7, ManageProgramme, 8, false},
		{"scoped officer creates programme", officer7, CreateProgramme, 0, false},
		{"applicant staff", applicant, ViewStaffArea, 0, false},
		{"applicant orgs", applicant, ManageOrganisations, 0, false},
		{"disabled admin", disabled, ManageUsers, 0, false},
		{"applicant applies", applicant, Apply, 0, true},
		{"officer applies", allOfficer, Apply, 0, false},
		{"applicant reviews", applicant, Review, 0, false},
		{"officer registry", allOfficer, ViewRegistry, 0, true},
		{"applicant registry", applicant, ViewRegistry, 0, false},
		{"admin exports the log", admin, ExportAuditLog, 0, true},
		{"officer exports the log", allOfficer, ExportAuditLog, 0, false},
		{"disabled admin exports the log", disabled, ExportAuditLog, 0, false},
	}
	for _, tt := range tests {
		if got := Can(tt.u, tt.a, tt.prog); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestApplicantFor(t *testing.T) {
	u := &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 3}, {Kind: user.Reviewer}}}
	if !ApplicantFor(u, 3) || ApplicantFor(u, 4) || ApplicantFor(nil, 3) {
		t.Error("ApplicantFor wrong")
	}
	if got := ApplicantOrganisations(u); len(got) != 1 || got[0] != 3 {
		t.Errorf("ApplicantOrganisations = %v", got)
	}
	admin := &user.User{Roles: []user.Role{{Kind: user.Administrator}}}
	if ApplicantFor(admin, 3) {
		t.Error("an administrator writes applications")
	}
}
