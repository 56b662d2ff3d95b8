package user

import (
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/validate"
)

// A person who has forgotten her password asks for a link by e-mail, and
// one who changes her e-mail address proves the new address by a link
// sent to it. Both links carry a single-use token that expires: an
// AccountToken. Only the token's SHA-256 hash is stored, so the database
// leaked signs no one in and changes no address.

// TokenPurpose is what an account token may do.
type TokenPurpose string

const (
	// ResetPassword lets its holder choose a new password for the account.
	ResetPassword TokenPurpose = "reset"
	// ConfirmEmail moves the account to the new address it names.
	ConfirmEmail TokenPurpose = "email"
)

// AccountTokenTTL is how long a reset or confirmation link works: an hour
// is long enough to read the mail and short enough that a link found
// later in a mailbox or a log is worthless.
const AccountTokenTTL = time.Hour

// AccountToken is a single-use link's token, by its hash.
type AccountToken struct {
	ID        int64
	TokenHash []byte
	UserID    int64
	Purpose   TokenPurpose
	Email     string // ConfirmEmail: the new address
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until used, or voided by another change
}

// Usable reports whether the token can still be used at now for purpose:
// unused, unexpired and made for it. A used, expired and unknown token
// are refused alike, so their holder learns nothing from the difference.
func (t *AccountToken) Usable(purpose TokenPurpose, now time.Time) bool {
	return t != nil && t.Purpose == purpose && t.UsedAt.IsZero() && now.Before(t.ExpiresAt)
}

// Reset requests are limited per e-mail address, so nobody can fill a
// person's mailbox with reset links, and per client address, so nobody
// can send links to many addresses. The counts are kept in memory
// (internal/web) like the sign-in limits.
const (
	ResetsPerAddress    = 3                // at once, per e-mail address …
	ResetAddressEvery   = 20 * time.Minute // … then one more every 20 minutes
	ResetsPerClient     = 20               // at once, per client address …
	ResetClientEvery    = 3 * time.Minute  // … then one more every 3 minutes
	PasswordChecksMax   = 5                // wrong current passwords on one's own account page …
	PasswordChecksEvery = time.Minute      // … then one more try a minute
)

// EmailChangesPerHour is how many confirmation links for a new address an
// account may have sent in an hour: each goes to an address its holder
// chooses, so the link must not become a way to mail strangers.
const EmailChangesPerHour = 5

var (
	// ErrEmailUnchanged refuses a "new" address that is the account's own.
	ErrEmailUnchanged = validate.NewField("email", "error.account.email_same")
	// ErrTooManyEmailChanges refuses a change past EmailChangesPerHour.
	ErrTooManyEmailChanges = validate.NewField("email", "error.account.email_too_many")
	// ErrEmailTaken refuses an address another account has.
	ErrEmailTaken = validate.NewField("email", "error.user.email_taken")
)

// CheckEmailChange decides whether u may ask to move to the address
// email (normalised): not its own, not another account's (taken), and
// at most EmailChangesPerHour asked in the last hour.
func CheckEmailChange(u *User, email string, taken bool, askedLastHour int) error {
	switch {
	case strings.EqualFold(strings.TrimSpace(email), u.Email):
		return ErrEmailUnchanged
	case taken:
		return ErrEmailTaken
	case askedLastHour >= EmailChangesPerHour:
		return ErrTooManyEmailChanges
	}
	return nil
}
