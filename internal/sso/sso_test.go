package sso

import (
	"strings"
	"testing"
)

func TestConfigCheck(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		want string // part of the error; "" for none
	}{
		{Config{}, ""}, // off
		{Config{Issuer: "https://login.example.org/realms/icld", ClientID: "p"}, ""},
		{Config{Issuer: "http://localhost:8081", ClientID: "p"}, ""},
		{Config{Issuer: "http://127.0.0.1:8081", ClientID: "p"}, ""},
		{Config{Issuer: "http://[::1]:8081", ClientID: "p"}, ""},
		{Config{Issuer: "http://login.example.org", ClientID: "p"}, "must be https"},
		{Config{Issuer: "http://localhost.example.org", ClientID: "p"}, "must be https"},
		{Config{Issuer: "login.example.org", ClientID: "p"}, "not an absolute URL"},
		{Config{Issuer: "https://login.example.org?tenant=x", ClientID: "p"}, "not an absolute URL"},
		{Config{Issuer: "https://login.example.org"}, "client id"},
	} {
		err := tt.cfg.Check()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v: %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

func TestEmailVerifiedAndMethods(t *testing.T) {
	for v, want := range map[string]bool{`true`: true, `"true"`: true, `false`: false, `"false"`: false, `null`: false, ``: false, `1`: false, `"yes"`: false} {
		if got := isTrue([]byte(v)); got != want {
			t.Errorf("email_verified %s: %v, want %v", v, got, want)
		}
	}
	if got := methods([]byte(`["pwd","otp"]`)); len(got) != 2 || got[1] != "otp" {
		t.Errorf("amr array: %v", got)
	}
	for _, v := range []string{`"mfa"`, `null`, ``, `[1]`} {
		if got := methods([]byte(v)); got != nil {
			t.Errorf("amr %s: %v, want none", v, got)
		}
	}
}
