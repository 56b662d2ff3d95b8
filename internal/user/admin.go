package user

import "github.com/icld/partnerskap/internal/validate"

// An administrator manages other people's accounts on the people page,
// but never so as to lock the agency out: they cannot deactivate their own
// account or take away their own administrator role.
var (
	// ErrSelfDeactivate refuses an administrator's deactivating themself.
	ErrSelfDeactivate = validate.NewField("form", "error.people.self_deactivate")
	// ErrSelfDemote refuses an administrator's removing their own
	// administrator role (a field error on "roles").
	ErrSelfDemote = validate.NewField("roles", "error.people.self_demote")
)

// CheckRoleChange decides whether by may give target the roles: by may not
// take away their own administrator role.
func CheckRoleChange(by, target *User, roles []Role) error {
	if by.ID != target.ID || !by.Has(Administrator) {
		return nil
	}
	after := User{Roles: roles}
	if !after.Has(Administrator) {
		return ErrSelfDemote
	}
	return nil
}

// CheckDisable decides whether by may deactivate (disabled true) or
// reactivate the account target: no one deactivates themself.
func CheckDisable(by, target *User, disabled bool) error {
	if disabled && by.ID == target.ID {
		return ErrSelfDeactivate
	}
	return nil
}
