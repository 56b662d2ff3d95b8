package user

import (
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/validate"
)

func TestCheckPassword(t *testing.T) {
	personal := []string{"karin.kollega@arvika.se", "Karin Kollegasson"}
	tests := []struct {
		pw, want string
	}{
		{"demo-partnerskap", ""}, // the demo's password
		{"gröna äpplen", ""},
		{"åäöåäöåäöå", ""}, // ten runes, twenty bytes
		{"åäöåäöåäö", "error.user.password_short"},
		{"kort", "error.user.password_short"},
		{"", "error.user.password_short"},
		{"password123", "error.user.password_common"},
		{"qwertyuiop", "error.user.password_common"},
		{"QWERTYUIOP", "error.user.password_common"},
		{" 1234567890 ", "error.user.password_common"},
		{"karin.kollega@arvika.se", "error.user.password_personal"},
		{"Karin.Kollega", "error.user.password_personal"},
		{"karin kollegasson", "error.user.password_personal"},
		{"karin.kollega1", ""},
	}
	for _, tt := range tests {
		errs := validate.Errors{}
		CheckPassword(errs, "password", tt.pw, personal...)
		if got := errs["password"]; got != tt.want {
			t.Errorf("CheckPassword(%q) = %q, want %q", tt.pw, got, tt.want)
		}
	}
}

// The list is what its README says: 10,000 lower-cased, trimmed, distinct
// passwords, none shorter than the rule's minimum (a shorter one could
// never be reached), and the demo's password is not among them.
func TestCommonPasswordList(t *testing.T) {
	m := commonPasswords()
	if len(m) != 10000 {
		t.Errorf("%d passwords, want 10000", len(m))
	}
	for pw := range m {
		if pw != strings.ToLower(strings.TrimSpace(pw)) || len([]rune(pw)) < MinPasswordLength {
			t.Errorf("%q in the list", pw)
		}
	}
	if CommonPassword("demo-partnerskap") {
		t.Error("the demo's password is in the list")
	}
}
