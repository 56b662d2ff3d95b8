package user

import (
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"github.com/icld/partnerskap/internal/validate"
)

// A second factor proves, besides the password, that the person holds
// the device they enrolled: a time-based one-time password (TOTP, RFC
// 6238) computed by an authenticator app from a secret shared once, at
// enrolment, through a QR code or typed in. Officers and administrators
// must have one; everyone else may. Ten recovery codes, each usable once,
// stand in for a lost device; an administrator can also reset the factor.

const (
	// TOTPPeriod, TOTPDigits and SHA1 are what every authenticator app
	// understands without being told (RFC 6238's defaults).
	TOTPPeriod = 30 * time.Second
	TOTPDigits = 6
	// TOTPSkew is how many steps before or after the server's a code may
	// be from, for a phone whose clock is a little off.
	TOTPSkew = 1
	// RecoveryCodeCount is how many recovery codes an enrolment gives.
	RecoveryCodeCount = 10
	// PendingSignIn is how long a session that has passed the password
	// may take to give its second factor (or enrol one) before it must
	// start again.
	PendingSignIn = 10 * time.Minute
	// TOTPIssuer names the service in the authenticator app.
	TOTPIssuer = "partnerskap"
)

// ErrWrongCode refuses a code that is not the current one, was used
// before, or is no unused recovery code.
var ErrWrongCode = validate.NewField("code", "error.second_factor.wrong_code")

// SecondFactor is a person's enrolled second factor. The secret stays on
// the server: the code cannot be checked without it, so it cannot be
// hashed as a password is.
type SecondFactor struct {
	UserID       int64
	Secret       string // base32, as authenticator apps take it
	LastStep     int64  // the last TOTP step used; a code of that step or earlier is refused
	EnrolledAt   time.Time
	RecoveryLeft int // unused recovery codes
}

// SecondFactorStatus is what a sign-in needs to know about a person's
// second factor.
type SecondFactorStatus struct {
	Enrolled     bool
	EnrolledAt   time.Time
	RecoveryLeft int
	// DemoExempt is set for the demo's own accounts while the database
	// is the demo's (the "demo" setting): they sign in with the password
	// alone, so a newcomer can try the demo. No other account is exempt.
	DemoExempt bool
}

// RequiresSecondFactor reports whether u must have a second factor:
// officers and administrators, who read and change every organisation's
// data.
func RequiresSecondFactor(u *User) bool {
	return u.Has(Officer) || u.Has(Administrator)
}

// SignInStep is what a sign-in still needs after the password.
type SignInStep int

const (
	StepDone  SignInStep = iota // signed in
	StepCode                    // give a code of the enrolled factor
	StepEnrol                   // enrol a factor first (it is required)
)

// NextSignInStep decides what u's sign-in needs: a code when a factor is
// enrolled, enrolment when one is required and missing, else nothing.
// factorDone says the factor was proven already (an identity provider
// that asserts it).
func NextSignInStep(u *User, st SecondFactorStatus, factorDone bool) SignInStep {
	switch {
	case factorDone:
		return StepDone
	case st.Enrolled:
		return StepCode
	case RequiresSecondFactor(u) && !st.DemoExempt:
		return StepEnrol
	}
	return StepDone
}

// MayDisableSecondFactor reports whether u may switch the factor off:
// only when it is not required.
func MayDisableSecondFactor(u *User) bool { return !RequiresSecondFactor(u) }

// NewTOTPSecret makes a new random secret (160 bits, RFC 4226's
// recommendation) for account, and the otpauth:// address its QR code
// carries.
func NewTOTPSecret(account string) (secret, uri string, err error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: account, Period: uint(TOTPPeriod.Seconds()),
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return k.Secret(), k.URL(), nil
}

// TOTPStep is the time step t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod.Seconds()) }

// TOTPCode is the code of secret at t (for tests and the demo's tools).
func TOTPCode(secret string, t time.Time) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(TOTPStep(t)), hotpOpts)
}

var hotpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// MatchTOTP checks code against secret at now, allowing TOTPSkew steps
// either way, and returns the step it matched. A code of lastStep or
// before is refused, so a code seen once (over a shoulder, in a proxy's
// log) cannot be used again.
func MatchTOTP(secret, code string, lastStep int64, now time.Time) (int64, bool) {
	code = NormalizeCode(code)
	if len(code) != TOTPDigits {
		return 0, false
	}
	cur := TOTPStep(now)
	for step := cur - TOTPSkew; step <= cur+TOTPSkew; step++ {
		if step <= lastStep || step < 0 {
			continue
		}
		if ok, err := hotp.ValidateCustom(code, uint64(step), secret, hotpOpts); err == nil && ok {
			return step, true
		}
	}
	return 0, false
}

// IsTOTPCode reports whether what a person typed has the shape of a TOTP
// code (six digits) rather than of a recovery code.
func IsTOTPCode(code string) bool {
	code = NormalizeCode(code)
	if len(code) != TOTPDigits {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// NormalizeCode drops what people type around a code (spaces, dashes)
// and lower-cases it.
func NormalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, code)
}

// recoveryAlphabet is Crockford's base32: digits and letters without i,
// l, o and u, so no two are read alike, and 32 of them, so each
// character carries 5 bits (and a random byte maps onto it evenly).
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// recoveryGroups and recoveryGroupLen shape a code as "k7x2-9fq3-m4ab":
// 12 characters, 60 random bits.
const (
	recoveryGroups   = 3
	recoveryGroupLen = 4
)

// NewRecoveryCodes makes RecoveryCodeCount new codes to show the person
// once, and their hashes to store.
func NewRecoveryCodes() (codes []string, hashes [][]byte) {
	for range RecoveryCodeCount {
		raw := make([]byte, recoveryGroups*recoveryGroupLen)
		rand.Read(raw)
		var b strings.Builder
		for i, x := range raw {
			if i > 0 && i%recoveryGroupLen == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[int(x)%len(recoveryAlphabet)])
		}
		codes = append(codes, b.String())
		hashes = append(hashes, HashRecoveryCode(b.String()))
	}
	return codes, hashes
}

// HashRecoveryCode is what the database keeps of a recovery code. A plain
// SHA-256 suffices where a password needs argon2id: a code has 60 random
// bits, so even a leaked hash cannot be reversed by guessing (2^60
// candidates), while a person's password may be guessable from a list.
func HashRecoveryCode(code string) []byte {
	h := sha256.Sum256([]byte("partnerskap recovery code\x00" + NormalizeCode(code)))
	return h[:]
}
