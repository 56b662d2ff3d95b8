package grant

import (
	"errors"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/validate"
)

// Acceptance records that the grantee accepted the grant's terms: who and
// when. A grant is accepted once; the plan's first instalment is due then.
type Acceptance struct {
	GrantID int64
	By      int64 // the user who accepted
	ByName  string
	At      time.Time
}

// Stage is where a grant stands in its life, as far as acceptance and
// payments tell.
type Stage string

const (
	AwaitingAcceptance Stage = "awaiting_acceptance" // decided; the grantee has not accepted the terms
	UnderWay           Stage = "under_way"           // accepted; money remains to be paid
	FullyPaid          Stage = "fully_paid"          // accepted and everything granted paid out
	FinalPayment       Stage = "final_payment"       // the final report approved; costs reported remain to be paid
	Repayment          Stage = "repayment"           // the final report approved; money paid and not spent is owed back
	Settled            Stage = "settled"             // the final report approved and nothing owed either way; to be closed
	Closed             Stage = "closed"              // the final report approved and the money settled
)

// StageOf returns the stage of a grant given whether it is closed, whether
// it is accepted, whether its final report is approved, and its balance.
// After the final report it says what is still owed, either way: never
// "fully paid" while money is owed back.
func StageOf(closed, accepted, finalApproved bool, b ledger.Balance) Stage {
	switch {
	case closed:
		return Closed
	case !accepted:
		return AwaitingAcceptance
	case finalApproved && b.OwedBack() > 0:
		return Repayment
	case finalApproved && b.Spent > b.Paid:
		return FinalPayment
	case finalApproved:
		return Settled
	case b.Granted > 0 && b.Unpaid() == 0:
		return FullyPaid
	}
	return UnderWay
}

// Amount is what the stage says is owed: to repay (Repayment) or to pay
// (FinalPayment); zero for the others.
func (s Stage) Amount(b ledger.Balance) int64 {
	switch s {
	case Repayment:
		return b.OwedBack()
	case FinalPayment:
		return max(b.Spent-b.Paid, 0)
	}
	return 0
}

// ChangeState is where a change request stands.
type ChangeState string

const (
	ChangePending  ChangeState = "pending"
	ChangeApproved ChangeState = "approved"
	ChangeRejected ChangeState = "rejected"
)

// ChangeRequest is the grantee's request to change a running grant: a new
// end date, money moved from one budget line to another, or both, with
// the reason. An officer approves or rejects it, with a note; both steps
// are logged.
type ChangeRequest struct {
	ID            int64
	GrantID       int64
	NewEndDate    time.Time // a date; zero when the end date stays
	FromLine      string    // the budget line money moves from ("" when none moves)
	ToLine        string    // … and to
	Amount        int64     // öre moved; 0 when none moves
	Reason        string
	State         ChangeState
	RequestedBy   int64
	RequesterName string
	RequestedAt   time.Time
	DecidedBy     int64
	DeciderName   string
	DecidedAt     time.Time // zero while pending
	Note          string    // the officer's note with the decision
}

// MovesMoney reports whether the request moves budget between lines.
func (c *ChangeRequest) MovesMoney() bool {
	return c.Amount != 0 || c.FromLine != "" || c.ToLine != ""
}

// Normalize trims what was typed.
func (c *ChangeRequest) Normalize() {
	c.FromLine = strings.TrimSpace(c.FromLine)
	c.ToLine = strings.TrimSpace(c.ToLine)
	c.Reason = strings.TrimSpace(c.Reason)
}

// Validate checks a new request against its grant: it must change
// something and say why; a new end date must come after the award; money
// moved names two different lines and a positive amount no larger than
// the grant.
func (c *ChangeRequest) Validate(g *Grant) validate.Errors {
	errs := validate.Errors{}
	if c.NewEndDate.IsZero() && !c.MovesMoney() {
		errs.Add("form", "error.change.nothing")
	}
	if !c.NewEndDate.IsZero() && !c.NewEndDate.After(g.AwardedOn) {
		errs.Add("end_date", "error.change.end_before_award")
	}
	if c.MovesMoney() {
		errs.Required("from_line", c.FromLine)
		errs.Required("to_line", c.ToLine)
		errs.MaxLen("from_line", c.FromLine, 200)
		errs.MaxLen("to_line", c.ToLine, 200)
		if c.FromLine != "" && strings.EqualFold(c.FromLine, c.ToLine) {
			errs.Add("to_line", "error.change.same_line")
		}
		switch {
		case c.Amount <= 0:
			errs.Add("amount", "error.money.not_positive")
		case c.Amount > g.Amount:
			errs.Add("amount", "error.change.over_grant")
		}
	}
	errs.Required("reason", c.Reason)
	errs.MaxLen("reason", c.Reason, 4000)
	return errs
}

// ErrDecided is returned when a request that is already decided is
// decided again.
var ErrDecided = errors.New("error.change.decided")

// Decide approves or rejects a pending request. A rejection must say why,
// in the note. It returns ErrDecided, or field errors, and leaves c
// unchanged then.
func (c *ChangeRequest) Decide(approve bool, note string, byID int64, byName string, at time.Time) error {
	if c.State != ChangePending {
		return ErrDecided
	}
	note = strings.TrimSpace(note)
	errs := validate.Errors{}
	if !approve && note == "" {
		errs.Add("note", "error.change.note_required")
	}
	errs.MaxLen("note", note, 4000)
	if err := errs.Err(); err != nil {
		return err
	}
	c.State = ChangeRejected
	if approve {
		c.State = ChangeApproved
	}
	c.Note, c.DecidedBy, c.DeciderName, c.DecidedAt = note, byID, byName, at
	return nil
}

// GrantedEntry is the first entry of g's ledger: what the decision
// granted, as of when the grant was made.
func (g *Grant) GrantedEntry() ledger.Entry {
	return ledger.Entry{GrantID: g.ID, Kind: ledger.Granted, Amount: g.Amount, At: g.CreatedAt}
}

// WithGranted returns a grant's stored entries with the Granted entry
// first: grants made before they had a ledger, or not yet moved, have no
// stored one.
func (g *Grant) WithGranted(stored []ledger.Entry) []ledger.Entry {
	if len(stored) > 0 && stored[0].Kind == ledger.Granted {
		return stored
	}
	return append([]ledger.Entry{g.GrantedEntry()}, stored...)
}
