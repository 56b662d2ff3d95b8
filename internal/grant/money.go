package grant

import (
	"errors"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/validate"
)

// MaxMoneyNote bounds the note with a payment or a repayment, in
// characters.
const MaxMoneyNote = 1000

// ErrOverSpent is the refusal of a payment, after the final report is
// approved, that would pay more than the costs it reported.
var ErrOverSpent = errors.New("error.ledger.over_spent")

// Movement is what recording money on a grant does to its ledger: the
// entries to store, the balance before and after, and whether the grant
// is then settled with its final report approved, and so closes.
type Movement struct {
	Entries       []ledger.Entry
	Before, After ledger.Balance
	Closes        bool
}

// add applies e to the movement's balance and keeps it.
func (m *Movement) add(e ledger.Entry) error {
	after, err := m.After.Apply(e)
	if err != nil {
		return err
	}
	m.After = after
	m.Entries = append(m.Entries, e)
	return nil
}

// MaxPayment is the most a payment may be on a grant whose balance is b:
// what is left of the grant, and once the final report is approved no
// more than the costs it reported and that are not yet paid, so that
// what is paid never exceeds what was spent.
func MaxPayment(b ledger.Balance, finalApproved bool) int64 {
	most := b.Unpaid()
	if finalApproved {
		most = min(most, b.Spent-b.Paid)
	}
	return max(most, 0)
}

// Reconcile returns the entries that settle a grant's balance b once its
// final report is approved: what was paid and not spent and is not yet
// claimed back becomes to be repaid (ledger.ToRepay). None before the
// approval, nor when nothing more is owed back. Every change of the
// ledger after the approval (the approval itself, a payment, a
// repayment, the officer's closing) passes through it, so a ledger left
// unsettled by an earlier rule is settled by the next change.
func Reconcile(b ledger.Balance, finalApproved bool, grantID, by int64, at time.Time, note string) []ledger.Entry {
	if !finalApproved {
		return nil
	}
	if d := b.Unclaimed(); d > 0 {
		return []ledger.Entry{{GrantID: grantID, Kind: ledger.ToRepay, Amount: d, At: at, By: by, Note: note}}
	}
	return nil
}

// Reconciled is b as it stands once reconciled (Reconcile), as the pages
// show it: a ledger not yet reconciled shows what is owed back.
func Reconciled(b ledger.Balance, finalApproved bool) ledger.Balance {
	m := Movement{After: b}
	if err := m.reconcile(finalApproved, 0, 0, time.Time{}, ""); err != nil {
		return b
	}
	return m.After
}

// reconcile adds Reconcile's entries to m and says whether the grant
// then closes.
func (m *Movement) reconcile(finalApproved bool, grantID, by int64, at time.Time, note string) error {
	for _, e := range Reconcile(m.After, finalApproved, grantID, by, at, note) {
		if err := m.add(e); err != nil {
			return err
		}
	}
	m.Closes = CanClose(finalApproved, m.After)
	return nil
}

// MoveMoney applies the rules of recording e, money paid to the grantee
// (ledger.Paid) or repaid by them (ledger.Repaid), on a grant whose
// balance is b and whose final report is approved or not: a note of at
// most MaxMoneyNote characters, then an amount the ledger allows (never
// negative, never above the grant or what is owed; a field error on
// "amount" otherwise) and, once the final report is approved, a payment
// no larger than MaxPayment (ErrOverSpent). After the approval the
// ledger is reconciled (Reconcile) before and after e, and the grant
// closes once settled. The store calls it holding the grant's lock.
func MoveMoney(b ledger.Balance, e ledger.Entry, finalApproved bool) (Movement, error) {
	if e.Kind != ledger.Paid && e.Kind != ledger.Repaid {
		return Movement{}, fmt.Errorf("grant: %s is not money moved", e.Kind) // the others follow from decisions and reports
	}
	errs := validate.Errors{}
	errs.MaxLen("note", e.Note, MaxMoneyNote)
	if err := errs.Err(); err != nil {
		return Movement{}, err
	}
	m := Movement{Before: b, After: b}
	if err := m.reconcile(finalApproved, e.GrantID, e.By, e.At, ""); err != nil {
		return Movement{}, err
	}
	if e.Kind == ledger.Paid && finalApproved && e.Amount > 0 && e.Amount > MaxPayment(m.After, true) {
		return Movement{}, validate.Errors{"amount": ErrOverSpent.Error()}
	}
	if err := m.add(e); err != nil {
		return Movement{}, validate.Errors{"amount": err.Error()}
	}
	if err := m.reconcile(finalApproved, e.GrantID, e.By, e.At, ""); err != nil {
		return Movement{}, err
	}
	return m, nil
}

// Settle applies the rules of approving final report r on a grant whose
// balance is b: the spending reported replaces what was recorded
// (report.Settle) and the ledger is reconciled (Reconcile: what was paid
// and not spent is to be repaid); the grant closes when that leaves it
// settled.
func Settle(r *report.Report, b ledger.Balance, by int64, now time.Time) (Movement, error) {
	m := Movement{Before: b, After: b}
	for _, e := range report.Settle(r, b, by, now) {
		if err := m.add(e); err != nil {
			return Movement{}, err
		}
	}
	if err := m.reconcile(true, r.GrantID, by, now, r.RegNumber); err != nil {
		return Movement{}, err
	}
	return m, nil
}

// Close applies the officer's step of closing a grant whose balance is b:
// the ledger is reconciled first (Reconcile), and the grant closes when
// that leaves it settled with the final report approved.
func Close(b ledger.Balance, finalApproved bool, grantID, by int64, at time.Time) (Movement, error) {
	m := Movement{Before: b, After: b}
	if err := m.reconcile(finalApproved, grantID, by, at, ""); err != nil {
		return Movement{}, err
	}
	return m, nil
}

// DueNow is what an officer should pay now on a grant whose balance is b:
// the instalments of plan whose triggers happened, less what was paid
// (ledger.Plan.Due), and once the final report is approved no more than
// MaxPayment.
func DueNow(plan ledger.Plan, b ledger.Balance, happened map[ledger.Trigger]bool) (int64, error) {
	due, err := plan.Due(b.Granted, b.Paid, happened)
	if err != nil {
		return 0, err
	}
	return min(due, MaxPayment(b, happened[ledger.OnFinalReportApproved])), nil
}

// Payable is what may be paid on a grant in all: the grant, and once the
// final report is approved no more than it reported spent.
func Payable(b ledger.Balance, finalApproved bool) int64 {
	if finalApproved {
		return min(b.Granted, b.Spent)
	}
	return b.Granted
}
