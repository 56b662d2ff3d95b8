// Package decision describes the officer's decision on an application:
// granted, partly granted (less than requested, with a reason) or rejected
// (with a reason), with optional conditions.
package decision

import (
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/validate"
)

// Outcome is what was decided.
type Outcome string

const (
	Granted       Outcome = "granted"
	PartlyGranted Outcome = "partly_granted"
	Rejected      Outcome = "rejected"
)

// Outcomes lists them in the order forms offer them.
var Outcomes = []Outcome{Granted, PartlyGranted, Rejected}

// State is the application state the outcome leads to.
func (o Outcome) State() application.State {
	switch o {
	case Granted:
		return application.Granted
	case PartlyGranted:
		return application.PartlyGranted
	}
	return application.Rejected
}

// Decision is an officer's decision on one application.
type Decision struct {
	ApplicationID int64
	Outcome       Outcome
	Amount        int64 // öre; 0 when rejected
	Reason        string
	Conditions    string
	DecidedBy     int64
	DeciderName   string
	DecidedAt     time.Time
	RegNumber     string // the decision's document number in the application's case ("2026/0019-3")
	GrantID       int64  // the grant it created, when granted
}

// RegistryTitle is what the diarium calls the decision on a.
func RegistryTitle(a *application.Application) string { return "Beslut: " + a.RegistryTitle() }

// Normalize trims the texts and makes a full grant given without an
// amount the amount requested, as Check does, so that what is shown (the
// decision mail) is what will be stored.
func (d *Decision) Normalize(requested int64) {
	d.Reason = strings.TrimSpace(d.Reason)
	d.Conditions = strings.TrimSpace(d.Conditions)
	if d.Outcome == Granted && d.Amount == 0 {
		d.Amount = requested
	}
}

// Check applies the rules of the decision itself to a decision on an
// application that asked for requested öre: a grant is the amount
// requested (or a smaller one, which makes it a partial grant that needs a
// reason); a rejection has a reason and no money. What any grant must meet
// (the call's maximum and ceiling, the applicant's membership) is
// grant.Check's; grant.Decide applies both.
func (d *Decision) Check(requested int64) validate.Errors {
	e := validate.Errors{}
	d.Normalize(requested)
	switch d.Outcome {
	case Granted:
		if d.Amount != requested {
			e.Add("amount", "error.decision.granted_is_requested")
		}
	case PartlyGranted:
		e.Required("reason", d.Reason)
		if d.Amount <= 0 {
			e.Add("amount", "error.money.not_positive")
		} else if d.Amount >= requested {
			e.Add("amount", "error.decision.partly_below_requested")
		}
	case Rejected:
		e.Required("reason", d.Reason)
		if d.Amount != 0 {
			e.Add("amount", "error.decision.rejected_no_money")
		}
	default:
		e.Add("outcome", "error.required")
	}
	e.MaxLen("reason", d.Reason, 5000)
	e.MaxLen("conditions", d.Conditions, 5000)
	return e
}
