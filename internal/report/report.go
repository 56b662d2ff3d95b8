// Package report describes a grant's reports: interim and final, each with
// a narrative, a financial part (spent per budget line against the budget,
// deviations explained) and results (reach per target group and channel,
// the survey results). The officer approves a report or asks for
// completion.
package report

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/validate"
)

// Kind is which report it is.
type Kind string

const (
	Interim Kind = "interim"
	Final   Kind = "final"
)

// State is where a report stands.
type State string

const (
	Draft               State = "draft"
	Submitted           State = "submitted"
	CompletionRequested State = "completion_requested"
	Approved            State = "approved"
)

// Event moves a report.
type Event string

const (
	Submit            Event = "submit"             // grantee
	RequestCompletion Event = "request_completion" // officer
	Approve           Event = "approve"            // officer
)

// ErrTransition is returned for an event the state does not allow.
var ErrTransition = errors.New("report: not allowed in this state")

// Next returns the state e leads to from s.
func Next(s State, e Event) (State, error) {
	switch {
	case e == Submit && (s == Draft || s == CompletionRequested):
		return Submitted, nil
	case e == RequestCompletion && s == Submitted:
		return CompletionRequested, nil
	case e == Approve && s == Submitted:
		return Approved, nil
	}
	return s, ErrTransition
}

// Deadline is when a report is due: a date, end of day in Stockholm.
type Deadline struct {
	Kind Kind      `json:"kind"`
	Due  time.Time `json:"due"` // a date
}

// DueAt is the last instant the report is on time: the end of its due
// date in Stockholm.
func (d Deadline) DueAt() time.Time {
	y, m, day := d.Due.Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, clock.Stockholm).UTC()
}

// FinalDeadline is the communication support's rule: the final report is
// due on 31 January the year after the year of from (the award, or the end
// of the activities).
func FinalDeadline(from time.Time) Deadline {
	return Deadline{Kind: Final, Due: clock.Date(from.Year()+1, time.January, 31)}
}

// Line is one budget line's spending in the financial report.
type Line struct {
	Category    string `json:"category"`
	Budgeted    int64  `json:"budgeted"`    // öre, from the application
	Spent       string `json:"spent"`       // kronor, as typed
	Explanation string `json:"explanation"` // why it deviates, when it does
}

// Report is one report of a grant.
type Report struct {
	ID          int64
	GrantID     int64
	Kind        Kind
	State       State
	Done        string // what was done
	Results     string // what it achieved
	Lessons     string // what was learned
	Lines       []Line
	Version     int
	SubmittedAt time.Time
	RegNumber   string // the report's document number in its application's case
	// Note is the officer's note with the last request for completion
	// or the approval.
	Note         string
	ApprovedBy   int64
	ApproverName string
	ApprovedAt   time.Time // zero until approved
	UpdatedAt    time.Time
}

// Editable reports whether the grantee may still change the report.
func (r *Report) Editable() bool { return r.State == Draft || r.State == CompletionRequested }

// Normalize trims what was typed.
func (r *Report) Normalize() {
	r.Done = strings.TrimSpace(r.Done)
	r.Results = strings.TrimSpace(r.Results)
	r.Lessons = strings.TrimSpace(r.Lessons)
	for i := range r.Lines {
		r.Lines[i].Spent = strings.TrimSpace(r.Lines[i].Spent)
		r.Lines[i].Explanation = strings.TrimSpace(r.Lines[i].Explanation)
	}
}

// CheckDraft checks what a draft may hold: any spending may be typed
// (it is checked on submission), but within bounds of length.
func (r *Report) CheckDraft() validate.Errors {
	e := validate.Errors{}
	e.MaxLen("done", r.Done, 20000)
	e.MaxLen("results", r.Results, 20000)
	e.MaxLen("lessons", r.Lessons, 20000)
	if len(r.Lines) > 100 {
		e.Add("lines", "error.too_long")
	}
	for i, l := range r.Lines {
		key := "lines." + strconv.Itoa(i) + "."
		e.MaxLen(key+"spent", l.Spent, 40)
		e.MaxLen(key+"explanation", l.Explanation, 4000)
	}
	return e
}

// Spent returns the sum of the lines that can be read, in öre.
func (r *Report) Spent() int64 {
	var sum int64
	for _, l := range r.Lines {
		if ore, err := money.Parse(l.Spent); err == nil && ore > 0 {
			sum += ore
		}
	}
	return sum
}

// Check checks a report for submission against the grant: the narrative
// filled in, every line's spending readable and not negative, a deviation
// from a line's budget beyond tolerance (a share, e.g. 0.10 for 10 %)
// explained, and a total above the grant explained too.
func (r *Report) Check(granted int64, tolerance float64) validate.Errors {
	e := validate.Errors{}
	e.Required("done", r.Done)
	e.Required("results", r.Results)
	e.MaxLen("done", r.Done, 20000)
	e.MaxLen("results", r.Results, 20000)
	e.MaxLen("lessons", r.Lessons, 20000)
	var total int64
	for i, l := range r.Lines {
		key := "lines." + strconv.Itoa(i) + "."
		spent, err := money.Parse(l.Spent)
		if err != nil {
			e.Add(key+"spent", err.Error())
			continue
		}
		if spent < 0 {
			e.Add(key+"spent", money.ErrNegative.Error())
			continue
		}
		total += spent
		dev := spent - l.Budgeted
		if dev < 0 {
			dev = -dev
		}
		if float64(dev) > tolerance*float64(l.Budgeted) && strings.TrimSpace(l.Explanation) == "" {
			e.Add(key+"explanation", "error.report.explain_deviation")
		}
	}
	if total > granted {
		explained := false
		for _, l := range r.Lines {
			explained = explained || strings.TrimSpace(l.Explanation) != ""
		}
		if !explained {
			e.Add("lines", "error.report.over_grant")
		}
	}
	return e
}
