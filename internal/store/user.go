package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Users stores user accounts and their roles.
type Users interface {
	User(ctx context.Context, id int64) (*user.User, error)
	// UserByEmail finds a user by e-mail address, ignoring case.
	UserByEmail(ctx context.Context, email string) (*user.User, error)
	UserList(ctx context.Context) ([]*user.User, error)
	// CreateUser validates u (and that each role's organisation or
	// programme exists and fits the role) and inserts it. An e-mail address
	// already taken is a field error on "email".
	CreateUser(ctx context.Context, by audit.Actor, u *user.User) error
	// UpdateUser saves u; deactivating it ends its sessions in the same
	// transaction.
	UpdateUser(ctx context.Context, by audit.Actor, u *user.User) error
	// SetUserDisabled deactivates (true) or reactivates the user with id.
	// Deactivation ends all the user's sessions in the same transaction,
	// so a signed-in browser is signed out on its next request. Audited as
	// "deactivate" or "activate".
	SetUserDisabled(ctx context.Context, by audit.Actor, id int64, disabled bool) error
	// SetUserRoles replaces the user's roles (checked as CreateUser checks
	// them). Audited as "set-roles".
	SetUserRoles(ctx context.Context, by audit.Actor, id int64, roles []user.Role) error
	// SetUserPassword stores a new password hash and ends all the user's
	// sessions in the same transaction. Audited as "reset-password",
	// without the hash.
	SetUserPassword(ctx context.Context, by audit.Actor, id int64, hash string) error
}

const userColumns = `id, email, name, password_hash, lang, disabled, last_login_at, version, created_at, updated_at`

func scanUser(row scanner) (*user.User, error) {
	var u user.User
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Lang, &u.Disabled, instant(&u.LastLoginAt), &u.Version, instant(&u.CreatedAt), instant(&u.UpdatedAt)); err != nil {
		return nil, err
	}
	return &u, nil
}

// readUser reads the one user where selects (with ? for arg), with roles.
func (s *DB) readUser(ctx context.Context, db querier, where string, arg any) (*user.User, error) {
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
	return eachRow(ctx, db, func(row scanner) error {
		var id int64
		var r user.Role
		if err := row.Scan(&id, &r.Kind, &r.OrganisationID, &r.ProgrammeID); err != nil {
			return err
		}
		if u := byID[id]; u != nil {
			u.Roles = append(u.Roles, r)
		}
		return nil
	}, q+` ORDER BY user_id, position`, args...)
}

// User returns the user with id, with roles.
func (s *DB) User(ctx context.Context, id int64) (*user.User, error) {
	u, err := s.readUser(ctx, s.r, "id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail finds a user by e-mail address, ignoring case.
func (s *DB) UserByEmail(ctx context.Context, email string) (*user.User, error) {
	u, err := s.readUser(ctx, s.r, "email = ?", normEmail(email))
	if err != nil {
		return nil, fmt.Errorf("user by e-mail: %w", err)
	}
	return u, nil
}

func normEmail(e string) string {
	u := user.User{Email: e}
	u.Normalize()
	return u.Email
}

// UserList returns every user, in Swedish order of name.
func (s *DB) UserList(ctx context.Context) ([]*user.User, error) {
	out, err := queryAll(ctx, s.r, scanUser, `SELECT `+userColumns+` FROM users`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	if err := fillRoles(ctx, s.r, out); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	swedish.Sort(out, func(u *user.User) string { return u.Name })
	return out, nil
}

// checkRoles checks that each role's organisation or programme exists and
// fits the role: an applicant speaks for a Swedish organisation, a partner
// for one abroad.
func checkRoles(ctx context.Context, tx *conn, u *user.User) error {
	for _, r := range u.Roles {
		if r.OrganisationID != 0 {
			var kind organisation.Kind
			err := tx.QueryRowContext(ctx, "SELECT kind FROM organisations WHERE id = ?", r.OrganisationID).Scan(&kind)
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

func writeRoles(ctx context.Context, tx *conn, u *user.User) error {
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

// errEmailTaken is the field error for an e-mail address already taken.
var errEmailTaken = validate.Errors{"email": "error.user.email_taken"}

// CreateUser validates u and its roles and inserts it.
func (s *DB) CreateUser(ctx context.Context, by audit.Actor, u *user.User) error {
	u.Normalize()
	if err := u.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email = ?", u.Email).Scan(&n); err != nil {
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
			VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, u.Email, u.Name, u.PasswordHash, u.Lang, u.Disabled, now, now).Scan(&u.ID)
		if s.d.IsUnique(err, "users_email_key") {
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
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// UpdateUser saves u and its roles if nobody saved it since u.Version,
// holding the user's row lock from the version check to the commit.
func (s *DB) UpdateUser(ctx context.Context, by audit.Actor, u *user.User) error {
	u.Normalize()
	if err := u.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		before, err := s.readUser(ctx, tx, "id = ?"+s.d.ForUpdate, u.ID)
		if err != nil {
			return err
		}
		if before.Version != u.Version {
			return ErrConflict
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email = ? AND id <> ?", u.Email, u.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errEmailTaken
		}
		if err := checkRoles(ctx, tx, u); err != nil {
			return err
		}
		now := s.now()
		_, err = tx.ExecContext(ctx, `UPDATE users SET email = ?, name = ?, password_hash = ?, lang = ?, disabled = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, u.Email, u.Name, u.PasswordHash, u.Lang, u.Disabled, now, u.ID)
		if s.d.IsUnique(err, "users_email_key") {
			return errEmailTaken
		}
		if err != nil {
			return err
		}
		if err := writeRoles(ctx, tx, u); err != nil {
			return err
		}
		if u.Disabled {
			if _, err := deleteUserSessions(ctx, tx, u.ID, nil); err != nil {
				return err
			}
			if err := s.voidAccountTokens(ctx, tx, u.ID, ""); err != nil {
				return err
			}
		}
		u.Version, u.UpdatedAt, u.CreatedAt, u.LastLoginAt = before.Version+1, now, before.CreatedAt, before.LastLoginAt
		return s.writeAudit(ctx, tx, by, "update", "user", u.ID, userSnapshot(before), userSnapshot(u))
	})
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	return nil
}

// changeUser applies change to the user with id under its row lock, saves
// the user and its roles, ends its sessions when endSessions says so after
// the change, and records action in the audit log.
func (s *DB) changeUser(ctx context.Context, by audit.Actor, id int64, action string, change func(u *user.User) error, endSessions func(u *user.User) bool) error {
	err := s.tx(ctx, func(tx *conn) error {
		if err := s.stillAdministrator(ctx, tx, by); err != nil {
			return err
		}
		before, err := s.readUser(ctx, tx, "id = ?"+s.d.ForUpdate, id)
		if err != nil {
			return err
		}
		u := *before
		u.Roles = append([]user.Role(nil), before.Roles...)
		if err := change(&u); err != nil {
			return err
		}
		if err := u.Validate().Err(); err != nil {
			return err
		}
		if err := checkRoles(ctx, tx, &u); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, disabled = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			u.PasswordHash, u.Disabled, now, id); err != nil {
			return err
		}
		if err := writeRoles(ctx, tx, &u); err != nil {
			return err
		}
		if endSessions(&u) {
			// Whatever ends the sessions (deactivation, a new password
			// from an operator) voids the links mailed before it too, so
			// a reactivated account's old reset link stays dead.
			if _, err := deleteUserSessions(ctx, tx, id, nil); err != nil {
				return err
			}
			if err := s.voidAccountTokens(ctx, tx, id, ""); err != nil {
				return err
			}
		}
		u.Version, u.UpdatedAt = before.Version+1, now
		return s.writeAudit(ctx, tx, by, action, "user", id, userSnapshot(before), userSnapshot(&u))
	})
	if err != nil {
		return fmt.Errorf("%s user %d: %w", action, id, err)
	}
	return nil
}

// AdminLockKey is the first key of the transaction-level advisory lock
// that changes of a person's access by an administrator take ("admi").
const AdminLockKey int32 = 0x61646d69

// stillAdministrator checks, in the change's transaction, that the person
// acting (by; 0 for the command line and the system) is still an active
// administrator. The handler checked it when the request came, but two
// administrators taking each other's role (or deactivating each other)
// at once would both pass that check and leave nobody: changes by a
// person are serialised on one lock (PostgreSQL's advisory lock; SQLite
// has one writer), so the second sees the first's commit and is refused
// as a conflict.
func (s *DB) stillAdministrator(ctx context.Context, tx *conn, by audit.Actor) error {
	if by.UserID == 0 {
		return nil
	}
	if s.d.XactLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.XactLock, AdminLockKey, 0); err != nil {
			return err
		}
	}
	a, err := s.readUser(ctx, tx, "id = ?", by.UserID)
	if errors.Is(err, ErrNotFound) || err == nil && (a.Disabled || !a.Has(user.Administrator)) {
		return ErrConflict
	}
	return err
}

// SetUserDisabled deactivates or reactivates a user.
func (s *DB) SetUserDisabled(ctx context.Context, by audit.Actor, id int64, disabled bool) error {
	action := "activate"
	if disabled {
		action = "deactivate"
	}
	return s.changeUser(ctx, by, id, action, func(u *user.User) error {
		u.Disabled = disabled
		return nil
	}, func(u *user.User) bool { return u.Disabled })
}

// SetUserRoles replaces a user's roles.
// A role that requires a second factor (user.RequiresSecondFactor), given
// to a person who has none, ends their sessions: the next sign-in makes
// them enrol, and no session signed in without a factor holds an
// officer's or administrator's rights.
func (s *DB) SetUserRoles(ctx context.Context, by audit.Actor, id int64, roles []user.Role) error {
	st, err := s.SecondFactorStatus(ctx, id)
	if err != nil {
		return fmt.Errorf("set-roles user %d: %w", id, err)
	}
	var wasRequired bool
	return s.changeUser(ctx, by, id, "set-roles", func(u *user.User) error {
		wasRequired = user.RequiresSecondFactor(u)
		u.Roles = roles
		return nil
	}, func(u *user.User) bool {
		gainsFactor := !wasRequired && user.RequiresSecondFactor(u) && !st.Enrolled && !st.DemoExempt
		return u.Disabled || gainsFactor
	})
}

// SetUserPassword stores a new password hash and ends the user's sessions.
func (s *DB) SetUserPassword(ctx context.Context, by audit.Actor, id int64, hash string) error {
	if hash == "" {
		return fmt.Errorf("reset-password user %d: empty hash", id)
	}
	return s.changeUser(ctx, by, id, "reset-password", func(u *user.User) error {
		u.PasswordHash = hash
		return nil
	}, func(*user.User) bool { return true })
}
