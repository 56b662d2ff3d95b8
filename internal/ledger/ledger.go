// Package ledger keeps a grant's money in whole öre: what was granted, paid
// out, reported as spent, found to be repaid, and repaid. Each movement is
// an entry; the balance is their sum, and Apply refuses any entry that
// would break the rules, so a ledger built through it always adds up.
package ledger

import (
	"errors"
	"fmt"
	"time"
)

// Kind is what an entry moves.
type Kind string

const (
	Granted Kind = "granted"  // the decision: sets what may be paid
	Paid    Kind = "paid"     // money paid to the grantee
	Spent   Kind = "spent"    // costs the grantee reports (a correction is negative)
	ToRepay Kind = "to_repay" // unspent money found at closing
	Repaid  Kind = "repaid"   // money paid back
)

// Kinds lists every kind in the order a grant's life meets them.
var Kinds = []Kind{Granted, Paid, Spent, ToRepay, Repaid}

// Entry is one movement.
type Entry struct {
	ID      int64
	GrantID int64
	Kind    Kind
	Amount  int64 // öre; positive, except a correction of Spent
	At      time.Time
	By      int64
	Note    string
}

// Balance is the sum of a grant's entries by kind.
type Balance struct {
	Granted int64
	Paid    int64
	Spent   int64
	ToRepay int64
	Repaid  int64
}

// Unpaid is what is granted but not yet paid.
func (b Balance) Unpaid() int64 { return b.Granted - b.Paid }

// Unspent is what was paid and not reported as spent (never below zero:
// costs above what was paid were met by the grantee until paid).
func (b Balance) Unspent() int64 { return max(b.Paid-b.Spent, 0) }

// Outstanding is what is still to be repaid.
func (b Balance) Outstanding() int64 { return b.ToRepay - b.Repaid }

// Unclaimed is what was paid and not spent but not yet claimed back
// (ToRepay): what settling the grant after its final report adds to be
// repaid.
func (b Balance) Unclaimed() int64 { return max(b.Unspent()-b.ToRepay, 0) }

// OwedBack is what the grantee owes back once the final report is
// approved: what was paid and not spent, less what was repaid, whether
// or not it has been claimed (ToRepay) yet.
func (b Balance) OwedBack() int64 { return max(b.Unspent()-b.Repaid, 0) }

// Settled reports whether nothing is owed either way: the grantee is not
// owed money for costs above what was paid, all unspent money has been
// claimed back, and it has been repaid.
func (b Balance) Settled() bool {
	return b.Paid >= b.Spent && b.ToRepay == b.Unspent() && b.Outstanding() == 0
}

// Errors Apply returns; each is a message key as well.
var (
	ErrAmount        = errors.New("error.ledger.amount")         // zero, or negative where not allowed
	ErrOverGranted   = errors.New("error.ledger.over_granted")   // paying more than granted
	ErrSpentOver     = errors.New("error.ledger.spent_over")     // spent above the grant
	ErrSpentNegative = errors.New("error.ledger.spent_negative") // a correction below zero
	ErrRepayOver     = errors.New("error.ledger.repay_over")     // more to repay than is unspent
	ErrRepaidOver    = errors.New("error.ledger.repaid_over")    // repaying more than is due
	ErrGrantedTwice  = errors.New("error.ledger.granted_twice")  // the grant is set once
	ErrNotGranted    = errors.New("error.ledger.not_granted")    // movements before the grant
)

// Apply returns the balance after e, or an error and the balance unchanged.
// The rules: the grant is set once and first; payments are positive and
// never exceed the grant; spending reported (with negative corrections)
// stays between zero and the grant; what is to be repaid never exceeds
// what was paid and not spent; repayments never exceed what is due. So no
// balance is ever negative.
func (b Balance) Apply(e Entry) (Balance, error) {
	if e.Kind != Granted && b.Granted == 0 {
		return b, ErrNotGranted
	}
	switch e.Kind {
	case Granted:
		if b.Granted != 0 {
			return b, ErrGrantedTwice
		}
		if e.Amount <= 0 {
			return b, ErrAmount
		}
		b.Granted = e.Amount
	case Paid:
		if e.Amount <= 0 {
			return b, ErrAmount
		}
		if b.Paid+e.Amount > b.Granted {
			return b, ErrOverGranted
		}
		b.Paid += e.Amount
	case Spent:
		if e.Amount == 0 {
			return b, ErrAmount
		}
		if b.Spent+e.Amount < 0 {
			return b, ErrSpentNegative
		}
		if b.Spent+e.Amount > b.Granted {
			return b, ErrSpentOver
		}
		b.Spent += e.Amount
	case ToRepay:
		if e.Amount <= 0 {
			return b, ErrAmount
		}
		if b.ToRepay+e.Amount > b.Unspent() {
			return b, ErrRepayOver
		}
		b.ToRepay += e.Amount
	case Repaid:
		if e.Amount <= 0 {
			return b, ErrAmount
		}
		if e.Amount > b.Outstanding() {
			return b, ErrRepaidOver
		}
		b.Repaid += e.Amount
	default:
		return b, fmt.Errorf("ledger: unknown kind %q", e.Kind)
	}
	return b, nil
}

// Sum rebuilds the balance from entries, failing on the first that breaks
// a rule: a stored ledger must replay cleanly.
func Sum(entries []Entry) (Balance, error) {
	var b Balance
	for i, e := range entries {
		var err error
		if b, err = b.Apply(e); err != nil {
			return b, fmt.Errorf("ledger: entry %d (%s %d): %w", i, e.Kind, e.Amount, err)
		}
	}
	return b, nil
}

// Check verifies the invariants a balance must always hold.
func (b Balance) Check() error {
	switch {
	case b.Granted < 0 || b.Paid < 0 || b.Spent < 0 || b.ToRepay < 0 || b.Repaid < 0:
		return errors.New("ledger: a balance is negative")
	case b.Paid > b.Granted:
		return errors.New("ledger: paid more than granted")
	case b.Spent > b.Granted:
		return errors.New("ledger: spent more than granted")
	case b.ToRepay > b.Paid:
		return errors.New("ledger: more to repay than paid")
	case b.Repaid > b.ToRepay:
		return errors.New("ledger: repaid more than due")
	}
	return nil
}
