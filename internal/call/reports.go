package call

import (
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/validate"
)

// ReportRules is what a call says about its grants' reports: whether an
// interim report is required and when, when the final report is due, how
// far spending on a budget line may deviate from the budget before the
// grantee must explain it, and when grantees are reminded. The zero value
// is the communication support's rule: no interim report, the final
// report due 31 January the year after the award, 10 % tolerance, a
// reminder 14 days before each deadline and one when it is overdue.
type ReportRules struct {
	// Interim says an interim report is required, due on InterimDue.
	Interim    bool   `json:"interim,omitempty"`
	InterimDue string `json:"interim_due,omitempty"` // ISO date
	// FinalDue is a fixed due date of the final report (ISO); empty, the
	// final report is due 31 January the year after the grant's award.
	FinalDue string `json:"final_due,omitempty"`
	// DeviationTolerance is the share (0.10 for 10 %) a line's spending
	// may differ from its budget unexplained; nil reads as 0.10.
	DeviationTolerance *float64 `json:"deviation_tolerance,omitempty"`
	// RemindDaysBefore is how many days before a deadline grantees are
	// reminded; nil reads as 14.
	RemindDaysBefore *int `json:"remind_days_before,omitempty"`
	// RemindOverdue says whether grantees are reminded once a deadline
	// has passed; nil reads as yes.
	RemindOverdue *bool `json:"remind_overdue,omitempty"`
}

// Defaults of ReportRules.
const (
	DefaultDeviationTolerance = 0.10
	DefaultRemindDaysBefore   = 14
)

// DefaultReportRules is the communication support's rule, spelled out.
func DefaultReportRules() ReportRules {
	tol, days, overdue := DefaultDeviationTolerance, DefaultRemindDaysBefore, true
	return ReportRules{DeviationTolerance: &tol, RemindDaysBefore: &days, RemindOverdue: &overdue}
}

// Tolerance is the share a line may deviate from its budget unexplained.
func (r ReportRules) Tolerance() float64 {
	if r.DeviationTolerance == nil {
		return DefaultDeviationTolerance
	}
	return *r.DeviationTolerance
}

// DaysBefore is how many days before a deadline the reminder goes out.
func (r ReportRules) DaysBefore() int {
	if r.RemindDaysBefore == nil {
		return DefaultRemindDaysBefore
	}
	return *r.RemindDaysBefore
}

// Overdue reports whether a reminder goes out when a deadline has passed.
func (r ReportRules) Overdue() bool { return r.RemindOverdue == nil || *r.RemindOverdue }

// Deadlines returns the report deadlines of a grant awarded on awardedOn
// (a date) whose activities an approved change moved to end on endDate
// (zero when none did): the interim report's when one is required, then
// the final report's. They are computed, not stored, so a call's rule
// changed later, or an approved extension, moves them too. An extension
// never makes the final report due before 31 January after the new end.
func (r ReportRules) Deadlines(awardedOn, endDate time.Time) []report.Deadline {
	var out []report.Deadline
	if r.Interim {
		if d, err := clock.ParseDate(r.InterimDue); err == nil {
			out = append(out, report.Deadline{Kind: report.Interim, Due: d})
		}
	}
	final := report.FinalDeadline(awardedOn)
	if d, err := clock.ParseDate(r.FinalDue); err == nil {
		final.Due = d
	}
	if !endDate.IsZero() {
		if ext := report.FinalDeadline(endDate); ext.Due.After(final.Due) {
			final.Due = ext.Due
		}
	}
	return append(out, final)
}

// Deadline returns the deadline of the report of kind, and whether the
// call asks for that report at all.
func (r ReportRules) Deadline(awardedOn, endDate time.Time, kind report.Kind) (report.Deadline, bool) {
	for _, d := range r.Deadlines(awardedOn, endDate) {
		if d.Kind == kind {
			return d, true
		}
	}
	return report.Deadline{}, false
}

// Check checks the rules: dates that read as dates (an interim report
// needs one, before a fixed final date), a tolerance between 0 and 1, and
// reminder days between 0 and 365.
func (r ReportRules) Check() validate.Errors {
	errs := validate.Errors{}
	var interim, final time.Time
	var err error
	if r.Interim || r.InterimDue != "" {
		if interim, err = clock.ParseDate(r.InterimDue); err != nil {
			errs.Add("reports.interim_due", "error.date")
		}
	}
	if r.FinalDue != "" {
		if final, err = clock.ParseDate(r.FinalDue); err != nil {
			errs.Add("reports.final_due", "error.date")
		}
	}
	if !interim.IsZero() && !final.IsZero() && !interim.Before(final) {
		errs.Add("reports.interim_due", "error.report.interim_after_final")
	}
	if t := r.Tolerance(); t < 0 || t > 1 {
		errs.Add("reports.deviation_tolerance", "error.report.tolerance")
	}
	if d := r.DaysBefore(); d < 0 || d > 365 {
		errs.Add("reports.remind_days_before", "error.report.remind_days")
	}
	return errs
}
