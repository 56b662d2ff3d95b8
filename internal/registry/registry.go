// Package registry is the diarium: every incoming document (a submitted
// application, a resubmission, a report) and every decision gets a
// registration number and a timestamp. Records are public by default under
// the principle of public access to official records (offentlighets-
// principen); a record marked confidential states the reason.
package registry

import (
	"fmt"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/validate"
)

// Kind is what a registered document is.
type Kind string

const (
	Application  Kind = "application"
	Resubmission Kind = "resubmission"
	Decision     Kind = "decision"
	Report       Kind = "report"
)

// SubmissionKind is how a submission of an application that has been
// submitted earlier times before is registered: the first as an
// application, later ones (after a completion request) as resubmissions.
func SubmissionKind(earlier int) Kind {
	if earlier > 0 {
		return Resubmission
	}
	return Application
}

// Entry is one registered document.
type Entry struct {
	ID            int64
	Year          int
	Seq           int // per year, from 1, without gaps
	Number        string
	Kind          Kind
	Title         string
	ApplicationID int64
	At            time.Time
	Confidential  bool
	Reason        string // why it is confidential (the provision of law)
	By            int64
}

// Format writes the registration number: prefix, year and the sequence
// padded to four digits ("2021/0042", or "KOM 2021/0042" with a prefix).
func Format(prefix string, year, seq int) string {
	n := fmt.Sprintf("%d/%04d", year, seq)
	if prefix = strings.TrimSpace(prefix); prefix != "" {
		return prefix + " " + n
	}
	return n
}

// YearOf is the registration year of an instant: the year in Stockholm,
// so a document received on New Year's Eve at 23:30 belongs to that year.
func YearOf(t time.Time) int { return t.In(clock.Stockholm).Year() }

// Filter selects entries, newest first.
type Filter struct {
	Year          int
	Query         string // in the number or title
	ApplicationID int64
	// Scope limits the entries to those of its programmes' applications
	// and those of no application (policy.ProgrammeScope); the zero Scope
	// is every programme.
	Scope policy.Scope
	Limit int
}

// MatchesQuery reports whether the entry's number or title contains
// f.Query, ignoring case in every letter (SQL engines disagree on å, ä and
// ö), so both stores apply it in Go.
func (f Filter) MatchesQuery(e *Entry) bool {
	q := strings.ToLower(strings.TrimSpace(f.Query))
	return q == "" || strings.Contains(strings.ToLower(e.Number), q) || strings.Contains(strings.ToLower(e.Title), q)
}

// CheckConfidential requires a reason for a confidential record.
func CheckConfidential(confidential bool, reason string) validate.Errors {
	e := validate.Errors{}
	if confidential {
		e.Required("reason", reason)
	}
	return e
}
