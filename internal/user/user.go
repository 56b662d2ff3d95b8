// Package user describes the people who sign in and the roles they hold.
package user

import (
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/validate"
)

// RoleKind is what a user may do in the programme.
type RoleKind string

const (
	Administrator RoleKind = "admin"     // administratör: users, organisations, settings
	Officer       RoleKind = "officer"   // handläggare: programmes, calls, decisions
	Reviewer      RoleKind = "reviewer"  // bedömare: scores applications
	Applicant     RoleKind = "applicant" // sökande: contact person of a Swedish organisation
	PartnerRole   RoleKind = "partner"   // partner: contact person of a partner abroad
)

// RoleKinds lists every kind, in the order forms offer them.
var RoleKinds = []RoleKind{Administrator, Officer, Reviewer, Applicant, PartnerRole}

// Role is a role held by a user. Applicant and partner roles concern one
// organisation; an officer role concerns one programme, or every programme
// when ProgrammeID is 0.
type Role struct {
	Kind           RoleKind
	OrganisationID int64
	ProgrammeID    int64
}

// User is a person who can sign in.
type User struct {
	ID           int64
	Email        string
	Name         string
	PasswordHash string // argon2id, PHC string format
	Lang         string // preferred language, "sv" or "en"
	Roles        []Role
	Disabled     bool
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Has reports whether the user holds a role of kind k.
func (u *User) Has(k RoleKind) bool {
	return u != nil && slices.ContainsFunc(u.Roles, func(r Role) bool { return r.Kind == k })
}

// Normalize trims what was typed and lower-cases the e-mail address.
func (u *User) Normalize() {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.TrimSpace(u.Name)
	if u.Lang != "en" {
		u.Lang = "sv"
	}
}

// Validate checks the user's own fields and the shape of the roles; the
// store checks that a scoped organisation or programme exists and has the
// right kind.
func (u *User) Validate() validate.Errors {
	errs := validate.Errors{}
	errs.Required("email", u.Email)
	if u.Email != "" {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
			errs.Add("email", "error.user.email")
		}
	}
	errs.Required("name", u.Name)
	errs.MaxLen("name", u.Name, 200)
	for _, r := range u.Roles {
		switch r.Kind {
		case Applicant, PartnerRole:
			if r.OrganisationID == 0 {
				errs.Add("roles", "error.user.role_needs_organisation")
			}
		case Administrator, Officer, Reviewer:
			if r.OrganisationID != 0 {
				errs.Add("roles", "error.user.role_no_organisation")
			}
		default:
			errs.Add("roles", "error.invalid_choice")
		}
	}
	return errs
}

// Session is a signed-in browser. The token itself is only in the cookie;
// the database holds its SHA-256 hash, so a leaked database signs no one in.
type Session struct {
	TokenHash []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Invite lets a colleague join an organisation as an applicant: a link with
// a single-use token, sent by e-mail, that expires. The database keeps only
// the token's hash.
type Invite struct {
	ID             int64
	TokenHash      []byte
	Email          string
	OrganisationID int64
	Role           RoleKind // Applicant (or PartnerRole for a partner organisation)
	InvitedBy      int64
	CreatedAt      time.Time
	ExpiresAt      time.Time
	AcceptedAt     time.Time // zero until used
}

// InviteTTL is how long an invitation link works.
const InviteTTL = 7 * 24 * time.Hour

// Usable reports whether the invitation can still be accepted at now.
func (i *Invite) Usable(now time.Time) bool {
	return i.AcceptedAt.IsZero() && now.Before(i.ExpiresAt)
}
