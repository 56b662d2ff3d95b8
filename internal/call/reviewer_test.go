package call

import (
	"errors"
	"testing"
)

func TestCallReviewerRules(t *testing.T) {
	if err := CheckAddReviewer(true, false); err != nil {
		t.Errorf("an active reviewer: %v", err)
	}
	if err := CheckAddReviewer(false, false); !errors.Is(err, ErrNotReviewer) {
		t.Errorf("no reviewer role: %v", err)
	}
	if err := CheckAddReviewer(true, true); !errors.Is(err, ErrNotReviewer) {
		t.Errorf("a deactivated reviewer: %v", err)
	}
	if err := CheckRemoveReviewer(0); err != nil {
		t.Errorf("no reviews: %v", err)
	}
	if err := CheckRemoveReviewer(1); !errors.Is(err, ErrReviewerHasReviews) {
		t.Errorf("a submitted review: %v", err)
	}
	if !MayAssign([]int64{3, 5}, 5) || MayAssign([]int64{3, 5}, 4) || MayAssign(nil, 3) {
		t.Error("MayAssign")
	}
}
