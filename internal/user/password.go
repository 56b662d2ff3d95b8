package user

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/icld/partnerskap/internal/validate"
)

// The password rule follows NIST SP 800-63B's advice for chosen
// passwords: length, and a check against passwords known to be common,
// rather than composition rules ("a digit and a capital letter"), which
// make passwords harder to remember without making them harder to guess.

// MinPasswordLength is the fewest characters (runes, so å counts as one)
// a password may have: NIST's eight, with a margin.
const MinPasswordLength = 10

// commonPasswordList holds the 10,000 most common passwords of at least
// MinPasswordLength characters, lower-cased, one a line; data/README.md
// says where it comes from and under which licence.
//
//go:embed data/common-passwords.txt
var commonPasswordList string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	lines := strings.Split(commonPasswordList, "\n")
	m := make(map[string]struct{}, len(lines))
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			m[l] = struct{}{}
		}
	}
	return m
})

// CommonPassword reports whether pw is among the common passwords,
// ignoring case and the spaces around it: "Password123 " is as easily
// guessed as "password123".
func CommonPassword(pw string) bool {
	_, ok := commonPasswords()[strings.ToLower(strings.TrimSpace(pw))]
	return ok
}

// CheckPassword adds a field error when pw is too short
// (error.user.password_short), among the common passwords
// (error.user.password_common) or one of personal — the account's e-mail
// address and name — or an address's part before the @
// (error.user.password_personal): the first thing a guesser who knows
// whose account it is would try. Only the first problem found is given.
func CheckPassword(errs validate.Errors, field, pw string, personal ...string) {
	switch {
	case len([]rune(pw)) < MinPasswordLength:
		errs.Add(field, "error.user.password_short")
	case CommonPassword(pw):
		errs.Add(field, "error.user.password_common")
	case personalPassword(pw, personal):
		errs.Add(field, "error.user.password_personal")
	}
}

// personalPassword reports whether pw, compared as CommonPassword
// compares, is one of personal or the part before the @ of one.
func personalPassword(pw string, personal []string) bool {
	pw = strings.ToLower(strings.TrimSpace(pw))
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if pw == p {
			return true
		}
		if local, _, ok := strings.Cut(p, "@"); ok && local != "" && pw == local {
			return true
		}
	}
	return false
}
