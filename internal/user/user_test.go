package user

import (
	"strings"
	"testing"
	"time"
)

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

func TestUserAgentSummary(t *testing.T) {
	for _, tt := range []struct{ ua, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox, Linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0", "Edge, Windows"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36", "Chrome, macOS"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "Safari, iOS"},
		{"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", "Chrome, Android"},
		{"curl/8.5.0", "curl/8.5.0"},
		{"", ""},
		{strings.Repeat("x", 100), strings.Repeat("x", 60)},
	} {
		if got := UserAgentSummary(tt.ua); got != tt.want {
			t.Errorf("UserAgentSummary(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}

func TestSessionActive(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := Session{CreatedAt: start, ExpiresAt: start.Add(SessionLifetime), LastSeenAt: start}
	for _, tt := range []struct {
		seen, at time.Time
		want     bool
	}{
		{start, start.Add(SessionIdle - time.Second), true},
		{start, start.Add(SessionIdle), false},
		{start.Add(SessionLifetime - time.Hour), start.Add(SessionLifetime - time.Minute), true},
		{start.Add(SessionLifetime - time.Hour), start.Add(SessionLifetime), false},
	} {
		s.LastSeenAt = tt.seen
		if got := s.Active(tt.at); got != tt.want {
			t.Errorf("seen %v, at %v: active %v, want %v", tt.seen.Sub(start), tt.at.Sub(start), got, tt.want)
		}
	}
}
