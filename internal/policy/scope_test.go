package policy

import (
	"slices"
	"testing"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/user"
)

func TestSeesProgramme(t *testing.T) {
	role := func(k user.RoleKind, prog int64) user.Role { return user.Role{Kind: k, ProgrammeID: prog} }
	users := []struct {
		name string
		u    *user.User
		// what the user sees of programmes 7 and 8, a record tied to no
		// programme and one whose programme is unknown
		p7, p8, none, unknown bool
		all                   bool // ProgrammeScope(u).All()
		programmes            []int64
	}{
		{"anonymous", nil, false, false, false, false, false, nil},
		{"administrator", &user.User{Roles: []user.Role{role(user.Administrator, 0)}}, true, true, true, true, true, nil},
		{"disabled administrator", &user.User{Disabled: true, Roles: []user.Role{role(user.Administrator, 0)}}, false, false, false, false, false, nil},
		{"officer of every programme", &user.User{Roles: []user.Role{role(user.Officer, 0)}}, true, true, true, true, true, nil},
		{"officer of 7", &user.User{Roles: []user.Role{role(user.Officer, 7)}}, true, false, true, false, false, []int64{7}},
		{"officer of 7 and 8", &user.User{Roles: []user.Role{role(user.Officer, 7), role(user.Officer, 8)}}, true, true, true, false, false, []int64{7, 8}},
		{"officer of 7 and of every programme", &user.User{Roles: []user.Role{role(user.Officer, 7), role(user.Officer, 0)}}, true, true, true, true, true, nil},
		{"officer of 7 and administrator", &user.User{Roles: []user.Role{role(user.Officer, 7), role(user.Administrator, 0)}}, true, true, true, true, true, nil},
		{"disabled officer of 7", &user.User{Disabled: true, Roles: []user.Role{role(user.Officer, 7)}}, false, false, false, false, false, nil},
		{"reviewer", &user.User{Roles: []user.Role{role(user.Reviewer, 0)}}, false, false, false, false, false, nil},
		{"reviewer and officer of 8", &user.User{Roles: []user.Role{role(user.Reviewer, 0), role(user.Officer, 8)}}, false, true, true, false, false, []int64{8}},
		{"applicant", &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 7}}}, false, false, false, false, false, nil},
		{"partner", &user.User{Roles: []user.Role{{Kind: user.PartnerRole, OrganisationID: 8}}}, false, false, false, false, false, nil},
	}
	for _, tt := range users {
		for _, c := range []struct {
			id   int64
			want bool
		}{{7, tt.p7}, {8, tt.p8}, {NoProgramme, tt.none}, {UnknownProgramme, tt.unknown}, {9, tt.all}} {
			if got := SeesProgramme(tt.u, c.id); got != c.want {
				t.Errorf("%s: SeesProgramme(%d) = %v, want %v", tt.name, c.id, got, c.want)
			}
		}
		sc := ProgrammeScope(tt.u)
		if sc.All() != tt.all {
			t.Errorf("%s: ProgrammeScope().All() = %v, want %v", tt.name, sc.All(), tt.all)
		}
		if got := sc.Programmes(); !slices.Equal(got, tt.programmes) {
			t.Errorf("%s: ProgrammeScope().Programmes() = %v, want %v", tt.name, got, tt.programmes)
		}
		// Where the user may see staff records at all, the scope and
		// SeesProgramme agree.
		if Can(tt.u, ViewStaffArea, 0) {
			for _, id := range []int64{7, 8, 9, NoProgramme, UnknownProgramme} {
				if sc.Includes(id) != SeesProgramme(tt.u, id) {
					t.Errorf("%s: scope and SeesProgramme disagree on %d", tt.name, id)
				}
			}
		}
	}
}

func TestScope(t *testing.T) {
	if !Every().All() || !Every().Includes(UnknownProgramme) || !(Scope{}).Includes(42) {
		t.Error("Every (and the zero Scope) must include everything")
	}
	none := Only()
	if none.All() || !none.Includes(NoProgramme) || none.Includes(1) || none.Includes(UnknownProgramme) {
		t.Error("Only() must include records tied to no programme and nothing else")
	}
	ids := []int64{3}
	s := Only(ids...)
	ids[0] = 4 // the scope keeps its own copy
	if !s.Includes(3) || s.Includes(4) {
		t.Errorf("Only(3) includes 3: %v, 4: %v", s.Includes(3), s.Includes(4))
	}
	s.Programmes()[0] = 5
	if !s.Includes(3) {
		t.Error("Programmes must return a copy")
	}
}

func TestReviewerSeesApplicant(t *testing.T) {
	tests := []struct {
		steps application.Steps
		want  bool
	}{
		{application.Steps{FormalCheck: true, Review: true}, true},
		{application.Steps{Review: true, BlindReview: true}, false},
		{application.Steps{FormalCheck: true, Review: true, BlindReview: true}, false},
		{application.Steps{}, true},
	}
	for _, tt := range tests {
		if got := ReviewerSeesApplicant(tt.steps); got != tt.want {
			t.Errorf("ReviewerSeesApplicant(%+v) = %v, want %v", tt.steps, got, tt.want)
		}
	}
}
