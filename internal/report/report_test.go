package report

import (
	"errors"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
)

func TestNext(t *testing.T) {
	states := []State{Draft, Submitted, CompletionRequested, Approved}
	events := []Event{Submit, RequestCompletion, Approve}
	allowed := map[[2]string]State{
		{"draft", "submit"}:                 Submitted,
		{"completion_requested", "submit"}:  Submitted,
		{"submitted", "request_completion"}: CompletionRequested,
		{"submitted", "approve"}:            Approved,
	}
	for _, s := range states {
		for _, e := range events {
			got, err := Next(s, e)
			want, ok := allowed[[2]string{string(s), string(e)}]
			if ok && (err != nil || got != want) || !ok && (!errors.Is(err, ErrTransition) || got != s) {
				t.Errorf("%s --%s--> %s, %v", s, e, got, err)
			}
		}
	}
}

func TestDeadlines(t *testing.T) {
	d := FinalDeadline(clock.Date(2021, 12, 31))
	if !d.Due.Equal(clock.Date(2022, 1, 31)) {
		t.Errorf("final due %v", d.Due)
	}
	// On time until midnight in Stockholm: 23:00 UTC in winter.
	if got := d.DueAt().Format(time.RFC3339); got != "2022-01-31T23:00:00Z" {
		t.Errorf("due at %s", got)
	}
}

func TestCheck(t *testing.T) {
	r := Report{Done: "Utställning", Results: "400 elever", Lines: []Line{
		{Category: "communicator", Budgeted: 20_000_000, Spent: "200 000"},
		{Category: "material", Budgeted: 10_000_000, Spent: "125 000"}, // +25 %
	}}
	errs := r.Check(30_000_000, 0.10)
	if errs["lines.1.explanation"] != "error.report.explain_deviation" {
		t.Errorf("unexplained deviation: %v", errs)
	}
	if errs["lines"] != "error.report.over_grant" {
		t.Errorf("spending above the grant: %v", errs)
	}
	r.Lines[1].Explanation = "Fler skärmar än planerat."
	if errs := r.Check(30_000_000, 0.10); len(errs) != 0 {
		t.Errorf("explained: %v", errs)
	}
	if r.Spent() != 32_500_000 {
		t.Errorf("spent %d", r.Spent())
	}
	r.Lines[0].Spent = "-5"
	if errs := r.Check(30_000_000, 0.10); errs["lines.0.spent"] != "error.money.negative" {
		t.Errorf("negative spending: %v", errs)
	}
}

func TestReminderDue(t *testing.T) {
	d := FinalDeadline(clock.Date(2021, 12, 31)) // 31 January 2022
	at := func(s string) time.Time {
		tm, err := clock.ParseLocal(s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		now     string
		state   State
		overdue bool
		want    When
		ok      bool
	}{
		{"2022-01-16 23:59", Draft, true, "", false},
		{"2022-01-17 00:00", Draft, true, Before, true}, // 14 days before the last day
		{"2022-01-31 23:59", Draft, true, Before, true},
		{"2022-02-01 00:00", Draft, true, Overdue, true},
		{"2022-02-01 00:00", Draft, false, Overdue, false},
		{"2022-01-20 00:00", Submitted, true, "", false},
		{"2022-02-20 00:00", Approved, true, "", false},
		{"2022-02-20 00:00", CompletionRequested, true, "", false},
	}
	for _, tt := range tests {
		got, ok := ReminderDue(d, tt.state, at(tt.now), 14, tt.overdue)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("%s %s: %q %v, want %q %v", tt.now, tt.state, got, ok, tt.want, tt.ok)
		}
	}
}
