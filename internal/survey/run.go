package survey

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/validate"
)

// ErrClosed is returned when an answer comes in a phase that is not open:
// not yet opened, or closed.
var ErrClosed = errors.New("survey: this phase of the survey is not open")

// Survey is a grant's survey: the questions (the call's template, then the
// grantee's own), the public token in its answer links, and when each
// phase takes answers.
type Survey struct {
	ID        int64
	GrantID   int64
	Token     string     // random and unguessable: the answer links are the only key
	Questions []Question // the template's first; questions are only ever added
	Baseline  Window
	FollowUp  Window
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Window is when a phase takes answers: from Opens (zero: not opened) until
// Closes (zero: no end set yet). Both are instants in UTC.
type Window struct {
	Opens  time.Time
	Closes time.Time
}

// IsOpen reports whether answers are taken at now.
func (w Window) IsOpen(now time.Time) bool {
	return !w.Opens.IsZero() && !now.Before(w.Opens) && (w.Closes.IsZero() || now.Before(w.Closes))
}

// Status is a phase's state at a moment: "not_opened", "open" or "closed".
func (w Window) Status(now time.Time) string {
	switch {
	case w.IsOpen(now):
		return "open"
	case w.Opens.IsZero() || now.Before(w.Opens):
		return "not_opened"
	}
	return "closed"
}

// LastDay is the last date answers are taken (the Stockholm date before
// Closes), for showing and editing the closing date; zero when no end is set.
func (w Window) LastDay() time.Time {
	if w.Closes.IsZero() {
		return time.Time{}
	}
	return clock.Today(w.Closes.Add(-time.Nanosecond))
}

// EndOfDay is the instant a phase whose last day is date closes: the
// following midnight in Stockholm, so answers are taken all that day.
func EndOfDay(date time.Time) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, clock.Stockholm).UTC()
}

// New starts the survey of a grant with the call's template questions.
// The baseline phase opens at now; the follow-up waits for the grantee.
func New(grantID int64, template []Question, now time.Time) *Survey {
	return &Survey{GrantID: grantID, Token: NewToken(), Questions: slices.Clone(template), Baseline: Window{Opens: now.UTC()}}
}

// NewToken returns 128 random bits as 26 lower-case base32 characters:
// unguessable, and short enough for a link typed from paper.
func NewToken() string {
	b := make([]byte, 16)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// Window returns the window of phase p.
func (s *Survey) Window(p Phase) *Window {
	if p == FollowUp {
		return &s.FollowUp
	}
	return &s.Baseline
}

// IsOpen reports whether phase p takes answers at now.
func (s *Survey) IsOpen(p Phase, now time.Time) bool { return s.Window(p).IsOpen(now) }

// Check checks the survey as the grantee saves it: its questions, and that
// no phase closes before it opens, nor the follow-up opens before the
// baseline. Errors are on "questions", "baseline_closes",
// "follow_up_closes" and "follow_up".
func (s *Survey) Check() validate.Errors {
	errs := validate.Errors{}
	if CheckQuestions(s.Questions) != nil {
		errs.Add("questions", "error.survey.questions")
	}
	for _, p := range Phases {
		w := s.Window(p)
		if !w.Closes.IsZero() && (w.Opens.IsZero() || !w.Closes.After(w.Opens)) {
			errs.Add(string(p)+"_closes", "error.survey.closes_before_opens")
		}
	}
	if !s.FollowUp.Opens.IsZero() && (s.Baseline.Opens.IsZero() || s.FollowUp.Opens.Before(s.Baseline.Opens)) {
		errs.Add("follow_up", "error.survey.follow_up_first")
	}
	return errs
}

// CheckChange refuses a change of questions that would lose the meaning of
// answers already given: every question stays, under its key and kind.
// Questions may be added (at the end) and reworded.
func CheckChange(old, new []Question) error {
	var problems []string
	for _, o := range old {
		i := slices.IndexFunc(new, func(q Question) bool { return q.Key == o.Key })
		switch {
		case i < 0:
			problems = append(problems, fmt.Sprintf("the question %s cannot be removed", o.Key))
		case new[i].Kind != o.Kind:
			problems = append(problems, fmt.Sprintf("the question %s cannot change its kind", o.Key))
		}
	}
	if len(problems) > 0 {
		return &form.DefinitionError{Problems: problems}
	}
	return nil
}

// OwnQuestion is a question a grantee adds, as typed. Options, Low and High
// are written "Swedish | English", options one per line.
type OwnQuestion struct {
	Kind    string
	TextSV  string
	TextEN  string
	Options string
	Low     string
	High    string
}

// AddQuestion appends the grantee's own question q to the survey, under
// a key of its own. Field errors name the form's fields ("kind",
// "text_sv", "text_en", "options").
func (s *Survey) AddQuestion(in OwnQuestion) validate.Errors {
	errs := validate.Errors{}
	q := Question{Kind: Kind(in.Kind), Text: form.Text{SV: strings.TrimSpace(in.TextSV), EN: strings.TrimSpace(in.TextEN)}}
	if !slices.Contains(Kinds, q.Kind) {
		errs.Add("kind", "error.invalid_choice")
	}
	errs.Required("text_sv", q.Text.SV)
	errs.MaxLen("text_sv", q.Text.SV, 300)
	errs.MaxLen("text_en", q.Text.EN, 300)
	switch q.Kind {
	case Scale:
		q.Low, q.High = splitText(in.Low), splitText(in.High)
	case SingleChoice:
		for i, line := range strings.Split(strings.ReplaceAll(in.Options, "\r\n", "\n"), "\n") {
			if t := splitText(line); t.SV != "" {
				q.Options = append(q.Options, form.Option{Value: fmt.Sprintf("o%d", i+1), Label: t})
			}
		}
		if len(q.Options) < 2 {
			errs.Add("options", "error.survey.options")
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for n := len(s.Questions) + 1; ; n++ {
		q.Key = fmt.Sprintf("own_%d", n)
		if !slices.ContainsFunc(s.Questions, func(x Question) bool { return x.Key == q.Key }) {
			break
		}
	}
	s.Questions = append(s.Questions, q)
	return errs
}

// splitText reads "Swedish | English".
func splitText(s string) form.Text {
	sv, en, _ := strings.Cut(s, "|")
	return form.Text{SV: strings.TrimSpace(sv), EN: strings.TrimSpace(en)}
}
