package application

import (
	"errors"
	"reflect"
	"testing"

	"github.com/icld/partnerskap/internal/form"
)

// TestNext walks every state × event × step combination and compares with
// the allowed transitions written out by hand.
func TestNext(t *testing.T) {
	type key struct {
		from State
		e    Event
		fc   bool // formal check
		rv   bool // review
	}
	allowed := map[key]State{}
	for _, fc := range []bool{false, true} {
		for _, rv := range []bool{false, true} {
			allowed[key{Draft, Submit, fc, rv}] = Submitted
			// A resubmission returns to the formal check it left, where
			// the officer continues; only if the call dropped the step
			// since is it an ordinary submission.
			if fc {
				allowed[key{CompletionRequested, Submit, fc, rv}] = FormalCheck
			} else {
				allowed[key{CompletionRequested, Submit, fc, rv}] = Submitted
			}
			allowed[key{FormalCheck, RequestCompletion, fc, rv}] = CompletionRequested
			if rv {
				allowed[key{FormalCheck, PassCheck, fc, rv}] = InReview
			} else {
				allowed[key{FormalCheck, PassCheck, fc, rv}] = Ready
			}
			allowed[key{InReview, MarkReady, fc, rv}] = Ready
			for _, s := range []State{Draft, Submitted, FormalCheck, CompletionRequested, InReview, Ready} {
				allowed[key{s, Withdraw, fc, rv}] = Withdrawn
			}
		}
	}
	allowed[key{Submitted, StartCheck, true, false}] = FormalCheck
	allowed[key{Submitted, StartCheck, true, true}] = FormalCheck
	allowed[key{Submitted, SendToReview, false, true}] = InReview
	allowed[key{Submitted, MarkReady, false, false}] = Ready

	events := []Event{Submit, StartCheck, RequestCompletion, PassCheck, SendToReview, MarkReady, Decide, Withdraw}
	n := 0
	for _, from := range States {
		for _, e := range events {
			for _, fc := range []bool{false, true} {
				for _, rv := range []bool{false, true} {
					got, err := Next(from, e, Steps{FormalCheck: fc, Review: rv})
					want, ok := allowed[key{from, e, fc, rv}]
					n++
					switch {
					case ok && (err != nil || got != want):
						t.Errorf("%s --%s--> (check=%v review=%v): got %s, %v; want %s", from, e, fc, rv, got, err, want)
					case !ok && !errors.Is(err, ErrTransition):
						t.Errorf("%s --%s--> (check=%v review=%v): allowed (%s), want ErrTransition", from, e, fc, rv, got)
					case !ok && got != from:
						t.Errorf("%s --%s--> refused but moved to %s", from, e, got)
					}
				}
			}
		}
	}
	if n != len(States)*len(events)*4 {
		t.Fatalf("walked %d combinations", n)
	}
}

func TestDecidable(t *testing.T) {
	for _, s := range States {
		want := s == Ready || s == InReview
		if CanDecide(s) != want {
			t.Errorf("CanDecide(%s) = %v", s, !want)
		}
	}
	for _, s := range []State{Granted, PartlyGranted, Rejected, Withdrawn} {
		if !s.Final() || s.Editable() {
			t.Errorf("%s should be final and not editable", s)
		}
	}
}

func TestSetAnswers(t *testing.T) {
	budget := func(kronor ...string) form.Answers {
		a := form.Answers{Values: map[string]string{"title": "Agenda 2030 i Kalix"}}
		for _, k := range kronor {
			a.Budget = append(a.Budget, form.BudgetLine{Category: "communicator", Amount: k})
		}
		return a
	}
	tests := []struct {
		name    string
		answers form.Answers
		want    int64 // öre
	}{
		{"one line", budget("250 000"), 25_000_000},
		{"lines with öre", budget("150 000,55", "49 999,12", "0,33"), 20_000_000},
		{"as people type it", budget("1 800 000 kr", "2500:-", "12,5"), 180_251_250},
		{"unreadable lines count as nothing", budget("10 000", "tiotusen", "", "1,505"), 1_000_000},
		{"zero and negative lines count as nothing", budget("10 000", "0", "-5 000"), 1_000_000},
		{"no budget", budget(), 0},
		{"nothing", form.Answers{}, 0},
	}
	for _, tt := range tests {
		// Requested and the answers before are replaced, not added to.
		a := &Application{ID: 3, State: Draft, Requested: 99_999, Answers: budget("99 999")}
		a.SetAnswers(tt.answers)
		if a.Requested != tt.want {
			t.Errorf("%s: requested %d öre, want %d", tt.name, a.Requested, tt.want)
		}
		if !reflect.DeepEqual(a.Answers, tt.answers) {
			t.Errorf("%s: answers %+v, want %+v", tt.name, a.Answers, tt.answers)
		}
		if a.ID != 3 || a.State != Draft {
			t.Errorf("%s: changed more than the answers: %+v", tt.name, a)
		}
	}
}
