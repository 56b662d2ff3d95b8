package validate

import (
	"errors"
	"fmt"
	"testing"
)

func TestFieldIsSentinelAndFieldError(t *testing.T) {
	notReady := NewField("outcome", "error.decision.not_ready")
	other := NewField("outcome", "error.decision.not_ready")
	err := fmt.Errorf("decide application 7: %w", notReady)
	if !errors.Is(err, notReady) {
		t.Error("errors.Is does not find the wrapped sentinel")
	}
	if errors.Is(err, other) {
		t.Error("errors.Is matched another sentinel with the same key: want identity")
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatal("errors.As does not read the sentinel as Errors")
	}
	if got, want := errs["outcome"], "error.decision.not_ready"; got != want || len(errs) != 1 {
		t.Errorf("got %v, want only outcome=%s", errs, want)
	}
	var plain *Field
	if !errors.As(err, &plain) || plain != notReady {
		t.Errorf("errors.As into *Field: got %v", plain)
	}
}
