package user

import (
	"errors"
	"testing"
)

func TestSelfProtection(t *testing.T) {
	admin := &User{ID: 1, Roles: []Role{{Kind: Administrator}}}
	other := &User{ID: 2, Roles: []Role{{Kind: Administrator}}}
	if err := CheckRoleChange(admin, admin, []Role{{Kind: Officer}}); !errors.Is(err, ErrSelfDemote) {
		t.Errorf("self-demotion: %v", err)
	}
	if err := CheckRoleChange(admin, admin, []Role{{Kind: Officer}, {Kind: Administrator}}); err != nil {
		t.Errorf("self keeping admin: %v", err)
	}
	if err := CheckRoleChange(admin, other, nil); err != nil {
		t.Errorf("demoting another: %v", err)
	}
	if err := CheckDisable(admin, admin, true); !errors.Is(err, ErrSelfDeactivate) {
		t.Errorf("self-deactivation: %v", err)
	}
	if err := CheckDisable(admin, admin, false); err != nil {
		t.Errorf("self-reactivation: %v", err)
	}
	if err := CheckDisable(admin, other, true); err != nil {
		t.Errorf("deactivating another: %v", err)
	}
}
