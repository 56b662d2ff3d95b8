package application

import (
	"errors"
	"testing"
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
			allowed[key{CompletionRequested, Submit, fc, rv}] = Submitted
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
