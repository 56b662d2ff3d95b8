package web

import (
	"sort"
	"strings"
)

// field is what the "field" partial renders: a labelled control with its
// hint and error tied to it by aria-describedby.
type field struct {
	Name         string
	Label        string
	Value        string
	Values       []string // selected values of a multiple choice
	Type         string   // text, email, password, date, datetime-local, textarea, select, checkboxes
	Error        string
	Hint         string
	Required     bool
	Autocomplete string
	InputMode    string
	Options      []option
	Size         int // rows of a textarea or a multiple select
}

type option struct {
	Value string
	Label string
	Group string // optgroup or fieldset legend, when set
}

// Selected reports whether v is the field's value or one of its values.
func (f field) Selected(v string) bool {
	if f.Value == v {
		return true
	}
	for _, x := range f.Values {
		if x == v {
			return true
		}
	}
	return false
}

// Field builds a form field. opts are flags: "required", "hint" (the hint
// key is label key + ".hint"), "autocomplete=…", "inputmode=…", "rows=N".
func (b *Base) Field(name, labelKey, typ string, value any, opts ...string) field {
	f := field{Name: name, Label: b.T(labelKey), Type: typ}
	switch v := value.(type) {
	case string:
		f.Value = v
	case []string:
		f.Values = v
	}
	if key, ok := b.Errors[name]; ok {
		f.Error = b.T(key)
	}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			f.Required = true
		case "hint":
			f.Hint = b.T(labelKey + ".hint")
		case "autocomplete":
			f.Autocomplete = v
		case "inputmode":
			f.InputMode = v
		case "rows":
			for _, r := range v {
				f.Size = f.Size*10 + int(r-'0')
			}
		}
	}
	return f
}

// Choice builds a select or a group of checkboxes with options.
func (b *Base) Choice(name, labelKey, typ string, value any, options []option, opts ...string) field {
	f := b.Field(name, labelKey, typ, value, opts...)
	f.Options = options
	return f
}

// ErrorSummary is the form's errors in the order of the fields, for the
// summary at the top of a form that failed. Each name may carry its
// label's message key ("name=org.name"), so the summary says which field
// an error is about: "Namn: Fältet måste fyllas i." rather than the bare
// message, which repeats when several fields are empty.
func (b *Base) ErrorSummary(order ...string) errorSummary {
	names := make([]string, 0, len(order))
	labels := map[string]string{}
	for _, o := range order {
		name, key, ok := strings.Cut(o, "=")
		if ok {
			labels[name] = b.T(key)
		}
		names = append(names, name)
	}
	return b.labelledSummary(names, labels)
}

// labelledSummary is ErrorSummary with the labels already translated.
func (b *Base) labelledSummary(order []string, labels map[string]string) errorSummary {
	var out []fieldError
	seen := map[string]bool{}
	add := func(name string) {
		out = append(out, fieldError{Name: name, Label: labels[name], Message: b.T(b.Errors[name])})
		seen[name] = true
	}
	for _, name := range order {
		if _, ok := b.Errors[name]; ok && !seen[name] {
			add(name)
		}
	}
	rest := make([]string, 0, len(b.Errors))
	for name := range b.Errors {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		add(name)
	}
	return errorSummary{Heading: b.T("form.errors", "Count", len(out)), Items: out}
}

type errorSummary struct {
	Heading string
	Items   []fieldError
}

type fieldError struct {
	Name    string
	Label   string // the field's label, when known
	Message string
}

// Lead is the label as it starts the summary's line: "Namn: ", or a
// question as it stands ("Är du jävig? ").
func (e fieldError) Lead() string {
	switch {
	case e.Label == "":
		return ""
	case strings.HasSuffix(e.Label, "?"), strings.HasSuffix(e.Label, ":"):
		return e.Label + " "
	}
	return e.Label + ": "
}
