package user

import (
	"errors"
	"testing"
)

func TestSSOSecondFactor(t *testing.T) {
	for _, tt := range []struct {
		amr  []string
		want bool
	}{
		{nil, false},
		{[]string{}, false},
		{[]string{"pwd"}, false},
		{[]string{"mfa"}, true},
		{[]string{"pwd", "mfa"}, true},
		{[]string{"pwd", "otp"}, true},
		{[]string{"otp", "pwd"}, true},
		{[]string{"pin", "hwk"}, true},
		{[]string{"swk", "pwd"}, true},
		{[]string{"hwk", "fpt"}, true},
		{[]string{"pwd", "face"}, true},
		{[]string{"sms", "pwd"}, true},
		{[]string{"otp"}, false},        // one factor: something one has
		{[]string{"hwk"}, false},        // a key alone
		{[]string{"hwk", "swk"}, false}, // two keys: still one kind
		{[]string{"pwd", "kba"}, false}, // two things one knows
		{[]string{"pwd", "user"}, false},
		{[]string{"pwd", "geo", "wia", "mca", "rba"}, false},
		{[]string{"MFA"}, false}, // amr values are case-sensitive
		{[]string{"pwd otp"}, false},
	} {
		if got := (SSOIdentity{Methods: tt.amr}).SecondFactor(); got != tt.want {
			t.Errorf("SecondFactor(%q) = %v, want %v", tt.amr, got, tt.want)
		}
	}
}

func TestSSOAddress(t *testing.T) {
	for _, tt := range []struct {
		id   SSOIdentity
		want string
		err  error
	}{
		{SSOIdentity{Email: " Åsa@Kalix.SE ", EmailVerified: true}, "åsa@kalix.se", nil},
		{SSOIdentity{Email: "asa@kalix.se", EmailVerified: false}, "", ErrSSOEmailUnverified},
		{SSOIdentity{Email: "", EmailVerified: true}, "", ErrSSONoEmail},
		{SSOIdentity{Email: "  ", EmailVerified: false}, "", ErrSSONoEmail},
	} {
		got, err := tt.id.Address()
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%+v: got %q, %v; want %q, %v", tt.id, got, err, tt.want, tt.err)
		}
	}
}

func TestSSOAccount(t *testing.T) {
	if err := SSOAccount(nil); !errors.Is(err, ErrSSONoAccount) {
		t.Errorf("no account: %v", err)
	}
	if err := SSOAccount(&User{Disabled: true}); !errors.Is(err, ErrSSONoAccount) {
		t.Errorf("deactivated: %v", err)
	}
	if err := SSOAccount(&User{}); err != nil {
		t.Errorf("active: %v", err)
	}
}
