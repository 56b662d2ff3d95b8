package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Reviews stores reviewer assignments, conflict declarations and reviews.
type Reviews interface {
	// AssignReviewer gives the application to a user holding the reviewer
	// role; the application must be in review.
	AssignReviewer(ctx context.Context, by audit.Actor, applicationID, reviewerID int64) error
	Assignments(ctx context.Context, applicationID int64) ([]review.Assignment, error)
	// Assignment returns one reviewer's assignment, or ErrNotFound when the
	// application is not assigned to them.
	Assignment(ctx context.Context, applicationID, reviewerID int64) (*review.Assignment, error)
	// DeclareConflict records the reviewer's declaration.
	DeclareConflict(ctx context.Context, by audit.Actor, applicationID, reviewerID int64, conflict bool, note string) error
	// SaveReview saves a draft review, or submits it when submit is true
	// (then it must pass review.Check). The reviewer must be assigned, have
	// declared no conflict, and the application be in review.
	SaveReview(ctx context.Context, by audit.Actor, r *review.Review, submit bool) error
	// Reviews returns the reviews of an application (all when 0 and callID
	// set by ReviewsInCall).
	Reviews(ctx context.Context, applicationID int64) ([]review.Review, error)
	ReviewsInCall(ctx context.Context, callID int64) ([]review.Review, error)
}

// errNotAssigned refuses a declaration or review from a reviewer the
// application is not assigned to.
var errNotAssigned = validate.Errors{"reviewer": "error.review.not_assigned"}

const assignmentColumns = `application_id, reviewer_id, assigned_at, assigned_by, declared, conflict, conflict_note, declared_at`

func scanAssignment(row scanner) (*review.Assignment, error) {
	var a review.Assignment
	var by sql.NullInt64
	if err := row.Scan(&a.ApplicationID, &a.ReviewerID, instant(&a.AssignedAt), &by, &a.Declared, &a.Conflict, &a.ConflictNote, instant(&a.DeclaredAt)); err != nil {
		return nil, err
	}
	a.AssignedBy = by.Int64
	return &a, nil
}

func readAssignment(ctx context.Context, db querier, appID, reviewerID int64, lock string) (*review.Assignment, error) {
	a, err := scanAssignment(db.QueryRowContext(ctx, `SELECT `+assignmentColumns+` FROM review_assignments WHERE application_id = ? AND reviewer_id = ?`+lock, appID, reviewerID))
	if err != nil {
		return nil, notFound(err)
	}
	return a, nil
}

// AssignReviewer gives an application in review to a user holding the
// reviewer role. Assigning again changes nothing. It holds a share lock on
// the application's row, so its state cannot change meanwhile.
func (s *DB) AssignReviewer(ctx context.Context, by audit.Actor, applicationID, reviewerID int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		a, err := readApplication(ctx, tx, applicationID, s.d.ForShare)
		if err != nil {
			return err
		}
		if a.State != application.InReview {
			return application.ErrTransition
		}
		u, err := s.readUser(ctx, tx, "id = ?", reviewerID)
		if errors.Is(err, ErrNotFound) || (err == nil && (!u.Has(user.Reviewer) || u.Disabled)) {
			return validate.Errors{"reviewer": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		now := s.now()
		asg := review.Assignment{ApplicationID: applicationID, ReviewerID: reviewerID, AssignedAt: now, AssignedBy: by.UserID}
		// ON CONFLICT makes a repeat, even a concurrent one, a no-op.
		res, err := tx.ExecContext(ctx, `INSERT INTO review_assignments (application_id, reviewer_id, assigned_at, assigned_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (application_id, reviewer_id) DO NOTHING`, applicationID, reviewerID, now, nullInt(by.UserID))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := s.addChange(ctx, tx, by, applicationID, a.State, a.State, "assign_reviewer", u.Name); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "assign_reviewer", "application", applicationID, nil, asg)
	})
	if err != nil {
		return fmt.Errorf("assign reviewer %d to application %d: %w", reviewerID, applicationID, err)
	}
	return nil
}

// Assignments returns an application's assignments, conflicted ones too,
// in the order they were made.
func (s *DB) Assignments(ctx context.Context, applicationID int64) ([]review.Assignment, error) {
	out, err := queryAll(ctx, s.r, value(scanAssignment), `SELECT `+assignmentColumns+` FROM review_assignments WHERE application_id = ? ORDER BY assigned_at, reviewer_id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("assignments of %d: %w", applicationID, err)
	}
	return out, nil
}

// Assignment returns one reviewer's assignment, or ErrNotFound.
func (s *DB) Assignment(ctx context.Context, applicationID, reviewerID int64) (*review.Assignment, error) {
	a, err := readAssignment(ctx, s.r, applicationID, reviewerID, "")
	if err != nil {
		return nil, fmt.Errorf("assignment of %d to %d: %w", applicationID, reviewerID, err)
	}
	return a, nil
}

// DeclareConflict records an assigned reviewer's declaration, holding the
// assignment's row lock (as SaveReview does). Declaring a conflict
// discards their draft review; after submitting a review they can no
// longer declare one (application.ErrTransition).
func (s *DB) DeclareConflict(ctx context.Context, by audit.Actor, applicationID, reviewerID int64, conflict bool, note string) error {
	note = strings.TrimSpace(note)
	errs := validate.Errors{}
	errs.MaxLen("conflict_note", note, 5000)
	if err := errs.Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		before, err := readAssignment(ctx, tx, applicationID, reviewerID, s.d.ForUpdate)
		if errors.Is(err, ErrNotFound) {
			return errNotAssigned
		}
		if err != nil {
			return err
		}
		if conflict {
			r, err := readReview(ctx, tx, applicationID, reviewerID)
			switch {
			case err == nil && r.Submitted():
				return application.ErrTransition
			case err == nil:
				if _, err := tx.ExecContext(ctx, `DELETE FROM reviews WHERE application_id = ? AND reviewer_id = ?`, applicationID, reviewerID); err != nil {
					return err
				}
			case !errors.Is(err, ErrNotFound):
				return err
			}
		}
		now := s.now()
		after := *before
		after.Declared, after.Conflict, after.ConflictNote, after.DeclaredAt = true, conflict, note, now
		if _, err := tx.ExecContext(ctx, `UPDATE review_assignments SET declared = TRUE, conflict = ?, conflict_note = ?, declared_at = ? WHERE application_id = ? AND reviewer_id = ?`,
			conflict, note, now, applicationID, reviewerID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "declare_conflict", "application", applicationID, before, &after)
	})
	if err != nil {
		return fmt.Errorf("declare conflict of %d on application %d: %w", reviewerID, applicationID, err)
	}
	return nil
}

const reviewColumns = `application_id, reviewer_id, scores, comments, recommendation, comment, submitted_at, updated_at`

func scanReview(row scanner) (*review.Review, error) {
	var r review.Review
	var scores, comments string
	if err := row.Scan(&r.ApplicationID, &r.ReviewerID, &scores, &comments, &r.Recommendation, &r.Comment, instant(&r.SubmittedAt), instant(&r.UpdatedAt)); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(scores), &r.Scores); err != nil {
		return nil, fmt.Errorf("review scores: %w", err)
	}
	if err := json.Unmarshal([]byte(comments), &r.Comments); err != nil {
		return nil, fmt.Errorf("review comments: %w", err)
	}
	return &r, nil
}

func readReview(ctx context.Context, db querier, appID, reviewerID int64) (*review.Review, error) {
	r, err := scanReview(db.QueryRowContext(ctx, `SELECT `+reviewColumns+` FROM reviews WHERE application_id = ? AND reviewer_id = ?`, appID, reviewerID))
	if err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

// SaveReview saves a draft review or, when submit is true, submits it. It
// holds a share lock on the application's row, so its state cannot change
// meanwhile, and the assignment's row lock, so two saves by one reviewer
// (two tabs) queue and a submitted review stays as submitted.
func (s *DB) SaveReview(ctx context.Context, by audit.Actor, r *review.Review, submit bool) error {
	err := s.tx(ctx, func(tx *conn) error {
		a, err := readApplication(ctx, tx, r.ApplicationID, s.d.ForShare)
		if err != nil {
			return err
		}
		if a.State != application.InReview {
			return application.ErrTransition
		}
		asg, err := readAssignment(ctx, tx, r.ApplicationID, r.ReviewerID, s.d.ForUpdate)
		if errors.Is(err, ErrNotFound) {
			return errNotAssigned
		}
		if err != nil {
			return err
		}
		switch {
		case !asg.Declared:
			return validate.Errors{"conflict": "error.required"}
		case asg.Conflict:
			return validate.Errors{"conflict": "error.review.conflict"}
		}
		before, err := readReview(ctx, tx, r.ApplicationID, r.ReviewerID)
		switch {
		case err == nil && before.Submitted():
			return application.ErrTransition
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
		now := s.now()
		var submitted any
		r.SubmittedAt = time.Time{}
		if submit {
			c, err := readCall(ctx, tx, a.CallID, "")
			if err != nil {
				return err
			}
			if err := r.Check(c.Config.Assessment).Err(); err != nil {
				return err
			}
			r.SubmittedAt, submitted = now, now
		}
		r.UpdatedAt = now
		scores, err := jsonText(r.Scores)
		if err != nil {
			return err
		}
		comments, err := jsonText(r.Comments)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reviews (application_id, reviewer_id, scores, comments, recommendation, comment, submitted_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (application_id, reviewer_id) DO UPDATE SET scores = excluded.scores, comments = excluded.comments,
				recommendation = excluded.recommendation, comment = excluded.comment, submitted_at = excluded.submitted_at, updated_at = excluded.updated_at`,
			r.ApplicationID, r.ReviewerID, scores, comments, r.Recommendation, r.Comment, submitted, now); err != nil {
			return err
		}
		action := "save_review"
		if submit {
			action = "submit_review"
		}
		var beforeAudit any
		if before != nil {
			beforeAudit = before
		}
		return s.writeAudit(ctx, tx, by, action, "application", r.ApplicationID, beforeAudit, r)
	})
	if err != nil {
		return fmt.Errorf("save review of application %d by %d: %w", r.ApplicationID, r.ReviewerID, err)
	}
	return nil
}

// Reviews returns an application's reviews, drafts too, by reviewer.
// Reviewers who declared a conflict have none (declaring one discards
// their draft), and the join keeps it so.
func (s *DB) Reviews(ctx context.Context, applicationID int64) ([]review.Review, error) {
	out, err := s.queryReviews(ctx, `r.application_id = ?`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("reviews of %d: %w", applicationID, err)
	}
	return out, nil
}

// ReviewsInCall returns the reviews of every application in a call.
func (s *DB) ReviewsInCall(ctx context.Context, callID int64) ([]review.Review, error) {
	out, err := s.queryReviews(ctx, `r.application_id IN (SELECT id FROM applications WHERE call_id = ?)`, callID)
	if err != nil {
		return nil, fmt.Errorf("reviews in call %d: %w", callID, err)
	}
	return out, nil
}

func (s *DB) queryReviews(ctx context.Context, where string, arg any) ([]review.Review, error) {
	return queryAll(ctx, s.r, value(scanReview), `SELECT r.application_id, r.reviewer_id, r.scores, r.comments, r.recommendation, r.comment, r.submitted_at, r.updated_at
		FROM reviews r JOIN review_assignments a ON a.application_id = r.application_id AND a.reviewer_id = r.reviewer_id
		WHERE NOT a.conflict AND `+where+` ORDER BY r.application_id, r.reviewer_id`, arg)
}
