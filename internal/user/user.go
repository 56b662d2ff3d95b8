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
	LastLoginAt  time.Time // the last sign-in; zero: never
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
//
// A session ends at ExpiresAt (CreatedAt plus SessionLifetime) however busy
// it is, and earlier when no request has come for SessionIdle.
type Session struct {
	TokenHash  []byte
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time // the last request, to within SeenEvery
	UserAgent  string    // a summary of the browser's User-Agent (UserAgentSummary)
	Address    string    // the client's address, as the trusted proxy reports it
	// Pending is a session that has passed the password but not yet the
	// second factor: it reaches only the code and enrolment forms, and
	// its ExpiresAt is PendingSignIn after it began.
	Pending bool
}

const (
	// SessionIdle ends a session no request has used for eight hours: a
	// working day's pauses (lunch, a meeting) keep it; a browser left open
	// overnight on a shared computer does not.
	SessionIdle = 8 * time.Hour
	// SessionLifetime ends every session a week after sign-in, however
	// busy, so a stolen cookie stops working within a week.
	SessionLifetime = 7 * 24 * time.Hour
	// SeenEvery is how often a session's LastSeenAt is written at most:
	// once a minute is precise enough for SessionIdle and for the list of
	// one's sessions, and spares the database a write per request.
	SeenEvery = time.Minute
)

// Active reports whether s still signs its user in at now: before its
// absolute end and within SessionIdle of its last request.
func (s Session) Active(now time.Time) bool {
	return now.Before(s.ExpiresAt) && now.Before(s.LastSeenAt.Add(SessionIdle))
}

// UserAgentSummary shortens a User-Agent header to what a person
// recognises in a list of their sessions: the browser and the system, or
// the first 60 characters when neither is known.
func UserAgentSummary(ua string) string {
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ token, name string }{
		{"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Android", "Android"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + ", " + system
	case browser != "" || system != "":
		return browser + system
	}
	r := []rune(strings.TrimSpace(ua))
	if len(r) > 60 {
		r = r[:60]
	}
	return string(r)
}

// Invite lets a colleague join an organisation as an applicant: a link with
// a single-use token, sent by e-mail, that expires. The database keeps only
// the token's hash.
//
// The same invitation brings staff in: an administrator invites an
// officer (of one programme, or every programme when ProgrammeID is 0), a
// reviewer or an administrator, and an officer invites a reviewer to one
// call (CallID). A staff invitation names no organisation.
type Invite struct {
	ID             int64
	TokenHash      []byte
	Email          string
	OrganisationID int64    // the organisation joined; 0 for a staff invitation
	Role           RoleKind // Applicant or PartnerRole for an organisation; Administrator, Officer or Reviewer for staff
	ProgrammeID    int64    // an officer's programme; 0: every programme
	CallID         int64    // a reviewer's call, which the reviewer joins on accepting; 0: none
	Name           string   // the invitee's name as the sender typed it, offered when the account is created
	InvitedBy      int64
	CreatedAt      time.Time
	ExpiresAt      time.Time
	AcceptedAt     time.Time // zero until used
	WithdrawnAt    time.Time // zero unless the sender (or an administrator) withdrew it
}

// InviteTTL is how long an invitation link works.
const InviteTTL = 7 * 24 * time.Hour

// Usable reports whether the invitation can still be accepted at now.
func (i *Invite) Usable(now time.Time) bool {
	return i.AcceptedAt.IsZero() && i.WithdrawnAt.IsZero() && now.Before(i.ExpiresAt)
}
