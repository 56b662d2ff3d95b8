package store

import (
	"context"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
)

// GrantLife stores what happens to a grant after the decision: the
// grantee's acceptance of the terms, the ledger of its money in whole
// öre, and change requests. Each change takes the grant's lock first, so
// concurrent payments are checked one after the other against the ledger
// rules (ledger.Balance.Apply) and never add up to more than the grant.
type GrantLife interface {
	// Acceptance returns the grant's acceptance, or ErrNotFound while the
	// terms are not accepted.
	Acceptance(ctx context.Context, grantID int64) (*grant.Acceptance, error)
	// AcceptGrant records that by accepted the grant's terms, now. A grant
	// is accepted once: a second acceptance is ErrConflict. Payments are
	// not made by accepting: officers record them (RecordPayment).
	AcceptGrant(ctx context.Context, by audit.Actor, grantID int64) (*grant.Acceptance, error)
	// LedgerEntries returns the grant's ledger, oldest first, always
	// starting with its Granted entry (grant.WithGranted: a grant not yet
	// moved has none stored).
	LedgerEntries(ctx context.Context, grantID int64) ([]ledger.Entry, error)
	// Balance sums the grant's ledger with ledger.Sum.
	Balance(ctx context.Context, grantID int64) (ledger.Balance, error)
	// RecordPayment records money paid to the grantee, holding the grant's
	// lock: a payment the ledger refuses (above what is left of the grant,
	// not positive) is a field error "amount" with the ledger's error key
	// (ledger.ErrOverGranted, ledger.ErrAmount). The grant's Granted entry
	// is stored with its first movement.
	RecordPayment(ctx context.Context, by audit.Actor, grantID, amount int64, note string) (*ledger.Entry, error)
	// RequestChange validates cr against its grant (grant.ChangeRequest.
	// Validate) and stores it as pending, setting its ID and requester.
	RequestChange(ctx context.Context, by audit.Actor, cr *grant.ChangeRequest) error
	// DecideChange approves or rejects a pending request with the
	// officer's note (grant.ChangeRequest.Decide); one already decided
	// is a field error "form" = "error.change.decided".
	DecideChange(ctx context.Context, by audit.Actor, id int64, approve bool, note string) (*grant.ChangeRequest, error)
	ChangeRequest(ctx context.Context, id int64) (*grant.ChangeRequest, error)
	// ChangeRequests returns a grant's requests, oldest first.
	ChangeRequests(ctx context.Context, grantID int64) ([]grant.ChangeRequest, error)
}
