package store

import (
	"context"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/user"
)

// CallReviewers stores the reviewers of each call, among whom its
// officers choose when they assign an application.
type CallReviewers interface {
	// CallReviewers returns the call's reviewers, in Swedish order of
	// name (deactivated ones too; they are not assigned).
	CallReviewers(ctx context.Context, callID int64) ([]*user.User, error)
	// AddCallReviewer makes the user a reviewer of the call, as
	// call.CheckAddReviewer allows (call.ErrNotReviewer otherwise); adding
	// one twice changes nothing. Audited as "add-reviewer" on the call.
	AddCallReviewer(ctx context.Context, by audit.Actor, callID, userID int64) error
	// RemoveCallReviewer takes the user from the call's reviewers, as
	// call.CheckRemoveReviewer allows (call.ErrReviewerHasReviews when
	// they submitted a review in the call); ErrNotFound when they are not
	// one. Assignments without a submitted review stay. Audited as
	// "remove-reviewer" on the call.
	RemoveCallReviewer(ctx context.Context, by audit.Actor, callID, userID int64) error
}

// CallReviewers returns the call's reviewers.
func (s *DB) CallReviewers(ctx context.Context, callID int64) ([]*user.User, error) {
	out, err := queryAll(ctx, s.r, scanUser, `SELECT `+userColumns+` FROM users WHERE id IN (SELECT user_id FROM call_reviewers WHERE call_id = ?)`, callID)
	if err == nil {
		for _, u := range out {
			if err = fillRoles(ctx, s.r, []*user.User{u}); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("reviewers of call %d: %w", callID, err)
	}
	swedish.Sort(out, func(u *user.User) string { return u.Name })
	return out, nil
}

// insertCallReviewer makes the user a reviewer of the call, once.
func insertCallReviewer(ctx context.Context, tx *conn, callID, userID int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO call_reviewers (call_id, user_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, callID, userID, now)
	return err
}

type callReviewerEntry struct{ ReviewerID int64 }

// AddCallReviewer makes the user a reviewer of the call.
func (s *DB) AddCallReviewer(ctx context.Context, by audit.Actor, callID, userID int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM calls WHERE id = ?"+s.d.ForUpdate, callID).Scan(&id); err != nil {
			return notFound(err)
		}
		u, err := s.readUser(ctx, tx, "id = ?", userID)
		if err != nil {
			return err
		}
		if err := call.CheckAddReviewer(u.Has(user.Reviewer), u.Disabled); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM call_reviewers WHERE call_id = ? AND user_id = ?", callID, userID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if err := insertCallReviewer(ctx, tx, callID, userID, s.now()); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "add-reviewer", "call", callID, nil, callReviewerEntry{userID})
	})
	if err != nil {
		return fmt.Errorf("add reviewer %d to call %d: %w", userID, callID, err)
	}
	return nil
}

// RemoveCallReviewer takes the user from the call's reviewers.
func (s *DB) RemoveCallReviewer(ctx context.Context, by audit.Actor, callID, userID int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM calls WHERE id = ?"+s.d.ForUpdate, callID).Scan(&id); err != nil {
			return notFound(err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM call_reviewers WHERE call_id = ? AND user_id = ?", callID, userID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		var submitted int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reviews r JOIN applications a ON a.id = r.application_id
			WHERE a.call_id = ? AND r.reviewer_id = ? AND r.submitted_at IS NOT NULL`, callID, userID).Scan(&submitted); err != nil {
			return err
		}
		if err := call.CheckRemoveReviewer(submitted); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM call_reviewers WHERE call_id = ? AND user_id = ?", callID, userID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "remove-reviewer", "call", callID, callReviewerEntry{userID}, nil)
	})
	if err != nil {
		return fmt.Errorf("remove reviewer %d from call %d: %w", userID, callID, err)
	}
	return nil
}
