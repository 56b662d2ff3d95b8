package call

import (
	"slices"

	"github.com/icld/partnerskap/internal/validate"
)

// A call has its own reviewers, chosen by the officers of its programme:
// an application in the call is assigned only to one of them. A reviewer
// who has submitted a review in the call stays one of its reviewers, so
// the scores beside the application always have a reviewer of the call
// behind them.

var (
	// ErrNotReviewer refuses making an account a call's reviewer when it
	// holds no reviewer role or is deactivated (a field error on
	// "reviewer").
	ErrNotReviewer = validate.NewField("reviewer", "error.call.not_reviewer")
	// ErrReviewerHasReviews refuses removing a reviewer who has submitted
	// a review of an application in the call.
	ErrReviewerHasReviews = validate.NewField("form", "error.call.reviewer_has_reviews")
)

// CheckAddReviewer decides whether an account may become a reviewer of
// a call: isReviewer whether it holds the reviewer role, disabled whether
// it is deactivated.
func CheckAddReviewer(isReviewer, disabled bool) error {
	if !isReviewer || disabled {
		return ErrNotReviewer
	}
	return nil
}

// CheckRemoveReviewer decides whether a reviewer may leave a call, given
// how many reviews they have submitted in it.
func CheckRemoveReviewer(submitted int) error {
	if submitted > 0 {
		return ErrReviewerHasReviews
	}
	return nil
}

// MayAssign reports whether an application in a call whose reviewers are
// members may be assigned to reviewer.
func MayAssign(members []int64, reviewer int64) bool {
	return slices.Contains(members, reviewer)
}
