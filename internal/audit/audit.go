// Package audit records who changed what, when, with the record before and
// after. Every store write takes an Actor and writes its entry in the same
// transaction as the change, so the log cannot miss a change.
package audit

import (
	"encoding/json"
	"time"

	"github.com/icld/partnerskap/internal/policy"
)

// Actor is who makes a change: a signed-in user, or the system itself
// (reference data, the demo loader), which has UserID 0 and a Name.
type Actor struct {
	UserID int64
	Name   string
}

// System returns the actor for changes the system makes on its own.
func System(what string) Actor { return Actor{Name: "system:" + what} }

// Entry is one change.
type Entry struct {
	ID       int64
	At       time.Time
	Actor    Actor
	Action   string // "create", "update", "delete", "login", …
	Entity   string // "organisation", "call", …
	EntityID int64
	Before   json.RawMessage // null for a creation
	After    json.RawMessage // null for a deletion
}

// Filter selects entries.
type Filter struct {
	Entity   string
	EntityID int64
	// From and To bound when the entries were written: from From
	// (inclusive) to To (exclusive); a zero time bounds nothing.
	From, To time.Time
	// Scope limits the entries to records of its programmes and records
	// tied to no programme (policy.ProgrammeScope); the zero Scope is every
	// programme.
	Scope policy.Scope
	Limit int
}

// Snapshot encodes a record for Before or After. A nil v gives JSON null.
func Snapshot(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Records are plain structs; failing to encode one is a programming error.
		panic("audit: " + err.Error())
	}
	return b
}
