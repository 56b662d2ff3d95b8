// Package store defines the one storage interface the application uses.
// store/sqlite (the default) and store/postgres implement it, and
// store/storetest holds the conformance suite both must pass.
//
// Reads are nouns, changes are verbs. Every change takes the Actor who makes
// it and writes its audit entry in the same transaction. Business rules are
// checked with domain code inside the transaction, after taking the lock the
// rule needs, so the two engines differ only in SQL and locking.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/user"
)

var (
	// ErrNotFound is returned when a record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned when a change was made against a stale version
	// of a record (someone else saved it first).
	ErrConflict = errors.New("conflict")
)

// Store is the application's storage.
type Store interface {
	Organisations
	Partnerships
	Programmes
	Calls
	Grants
	Users
	Sessions
	Audit
	Settings

	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Engine names the engine: "sqlite" or "postgres".
	Engine() string
	Close() error
}

// Organisations stores municipalities, regions and partners abroad.
type Organisations interface {
	Organisation(ctx context.Context, id int64) (*organisation.Organisation, error)
	// OrganisationByCode finds a Swedish organisation by its SCB code
	// ("09" finds Region Gotland, the kommun 0980).
	OrganisationByCode(ctx context.Context, code string) (*organisation.Organisation, error)
	// OrganisationList returns organisations sorted by name in Swedish order.
	OrganisationList(ctx context.Context, f organisation.Filter) ([]*organisation.Organisation, error)
	// CreateOrganisation validates and inserts o, setting its ID. A Swedish
	// code already taken is a field error on "code".
	CreateOrganisation(ctx context.Context, by audit.Actor, o *organisation.Organisation) error
	// UpdateOrganisation saves o if o.Version is the stored version.
	UpdateOrganisation(ctx context.Context, by audit.Actor, o *organisation.Organisation) error
	// LoadReferenceOrganisations adds the reference organisations that are
	// missing (by code) and leaves existing ones, edited or not, untouched.
	LoadReferenceOrganisations(ctx context.Context, by audit.Actor, list []organisation.Organisation) (added int, err error)
}

// Partnerships stores partnerships with their members and goals.
type Partnerships interface {
	Partnership(ctx context.Context, id int64) (*partnership.Partnership, error)
	// PartnershipList returns partnerships sorted by name in Swedish order.
	PartnershipList(ctx context.Context, f partnership.Filter) ([]*partnership.Partnership, error)
	// CreatePartnership loads the members named by ID in p.Swedish and
	// p.Partners, validates, and inserts p.
	CreatePartnership(ctx context.Context, by audit.Actor, p *partnership.Partnership) error
	UpdatePartnership(ctx context.Context, by audit.Actor, p *partnership.Partnership) error
}

// Programmes stores grant programmes.
type Programmes interface {
	Programme(ctx context.Context, id int64) (*programme.Programme, error)
	ProgrammeList(ctx context.Context) ([]*programme.Programme, error)
	CreateProgramme(ctx context.Context, by audit.Actor, p *programme.Programme) error
	// UpdateProgramme refuses a total budget below the calls' ceilings.
	UpdateProgramme(ctx context.Context, by audit.Actor, p *programme.Programme) error
}

// Calls stores calls for applications.
type Calls interface {
	Call(ctx context.Context, id int64) (*call.Call, error)
	// CallList returns the calls of a programme (all when programmeID is 0),
	// newest opening first.
	CallList(ctx context.Context, programmeID int64) ([]*call.Call, error)
	// CreateCall validates c and checks, holding the programme's lock, that
	// the calls' ceilings stay within the programme's budget.
	CreateCall(ctx context.Context, by audit.Actor, c *call.Call) error
	// UpdateCall refuses a ceiling below what the call has already granted.
	UpdateCall(ctx context.Context, by audit.Actor, c *call.Call) error
}

// Grants stores grants.
type Grants interface {
	Grant(ctx context.Context, id int64) (*grant.Grant, error)
	GrantList(ctx context.Context, f grant.Filter) ([]*grant.Grant, error)
	// CreateGrant locks the call, checks g against the call's ceiling and
	// maximum and the partnership's membership, and inserts it. Concurrent
	// grants in one call never add up to more than its ceiling.
	CreateGrant(ctx context.Context, by audit.Actor, g *grant.Grant) error
	// GrantedInCall returns the sum of the call's grants, in öre.
	GrantedInCall(ctx context.Context, callID int64) (int64, error)
}

// Users stores user accounts and their roles.
type Users interface {
	User(ctx context.Context, id int64) (*user.User, error)
	// UserByEmail finds a user by e-mail address, ignoring case.
	UserByEmail(ctx context.Context, email string) (*user.User, error)
	UserList(ctx context.Context) ([]*user.User, error)
	// CreateUser validates u (and that each role's organisation or
	// programme exists and fits the role) and inserts it. An e-mail address
	// already taken is a field error on "email".
	CreateUser(ctx context.Context, by audit.Actor, u *user.User) error
	UpdateUser(ctx context.Context, by audit.Actor, u *user.User) error
}

// Sessions stores signed-in sessions, so several instances share them.
type Sessions interface {
	CreateSession(ctx context.Context, s user.Session) error
	// SessionUser returns the user of an unexpired session.
	SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (*user.User, error)
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteExpiredSessions removes sessions that expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// Audit reads the audit log and records events that change no record
// (such as signing in).
type Audit interface {
	AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
	RecordEvent(ctx context.Context, by audit.Actor, action, entity string, entityID int64) error
}

// Settings stores small named values, such as whether the demo is loaded.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, by audit.Actor, key, value string) error
	// UserDataCount counts the rows that are not reference data
	// (programmes, calls, partnerships, grants, users, partner
	// organisations), so the demo loader can refuse a database in use.
	UserDataCount(ctx context.Context) (int, error)
}
