package grant

import (
	"time"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/report"
)

// ReminderLog is what has happened to the grants' reports so far.
type ReminderLog struct {
	Closed map[int64]bool // grants closed: no more reminders
	// Report is the state of a grant's report of kind k (report.Draft
	// when there is none).
	Report func(grantID int64, k report.Kind) report.State
	// Sent reports whether the reminder w about a grant's report of kind
	// k went out.
	Sent func(grantID int64, k report.Kind, w report.When) bool
}

// RemindersDue lists the report reminders due at now and not yet sent for
// grants, each of whose call is in calls: the deadlines follow from the
// call's reporting rules, the grant's award and its (possibly moved) end
// date; closed grants get none.
func RemindersDue(now time.Time, grants []*Grant, calls map[int64]*call.Call, log ReminderLog) []report.Reminder {
	var out []report.Reminder
	for _, g := range grants {
		c := calls[g.CallID]
		if log.Closed[g.ID] || c == nil {
			continue
		}
		rules := c.Config.Reports
		out = append(out, report.DueFor(g.ID, g.OrganisationID, rules.Deadlines(g.AwardedOn, g.EndDate), now,
			rules.DaysBefore(), rules.Overdue(),
			func(k report.Kind) report.State { return log.Report(g.ID, k) },
			func(k report.Kind, w report.When) bool { return log.Sent(g.ID, k, w) })...)
	}
	return out
}
