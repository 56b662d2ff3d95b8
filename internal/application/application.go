// Package application describes an application for a grant: one
// partnership's request in one call, how it moves from draft to decision,
// and the versions it is frozen as when submitted.
package application

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/validate"
)

// State is where an application stands.
type State string

const (
	Draft               State = "draft"
	Submitted           State = "submitted"            // waiting for the officer
	FormalCheck         State = "formal_check"         // the officer checks it is complete and eligible
	CompletionRequested State = "completion_requested" // back with the applicant to complete
	InReview            State = "in_review"            // with the reviewers
	Ready               State = "ready"                // ready for a decision
	Granted             State = "granted"
	PartlyGranted       State = "partly_granted"
	Rejected            State = "rejected"
	Withdrawn           State = "withdrawn"
)

// States lists every state in workflow order.
var States = []State{Draft, Submitted, FormalCheck, CompletionRequested, InReview, Ready, Granted, PartlyGranted, Rejected, Withdrawn}

// Decided reports whether the state is a decision.
func (s State) Decided() bool { return s == Granted || s == PartlyGranted || s == Rejected }

// Final reports whether nothing more can happen.
func (s State) Final() bool { return s.Decided() || s == Withdrawn }

// Editable reports whether the applicant may change the answers.
func (s State) Editable() bool { return s == Draft || s == CompletionRequested }

// Event is something that moves an application.
type Event string

const (
	Submit            Event = "submit"             // applicant: draft → submitted; completion → back to the formal check
	StartCheck        Event = "start_check"        // officer: submitted → formal check
	RequestCompletion Event = "request_completion" // officer: formal check → completion requested
	PassCheck         Event = "pass_check"         // officer: formal check → review, or ready when the call has no review
	SendToReview      Event = "send_to_review"     // officer: submitted → review, when the call has no formal check
	MarkReady         Event = "mark_ready"         // officer: review → ready, or submitted → ready when the call has neither step
	Decide            Event = "decide"             // officer: recorded on the timeline; see CanDecide
	Withdraw          Event = "withdraw"           // applicant: any state before a decision
)

// Steps are the optional steps a call uses.
type Steps struct {
	FormalCheck bool `json:"formal_check"`
	Review      bool `json:"review"`
	BlindReview bool `json:"blind_review"` // reviewers don't see who applied
}

// ErrTransition is returned for an event the state does not allow.
var ErrTransition = errors.New("application: not allowed in this state")

// Next returns the state an event leads to in a call with the given steps,
// or ErrTransition. A decision is not an event here: its state follows from
// its outcome (see decision.Outcome) and CanDecide says when it may be made.
func Next(s State, e Event, steps Steps) (State, error) {
	switch e {
	case Submit:
		if s == Draft {
			return Submitted, nil
		}
		if s == CompletionRequested {
			// The completed application returns to the formal check it
			// left: the officer continues there, not from the start.
			if steps.FormalCheck {
				return FormalCheck, nil
			}
			return Submitted, nil // the call dropped the step meanwhile
		}
	case StartCheck:
		if s == Submitted && steps.FormalCheck {
			return FormalCheck, nil
		}
	case RequestCompletion:
		if s == FormalCheck {
			return CompletionRequested, nil
		}
	case PassCheck:
		if s == FormalCheck {
			if steps.Review {
				return InReview, nil
			}
			return Ready, nil
		}
	case SendToReview:
		if s == Submitted && !steps.FormalCheck && steps.Review {
			return InReview, nil
		}
	case MarkReady:
		if s == InReview || (s == Submitted && !steps.FormalCheck && !steps.Review) {
			return Ready, nil
		}
	case Withdraw:
		if !s.Final() {
			return Withdrawn, nil
		}
	}
	return s, ErrTransition
}

// CanDecide reports whether a decision may be made in state s: when it is
// ready, or still in review (an officer may decide without waiting for
// every reviewer).
func CanDecide(s State) bool { return s == Ready || s == InReview }

// Application is one request for a grant.
type Application struct {
	ID             int64
	CallID         int64
	PartnershipID  int64
	OrganisationID int64 // the applicant: a Swedish member of the partnership
	State          State
	Answers        form.Answers // the working copy: the draft, or the latest submitted version
	Requested      int64        // öre: the budget's total, computed
	Version        int          // optimistic lock on the working copy
	Submissions    int          // how many versions have been submitted
	CreatedBy      int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SubmittedAt    time.Time // the latest submission
	RegNumber      string    // the case's number, given at the first submission ("2026/0019")
}

// SetAnswers replaces the working copy, and the amount requested with it:
// the one place Requested is derived from the answers' budget.
func (a *Application) SetAnswers(answers form.Answers) {
	a.Answers, a.Requested = answers, answers.Requested()
}

// Title is the project title the applicant gave, if any.
func (a *Application) Title() string { return a.Answers.Values["title"] }

// RegistryTitle is what the diarium calls the application: its title, or
// "Ansökan <id>" when the applicant has given none.
func (a *Application) RegistryTitle() string {
	if t := strings.TrimSpace(a.Title()); t != "" {
		return t
	}
	return "Ansökan " + strconv.FormatInt(a.ID, 10)
}

// CompletionTitle is what the diarium calls the officer's request to
// complete the application.
func (a *Application) CompletionTitle() string {
	return "Begäran om komplettering: " + a.RegistryTitle()
}

// Snapshot is a submitted version, frozen.
type Snapshot struct {
	ApplicationID int64
	Number        int // 1 for the first submission, 2 after a completion, …
	Answers       form.Answers
	Requested     int64
	SubmittedAt   time.Time
	SubmittedBy   int64
	RegNumber     string // this submission's document number in the case ("2026/0019-2")
}

// Filter selects applications.
type Filter struct {
	CallID         int64
	OrganisationID int64
	PartnershipID  int64
	ReviewerID     int64 // assigned to this reviewer
	States         []State
}

// Change records something that happened to an application, for its
// timeline: a state change, with who, when and a note.
type Change struct {
	ID            int64
	ApplicationID int64
	At            time.Time
	ActorID       int64
	ActorName     string
	From, To      State
	Event         Event
	Note          string
}

// Eligibility errors are field errors a page shows on the start form.
const (
	ErrCallNotOpen      = "error.application.call_not_open"
	ErrNotActive        = "error.application.partnership_not_active"
	ErrNotSwedishMember = "error.grant.not_member"
)

// CheckEligibility applies the call's eligibility rule: the call is open
// at now, and the applicant organisation is a Swedish member of the
// partnership, which is active today. The caller passes what it read.
func CheckEligibility(callOpen, partnershipActive, swedishMember bool) validate.Errors {
	e := validate.Errors{}
	if !callOpen {
		e.Add("call", ErrCallNotOpen)
	}
	if !partnershipActive {
		e.Add("partnership", ErrNotActive)
	}
	if !swedishMember {
		e.Add("partnership", ErrNotSwedishMember)
	}
	return e
}
