package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Accounts stores what a person does to her own account: the forgotten
// password's reset link, a new password, a new e-mail address confirmed by
// a link sent to it (user.AccountToken).
type Accounts interface {
	// RequestPasswordReset stores t (a user.ResetPassword token, its hash
	// and expiry set by the caller) for the active account with the
	// e-mail address email and queues the mails compose writes for that
	// account, in one transaction, and reports true. For an address
	// without an account, or a deactivated one, it stores and queues
	// nothing and reports false, after the same reads, so the caller can
	// answer alike.
	RequestPasswordReset(ctx context.Context, email string, t user.AccountToken, compose func(u *user.User) []mail.Message) (bool, error)
	// AccountToken returns a token by its hash, used or not; ErrNotFound
	// when there is none.
	AccountToken(ctx context.Context, tokenHash []byte) (*user.AccountToken, error)
	// ResetPassword uses the reset token with tokenHash, usable at now, to
	// give its account the password hash, in one transaction: the token
	// and every other outstanding token of the account are used up, all
	// the account's sessions end, and it is audited as "password.reset".
	// A used, expired or unknown token, one of another purpose and one
	// whose account was deactivated meanwhile are ErrNotFound, and
	// change nothing. It returns the account.
	ResetPassword(ctx context.Context, tokenHash []byte, hash string, now time.Time) (*user.User, error)
	// ChangePassword gives the user a new password hash, voids the
	// account's outstanding reset links and ends every session but keep,
	// audited as "password.change".
	ChangePassword(ctx context.Context, by audit.Actor, userID int64, hash string, keep []byte) error
	// RequestEmailChange stores t (a user.ConfirmEmail token naming the
	// new address in t.Email, for t.UserID) and queues mails, in one
	// transaction, voiding the account's earlier confirmation links. The
	// new address must be valid, not the account's own and not another
	// account's (field errors on "email"), and the account may ask at
	// most user.EmailChangesPerHour times an hour (user.ErrTooManyEmailChanges).
	RequestEmailChange(ctx context.Context, by audit.Actor, t *user.AccountToken, mails []mail.Message) error
	// ConfirmEmailChange uses the confirmation token with tokenHash,
	// usable at now: the account moves to the token's address, its other
	// outstanding tokens are voided and its sessions but keep end, audited
	// as "email.change". A token not usable, or whose account was
	// deactivated, is ErrNotFound; an address another account took
	// meanwhile is a field error on "email" and uses nothing up.
	ConfirmEmailChange(ctx context.Context, tokenHash []byte, keep []byte, now time.Time) (*user.User, error)
}

const accountTokenColumns = `id, token_hash, user_id, purpose, email, created_at, expires_at, used_at`

func scanAccountToken(row scanner) (*user.AccountToken, error) {
	var t user.AccountToken
	if err := row.Scan(&t.ID, &t.TokenHash, &t.UserID, &t.Purpose, &t.Email, instant(&t.CreatedAt), instant(&t.ExpiresAt), instant(&t.UsedAt)); err != nil {
		return nil, err
	}
	return &t, nil
}

func (s *DB) insertAccountToken(ctx context.Context, tx *conn, t *user.AccountToken) error {
	t.CreatedAt = s.now()
	t.ExpiresAt = s.cut(t.ExpiresAt)
	return tx.QueryRowContext(ctx, `INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, t.TokenHash, t.UserID, t.Purpose, t.Email, t.CreatedAt, t.ExpiresAt).Scan(&t.ID)
}

// voidAccountTokens uses up the account's outstanding tokens of purpose
// ("" for every purpose).
func (s *DB) voidAccountTokens(ctx context.Context, tx *conn, userID int64, purpose user.TokenPurpose) error {
	q, args := `UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, []any{s.now(), userID}
	if purpose != "" {
		q += ` AND purpose = ?`
		args = append(args, purpose)
	}
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

// RequestPasswordReset stores a reset token for an active account.
func (s *DB) RequestPasswordReset(ctx context.Context, email string, t user.AccountToken, compose func(u *user.User) []mail.Message) (bool, error) {
	sent := false
	err := s.tx(ctx, func(tx *conn) error {
		u, err := s.readUser(ctx, tx, "email = ?"+s.d.ForUpdate, normEmail(email))
		if errors.Is(err, ErrNotFound) {
			u, err = nil, nil
		}
		if err != nil {
			return err
		}
		if u == nil || u.Disabled {
			return nil
		}
		t.UserID, t.Purpose, t.Email = u.ID, user.ResetPassword, ""
		if err := s.insertAccountToken(ctx, tx, &t); err != nil {
			return err
		}
		if err := s.queueMail(ctx, tx, compose(u)); err != nil {
			return err
		}
		sent = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("request password reset: %w", err)
	}
	return sent, nil
}

// AccountToken returns a token by its hash.
func (s *DB) AccountToken(ctx context.Context, tokenHash []byte) (*user.AccountToken, error) {
	t, err := scanAccountToken(s.r.QueryRowContext(ctx, `SELECT `+accountTokenColumns+` FROM account_tokens WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return nil, fmt.Errorf("account token: %w", notFound(err))
	}
	return t, nil
}

// useAccountToken locks the token with tokenHash and its account, and
// returns both when the token is usable for purpose at now and the
// account active; ErrNotFound otherwise.
func (s *DB) useAccountToken(ctx context.Context, tx *conn, tokenHash []byte, purpose user.TokenPurpose, now time.Time) (*user.AccountToken, *user.User, error) {
	t, err := scanAccountToken(tx.QueryRowContext(ctx, `SELECT `+accountTokenColumns+` FROM account_tokens WHERE token_hash = ?`+s.d.ForUpdate, tokenHash))
	if err != nil {
		return nil, nil, notFound(err)
	}
	if !t.Usable(purpose, now) {
		return nil, nil, ErrNotFound
	}
	u, err := s.readUser(ctx, tx, "id = ?"+s.d.ForUpdate, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, ErrNotFound
	}
	return t, u, nil
}

// ResetPassword sets a new password through a reset link.
func (s *DB) ResetPassword(ctx context.Context, tokenHash []byte, hash string, now time.Time) (*user.User, error) {
	if hash == "" {
		return nil, errors.New("reset password: empty hash")
	}
	var out *user.User
	err := s.tx(ctx, func(tx *conn) error {
		_, before, err := s.useAccountToken(ctx, tx, tokenHash, user.ResetPassword, now)
		if err != nil {
			return err
		}
		u, err := s.setPassword(ctx, tx, before, hash, nil)
		if err != nil {
			return err
		}
		if err := s.voidAccountTokens(ctx, tx, u.ID, ""); err != nil {
			return err
		}
		out = u
		return s.writeAudit(ctx, tx, audit.Actor{UserID: u.ID, Name: u.Name}, "password.reset", "user", u.ID, userSnapshot(before), userSnapshot(u))
	})
	if err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	return out, nil
}

// setPassword stores hash for before (read under its row lock) and ends
// its sessions but keep (nil: all); it returns the account after.
func (s *DB) setPassword(ctx context.Context, tx *conn, before *user.User, hash string, keep []byte) (*user.User, error) {
	now := s.now()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?`, hash, now, before.ID); err != nil {
		return nil, err
	}
	if _, err := deleteUserSessions(ctx, tx, before.ID, keep); err != nil {
		return nil, err
	}
	u := *before
	u.PasswordHash, u.Version, u.UpdatedAt = hash, before.Version+1, now
	return &u, nil
}

// ChangePassword sets a new password chosen on one's own account page.
func (s *DB) ChangePassword(ctx context.Context, by audit.Actor, userID int64, hash string, keep []byte) error {
	if hash == "" {
		return fmt.Errorf("change password of user %d: empty hash", userID)
	}
	err := s.tx(ctx, func(tx *conn) error {
		before, err := s.readUser(ctx, tx, "id = ?"+s.d.ForUpdate, userID)
		if err != nil {
			return err
		}
		u, err := s.setPassword(ctx, tx, before, hash, keep)
		if err != nil {
			return err
		}
		if err := s.voidAccountTokens(ctx, tx, userID, user.ResetPassword); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "password.change", "user", userID, userSnapshot(before), userSnapshot(u))
	})
	if err != nil {
		return fmt.Errorf("change password of user %d: %w", userID, err)
	}
	return nil
}

// RequestEmailChange stores a confirmation link for a new address.
func (s *DB) RequestEmailChange(ctx context.Context, by audit.Actor, t *user.AccountToken, mails []mail.Message) error {
	t.Email = normEmail(t.Email)
	if errs := (&user.User{Email: t.Email, Name: "x"}).Validate(); errs.Has("email") {
		return validate.Errors{"email": errs["email"]}
	}
	err := s.tx(ctx, func(tx *conn) error {
		u, err := s.readUser(ctx, tx, "id = ?"+s.d.ForUpdate, t.UserID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return ErrNotFound
		}
		var asked, taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM account_tokens WHERE user_id = ? AND purpose = ? AND created_at > ?`,
			u.ID, user.ConfirmEmail, s.now().Add(-time.Hour)).Scan(&asked); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email = ? AND id <> ?`, t.Email, u.ID).Scan(&taken); err != nil {
			return err
		}
		if err := user.CheckEmailChange(u, t.Email, taken > 0, asked); err != nil {
			return err
		}
		if err := s.voidAccountTokens(ctx, tx, u.ID, user.ConfirmEmail); err != nil {
			return err
		}
		t.Purpose = user.ConfirmEmail
		if err := s.insertAccountToken(ctx, tx, t); err != nil {
			return err
		}
		if err := s.queueMail(ctx, tx, mails); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "email.change-requested", "user", u.ID, nil, map[string]string{"email": t.Email})
	})
	if err != nil {
		return fmt.Errorf("request e-mail change of user %d: %w", t.UserID, err)
	}
	return nil
}

// ConfirmEmailChange moves an account to a confirmed new address.
func (s *DB) ConfirmEmailChange(ctx context.Context, tokenHash []byte, keep []byte, now time.Time) (*user.User, error) {
	var out *user.User
	err := s.tx(ctx, func(tx *conn) error {
		t, before, err := s.useAccountToken(ctx, tx, tokenHash, user.ConfirmEmail, now)
		if err != nil {
			return err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email = ? AND id <> ?`, t.Email, before.ID).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return errEmailTaken
		}
		at := s.now()
		_, err = tx.ExecContext(ctx, `UPDATE users SET email = ?, version = version + 1, updated_at = ? WHERE id = ?`, t.Email, at, before.ID)
		if s.d.IsUnique(err, "users_email_key") {
			return errEmailTaken
		}
		if err != nil {
			return err
		}
		if err := s.voidAccountTokens(ctx, tx, before.ID, ""); err != nil {
			return err
		}
		if _, err := deleteUserSessions(ctx, tx, before.ID, keep); err != nil {
			return err
		}
		u := *before
		u.Email, u.Version, u.UpdatedAt = t.Email, before.Version+1, at
		out = &u
		return s.writeAudit(ctx, tx, audit.Actor{UserID: u.ID, Name: u.Name}, "email.change", "user", u.ID, userSnapshot(before), userSnapshot(&u))
	})
	if err != nil {
		return nil, fmt.Errorf("confirm e-mail change: %w", err)
	}
	return out, nil
}
