package policy

import (
	"testing"

	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/user"
)

func TestMaterialPublisherFor(t *testing.T) {
	p := &partnership.Partnership{Swedish: []organisation.Organisation{{ID: 1}}, Partners: []organisation.Organisation{{ID: 2}}}
	tests := []struct {
		name      string
		u         *user.User
		publisher bool
		moderator bool
	}{
		{"anonymous", nil, false, false},
		{"applicant of the Swedish member", &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 1}}}, true, false},
		{"partner of the partner abroad", &user.User{Roles: []user.Role{{Kind: user.PartnerRole, OrganisationID: 2}}}, true, false},
		{"applicant of another organisation", &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 3}}}, false, false},
		{"applicant role naming the partner abroad", &user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 2}}}, false, false},
		{"partner role naming the Swedish member", &user.User{Roles: []user.Role{{Kind: user.PartnerRole, OrganisationID: 1}}}, false, false},
		{"disabled applicant", &user.User{Disabled: true, Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 1}}}, false, false},
		{"officer", &user.User{Roles: []user.Role{{Kind: user.Officer}}}, false, true},
		{"administrator", &user.User{Roles: []user.Role{{Kind: user.Administrator}}}, false, true},
		{"reviewer", &user.User{Roles: []user.Role{{Kind: user.Reviewer}}}, false, false},
	}
	for _, tt := range tests {
		if got := MaterialPublisherFor(tt.u, p); got != tt.publisher {
			t.Errorf("%s: publisher %v, want %v", tt.name, got, tt.publisher)
		}
		if got := MaterialModerator(tt.u); got != tt.moderator {
			t.Errorf("%s: moderator %v, want %v", tt.name, got, tt.moderator)
		}
	}
	if MaterialPublisherFor(&user.User{Roles: []user.Role{{Kind: user.Applicant, OrganisationID: 1}}}, nil) {
		t.Error("publisher for no partnership")
	}
}
