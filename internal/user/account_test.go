package user

import (
	"testing"
	"time"
)

func TestAccountTokenUsable(t *testing.T) {
	now := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	fresh := AccountToken{Purpose: ResetPassword, CreatedAt: now, ExpiresAt: now.Add(AccountTokenTTL)}
	used := fresh
	used.UsedAt = now
	tests := []struct {
		name    string
		tok     *AccountToken
		purpose TokenPurpose
		at      time.Time
		want    bool
	}{
		{"fresh", &fresh, ResetPassword, now, true},
		{"just before expiry", &fresh, ResetPassword, now.Add(AccountTokenTTL - time.Second), true},
		{"expired", &fresh, ResetPassword, now.Add(AccountTokenTTL), false},
		{"used", &used, ResetPassword, now, false},
		{"other purpose", &fresh, ConfirmEmail, now, false},
		{"unknown", nil, ResetPassword, now, false},
	}
	for _, tt := range tests {
		if got := tt.tok.Usable(tt.purpose, tt.at); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	if AccountTokenTTL != time.Hour {
		t.Errorf("AccountTokenTTL %v: the README states an hour", AccountTokenTTL)
	}
}

func TestCheckEmailChange(t *testing.T) {
	u := &User{ID: 1, Email: "asa@kalix.se"}
	tests := []struct {
		name  string
		email string
		taken bool
		asked int
		want  error
	}{
		{"new address", "asa.berg@kalix.se", false, 0, nil},
		{"own address", "ASA@kalix.se", false, 0, ErrEmailUnchanged},
		{"taken", "olle@kalix.se", true, 0, ErrEmailTaken},
		{"last allowed", "asa.berg@kalix.se", false, EmailChangesPerHour - 1, nil},
		{"too many", "asa.berg@kalix.se", false, EmailChangesPerHour, ErrTooManyEmailChanges},
	}
	for _, tt := range tests {
		if got := CheckEmailChange(u, tt.email, tt.taken, tt.asked); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
