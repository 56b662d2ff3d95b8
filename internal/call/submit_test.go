package call

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/validate"
)

// completeAnswers returns answers that pass the check of DefaultConfig's
// form, as storetest's answers does.
func completeAnswers() form.Answers {
	return form.Answers{
		Values: map[string]string{
			"title":       "Agenda 2030 i Kalix",
			"summary":     "Vi berättar om partnerskapet för politiker i Kalix.",
			"objectives":  "Fler förtroendevalda känner till Agenda 2030 och partnerskapet.",
			"survey_plan": "Samma enkät före och efter seminariet.",
		},
		TargetGroups: []form.TargetGroup{{Group: "politicians", Message: "Partnerskapet gör skillnad i båda kommunerna."}},
		Activities:   []form.Activity{{Title: "Seminarium i Kalix", TargetGroup: "politicians", Channel: "seminar", Start: "2021-05-01", End: "2021-05-02", Cost: "10 000"}},
		Budget:       []form.BudgetLine{{Category: "communicator", Description: "Kommunikatör", Amount: "250 000"}},
		Targets:      []string{"12.5"},
	}
}

func TestSubmit(t *testing.T) {
	opens, _ := clock.ParseLocal("2021-02-15 00:00")
	closes, _ := clock.ParseLocal("2021-03-15 00:00")
	open := closes.Add(-time.Second)
	newCall := func(steps application.Steps) *Call {
		c := &Call{ID: 1, OpensAt: opens, ClosesAt: closes, Ceiling: 100_000_000, MaxPerGrant: 30_000_000, Config: DefaultConfig()}
		c.Config.Steps = steps
		return c
	}
	type submitCase struct {
		name      string
		steps     application.Steps
		cancelled bool
		state     application.State
		edit      func(a *form.Answers)
		now       time.Time
		want      application.State
		wantErr   error           // errors.Is
		wantErrs  validate.Errors // errors.As, exactly
	}
	tests := []submitCase{
		{"draft, open call, complete", application.Steps{FormalCheck: true, Review: true}, false, application.Draft, nil, open, application.Submitted, nil, nil},
		{"draft, no steps", application.Steps{}, false, application.Draft, nil, opens, application.Submitted, nil, nil},
		{"resubmission before closing", application.Steps{FormalCheck: true, Review: true}, false, application.CompletionRequested, nil, open, application.FormalCheck, nil, nil},
		{"resubmission after closing", application.Steps{FormalCheck: true, Review: true}, false, application.CompletionRequested, nil, closes.Add(30 * 24 * time.Hour), application.FormalCheck, nil, nil},
		{"draft at the closing instant", application.Steps{FormalCheck: true}, false, application.Draft, nil, closes, application.Draft,
			ErrClosed, validate.Errors{"call": "error.application.call_closed"}},
		{"draft long after closing", application.Steps{FormalCheck: true}, false, application.Draft, nil, closes.Add(365 * 24 * time.Hour), application.Draft,
			ErrClosed, validate.Errors{"call": "error.application.call_closed"}},
		{"draft before opening", application.Steps{FormalCheck: true}, false, application.Draft, nil, opens.Add(-time.Second), application.Draft,
			ErrClosed, validate.Errors{"call": "error.application.call_closed"}},
		{"draft, cancelled call", application.Steps{FormalCheck: true}, true, application.Draft, nil, open, application.Draft,
			ErrClosed, validate.Errors{"call": "error.application.call_closed"}},
		{"closed comes before incomplete", application.Steps{FormalCheck: true}, false, application.Draft,
			func(a *form.Answers) { delete(a.Values, "title") }, closes, application.Draft,
			ErrClosed, validate.Errors{"call": "error.application.call_closed"}},
		{"no title", application.Steps{FormalCheck: true}, false, application.Draft,
			func(a *form.Answers) { delete(a.Values, "title") }, open, application.Draft,
			nil, validate.Errors{"title": "error.required"}},
		{"no budget", application.Steps{FormalCheck: true}, false, application.Draft,
			func(a *form.Answers) { a.Budget = nil }, open, application.Draft,
			nil, validate.Errors{"budget": "error.form.rows_required"}},
		{"a budget line of nothing", application.Steps{FormalCheck: true}, false, application.Draft,
			func(a *form.Answers) { a.Budget[0].Amount = "0" }, open, application.Draft,
			nil, validate.Errors{"budget.0.amount": "error.money.not_positive"}},
		{"an unknown channel and no targets", application.Steps{FormalCheck: true}, false, application.Draft,
			func(a *form.Answers) { a.Activities[0].Channel = "brevduva"; a.Targets = nil }, open, application.Draft,
			nil, validate.Errors{"activities.0.channel": "error.invalid_choice", "targets": "error.required"}},
		{"resubmission still incomplete", application.Steps{FormalCheck: true}, false, application.CompletionRequested,
			func(a *form.Answers) { a.Values["summary"] = " " }, closes.Add(time.Hour), application.CompletionRequested,
			nil, validate.Errors{"summary": "error.required"}},
	}
	for _, s := range application.States {
		if s == application.Draft || s == application.CompletionRequested {
			continue
		}
		// Every other state refuses, even in an open call with complete answers.
		tests = append(tests, submitCase{"already " + string(s), application.Steps{FormalCheck: true, Review: true}, false, s, nil, open, s, application.ErrTransition, nil})
	}
	for _, tt := range tests {
		c := newCall(tt.steps)
		c.Cancelled = tt.cancelled
		answers := completeAnswers()
		if tt.edit != nil {
			tt.edit(&answers)
		}
		a := &application.Application{ID: 4, CallID: 1, State: tt.state, Answers: answers}
		got, err := c.Submit(a, tt.now)
		if got != tt.want {
			t.Errorf("%s: state %s, want %s", tt.name, got, tt.want)
		}
		if a.State != tt.state {
			t.Errorf("%s: Submit changed the application's state to %s", tt.name, a.State)
		}
		if tt.wantErr == nil && tt.wantErrs == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.wantErr)
		}
		if tt.wantErrs != nil {
			var errs validate.Errors
			if !errors.As(err, &errs) || !maps.Equal(errs, tt.wantErrs) {
				t.Errorf("%s: %v, want %v", tt.name, err, tt.wantErrs)
			}
		}
		if !errors.Is(tt.wantErr, ErrClosed) && errors.Is(err, ErrClosed) {
			t.Errorf("%s: refused as closed", tt.name)
		}
	}
}
