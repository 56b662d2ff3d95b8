package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

const userColumns = `id, email, name, password_hash, lang, disabled, version, created_at, updated_at`

func scanUser(row scanner) (*user.User, error) {
	var u user.User
	var created, updated string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Lang, &u.Disabled, &u.Version, &created, &updated); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = parseTS(created), parseTS(updated)
	return &u, nil
}

func (s *Store) readUser(ctx context.Context, db queryRower, where string, arg any) (*user.User, error) {
	u, err := scanUser(db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if err != nil {
		return nil, notFound(err)
	}
	if err := fillRoles(ctx, db, []*user.User{u}); err != nil {
		return nil, err
	}
	return u, nil
}

func fillRoles(ctx context.Context, db querier, us []*user.User) error {
	byID := map[int64]*user.User{}
	for _, u := range us {
		byID[u.ID] = u
		u.Roles = nil
	}
	q := `SELECT user_id, kind, COALESCE(organisation_id, 0), COALESCE(programme_id, 0) FROM user_roles`
	var args []any
	if len(us) == 1 {
		q += ` WHERE user_id = ?`
		args = append(args, us[0].ID)
	}
	rows, err := db.QueryContext(ctx, q+` ORDER BY user_id, position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r user.Role
		if err := rows.Scan(&id, &r.Kind, &r.OrganisationID, &r.ProgrammeID); err != nil {
			return err
		}
		if u := byID[id]; u != nil {
			u.Roles = append(u.Roles, r)
		}
	}
	return rows.Err()
}

// User returns the user with id, with roles.
func (s *Store) User(ctx context.Context, id int64) (*user.User, error) {
	u, err := s.readUser(ctx, s.r, "id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail finds a user by e-mail address, ignoring case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*user.User, error) {
	u, err := s.readUser(ctx, s.r, "email = ?", normEmail(email))
	if err != nil {
		return nil, fmt.Errorf("sqlite: user by e-mail: %w", err)
	}
	return u, nil
}

func normEmail(e string) string {
	u := user.User{Email: e}
	u.Normalize()
	return u.Email
}

// UserList returns every user, in Swedish order of name.
func (s *Store) UserList(ctx context.Context) ([]*user.User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: users: %w", err)
	}
	var out []*user.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: users: %w", err)
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: users: %w", err)
	}
	if err := fillRoles(ctx, s.r, out); err != nil {
		return nil, fmt.Errorf("sqlite: users: %w", err)
	}
	swedish.Sort(out, func(u *user.User) string { return u.Name })
	return out, nil
}

// checkRoles checks that each role's organisation or programme exists and
// fits the role: an applicant speaks for a Swedish organisation, a partner
// for one abroad.
func checkRoles(ctx context.Context, tx *sql.Tx, u *user.User) error {
	for _, r := range u.Roles {
		if r.OrganisationID != 0 {
			var kind organisation.Kind
			err := tx.QueryRowContext(ctx, "SELECT kind FROM organisations WHERE id = ?", r.OrganisationID).Scan(&kind)
			if err == sql.ErrNoRows {
				return validate.Errors{"roles": "error.user.unknown_organisation"}
			}
			if err != nil {
				return err
			}
			if (r.Kind == user.Applicant) != kind.Swedish() {
				return validate.Errors{"roles": "error.user.role_wrong_organisation"}
			}
		}
		if r.ProgrammeID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM programmes WHERE id = ?", r.ProgrammeID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return validate.Errors{"roles": "error.user.unknown_programme"}
			}
		}
	}
	return nil
}

func writeRoles(ctx context.Context, tx *sql.Tx, u *user.User) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM user_roles WHERE user_id = ?", u.ID); err != nil {
		return err
	}
	for i, r := range u.Roles {
		if _, err := tx.ExecContext(ctx, "INSERT INTO user_roles (user_id, kind, organisation_id, programme_id, position) VALUES (?, ?, ?, ?, ?)",
			u.ID, r.Kind, nullInt(r.OrganisationID), nullInt(r.ProgrammeID), i); err != nil {
			return err
		}
	}
	return nil
}

// userSnapshot is what the audit log keeps of a user: never the hash.
func userSnapshot(u *user.User) any {
	if u == nil {
		return nil
	}
	c := *u
	c.PasswordHash = ""
	if u.PasswordHash != "" {
		c.PasswordHash = "(set)"
	}
	return c
}

// CreateUser validates u and its roles and inserts it.
func (s *Store) CreateUser(ctx context.Context, by audit.Actor, u *user.User) error {
	u.Normalize()
	if err := u.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email = ?", u.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return validate.Errors{"email": "error.user.email_taken"}
		}
		if err := checkRoles(ctx, tx, u); err != nil {
			return err
		}
		now := s.clock.Now()
		u.CreatedAt, u.UpdatedAt, u.Version = now, now, 1
		res, err := tx.ExecContext(ctx, `INSERT INTO users (email, name, password_hash, lang, disabled, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, u.Email, u.Name, u.PasswordHash, u.Lang, u.Disabled, ts(now), ts(now))
		if err != nil {
			return err
		}
		u.ID, _ = res.LastInsertId()
		if err := writeRoles(ctx, tx, u); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "user", u.ID, nil, userSnapshot(u))
	})
	if err != nil {
		return fmt.Errorf("sqlite: create user: %w", err)
	}
	return nil
}

// UpdateUser saves u and its roles if nobody saved it since u.Version.
func (s *Store) UpdateUser(ctx context.Context, by audit.Actor, u *user.User) error {
	u.Normalize()
	if err := u.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.readUser(ctx, tx, "id = ?", u.ID)
		if err != nil {
			return err
		}
		if before.Version != u.Version {
			return store.ErrConflict
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email = ? AND id <> ?", u.Email, u.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return validate.Errors{"email": "error.user.email_taken"}
		}
		if err := checkRoles(ctx, tx, u); err != nil {
			return err
		}
		now := s.clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email = ?, name = ?, password_hash = ?, lang = ?, disabled = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, u.Email, u.Name, u.PasswordHash, u.Lang, u.Disabled, ts(now), u.ID); err != nil {
			return err
		}
		if err := writeRoles(ctx, tx, u); err != nil {
			return err
		}
		u.Version, u.UpdatedAt, u.CreatedAt = before.Version+1, now, before.CreatedAt
		return s.writeAudit(ctx, tx, by, "update", "user", u.ID, userSnapshot(before), userSnapshot(u))
	})
	if err != nil {
		return fmt.Errorf("sqlite: update user %d: %w", u.ID, err)
	}
	return nil
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess user.Session) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			sess.TokenHash, sess.UserID, ts(sess.CreatedAt), ts(sess.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: create session: %w", err)
	}
	return nil
}

// SessionUser returns the user of an unexpired session.
func (s *Store) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (*user.User, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, "SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?", tokenHash, ts(now)).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: session: %w", notFound(err))
	}
	return s.User(ctx, id)
}

// DeleteSession removes a session (signing out).
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ?", ts(now))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete expired sessions: %w", err)
	}
	return int(n), nil
}

// AuditLog returns entries f selects, newest first.
func (s *Store) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	q := `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before, after FROM audit_log WHERE 1 = 1`
	var args []any
	if f.Entity != "" {
		q += ` AND entity = ?`
		args = append(args, f.Entity)
	}
	if f.EntityID != 0 {
		q += ` AND entity_id = ?`
		args = append(args, f.EntityID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: audit log: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at, before, after string
		if err := rows.Scan(&e.ID, &at, &e.Actor.UserID, &e.Actor.Name, &e.Action, &e.Entity, &e.EntityID, &before, &after); err != nil {
			return nil, fmt.Errorf("sqlite: audit log: %w", err)
		}
		e.At, e.Before, e.After = parseTS(at), json.RawMessage(before), json.RawMessage(after)
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecordEvent writes an audit entry for an event that changes no record.
func (s *Store) RecordEvent(ctx context.Context, by audit.Actor, action, entity string, entityID int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		return s.writeAudit(ctx, tx, by, action, entity, entityID, nil, nil)
	})
	if err != nil {
		return fmt.Errorf("sqlite: record %s: %w", action, err)
	}
	return nil
}

// Setting returns the value stored under key, or ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	if err := s.r.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v); err != nil {
		return "", fmt.Errorf("sqlite: setting %s: %w", key, notFound(err))
	}
	return v, nil
}

// SetSetting stores value under key.
func (s *Store) SetSetting(ctx context.Context, by audit.Actor, key, value string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var before any
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&old); err == nil {
			before = map[string]string{key: old}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "set", "setting:"+key, 0, before, map[string]string{key: value})
	})
	if err != nil {
		return fmt.Errorf("sqlite: set setting %s: %w", key, err)
	}
	return nil
}

// UserDataCount counts rows that are not reference data.
func (s *Store) UserDataCount(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM programmes) + (SELECT count(*) FROM calls) + (SELECT count(*) FROM partnerships) +
		(SELECT count(*) FROM grants) + (SELECT count(*) FROM users) + (SELECT count(*) FROM organisations WHERE reference = 0)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count data: %w", err)
	}
	return n, nil
}
