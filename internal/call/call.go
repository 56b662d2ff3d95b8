// Package call describes a call for applications (utlysning) inside a
// programme: when it is open, how much it may grant in all and per grant.
package call

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/survey"
	"github.com/icld/partnerskap/internal/validate"
)

// Status is where a call stands at a moment. It follows from the opening
// and closing times unless an officer has cancelled the call.
type Status string

const (
	Upcoming  Status = "upcoming"
	Open      Status = "open"
	Closed    Status = "closed"
	Cancelled Status = "cancelled"
)

// Call is a call for applications.
type Call struct {
	ID          int64
	ProgrammeID int64
	TitleSV     string
	TitleEN     string
	OpensAt     time.Time // UTC; open from this instant
	ClosesAt    time.Time // UTC; closed from this instant
	Ceiling     int64     // öre: the most the call may grant in all
	MaxPerGrant int64     // öre: the most one grant may be
	Cancelled   bool
	Config      Config // questions, lists, assessment and steps, as data
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Config is what an officer configures about a call without code: the
// questions asked, the lists the built-in blocks offer, how applications
// are assessed, and which steps they pass.
type Config struct {
	Form       form.Form         `json:"form"`
	Lists      form.Lists        `json:"lists"`
	Assessment review.Setup      `json:"assessment"`
	Steps      application.Steps `json:"steps"`
	// PaymentPlan says when the grant is paid out, e.g. all on
	// acceptance, or 80 % then and 20 % after the final report. A call
	// saved without one reads as ledger.FullOnAcceptance (Plan).
	PaymentPlan ledger.Plan `json:"payment_plan,omitempty"`
	// SurveyQuestions are the template of the grants' baseline and
	// follow-up surveys, which each grantee may extend. A call saved
	// without them reads as survey.DefaultQuestions (SurveyTemplate).
	SurveyQuestions []survey.Question `json:"survey_questions,omitempty"`
	// Reports says which reports the grants owe and when, how much a
	// line may deviate unexplained, and when grantees are reminded. The
	// zero value reads as the communication support's rule
	// (DefaultReportRules).
	Reports ReportRules `json:"reports"`
}

// SurveyTemplate is the call's survey questions: the configured ones, or
// survey.DefaultQuestions when none are.
func (c *Config) SurveyTemplate() []survey.Question {
	if len(c.SurveyQuestions) == 0 {
		return survey.DefaultQuestions()
	}
	return slices.Clone(c.SurveyQuestions)
}

// DefaultConfig is the information and communication support's setup, the
// starting point for a new call: formal check and review, not blind.
func DefaultConfig() Config {
	return Config{Form: form.CommunicationForm(), Lists: form.DefaultLists(), Assessment: review.DefaultSetup(),
		Steps: application.Steps{FormalCheck: true, Review: true}, PaymentPlan: slices.Clone(ledger.FullOnAcceptance),
		SurveyQuestions: survey.DefaultQuestions(), Reports: DefaultReportRules()}
}

// Plan is the call's payment plan: the one configured, or
// ledger.FullOnAcceptance when none is.
func (c *Config) Plan() ledger.Plan {
	if len(c.PaymentPlan) == 0 {
		return slices.Clone(ledger.FullOnAcceptance)
	}
	return c.PaymentPlan
}

// IsZero reports whether no configuration was given: a call saved before
// calls had one, or built by a page that does not edit it. The stores
// give a new call DefaultConfig then, and keep a call's stored one.
func (c *Config) IsZero() bool { return len(c.Form.Sections) == 0 }

// CheckConfig checks the configuration; a form problem is reported under
// "config" with the form's own explanation.
func (c *Call) CheckConfig() validate.Errors {
	errs := validate.Errors{}
	var def *form.DefinitionError
	if err := c.Config.Form.Check(); errors.As(err, &def) {
		errs.Add("config", "error.call.form")
	}
	if c.Config.Form.FieldOfKind(form.Budget) == nil {
		errs.Add("config", "error.call.no_budget")
	}
	for _, key := range c.Config.Assessment.Check() {
		errs.Add("config", key)
	}
	if c.Config.Steps.BlindReview && !c.Config.Steps.Review {
		errs.Add("config", "error.call.blind_without_review")
	}
	if len(c.Config.SurveyQuestions) > 0 && survey.CheckQuestions(c.Config.SurveyQuestions) != nil {
		errs.Add("config", "error.call.survey")
	}
	for k, v := range c.Config.Reports.Check() {
		errs.Add(k, v)
	}
	if len(c.Config.PaymentPlan) > 0 {
		if err := c.Config.PaymentPlan.Check(); err != nil {
			errs.Add("payment_plan", err.Error())
		}
	}
	return errs
}

// Status returns the call's status at now.
func (c *Call) Status(now time.Time) Status {
	switch {
	case c.Cancelled:
		return Cancelled
	case now.Before(c.OpensAt):
		return Upcoming
	case now.Before(c.ClosesAt):
		return Open
	default:
		return Closed
	}
}

// Title returns the title in lang, falling back to Swedish.
func (c *Call) Title(lang string) string {
	if lang == "en" && c.TitleEN != "" {
		return c.TitleEN
	}
	return c.TitleSV
}

// Normalize trims what was typed and keeps times in UTC.
func (c *Call) Normalize() {
	c.TitleSV = strings.TrimSpace(c.TitleSV)
	c.TitleEN = strings.TrimSpace(c.TitleEN)
	c.OpensAt = c.OpensAt.UTC()
	c.ClosesAt = c.ClosesAt.UTC()
}

// Validate checks the call on its own; CheckProgrammeBudget checks it
// against the other calls of its programme.
func (c *Call) Validate() validate.Errors {
	errs := validate.Errors{}
	if c.ProgrammeID == 0 {
		errs.Add("programme", "error.required")
	}
	errs.Required("title_sv", c.TitleSV)
	errs.MaxLen("title_sv", c.TitleSV, 200)
	errs.MaxLen("title_en", c.TitleEN, 200)
	if c.OpensAt.IsZero() {
		errs.Add("opens_at", "error.required")
	}
	if c.ClosesAt.IsZero() {
		errs.Add("closes_at", "error.required")
	}
	if !c.OpensAt.IsZero() && !c.ClosesAt.IsZero() && !c.ClosesAt.After(c.OpensAt) {
		errs.Add("closes_at", "error.call.closes_before_opens")
	}
	if c.Ceiling <= 0 {
		errs.Add("ceiling", "error.money.not_positive")
	}
	if c.MaxPerGrant <= 0 {
		errs.Add("max_per_grant", "error.money.not_positive")
	} else if c.Ceiling > 0 && c.MaxPerGrant > c.Ceiling {
		errs.Add("max_per_grant", "error.call.max_above_ceiling")
	}
	return errs
}

// CheckProgrammeBudget reports an error when the ceilings of the programme's
// calls, this one included, would add up to more than its total budget.
// others holds the programme's calls; a cancelled call reserves nothing.
func (c *Call) CheckProgrammeBudget(totalBudget int64, others []*Call) validate.Errors {
	errs := validate.Errors{}
	sum := c.Ceiling
	for _, o := range others {
		if o.ID != c.ID && !o.Cancelled {
			sum += o.Ceiling
		}
	}
	if sum > totalBudget {
		errs.Add("ceiling", "error.call.over_programme_budget")
	}
	return errs
}

// CheckConfigChange refuses a change to the configuration of a call that
// has applications when it would lose or invalidate answers or reviews: a
// question removed or changed in kind, an option removed from a question or
// from the target groups, channels or cost categories the blocks offer, a
// criterion removed, or the score scale changed.
func CheckConfigChange(old, new Config) error {
	if err := form.CheckChange(&old.Form, &new.Form); err != nil {
		return err
	}
	var problems []string
	for _, l := range []struct {
		name     string
		old, new []form.Option
	}{
		{"target group", old.Lists.TargetGroups, new.Lists.TargetGroups},
		{"channel", old.Lists.Channels, new.Lists.Channels},
		{"cost category", old.Lists.BudgetCategories, new.Lists.BudgetCategories},
	} {
		for _, o := range l.old {
			found := false
			for _, n := range l.new {
				found = found || n.Value == o.Value
			}
			if !found {
				problems = append(problems, "the "+l.name+" "+o.Value+" cannot be removed: applications may have chosen it")
			}
		}
	}
	// Reviews already given keep their meaning: criteria may be reworded
	// and reweighted, not removed, and the scale stays.
	for _, oc := range old.Assessment.Criteria {
		found := false
		for _, nc := range new.Assessment.Criteria {
			found = found || nc.Key == oc.Key
		}
		if !found {
			problems = append(problems, "the criterion "+oc.Key+" cannot be removed: reviews may have scored it")
		}
	}
	if old.Assessment.Scale != new.Assessment.Scale {
		problems = append(problems, "the score scale cannot change: reviews may have used it")
	}
	if len(problems) > 0 {
		return &form.DefinitionError{Problems: problems}
	}
	return nil
}

// ErrTermsChange refuses a change to the terms of a call's grants once it
// has one: the payment plan and the report rules the decision letters
// state (the instalments, the interim report, the due dates and the
// budget tolerance). Grants already decided keep the terms they were
// given; reminders may still change.
var ErrTermsChange = errors.New("error.call.terms_change")

// CheckTermsChange returns ErrTermsChange when new changes the terms of
// old that grants decided in the call were given.
func CheckTermsChange(old, new Config) error {
	o, n := old.Reports, new.Reports
	if !slices.Equal(old.Plan(), new.Plan()) || o.Interim != n.Interim || o.InterimDue != n.InterimDue ||
		o.FinalDue != n.FinalDue || o.Tolerance() != n.Tolerance() {
		return ErrTermsChange
	}
	return nil
}
