package user

import (
	"errors"
	"slices"
)

// SSOIdentity is what an identity provider vouched for about a person in
// an ID token whose signature, issuer, audience, expiry and nonce have
// already been verified (internal/sso). It names no account: single
// sign-on signs in to an account that already exists, found by the
// verified e-mail address, and never creates one.
type SSOIdentity struct {
	Subject       string   // the provider's own identifier for the person ("sub")
	Email         string   // "email", as the provider sent it
	EmailVerified bool     // "email_verified": the provider checked the person holds Email
	Methods       []string // "amr": how the person authenticated (RFC 8176)
}

var (
	// ErrSSONoEmail refuses an identity without an e-mail address: there
	// is nothing to find the account by.
	ErrSSONoEmail = errors.New("sso: the provider sent no e-mail address")
	// ErrSSOEmailUnverified refuses an address the provider has not
	// verified: anyone could have typed it into their profile there, and
	// taken over the account that holds it here.
	ErrSSOEmailUnverified = errors.New("sso: the provider has not verified the e-mail address")
	// ErrSSONoAccount refuses an address with no active account: single
	// sign-on registers nobody, and a deactivated account stays shut.
	ErrSSONoAccount = errors.New("sso: no active account has the e-mail address")
)

// Address is the normalised e-mail address to find the account by, as
// Normalize writes every account's: only a verified one.
func (id SSOIdentity) Address() (string, error) {
	u := User{Email: id.Email}
	u.Normalize()
	switch {
	case u.Email == "":
		return "", ErrSSONoEmail
	case !id.EmailVerified:
		return "", ErrSSOEmailUnverified
	}
	return u.Email, nil
}

// SSOAccount checks the account found by the identity's address (nil when
// none was): single sign-on signs in only to an account that exists and is
// active.
func SSOAccount(u *User) error {
	if u == nil || u.Disabled {
		return ErrSSONoAccount
	}
	return nil
}

// Authentication methods of RFC 8176 ("amr" values), by the kind of factor
// each proves: something one knows, has, or is.
var (
	knowledgeMethods  = []string{"pwd", "pin", "kba"}
	possessionMethods = []string{"otp", "hwk", "swk", "sc", "sms", "tel"}
	inherenceMethods  = []string{"fpt", "face", "iris", "retina", "vbm"}
)

// SecondFactor reports whether the provider asserts that the person
// proved a second factor, so this system need not ask for its own. It
// does when the methods say "mfa" (multiple-factor authentication, RFC
// 8176 §2), or when they name factors of two different kinds: a password
// or PIN with a one-time code or a key ("pwd" + "otp", "pin" + "hwk"), a
// key with a fingerprint. One kind alone is one factor, however many
// methods: "otp" alone, or "pwd" + "kba". Anything else (no "amr", "user",
// "geo", "wia", "mca", unknown values) asserts nothing, and the second
// factor is asked for here.
func (id SSOIdentity) SecondFactor() bool {
	if slices.Contains(id.Methods, "mfa") {
		return true
	}
	kinds := 0
	for _, kind := range [][]string{knowledgeMethods, possessionMethods, inherenceMethods} {
		if slices.ContainsFunc(id.Methods, func(m string) bool { return slices.Contains(kind, m) }) {
			kinds++
		}
	}
	return kinds >= 2
}
