package validate

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
)

// TestAddKeepsFirst checks that a field keeps the first problem found, so
// the user sees the one to fix first.
func TestAddKeepsFirst(t *testing.T) {
	e := Errors{}
	e.Add("amount", "error.required")
	e.Add("amount", "error.money.not_positive")
	e.Add("reason", "error.too_long")
	want := Errors{"amount": "error.required", "reason": "error.too_long"}
	if !maps.Equal(e, want) {
		t.Errorf("got %v, want %v", e, want)
	}
}

func TestHas(t *testing.T) {
	e := Errors{"name_sv": "error.required"}
	tests := []struct {
		field string
		want  bool
	}{
		{"name_sv", true},
		{"name_en", false},
		{"", false},
		{"Name_sv", false}, // field names are exact
	}
	for _, tt := range tests {
		if got := e.Has(tt.field); got != tt.want {
			t.Errorf("Has(%q) = %v, want %v", tt.field, got, tt.want)
		}
	}
	if (Errors)(nil).Has("x") {
		t.Error("a nil Errors has an error")
	}
}

// TestErr checks that no errors give a nil error (not a non-nil interface
// holding an empty map), and that errors come back as Errors for
// errors.As, also through %w.
func TestErr(t *testing.T) {
	if err := (Errors{}).Err(); err != nil {
		t.Errorf("empty: Err() = %#v, want nil", err)
	}
	if err := (Errors)(nil).Err(); err != nil {
		t.Errorf("nil: Err() = %#v, want nil", err)
	}
	e := Errors{"reason": "error.required"}
	err := fmt.Errorf("decide application 7: %w", e.Err())
	var got Errors
	if !errors.As(err, &got) {
		t.Fatalf("errors.As(%v) found no Errors", err)
	}
	if want := (Errors{"reason": "error.required"}); !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestError(t *testing.T) {
	tests := []struct {
		e    Errors
		want string
	}{
		{Errors{}, "invalid: "},
		{Errors{"amount": "error.money.not_positive"}, "invalid: amount=error.money.not_positive"},
		// Sorted by field, whatever the map order.
		{Errors{"reason": "error.required", "amount": "error.grant.over_max", "conditions": "error.too_long"},
			"invalid: amount=error.grant.over_max, conditions=error.too_long, reason=error.required"},
		{Errors{"score_relevans": "error.required", "score_genomförbarhet": "error.review.out_of_scale"},
			"invalid: score_genomförbarhet=error.review.out_of_scale, score_relevans=error.required"},
	}
	for _, tt := range tests {
		for range 5 { // map order varies between runs; the text must not
			if got := tt.e.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
				break
			}
		}
	}
}

func TestRequired(t *testing.T) {
	tests := []struct {
		value string
		want  string // message key, "" for none
	}{
		{"", "error.required"},
		{" ", "error.required"},
		{"\t\n \u00a0", "error.required"}, // a no-break space is space too
		{"\u3000", "error.required"},      // ideographic space
		{"å", ""},
		{"  Växjö kommun  ", ""},
		{"0", ""},
	}
	for _, tt := range tests {
		e := Errors{}
		e.Required("name", tt.value)
		if got := e["name"]; got != tt.want {
			t.Errorf("Required(%q) = %q, want %q", tt.value, got, tt.want)
		}
		if len(e) > 1 {
			t.Errorf("Required(%q) added other fields: %v", tt.value, e)
		}
	}
}

// TestMaxLen checks that the limit counts characters, not bytes, so å, ä
// and ö (two bytes each in UTF-8) count once.
func TestMaxLen(t *testing.T) {
	tests := []struct {
		value string
		n     int
		want  string
	}{
		{"", 0, ""},
		{"a", 0, "error.too_long"},
		{"åäö", 3, ""},               // 6 bytes, 3 characters
		{"åäö", 2, "error.too_long"}, // one over
		{"Örebro", 6, ""},
		{"Örebro", 5, "error.too_long"},
		{strings.Repeat("ö", 5000), 5000, ""},
		{strings.Repeat("ö", 5001), 5000, "error.too_long"},
		{"  ab  ", 2, "error.too_long"}, // spaces count: callers trim first
	}
	for _, tt := range tests {
		e := Errors{}
		e.MaxLen("f", tt.value, tt.n)
		if got := e["f"]; got != tt.want {
			t.Errorf("MaxLen(%d runes, %d) = %q, want %q", len([]rune(tt.value)), tt.n, got, tt.want)
		}
	}
}

// TestFirstCheckWins checks that a field checked twice keeps the key of
// the check that ran first, whichever check that is.
func TestFirstCheckWins(t *testing.T) {
	e := Errors{}
	e.MaxLen("title", strings.Repeat("x", 11), 10)
	e.Required("title", "")
	if got, want := e["title"], "error.too_long"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
