package user

import "testing"

func TestValidate(t *testing.T) {
	tests := []struct {
		u     User
		field string
		key   string
	}{
		{User{Email: "åsa@kalix.se", Name: "Åsa"}, "", ""},
		{User{Email: "inte en adress", Name: "X"}, "email", "error.user.email"},
		{User{Email: "Namn <a@b.se>", Name: "X"}, "email", "error.user.email"},
		{User{Email: "a@b.se"}, "name", "error.required"},
		{User{Email: "a@b.se", Name: "X", Roles: []Role{{Kind: Applicant}}}, "roles", "error.user.role_needs_organisation"},
		{User{Email: "a@b.se", Name: "X", Roles: []Role{{Kind: Officer, OrganisationID: 3}}}, "roles", "error.user.role_no_organisation"},
		{User{Email: "a@b.se", Name: "X", Roles: []Role{{Kind: "king"}}}, "roles", "error.invalid_choice"},
	}
	for _, tt := range tests {
		u := tt.u
		u.Normalize()
		errs := u.Validate()
		if tt.field == "" && len(errs) != 0 || tt.field != "" && errs[tt.field] != tt.key {
			t.Errorf("%+v: got %v, want %s=%s", tt.u, errs, tt.field, tt.key)
		}
	}
}
