package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/user"
)

// Sessions stores signed-in sessions, so several instances share them.
type Sessions interface {
	// CreateSession stores a new session and records the sign-in as the
	// user's last.
	CreateSession(ctx context.Context, s user.Session) error
	// SessionUser returns the user of a session still active at now
	// (user.Session.Active) and records the request as the session's
	// last, at most once per user.SeenEvery. That record does not move
	// the data version (see touchSession).
	// A pending session (user.Session.Pending) is not found.
	SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (*user.User, error)
	// SessionAuth is SessionUser that also finds a pending session, and
	// says whether it is one, so the web layer can send it to the
	// second factor's form and nowhere else.
	SessionAuth(ctx context.Context, tokenHash []byte, now time.Time) (u *user.User, pending bool, err error)
	// UserSessions lists a user's complete sessions active at now,
	// newest first.
	UserSessions(ctx context.Context, userID int64, now time.Time) ([]user.Session, error)
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteUserSessions ends every session of the user except the one
	// with tokenHash keep (nil: all), and reports how many it ended.
	DeleteUserSessions(ctx context.Context, userID int64, keep []byte) (int, error)
	// DeleteExpiredSessions removes sessions that expired or went idle
	// before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// CreateSession stores a new session and records the sign-in; a pending
// session is no sign-in yet.
func (s *DB) CreateSession(ctx context.Context, sess user.Session) error {
	seen := sess.LastSeenAt
	if seen.IsZero() {
		seen = sess.CreatedAt
	}
	// No public page shows a session or a last sign-in, so signing in is
	// not a data change: cached public pages stay.
	err := s.eng.UnannouncedTx(ctx, func(sqlTx *sql.Tx) error {
		tx := &conn{sqlTx, s.d}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent, client_address, pending)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			sess.TokenHash, sess.UserID, s.cut(sess.CreatedAt), s.cut(sess.ExpiresAt), s.cut(seen), sess.UserAgent, sess.Address, sess.Pending)
		if err != nil || sess.Pending {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE users SET last_login_at = ? WHERE id = ?", s.cut(sess.CreatedAt), sess.UserID)
		return err
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the user of an active, complete session and
// records the request.
func (s *DB) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (*user.User, error) {
	u, pending, err := s.SessionAuth(ctx, tokenHash, now)
	if err != nil {
		return nil, err
	}
	if pending {
		return nil, fmt.Errorf("session: pending its second factor: %w", ErrNotFound)
	}
	return u, nil
}

// SessionAuth returns the user of an active session, complete or
// pending, and records the request.
func (s *DB) SessionAuth(ctx context.Context, tokenHash []byte, now time.Time) (*user.User, bool, error) {
	var id int64
	var seen time.Time
	var pending bool
	err := s.r.QueryRowContext(ctx, "SELECT user_id, last_seen_at, pending FROM sessions WHERE token_hash = ? AND expires_at > ? AND last_seen_at > ?",
		tokenHash, s.cut(now), s.cut(now.Add(-user.SessionIdle))).Scan(&id, instant(&seen), &pending)
	if err != nil {
		return nil, false, fmt.Errorf("session: %w", notFound(err))
	}
	if now.Sub(seen) >= user.SeenEvery {
		// Bookkeeping: a database busy with a long write must neither hold
		// up nor refuse the request; the next request records it instead.
		tctx, cancel := context.WithTimeout(ctx, touchTimeout)
		_ = s.touchSession(tctx, tokenHash, now)
		cancel()
	}
	u, err := s.User(ctx, id)
	if err != nil {
		return nil, false, err
	}
	return u, pending, nil
}

// touchTimeout bounds the wait to record a session's activity.
const touchTimeout = 500 * time.Millisecond

// touchSession records now as the session's last request. It is a write
// that does not move the data version (Engine.Unannounced): public pages
// are cached until the data version moves, and a signed-in officer's
// every minute of browsing would otherwise empty every cache once a
// minute, though no public page shows when anyone was last seen. The
// condition on last_seen_at keeps it to one write per SeenEvery even when
// several instances serve the same session.
func (s *DB) touchSession(ctx context.Context, tokenHash []byte, now time.Time) error {
	err := s.eng.Unannounced(ctx, func(db SQLConn) error {
		_, err := (&conn{db, s.d}).ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at <= ?",
			s.cut(now), tokenHash, s.cut(now.Add(-user.SeenEvery)))
		return err
	})
	if err != nil {
		return fmt.Errorf("record session activity: %w", err)
	}
	return nil
}

// UserSessions lists a user's active sessions, newest first.
func (s *DB) UserSessions(ctx context.Context, userID int64, now time.Time) ([]user.Session, error) {
	out, err := queryAll(ctx, s.r, func(row scanner) (user.Session, error) {
		var x user.Session
		err := row.Scan(&x.TokenHash, &x.UserID, instant(&x.CreatedAt), instant(&x.ExpiresAt), instant(&x.LastSeenAt), &x.UserAgent, &x.Address)
		return x, err
	}, `SELECT token_hash, user_id, created_at, expires_at, last_seen_at, user_agent, client_address FROM sessions
		WHERE user_id = ? AND expires_at > ? AND last_seen_at > ? AND pending = ? ORDER BY created_at DESC, token_hash`,
		userID, s.cut(now), s.cut(now.Add(-user.SessionIdle)), false)
	if err != nil {
		return nil, fmt.Errorf("sessions of user %d: %w", userID, err)
	}
	return out, nil
}

// DeleteSession removes a session (signing out). No public page shows
// sessions, so it does not move the data version (Engine.UnannouncedTx):
// signing out makes no public page render again.
func (s *DB) DeleteSession(ctx context.Context, tokenHash []byte) error {
	err := s.eng.UnannouncedTx(ctx, func(tx *sql.Tx) error {
		_, err := (&conn{tx, s.d}).ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends the user's sessions but keep.
func (s *DB) DeleteUserSessions(ctx context.Context, userID int64, keep []byte) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *conn) error {
		var err error
		n, err = deleteUserSessions(ctx, tx, userID, keep)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return n, nil
}

// deleteUserSessions ends the user's sessions but keep (nil: all) in tx,
// so a deactivation or a new password ends them in its own transaction.
func deleteUserSessions(ctx context.Context, tx *conn, userID int64, keep []byte) (int, error) {
	q, args := "DELETE FROM sessions WHERE user_id = ?", []any{userID}
	if keep != nil {
		q += " AND token_hash <> ?"
		args = append(args, keep)
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// DeleteExpiredSessions removes sessions that expired or went idle.
func (s *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?", s.cut(now), s.cut(now.Add(-user.SessionIdle)))
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
