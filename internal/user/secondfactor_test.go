package user

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

func TestMatchTOTP(t *testing.T) {
	secret, uri, err := NewTOTPSecret("olle@example.se")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/partnerskap:olle@example.se?") || !strings.Contains(uri, "secret="+secret) {
		t.Errorf("uri %q", uri)
	}
	if len(secret) != 32 { // 160 bits in base32
		t.Errorf("secret %q: %d characters, want 32", secret, len(secret))
	}
	now := time.Date(2026, 12, 7, 8, 0, 10, 0, time.UTC)
	step := TOTPStep(now)
	code := func(at time.Time) string {
		c, err := totp.GenerateCode(secret, at) // the library's own, as an app computes it
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name     string
		code     string
		lastStep int64
		want     bool
		wantStep int64
	}{
		{"current", code(now), 0, true, step},
		{"typed with a space", code(now)[:3] + " " + code(now)[3:], 0, true, step},
		{"one step late", code(now.Add(-30 * time.Second)), 0, true, step - 1},
		{"one step early", code(now.Add(30 * time.Second)), 0, true, step + 1},
		{"two steps late", code(now.Add(-60 * time.Second)), 0, false, 0},
		{"two steps early", code(now.Add(60 * time.Second)), 0, false, 0},
		{"replayed", code(now), step, false, 0},
		{"older than the last used", code(now.Add(-30 * time.Second)), step, false, 0},
		{"newer than the last used", code(now.Add(30 * time.Second)), step, true, step + 1},
		{"too short", code(now)[:5], 0, false, 0},
		{"letters", "abcdef", 0, false, 0},
	}
	for _, tc := range tests {
		got, ok := MatchTOTP(secret, tc.code, tc.lastStep, now)
		if ok != tc.want || got != tc.wantStep {
			t.Errorf("%s: MatchTOTP = %d, %v; want %d, %v", tc.name, got, ok, tc.wantStep, tc.want)
		}
	}
	if c, _ := TOTPCode(secret, now); c != code(now) {
		t.Errorf("TOTPCode %q, library %q", c, code(now))
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes := NewRecoveryCodes()
	if len(codes) != RecoveryCodeCount || len(hashes) != RecoveryCodeCount {
		t.Fatalf("%d codes, %d hashes", len(codes), len(hashes))
	}
	shape := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$`)
	seen := map[string]bool{}
	for i, c := range codes {
		if !shape.MatchString(c) {
			t.Errorf("code %q has not the shape xxxx-xxxx-xxxx", c)
		}
		if seen[c] {
			t.Errorf("code %q twice", c)
		}
		seen[c] = true
		if !bytes.Equal(hashes[i], HashRecoveryCode(c)) {
			t.Errorf("hash %d is not the code's", i)
		}
		if !bytes.Equal(HashRecoveryCode(strings.ToUpper(strings.ReplaceAll(c, "-", " "))), hashes[i]) {
			t.Errorf("code %q typed in capitals with spaces hashes differently", c)
		}
		if IsTOTPCode(c) {
			t.Errorf("recovery code %q taken for a TOTP code", c)
		}
	}
	// 12 characters of 32 possible each: 60 bits, above the 50 asked for.
	if bits := 12 * 5; bits < 50 || len(recoveryAlphabet) != 32 {
		t.Errorf("%d bits from an alphabet of %d", bits, len(recoveryAlphabet))
	}
	if !IsTOTPCode("123 456") || IsTOTPCode("12345") {
		t.Error("IsTOTPCode")
	}
}

func TestNextSignInStep(t *testing.T) {
	officer := &User{Roles: []Role{{Kind: Officer}}}
	admin := &User{Roles: []Role{{Kind: Administrator}}}
	applicant := &User{Roles: []Role{{Kind: Applicant, OrganisationID: 1}}}
	reviewer := &User{Roles: []Role{{Kind: Reviewer}}}
	enrolled := SecondFactorStatus{Enrolled: true}
	tests := []struct {
		name string
		u    *User
		st   SecondFactorStatus
		done bool
		want SignInStep
	}{
		{"officer without a factor enrols", officer, SecondFactorStatus{}, false, StepEnrol},
		{"administrator without a factor enrols", admin, SecondFactorStatus{}, false, StepEnrol},
		{"officer with a factor gives a code", officer, enrolled, false, StepCode},
		{"demo officer is exempt", officer, SecondFactorStatus{DemoExempt: true}, false, StepDone},
		{"demo officer who enrolled gives a code", officer, SecondFactorStatus{Enrolled: true, DemoExempt: true}, false, StepCode},
		{"provider asserted the factor", officer, SecondFactorStatus{}, true, StepDone},
		{"applicant without a factor", applicant, SecondFactorStatus{}, false, StepDone},
		{"reviewer without a factor", reviewer, SecondFactorStatus{}, false, StepDone},
		{"applicant with a factor gives a code", applicant, enrolled, false, StepCode},
	}
	for _, tc := range tests {
		if got := NextSignInStep(tc.u, tc.st, tc.done); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if MayDisableSecondFactor(officer) || MayDisableSecondFactor(admin) || !MayDisableSecondFactor(applicant) {
		t.Error("MayDisableSecondFactor")
	}
}
