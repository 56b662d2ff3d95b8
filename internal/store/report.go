package store

import (
	"context"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/report"
)

// Reports stores a grant's interim and final reports, the officer's
// approval, what approving the final report does to the ledger, the
// grant's closing, and the reminders sent about report deadlines.
//
// Deadlines are not stored: they follow from the call's rules
// (call.ReportRules.Deadlines), so each grant has one report of each kind
// the call asks for. Every change takes the grant's lock first and
// refuses a closed grant with grant.ErrClosed.
type Reports interface {
	// Reports returns a grant's reports, interim before final.
	Reports(ctx context.Context, grantID int64) ([]report.Report, error)
	Report(ctx context.Context, id int64) (*report.Report, error)
	// SaveReport saves the grantee's draft: it creates the report of
	// r.GrantID and r.Kind when r.ID is 0 (a second one is ErrConflict),
	// else saves it if r.Version is the stored version (else
	// ErrConflict) and the report is editable (else
	// report.ErrTransition). A kind the call does not ask for is a field
	// error "kind". It sets r's ID, Version and times.
	SaveReport(ctx context.Context, by audit.Actor, r *report.Report) error
	// SubmitReport submits the stored report at version: it must pass
	// report.Check against the grant's amount and the call's tolerance.
	// It registers the submission (registry.Report) and queues mails.
	SubmitReport(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error)
	// RequestReportCompletion sends a submitted report back with the
	// officer's note (required: a field error "note").
	RequestReportCompletion(ctx context.Context, by audit.Actor, id int64, note string, mails []mail.Message) error
	// ApproveReport approves a submitted report. Approving the final
	// report records its total, capped to the grant, as spent in the
	// ledger (replacing what was recorded as spent before), claims back
	// what was paid and not spent (ledger ToRepay), and closes the grant
	// when its balance is settled. The plan's final-report instalment is
	// due from then (see ReportTriggers); officers record the payment.
	ApproveReport(ctx context.Context, by audit.Actor, id int64, note string, mails []mail.Message) (*report.Report, error)
	// RecordRepayment records money the grantee paid back (ledger Repaid;
	// more than is outstanding is a field error "amount"), and closes
	// the grant when the final report is approved and the balance is
	// then settled.
	RecordRepayment(ctx context.Context, by audit.Actor, grantID, amount int64, note string) (*ledger.Entry, error)
	// CloseGrant closes a grant whose final report is approved and whose
	// balance is settled (grant.CanClose), else a field error "form" =
	// "error.grant.not_settled": for a grant settled by a payment made
	// after the approval.
	CloseGrant(ctx context.Context, by audit.Actor, grantID int64) error
	// Closure returns the grant's closing, or ErrNotFound while it is open.
	Closure(ctx context.Context, grantID int64) (*grant.Closure, error)
	// ReportTriggers returns which payment-plan triggers the grant's
	// reports have set off (ledger.OnInterimApproved,
	// ledger.OnFinalReportApproved).
	ReportTriggers(ctx context.Context, grantID int64) (map[ledger.Trigger]bool, error)

	// DueReminders returns the reminders due at now (report.ReminderDue
	// under each grant's call rules) that have not been sent, for grants
	// that are not closed.
	DueReminders(ctx context.Context, now time.Time) ([]report.Reminder, error)
	// SendReminder checks again, at the store's clock and holding the
	// grant's lock, that rem is still due, then records it as sent and
	// queues its mails, in one transaction. When rem was already sent (by
	// another run or instance) or is no longer due, it queues nothing and
	// returns false.
	SendReminder(ctx context.Context, rem report.Reminder, mails []mail.Message) (bool, error)
}
