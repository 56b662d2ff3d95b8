package store

import (
	"context"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/user"
)

// Sessions stores signed-in sessions, so several instances share them.
type Sessions interface {
	CreateSession(ctx context.Context, s user.Session) error
	// SessionUser returns the user of an unexpired session.
	SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (*user.User, error)
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteExpiredSessions removes sessions that expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// CreateSession stores a new session.
func (s *DB) CreateSession(ctx context.Context, sess user.Session) error {
	err := s.tx(ctx, func(tx *conn) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			sess.TokenHash, sess.UserID, sess.CreatedAt, sess.ExpiresAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the user of an unexpired session.
func (s *DB) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (*user.User, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, "SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?", tokenHash, now).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("session: %w", notFound(err))
	}
	return s.User(ctx, id)
}

// DeleteSession removes a session (signing out).
func (s *DB) DeleteSession(ctx context.Context, tokenHash []byte) error {
	err := s.tx(ctx, func(tx *conn) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now.
func (s *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ?", now)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(n), nil
}
