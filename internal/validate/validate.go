// Package validate collects field-level errors. Each error is a message key
// (translated by the page in its language) attached to the name of the form
// field it concerns, so a page can show it next to that field.
package validate

import (
	"sort"
	"strings"
)

// Errors maps a field name to a message key.
type Errors map[string]string

// Add records msg for field unless the field already has an error: the first
// problem found is the one the user needs to fix first.
func (e Errors) Add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// Has reports whether field has an error.
func (e Errors) Has(field string) bool { _, ok := e[field]; return ok }

// Err returns e as an error, or nil when there are none.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Error lists the fields and keys, in a stable order, for logs and tests.
func (e Errors) Error() string {
	fields := make([]string, 0, len(e))
	for f := range e {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var b strings.Builder
	b.WriteString("invalid: ")
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f + "=" + e[f])
	}
	return b.String()
}

// Required adds "required" for field when value is blank.
func (e Errors) Required(field, value string) {
	if strings.TrimSpace(value) == "" {
		e.Add(field, "error.required")
	}
}

// MaxLen adds "too_long" when value has more than n characters.
func (e Errors) MaxLen(field, value string, n int) {
	if len([]rune(value)) > n {
		e.Add(field, "error.too_long")
	}
}
