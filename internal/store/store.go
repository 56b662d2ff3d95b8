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

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/review"
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
	Applications
	Reviews
	Decisions
	Registry
	Outbox
	Attachments
	Invites
	Surveys
	GrantLife
	Activities
	Reports
	Stories
	Materials

	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Engine names the engine: "sqlite" or "postgres".
	Engine() string
	// DataVersion is a number that grows after every committed change to
	// the data, made by this process or by another on the same database
	// (visible here within moments), so caches of what was read can key on
	// it. A transaction that changed nothing leaves it as it was. An error
	// means changes can't be followed at the moment: cache nothing.
	DataVersion(ctx context.Context) (uint64, error)
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
	// f.Query is a full-text search, as PartnershipSearch.
	PartnershipList(ctx context.Context, f partnership.Filter) ([]*partnership.Partnership, error)
	// PartnershipSearch returns, in ascending order, the IDs of the
	// partnerships whose text (name, theme, description, members, partner
	// countries) matches query in Swedish or English, inflected forms
	// included (package search). A query without words matches all; both
	// engines give the same IDs.
	PartnershipSearch(ctx context.Context, query string) ([]int64, error)
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

// Applications stores applications, their submitted versions and timeline.
// Every state change writes a timeline entry (application.Change) and an
// audit entry in its transaction; mails passed in are queued in the outbox
// in the same transaction.
type Applications interface {
	Application(ctx context.Context, id int64) (*application.Application, error)
	// ApplicationList returns applications f selects, oldest first.
	ApplicationList(ctx context.Context, f application.Filter) ([]*application.Application, error)
	// CreateApplication starts a draft after checking eligibility with
	// application.CheckEligibility: the call open now, the partnership
	// active today, the organisation a Swedish member of it.
	CreateApplication(ctx context.Context, by audit.Actor, a *application.Application) error
	// SaveDraft saves a.Answers (and the computed amount requested) if the
	// state is editable and a.Version is the stored version; otherwise
	// ErrConflict (someone saved first) or application.ErrTransition.
	SaveDraft(ctx context.Context, by audit.Actor, a *application.Application) error
	// SubmitApplication submits the working copy at version: the answers
	// must be complete (form.Check), and a first submission must come while
	// the call is open (a resubmission after a completion request may come
	// later). It freezes a Snapshot, registers it and queues mails.
	SubmitApplication(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error)
	// Transition applies an officer's or applicant's event (not Submit, not
	// a decision) with a note for the timeline.
	Transition(ctx context.Context, by audit.Actor, id int64, e application.Event, note string, mails []mail.Message) error
	// Snapshots returns the submitted versions, oldest first.
	Snapshots(ctx context.Context, applicationID int64) ([]application.Snapshot, error)
	// Timeline returns what happened to the application, oldest first.
	Timeline(ctx context.Context, applicationID int64) ([]application.Change, error)
}

// Reviews stores reviewer assignments, conflict declarations and reviews.
type Reviews interface {
	// AssignReviewer gives the application to a user holding the reviewer
	// role; the application must be in review.
	AssignReviewer(ctx context.Context, by audit.Actor, applicationID, reviewerID int64) error
	Assignments(ctx context.Context, applicationID int64) ([]review.Assignment, error)
	// Assignment returns one reviewer's assignment, or ErrNotFound when the
	// application is not assigned to them.
	Assignment(ctx context.Context, applicationID, reviewerID int64) (*review.Assignment, error)
	// DeclareConflict records the reviewer's declaration.
	DeclareConflict(ctx context.Context, by audit.Actor, applicationID, reviewerID int64, conflict bool, note string) error
	// SaveReview saves a draft review, or submits it when submit is true
	// (then it must pass review.Check). The reviewer must be assigned, have
	// declared no conflict, and the application be in review.
	SaveReview(ctx context.Context, by audit.Actor, r *review.Review, submit bool) error
	// Reviews returns the reviews of an application (all when 0 and callID
	// set by ReviewsInCall).
	Reviews(ctx context.Context, applicationID int64) ([]review.Review, error)
	ReviewsInCall(ctx context.Context, callID int64) ([]review.Review, error)
}

// Decisions stores decisions. Decide is where the ceiling is kept.
type Decisions interface {
	// Decide locks the call, checks the application may be decided
	// (application.CanDecide) and the decision (decision.Check), and that
	// the call's granted total plus d.Amount stays within the ceiling
	// (else a field error "amount" = "error.grant.over_ceiling"). A grant
	// creates the grant record. The decision is registered and mails
	// queued, all in one transaction.
	Decide(ctx context.Context, by audit.Actor, d *decision.Decision, mails []mail.Message) error
	Decision(ctx context.Context, applicationID int64) (*decision.Decision, error)
	DecisionsInCall(ctx context.Context, callID int64) ([]decision.Decision, error)
}

// Registry stores the diarium.
type Registry interface {
	RegistryList(ctx context.Context, f registry.Filter) ([]registry.Entry, error)
	RegistryEntry(ctx context.Context, id int64) (*registry.Entry, error)
	SetConfidential(ctx context.Context, by audit.Actor, id int64, confidential bool, reason string) error
}

// Outbox stores e-mail waiting to be sent. Workers on several instances
// claim messages so each is sent by one of them.
type Outbox interface {
	// QueueMail queues msgs, due at once, in one transaction, setting
	// their IDs. (A change that causes mail queues it in its own
	// transaction instead.)
	QueueMail(ctx context.Context, msgs []mail.Message) error
	// ClaimMail claims up to limit messages due at now for lease, counting
	// an attempt for each; a claim that is not marked sent or failed
	// before the lease ends is retried. Concurrent claimers get disjoint
	// messages.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mail.Message, error)
	// MarkMailSent records that the SMTP server accepted the message; it
	// is never claimed again.
	MarkMailSent(ctx context.Context, id int64, at time.Time) error
	// MarkMailFailed records reason as LastError and ends the claim: the
	// message is due again at next or, when next is the zero time, never
	// (it reads back with a zero NextTry: mail.Message.GaveUp). A message
	// already sent is left as it is.
	MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error
	// MailList returns messages, newest first (for officers and tests).
	MailList(ctx context.Context, limit int) ([]mail.Message, error)
}

// Attachments stores the metadata of uploaded files; the bytes are in a
// file store (filestore.Store), written before AddAttachment and deleted
// after DeleteAttachment by the caller. Files change only while the
// application's answers are editable (else application.ErrTransition), and
// audit entries are written with each change.
type Attachments interface {
	// AddAttachment validates a (attachment.Validate) and records it,
	// setting its ID, UploadedBy and CreatedAt.
	AddAttachment(ctx context.Context, by audit.Actor, a *attachment.Attachment) error
	Attachment(ctx context.Context, id int64) (*attachment.Attachment, error)
	// AttachmentList returns an application's attachments in upload order.
	AttachmentList(ctx context.Context, applicationID int64) ([]*attachment.Attachment, error)
	// DeleteAttachment removes an attachment uploaded since the
	// application was last submitted: one that belongs to a submitted
	// version stays (application.ErrTransition).
	DeleteAttachment(ctx context.Context, by audit.Actor, id int64) error
}

// Invites stores invitations of colleagues to an organisation.
type Invites interface {
	// CreateInvite stores inv (its token hash set by the caller) and
	// queues its mail in the same transaction.
	CreateInvite(ctx context.Context, by audit.Actor, inv *user.Invite, mails []mail.Message) error
	// InviteByToken returns an invitation by its token hash (used or not).
	InviteByToken(ctx context.Context, tokenHash []byte) (*user.Invite, error)
	// AcceptInvite creates the user with the invitation's role, or adds the
	// role to an existing user with the e-mail address, and marks the
	// invitation used, once: a second use is ErrConflict, an expired one
	// ErrNotFound.
	AcceptInvite(ctx context.Context, tokenHash []byte, u *user.User, now time.Time) error
}
