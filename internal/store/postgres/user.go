package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
	var created, updated time.Time
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Lang, &u.Disabled, &u.Version, &created, &updated); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = utc(created), utc(updated)
	return &u, nil
}

// readUser reads the one user where selects (with $1 for arg), with roles.
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
		q += ` WHERE user_id = $1`
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
	u, err := s.readUser(ctx, s.db, "id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("postgres: user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail finds a user by e-mail address, ignoring case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*user.User, error) {
	u, err := s.readUser(ctx, s.db, "email = $1", normEmail(email))
	if err != nil {
		return nil, fmt.Errorf("postgres: user by e-mail: %w", err)
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
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users`)
	if err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	var out []*user.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: users: %w", err)
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	if err := fillRoles(ctx, s.db, out); err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
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
			err := tx.QueryRowContext(ctx, "SELECT kind FROM organisations WHERE id = $1", r.OrganisationID).Scan(&kind)
			if errors.Is(err, sql.ErrNoRows) {
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
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM programmes WHERE id = $1", r.ProgrammeID).Scan(&n); err != nil {
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
	if _, err := tx.ExecContext(ctx, "DELETE FROM user_roles WHERE user_id = $1", u.ID); err != nil {
		return err
	}
	for i, r := range u.Roles {
		if _, err := tx.ExecContext(ctx, "INSERT INTO user_roles (user_id, kind, organisation_id, programme_id, position) VALUES ($1, $2, $3, $4, $5)",
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

// errEmailTaken is the field error for an e-mail address already taken.
var errEmailTaken = validate.Errors{"email": "error.user.email_taken"}

// CreateUser validates u and its roles and inserts it.
func (s *Store) CreateUser(ctx context.Context, by audit.Actor, u *user.User) error {
	u.Normalize()
	if err := u.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email = $1", u.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errEmailTaken
		}
		if err := checkRoles(ctx, tx, u); err != nil {
			return err
		}
		now := s.now()
		u.CreatedAt, u.UpdatedAt, u.Version = now, now, 1
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, lang, disabled, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id`, u.Email, u.Name, u.PasswordHash, u.Lang, u.Disabled, now, now).Scan(&u.ID)
		if isUnique(err, "users_email_key") {
			return errEmailTaken
		}
		if err != nil {
			return err
		}
		if err := writeRoles(ctx, tx, u); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "user", u.ID, nil, userSnapshot(u))
	})
	if err != nil {
		return fmt.Errorf("postgres: create user: %w", err)
	}
	return nil
}

// UpdateUser saves u and its roles if nobody saved it since u.Version,
// holding the user's row lock from the version check to the commit.
func (s *Store) UpdateUser(ctx context.Context, by audit.Actor, u *user.User) error {
	u.Normalize()
	if err := u.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.readUser(ctx, tx, "id = $1 FOR UPDATE", u.ID)
		if err != nil {
			return err
		}
		if before.Version != u.Version {
			return store.ErrConflict
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email = $1 AND id <> $2", u.Email, u.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errEmailTaken
		}
		if err := checkRoles(ctx, tx, u); err != nil {
			return err
		}
		now := s.now()
		_, err = tx.ExecContext(ctx, `UPDATE users SET email = $1, name = $2, password_hash = $3, lang = $4, disabled = $5,
			version = version + 1, updated_at = $6 WHERE id = $7`, u.Email, u.Name, u.PasswordHash, u.Lang, u.Disabled, now, u.ID)
		if isUnique(err, "users_email_key") {
			return errEmailTaken
		}
		if err != nil {
			return err
		}
		if err := writeRoles(ctx, tx, u); err != nil {
			return err
		}
		u.Version, u.UpdatedAt, u.CreatedAt = before.Version+1, now, before.CreatedAt
		return s.writeAudit(ctx, tx, by, "update", "user", u.ID, userSnapshot(before), userSnapshot(u))
	})
	if err != nil {
		return fmt.Errorf("postgres: update user %d: %w", u.ID, err)
	}
	return nil
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess user.Session) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
			sess.TokenHash, sess.UserID, sess.CreatedAt, sess.ExpiresAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: create session: %w", err)
	}
	return nil
}

// SessionUser returns the user of an unexpired session.
func (s *Store) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (*user.User, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, "SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2", tokenHash, now).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("postgres: session: %w", notFound(err))
	}
	return s.User(ctx, id)
}

// DeleteSession removes a session (signing out).
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= $1", now)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: delete expired sessions: %w", err)
	}
	return int(n), nil
}

// AuditLog returns entries f selects, newest first.
func (s *Store) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	q := `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before, after FROM audit_log WHERE 1 = 1`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Entity != "" {
		q += ` AND entity = ` + arg(f.Entity)
	}
	if f.EntityID != 0 {
		q += ` AND entity_id = ` + arg(f.EntityID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q += ` ORDER BY id DESC LIMIT ` + arg(limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit log: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at time.Time
		var before, after []byte
		if err := rows.Scan(&e.ID, &at, &e.Actor.UserID, &e.Actor.Name, &e.Action, &e.Entity, &e.EntityID, &before, &after); err != nil {
			return nil, fmt.Errorf("postgres: audit log: %w", err)
		}
		e.At, e.Before, e.After = utc(at), json.RawMessage(before), json.RawMessage(after)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: audit log: %w", err)
	}
	return out, nil
}

// RecordEvent writes an audit entry for an event that changes no record.
func (s *Store) RecordEvent(ctx context.Context, by audit.Actor, action, entity string, entityID int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		return s.writeAudit(ctx, tx, by, action, entity, entityID, nil, nil)
	})
	if err != nil {
		return fmt.Errorf("postgres: record %s: %w", action, err)
	}
	return nil
}

// Setting returns the value stored under key, or ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v); err != nil {
		return "", fmt.Errorf("postgres: setting %s: %w", key, notFound(err))
	}
	return v, nil
}

// SetSetting stores value under key. The old value, when there is one, is
// read under its row lock, so the audit entry's "before" is the value this
// change replaced even when two instances set the key at once.
func (s *Store) SetSetting(ctx context.Context, by audit.Actor, key, value string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var before any
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1 FOR UPDATE", key).Scan(&old); err == nil {
			before = map[string]string{key: old}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "set", "setting:"+key, 0, before, map[string]string{key: value})
	})
	if err != nil {
		return fmt.Errorf("postgres: set setting %s: %w", key, err)
	}
	return nil
}

// UserDataCount counts rows that are not reference data.
func (s *Store) UserDataCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM programmes) + (SELECT count(*) FROM calls) + (SELECT count(*) FROM partnerships) +
		(SELECT count(*) FROM grants) + (SELECT count(*) FROM users) + (SELECT count(*) FROM organisations WHERE NOT reference)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: count data: %w", err)
	}
	return n, nil
}
