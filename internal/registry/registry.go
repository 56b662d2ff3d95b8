// Package registry is the diarium: every incoming document (a submitted
// application, a resubmission, a report) and every decision gets a
// registration number and a timestamp. Records are public by default under
// the principle of public access to official records (offentlighets-
// principen); a record marked confidential states the reason.
//
// Numbers follow Swedish registry practice: a case (ärende) gets its
// number, year and sequence ("2026/0019", gap-free per year), when its
// first document is registered, and every document of the case is
// numbered within it ("2026/0019-1", "2026/0019-2", gap-free per case).
// An application is one case from its first submission on: its
// resubmissions, its decision and its grant's reports are documents of
// that case, and the case number is the application's registration
// number for good.
package registry

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/validate"
)

// Kind is what a registered document is.
type Kind string

const (
	Application       Kind = "application"
	CompletionRequest Kind = "completion_request" // outgoing: the officer's request to complete an application
	Resubmission      Kind = "resubmission"
	Decision          Kind = "decision"
	Report            Kind = "report"
	Document          Kind = "document" // any other document an officer registers in a case (a letter, an e-mail)
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
	ID     int64
	Year   int    // the case's year
	Seq    int    // the case's number in its year, from 1, without gaps
	Doc    int    // the document's number in its case, from 1, without gaps
	Number string // the document's number, "2026/0019-2" (see FormatDoc)
	// FormerNumber is the number the document had before documents were
	// numbered within their case (migration 0018), when a resubmission,
	// decision or report had a number of its own in the year ("2026/0020");
	// it stays findable. Empty for documents registered since.
	FormerNumber  string
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

// FormatDoc writes a document's number: its case's number (Format) and
// the document's number within the case ("2021/0042-3").
func FormatDoc(prefix string, year, seq, doc int) string {
	return Format(prefix, year, seq) + "-" + strconv.Itoa(doc)
}

// CaseNumber is the number of the entry's case: its own number without
// the document's ("2021/0042-3" gives "2021/0042"), with the prefix the
// document was registered under.
func (e Entry) CaseNumber() string {
	return strings.TrimSuffix(e.Number, "-"+strconv.Itoa(e.Doc))
}

// Former reports the number the document had before 0018 when it differs
// from its case's number, the one worth showing beside the new one.
func (e Entry) Former() string {
	if e.FormerNumber == e.CaseNumber() {
		return ""
	}
	return e.FormerNumber
}

// YearOf is the registration year of an instant: the year in Stockholm,
// so a document received on New Year's Eve at 23:30 belongs to that year.
func YearOf(t time.Time) int { return t.In(clock.Stockholm).Year() }

// Filter selects entries.
type Filter struct {
	Year int // the case's year
	// From and To bound when the documents were registered: from From
	// (inclusive) to To (exclusive); a zero time bounds nothing.
	From, To      time.Time
	Query         string // in the number, the former number or the title: "2026/0019" finds the case's documents
	ApplicationID int64
	// Scope limits the entries to those of its programmes' applications
	// and those of no application (policy.ProgrammeScope); the zero Scope
	// is every programme.
	Scope policy.Scope
	Limit int
}

// MatchesQuery reports whether the entry's number, former number or title
// contains f.Query, ignoring case in every letter (SQL engines disagree on
// å, ä and ö), so both stores apply it in Go. A case number finds every
// document of the case, as their numbers begin with it.
func (f Filter) MatchesQuery(e *Entry) bool {
	q := strings.ToLower(strings.TrimSpace(f.Query))
	return q == "" || strings.Contains(strings.ToLower(e.Number), q) || strings.Contains(strings.ToLower(e.Title), q) ||
		(e.FormerNumber != "" && strings.Contains(strings.ToLower(e.FormerNumber), q))
}

// MaxTitle bounds the title of a document an officer registers.
const MaxTitle = 300

// CheckDocument checks the title of a document an officer registers in a
// case: given, and not too long.
func CheckDocument(title string) validate.Errors {
	e := validate.Errors{}
	e.Required("title", title)
	e.MaxLen("title", title, MaxTitle)
	return e
}

// CheckConfidential requires a reason for a confidential record.
func CheckConfidential(confidential bool, reason string) validate.Errors {
	e := validate.Errors{}
	if confidential {
		e.Required("reason", reason)
	}
	return e
}
