// Package form describes the questions a call asks, as data: sections of
// fields an officer configures without code, and the answers an applicant
// gives. Answers are validated here, once, for every call.
package form

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/icld/partnerskap/internal/validate"
)

// Text is a label or help text in Swedish and English.
type Text struct {
	SV string `json:"sv"`
	EN string `json:"en,omitempty"`
}

// In returns the text in lang, falling back to Swedish.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.SV
}

// Kind is the kind of a field.
type Kind string

const (
	ShortText    Kind = "short_text"
	LongText     Kind = "long_text" // with an optional word limit
	Number       Kind = "number"
	Money        Kind = "money" // kronor, kept in öre
	Date         Kind = "date"
	SingleChoice Kind = "single_choice"
	MultiChoice  Kind = "multi_choice"
	File         Kind = "file"
	// Built-in blocks with a structure of their own.
	TargetGroups Kind = "target_groups" // target group and key message, per row
	Activities   Kind = "activities"    // planned activities: target group, channel, period, cost
	Budget       Kind = "budget"        // budget lines: cost category and amount; their sum is the amount requested
	SDGTargets   Kind = "sdg_targets"   // SDG target codes
)

// Kinds lists every kind.
var Kinds = []Kind{ShortText, LongText, Number, Money, Date, SingleChoice, MultiChoice, File, TargetGroups, Activities, Budget, SDGTargets}

// Option is a choice in a choice field.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Field is one question.
type Field struct {
	Key       string   `json:"key"` // stable name the answers are stored under
	Kind      Kind     `json:"kind"`
	Label     Text     `json:"label"`
	Help      Text     `json:"help,omitempty"`
	Required  bool     `json:"required,omitempty"`
	WordLimit int      `json:"word_limit,omitempty"` // long text
	Options   []Option `json:"options,omitempty"`    // choices
	// Personal marks a field that holds personal data (a contact
	// person's name, e-mail address or telephone number): the retention
	// of rejected and withdrawn applications blanks its answers
	// (package privacy).
	Personal bool `json:"personal,omitempty"`
}

// Section groups fields under a heading.
type Section struct {
	Key    string  `json:"key"`
	Title  Text    `json:"title"`
	Help   Text    `json:"help,omitempty"`
	Fields []Field `json:"fields"`
}

// Form is a call's questions.
type Form struct {
	Sections []Section `json:"sections"`
}

// Fields returns every field in order.
func (f *Form) Fields() []Field {
	var out []Field
	for _, s := range f.Sections {
		out = append(out, s.Fields...)
	}
	return out
}

// Field returns the field with key, or nil.
func (f *Form) Field(key string) *Field {
	for i := range f.Sections {
		for j := range f.Sections[i].Fields {
			if f.Sections[i].Fields[j].Key == key {
				return &f.Sections[i].Fields[j]
			}
		}
	}
	return nil
}

// FieldOfKind returns the first field of kind k, or nil: the built-in
// blocks appear at most once.
func (f *Form) FieldOfKind(k Kind) *Field {
	for _, fl := range f.Fields() {
		if fl.Kind == k {
			return f.Field(fl.Key)
		}
	}
	return nil
}

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// blocksOnce are kinds a form may hold only once: the amount requested is
// the one budget's total, and the reach and goals come from one place.
var blocksOnce = []Kind{TargetGroups, Activities, Budget, SDGTargets}

// Check checks the form definition an officer wrote. Problems are reported
// under "form" with the offending key, so the officer can find it.
func (f *Form) Check() error {
	var problems []string
	seen := map[string]bool{}
	kinds := map[Kind]int{}
	if len(f.Sections) == 0 {
		problems = append(problems, "the form has no sections")
	}
	sections := map[string]bool{}
	for _, s := range f.Sections {
		if !keyPattern.MatchString(s.Key) {
			problems = append(problems, fmt.Sprintf("section key %q: use a-z, 0-9 and _ (max 40)", s.Key))
		}
		if sections[s.Key] {
			problems = append(problems, fmt.Sprintf("section key %q is used twice", s.Key))
		}
		sections[s.Key] = true
		if strings.TrimSpace(s.Title.SV) == "" {
			problems = append(problems, fmt.Sprintf("section %q has no Swedish title", s.Key))
		}
		for _, fl := range s.Fields {
			if !keyPattern.MatchString(fl.Key) {
				problems = append(problems, fmt.Sprintf("field key %q: use a-z, 0-9 and _ (max 40)", fl.Key))
			}
			if seen[fl.Key] {
				problems = append(problems, fmt.Sprintf("field key %q is used twice", fl.Key))
			}
			seen[fl.Key] = true
			if !slices.Contains(Kinds, fl.Kind) {
				problems = append(problems, fmt.Sprintf("field %q: unknown kind %q", fl.Key, fl.Kind))
			}
			kinds[fl.Kind]++
			if strings.TrimSpace(fl.Label.SV) == "" {
				problems = append(problems, fmt.Sprintf("field %q has no Swedish label", fl.Key))
			}
			if (fl.Kind == SingleChoice || fl.Kind == MultiChoice) && len(fl.Options) == 0 {
				problems = append(problems, fmt.Sprintf("field %q: a choice needs options", fl.Key))
			}
			if fl.WordLimit < 0 {
				problems = append(problems, fmt.Sprintf("field %q: the word limit cannot be negative", fl.Key))
			}
		}
	}
	for _, k := range blocksOnce {
		if kinds[k] > 1 {
			problems = append(problems, fmt.Sprintf("the block %q may appear only once", k))
		}
	}
	if len(problems) > 0 {
		return &DefinitionError{Problems: problems}
	}
	return nil
}

// DefinitionError lists what is wrong with a form definition.
type DefinitionError struct{ Problems []string }

func (e *DefinitionError) Error() string { return "form: " + strings.Join(e.Problems, "; ") }

// CheckChange refuses a change to a form that already has answers when the
// change would lose them: a field removed, or its kind changed, or a
// choice's option removed. Adding fields and options and rewording labels
// and help are fine.
func CheckChange(old, new *Form) error {
	var problems []string
	for _, of := range old.Fields() {
		nf := new.Field(of.Key)
		if nf == nil {
			problems = append(problems, fmt.Sprintf("field %q cannot be removed: applications have answered it", of.Key))
			continue
		}
		if nf.Kind != of.Kind {
			problems = append(problems, fmt.Sprintf("field %q cannot change kind from %s to %s: applications have answered it", of.Key, of.Kind, nf.Kind))
		}
		for _, o := range of.Options {
			if !slices.ContainsFunc(nf.Options, func(n Option) bool { return n.Value == o.Value }) {
				problems = append(problems, fmt.Sprintf("option %q of field %q cannot be removed: applications may have chosen it", o.Value, of.Key))
			}
		}
	}
	if len(problems) > 0 {
		return &DefinitionError{Problems: problems}
	}
	return nil
}

// errs is a shorthand used by the answer checks.
type errs = validate.Errors
