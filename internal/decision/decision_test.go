package decision

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/validate"
)

func TestOutcomeState(t *testing.T) {
	tests := []struct {
		o    Outcome
		want application.State
	}{
		{Granted, application.Granted},
		{PartlyGranted, application.PartlyGranted},
		{Rejected, application.Rejected},
		// Check refuses any other outcome; should one slip through, it
		// leads to no money rather than a grant.
		{"", application.Rejected},
		{"beviljad", application.Rejected},
	}
	for _, tt := range tests {
		if got := tt.o.State(); got != tt.want {
			t.Errorf("%q.State() = %q, want %q", tt.o, got, tt.want)
		}
	}
	for _, o := range Outcomes {
		if !o.State().Final() {
			t.Errorf("%s leads to %s, which is not final", o, o.State())
		}
	}
	if want := []Outcome{Granted, PartlyGranted, Rejected}; !slices.Equal(Outcomes, want) {
		t.Errorf("Outcomes = %v, want %v", Outcomes, want)
	}
}

func TestRegistryTitle(t *testing.T) {
	tests := []struct {
		a    application.Application
		want string
	}{
		{application.Application{ID: 42, Answers: form.Answers{Values: map[string]string{"title": "Kalix och Masaka: plast och miljö"}}},
			"Beslut: Kalix och Masaka: plast och miljö"},
		{application.Application{ID: 42, Answers: form.Answers{Values: map[string]string{"title": "  Växjö berättar  "}}},
			"Beslut: Växjö berättar"},
		{application.Application{ID: 42, Answers: form.Answers{Values: map[string]string{"title": " "}}}, "Beslut: Ansökan 42"},
		{application.Application{ID: 7}, "Beslut: Ansökan 7"},
	}
	for _, tt := range tests {
		if got := RegistryTitle(&tt.a); got != tt.want {
			t.Errorf("RegistryTitle(%d) = %q, want %q", tt.a.ID, got, tt.want)
		}
	}
}

// TestCheck applies the decision rules; a call's maximum per grant of
// 300 000 SEK (30 000 000 öre) is a grant rule (grant.Check), not one of
// these. want is the whole set of field errors, so a
// test also fails when an extra error appears.
func TestCheck(t *testing.T) {
	const (
		maxPerGrant = 30_000_000 // 300 000 SEK in öre
		requested   = 25_000_000
	)
	long := strings.Repeat("ö", 5001)
	tests := []struct {
		name       string
		d          Decision
		requested  int64
		want       validate.Errors
		wantAmount int64 // the amount after Check
	}{
		// Granted: the amount requested, filled in when left at zero.
		{"granted, amount left out", Decision{Outcome: Granted}, requested, nil, requested},
		{"granted, amount requested", Decision{Outcome: Granted, Amount: requested}, requested, nil, requested},
		{"granted at the maximum", Decision{Outcome: Granted}, maxPerGrant, nil, maxPerGrant},
		{"granted one öre less", Decision{Outcome: Granted, Amount: requested - 1}, requested,
			validate.Errors{"amount": "error.decision.granted_is_requested"}, requested - 1},
		{"granted one öre more", Decision{Outcome: Granted, Amount: requested + 1}, requested,
			validate.Errors{"amount": "error.decision.granted_is_requested"}, requested + 1},
		{"granted, negative", Decision{Outcome: Granted, Amount: -1}, requested,
			validate.Errors{"amount": "error.decision.granted_is_requested"}, -1},
		{"granted, requested over the maximum", Decision{Outcome: Granted}, maxPerGrant + 1, nil, maxPerGrant + 1},
		{"granted needs no reason", Decision{Outcome: Granted, Reason: "  ", Conditions: "Rapport senast 31 januari."}, requested, nil, requested},

		// Partly granted: less than requested, more than zero, with a reason.
		{"partly", Decision{Outcome: PartlyGranted, Amount: 18_000_000, Reason: "Konsultkostnaden är för hög."}, requested, nil, 18_000_000},
		{"partly, one öre below", Decision{Outcome: PartlyGranted, Amount: requested - 1, Reason: "Avrundat."}, requested, nil, requested - 1},
		{"partly, one öre", Decision{Outcome: PartlyGranted, Amount: 1, Reason: "Symboliskt."}, requested, nil, 1},
		{"partly, no reason", Decision{Outcome: PartlyGranted, Amount: 18_000_000}, requested,
			validate.Errors{"reason": "error.required"}, 18_000_000},
		{"partly, blank reason", Decision{Outcome: PartlyGranted, Amount: 18_000_000, Reason: " \n\t "}, requested,
			validate.Errors{"reason": "error.required"}, 18_000_000},
		{"partly, zero", Decision{Outcome: PartlyGranted, Reason: "Skäl"}, requested,
			validate.Errors{"amount": "error.money.not_positive"}, 0},
		{"partly, negative", Decision{Outcome: PartlyGranted, Amount: -100, Reason: "Skäl"}, requested,
			validate.Errors{"amount": "error.money.not_positive"}, -100},
		{"partly, all requested", Decision{Outcome: PartlyGranted, Amount: requested, Reason: "Skäl"}, requested,
			validate.Errors{"amount": "error.decision.partly_below_requested"}, requested},
		{"partly, more than requested", Decision{Outcome: PartlyGranted, Amount: requested + 1, Reason: "Skäl"}, requested,
			validate.Errors{"amount": "error.decision.partly_below_requested"}, requested + 1},
		{"partly, no reason and zero", Decision{Outcome: PartlyGranted}, requested,
			validate.Errors{"reason": "error.required", "amount": "error.money.not_positive"}, 0},
		// Asked for more than the maximum: the maximum itself is a partial grant.
		{"partly, at the maximum", Decision{Outcome: PartlyGranted, Amount: maxPerGrant, Reason: "Taket."}, 40_000_000, nil, maxPerGrant},
		{"partly, over the maximum", Decision{Outcome: PartlyGranted, Amount: maxPerGrant + 1, Reason: "Skäl"}, 40_000_000, nil, maxPerGrant + 1},
		// Both wrong: the first problem is the one shown.
		{"partly, over requested and maximum", Decision{Outcome: PartlyGranted, Amount: 45_000_000, Reason: "Skäl"}, 40_000_000,
			validate.Errors{"amount": "error.decision.partly_below_requested"}, 45_000_000},

		// Rejected: a reason and no money.
		{"rejected", Decision{Outcome: Rejected, Reason: "Partnerskapet är inte aktivt."}, requested, nil, 0},
		{"rejected, no reason", Decision{Outcome: Rejected}, requested,
			validate.Errors{"reason": "error.required"}, 0},
		{"rejected with money", Decision{Outcome: Rejected, Amount: 1, Reason: "Skäl"}, requested,
			validate.Errors{"amount": "error.decision.rejected_no_money"}, 1},
		{"rejected with money over the maximum", Decision{Outcome: Rejected, Amount: maxPerGrant + 1, Reason: "Skäl"}, requested,
			validate.Errors{"amount": "error.decision.rejected_no_money"}, maxPerGrant + 1},
		{"rejected, request over the maximum", Decision{Outcome: Rejected, Reason: "För stort belopp."}, maxPerGrant + 1, nil, 0},

		// No outcome chosen.
		{"no outcome", Decision{Amount: requested}, requested, validate.Errors{"outcome": "error.required"}, requested},
		{"unknown outcome", Decision{Outcome: "beviljad", Reason: "x"}, requested, validate.Errors{"outcome": "error.required"}, 0},

		// Lengths count characters: 5000 ö (10 000 bytes) fit, 5001 do not.
		{"reason at the limit", Decision{Outcome: Rejected, Reason: long[len("ö"):]}, requested, nil, 0},
		{"reason too long", Decision{Outcome: Rejected, Reason: long}, requested, validate.Errors{"reason": "error.too_long"}, 0},
		{"conditions at the limit", Decision{Outcome: Granted, Conditions: long[len("ö"):]}, requested, nil, requested},
		{"conditions too long", Decision{Outcome: Granted, Conditions: long}, requested,
			validate.Errors{"conditions": "error.too_long"}, requested},
		// Surrounding space is trimmed before the length is counted.
		{"reason trimmed to the limit", Decision{Outcome: Rejected, Reason: "  " + long[len("ö"):] + "\n"}, requested, nil, 0},
	}
	for _, tt := range tests {
		d := tt.d
		got := d.Check(tt.requested)
		if !maps.Equal(got, tt.want) {
			t.Errorf("%s: Check = %v, want %v", tt.name, got, tt.want)
		}
		if d.Amount != tt.wantAmount {
			t.Errorf("%s: amount after Check = %d, want %d", tt.name, d.Amount, tt.wantAmount)
		}
	}
}

// TestCheckTrims checks that the reason and conditions are stored as
// trimmed, with the Swedish letters intact.
func TestCheckTrims(t *testing.T) {
	d := Decision{Outcome: PartlyGranted, Amount: 10_000_000, Reason: " \tBudgeten för tryck är för hög; 100 000 kr räcker.\n", Conditions: "\n Slutrapport senast 31 januari året efter.  "}
	if errs := d.Check(25_000_000); len(errs) > 0 {
		t.Fatalf("Check = %v", errs)
	}
	if want := "Budgeten för tryck är för hög; 100 000 kr räcker."; d.Reason != want {
		t.Errorf("Reason = %q, want %q", d.Reason, want)
	}
	if want := "Slutrapport senast 31 januari året efter."; d.Conditions != want {
		t.Errorf("Conditions = %q, want %q", d.Conditions, want)
	}
}
