// Package store defines the one storage interface the application uses
// and its one SQL implementation, DB, over database/sql. store/sqlite (the
// default) and store/postgres open a database, migrate it and give DB their
// Dialect and Engine hooks; store/storetest holds the conformance suite
// both must pass.
//
// Reads are nouns, changes are verbs. Every change takes the Actor who makes
// it and writes its audit entry in the same transaction. Business rules are
// checked with domain code inside the transaction, after taking the lock the
// rule needs, so the two engines differ only in their dialect. Each area's
// interface sits in the file that implements it (grant.go, session.go, …).
// A "row lock" in the comments is Dialect.ForUpdate (or ForShare) on
// PostgreSQL; on SQLite a write transaction holds the database's one write
// lock from BEGIN, which covers every row.
package store

import (
	"context"
	"errors"
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
	AuditChain
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
	SecondFactors
	Accounts
	Members
	CallReviewers
	Privacy

	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// CheckWrite checks that the database takes a write, which Ping does
	// not: a read-only database, or one whose disk is full, fails here.
	// It changes nothing and moves no DataVersion.
	CheckWrite(ctx context.Context) error
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
