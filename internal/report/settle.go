package report

import (
	"time"

	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/validate"
)

// RegistryTitle is how the diarium names a report of a partnership.
func RegistryTitle(kind Kind, partnership string) string {
	if kind == Final {
		return "Slutrapport: " + partnership
	}
	return "Delrapport: " + partnership
}

// CheckNote checks the officer's note with a decision on a report: a
// request for completion must say what is missing.
func CheckNote(note string, required bool) validate.Errors {
	e := validate.Errors{}
	if required {
		e.Required("note", note)
	}
	e.MaxLen("note", note, 4000)
	return e
}

// Settle returns the ledger entry approving the final report r makes,
// given the grant's balance b: the spending reported, capped to the grant
// (the ledger takes no more), replacing what was recorded as spent
// before. What was paid and not spent is then claimed back by
// grant.Reconcile; costs above what was paid are met by a payment an
// officer records (no more than grant.MaxPayment).
func Settle(r *Report, b ledger.Balance, by int64, at time.Time) []ledger.Entry {
	spent := min(r.Spent(), b.Granted)
	if d := spent - b.Spent; d != 0 {
		return []ledger.Entry{{GrantID: r.GrantID, Kind: ledger.Spent, Amount: d, At: at, By: by, Note: r.RegNumber}}
	}
	return nil
}

// Triggers returns the payment-plan triggers a grant's reports have set
// off: an approved interim report, an approved final report.
func Triggers(list []Report) map[ledger.Trigger]bool {
	out := map[ledger.Trigger]bool{}
	for _, r := range list {
		if r.State != Approved {
			continue
		}
		switch r.Kind {
		case Interim:
			out[ledger.OnInterimApproved] = true
		case Final:
			out[ledger.OnFinalReportApproved] = true
		}
	}
	return out
}

// DueFor returns the reminders the deadlines of one grant call for at
// now and that were not sent: state tells each report's state (Draft when
// there is none), sent whether a reminder went out.
func DueFor(grantID, orgID int64, deadlines []Deadline, now time.Time, daysBefore int, overdue bool,
	state func(Kind) State, sent func(Kind, When) bool) []Reminder {
	var out []Reminder
	for _, d := range deadlines {
		when, ok := ReminderDue(d, state(d.Kind), now, daysBefore, overdue)
		if ok && !sent(d.Kind, when) {
			out = append(out, Reminder{GrantID: grantID, OrganisationID: orgID, Kind: d.Kind, When: when, Deadline: d})
		}
	}
	return out
}
