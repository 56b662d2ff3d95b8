package policy

import (
	"testing"

	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/user"
)

func TestStoryWriterFor(t *testing.T) {
	p := &partnership.Partnership{ID: 1,
		Swedish:  []organisation.Organisation{{ID: 10}},
		Partners: []organisation.Organisation{{ID: 20}}}
	tests := []struct {
		name          string
		u             *user.User
		write, modify bool
	}{
		{"anonymous", nil, false, false},
		{"applicant of the Swedish member", &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 10}}}, true, false},
		{"applicant of another organisation", &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 11}}}, false, false},
		{"partner of the member abroad", &user.User{Roles: []user.Role{{Kind: user.PartnerRole, OrganisationID: 20}}}, true, false},
		{"applicant role on the partner abroad", &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 20}}}, false, false},
		{"partner role on the Swedish member", &user.User{Roles: []user.Role{{Kind: user.PartnerRole, OrganisationID: 10}}}, false, false},
		{"disabled applicant", &user.User{Disabled: true, Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 10}}}, false, false},
		{"officer", &user.User{Roles: []user.Role{{Kind: user.Officer, ProgrammeID: 7}}}, false, true},
		{"administrator", &user.User{Roles: []user.Role{{Kind: user.Administrator}}}, false, true},
		{"reviewer", &user.User{Roles: []user.Role{{Kind: user.Reviewer}}}, false, false},
	}
	for _, tt := range tests {
		if got := StoryWriterFor(tt.u, p); got != tt.write {
			t.Errorf("%s: StoryWriterFor = %v, want %v", tt.name, got, tt.write)
		}
		if got := ModerateStories(tt.u); got != tt.modify {
			t.Errorf("%s: ModerateStories = %v, want %v", tt.name, got, tt.modify)
		}
	}
}
