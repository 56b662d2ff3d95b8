package grant

import (
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/validate"
)

// MaxMoneyNote bounds the note with a payment or a repayment, in
// characters.
const MaxMoneyNote = 1000

// Movement is what recording money on a grant does to its ledger: the
// entries to store, the balance before and after, and whether the grant
// is then settled with its final report approved, and so closes.
type Movement struct {
	Entries       []ledger.Entry
	Before, After ledger.Balance
	Closes        bool
}

// MoveMoney applies the rules of recording e, money paid to the grantee
// (ledger.Paid) or repaid by them (ledger.Repaid), on a grant whose
// balance is b and whose final report is approved or not: a note of at
// most MaxMoneyNote characters, then an amount the ledger allows (never
// negative, never above the grant or what is owed; a field error on
// "amount" otherwise). The store calls it holding the grant's lock.
func MoveMoney(b ledger.Balance, e ledger.Entry, finalApproved bool) (Movement, error) {
	if e.Kind != ledger.Paid && e.Kind != ledger.Repaid {
		return Movement{}, fmt.Errorf("grant: %s is not money moved", e.Kind) // the others follow from decisions and reports
	}
	errs := validate.Errors{}
	errs.MaxLen("note", e.Note, MaxMoneyNote)
	if err := errs.Err(); err != nil {
		return Movement{}, err
	}
	after, err := b.Apply(e)
	if err != nil {
		return Movement{}, validate.Errors{"amount": err.Error()}
	}
	return Movement{Entries: []ledger.Entry{e}, Before: b, After: after, Closes: CanClose(finalApproved, after)}, nil
}

// Settle applies the rules of approving final report r on a grant whose
// balance is b: the spending reported replaces what was recorded and what
// was paid and not spent is to be repaid (report.Settle); the grant closes
// when that leaves it settled.
func Settle(r *report.Report, b ledger.Balance, by int64, now time.Time) (Movement, error) {
	m := Movement{Before: b, After: b, Entries: report.Settle(r, b, by, now)}
	for _, e := range m.Entries {
		var err error
		if m.After, err = m.After.Apply(e); err != nil {
			return Movement{}, err
		}
	}
	m.Closes = CanClose(true, m.After)
	return m, nil
}
