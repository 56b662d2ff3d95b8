// Package survey runs a grant's baseline and follow-up surveys: the same
// questions to the same target group before and after the communication,
// answered anonymously through a public link, so the change it made can be
// shown. Respondents may give a self-chosen code, which pairs their two
// answers without saying who they are.
package survey

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/validate"
)

// Kind is the kind of a question.
type Kind string

const (
	Scale        Kind = "scale"         // 1–5, e.g. from "know nothing" to "know a lot"
	YesNo        Kind = "yes_no"        // yes, no, don't know
	SingleChoice Kind = "single_choice" // one of the options
	FreeText     Kind = "free_text"
)

// Kinds lists every kind.
var Kinds = []Kind{Scale, YesNo, SingleChoice, FreeText}

// Question is one question of a survey.
type Question struct {
	Key     string        `json:"key"`
	Kind    Kind          `json:"kind"`
	Text    form.Text     `json:"text"`
	Low     form.Text     `json:"low,omitempty"`  // scale: what 1 means
	High    form.Text     `json:"high,omitempty"` // scale: what 5 means
	Options []form.Option `json:"options,omitempty"`
}

// Phase is when a response was given.
type Phase string

const (
	Baseline Phase = "baseline"
	FollowUp Phase = "follow_up"
)

// Phases lists both.
var Phases = []Phase{Baseline, FollowUp}

// Yes, no and don't know are the answers of a YesNo question.
const (
	Yes      = "yes"
	No       = "no"
	DontKnow = "dont_know"
)

// Response is one respondent's answers in one phase.
type Response struct {
	ID          int64
	GrantID     int64
	Phase       Phase
	TargetGroup string            // from the call's target groups
	Code        string            // self-chosen, to pair baseline and follow-up; may be empty
	Answers     map[string]string // question key → answer
	At          time.Time
}

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// CheckQuestions checks a survey's questions as written by an officer or a
// grantee.
func CheckQuestions(qs []Question) error {
	var problems []string
	seen := map[string]bool{}
	for _, q := range qs {
		if !keyPattern.MatchString(q.Key) || seen[q.Key] {
			problems = append(problems, fmt.Sprintf("question key %q must be unique and use a-z, 0-9, _", q.Key))
		}
		seen[q.Key] = true
		if !slices.Contains(Kinds, q.Kind) {
			problems = append(problems, fmt.Sprintf("question %q: unknown kind %q", q.Key, q.Kind))
		}
		if strings.TrimSpace(q.Text.SV) == "" {
			problems = append(problems, fmt.Sprintf("question %q has no Swedish text", q.Key))
		}
		if q.Kind == SingleChoice && len(q.Options) < 2 {
			problems = append(problems, fmt.Sprintf("question %q: a choice needs at least two options", q.Key))
		}
	}
	if len(qs) == 0 {
		problems = append(problems, "the survey has no questions")
	}
	if len(problems) > 0 {
		return &form.DefinitionError{Problems: problems}
	}
	return nil
}

// NormalizeCode makes a self-chosen code comparable: trimmed, upper case,
// inner spaces removed, so "ab 12" and "AB12" pair.
func NormalizeCode(code string) string {
	return strings.ToUpper(strings.Join(strings.Fields(code), ""))
}

// Check checks a response against the questions and the target groups.
// Unanswered questions are allowed (a respondent may skip one); an answer
// outside a question's choices is not.
func (r *Response) Check(qs []Question, groups []form.Option) validate.Errors {
	e := validate.Errors{}
	if !slices.Contains(Phases, r.Phase) {
		e.Add("phase", "error.invalid_choice")
	}
	if !slices.ContainsFunc(groups, func(o form.Option) bool { return o.Value == r.TargetGroup }) {
		e.Add("target_group", "error.survey.target_group")
	}
	r.Code = NormalizeCode(r.Code)
	if len([]rune(r.Code)) > 20 {
		e.Add("code", "error.survey.code")
	}
	for key, v := range r.Answers {
		i := slices.IndexFunc(qs, func(q Question) bool { return q.Key == key })
		if i < 0 {
			e.Add("q_"+key, "error.invalid_choice")
			continue
		}
		q := qs[i]
		switch q.Kind {
		case Scale:
			// One of the five values the form offers, written as the
			// results count them: "03" or "+3" would count in the mean
			// and in no bar.
			if len(v) != 1 || v[0] < '1' || v[0] > '5' {
				e.Add("q_"+key, "error.invalid_choice")
			}
		case YesNo:
			if v != Yes && v != No && v != DontKnow {
				e.Add("q_"+key, "error.invalid_choice")
			}
		case SingleChoice:
			if !slices.ContainsFunc(q.Options, func(o form.Option) bool { return o.Value == v }) {
				e.Add("q_"+key, "error.invalid_choice")
			}
		case FreeText:
			e.MaxLen("q_"+key, v, 2000)
		}
	}
	return e
}

// DefaultQuestions are the knowledge and attitude questions of the
// communication support's surveys, a starting point a grantee extends.
func DefaultQuestions() []Question {
	return []Question{
		{Key: "know_partnership", Kind: Scale,
			Text: form.Text{SV: "Hur mycket vet du om kommunens internationella partnerskap?", EN: "How much do you know about the municipality's international partnership?"},
			Low:  form.Text{SV: "Ingenting", EN: "Nothing"}, High: form.Text{SV: "Mycket", EN: "A lot"}},
		{Key: "know_agenda2030", Kind: Scale,
			Text: form.Text{SV: "Hur mycket vet du om Agenda 2030 och de globala målen?", EN: "How much do you know about Agenda 2030 and the global goals?"},
			Low:  form.Text{SV: "Ingenting", EN: "Nothing"}, High: form.Text{SV: "Mycket", EN: "A lot"}},
		{Key: "partnership_useful", Kind: YesNo,
			Text: form.Text{SV: "Tycker du att kommunen ska samarbeta med kommuner i andra länder?", EN: "Do you think the municipality should work with municipalities in other countries?"}},
		{Key: "comment", Kind: FreeText,
			Text: form.Text{SV: "Vill du säga något mer?", EN: "Anything else you want to say?"}},
	}
}
