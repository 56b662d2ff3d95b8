package report

import (
	"time"

	"github.com/icld/partnerskap/internal/clock"
)

// When is which reminder of a deadline: before it, or once it has passed.
type When string

const (
	Before  When = "before"
	Overdue When = "overdue"
)

// Reminder is one reminder e-mail about one report of one grant. Each is
// sent once: the store records it under (grant, kind, when) in the same
// transaction that queues its mail.
type Reminder struct {
	GrantID        int64
	OrganisationID int64
	Kind           Kind
	When           When
	Deadline       Deadline
}

// ReminderDue returns the reminder a deadline calls for at now, if any.
// A report submitted or approved needs none (state is Draft when the
// grantee has not started it). Before the deadline, the reminder goes out
// from daysBefore days ahead of its last day; after it, the overdue
// reminder when overdue is set. A reminder not sent before the deadline
// passed is not sent late: the overdue one replaces it.
func ReminderDue(d Deadline, state State, now time.Time, daysBefore int, overdue bool) (When, bool) {
	if state != Draft {
		return "", false
	}
	due := d.DueAt()
	switch {
	case !now.Before(due):
		return Overdue, overdue
	case !now.Before(due.In(clock.Stockholm).AddDate(0, 0, -daysBefore-1)):
		// DueAt is the midnight after the last day: "14 days before"
		// counts from the last day itself.
		return Before, true
	}
	return "", false
}

// IsOverdue reports whether a report of state is late at now.
func IsOverdue(d Deadline, state State, now time.Time) bool {
	return (state == Draft || state == CompletionRequested) && !now.Before(d.DueAt())
}
