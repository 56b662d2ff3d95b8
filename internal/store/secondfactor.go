package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/user"
)

// SecondFactors stores people's second factors (user.SecondFactor): the
// TOTP secret, the last step used and the recovery codes' hashes. No
// method returns a recovery code or writes the secret to the audit log.
type SecondFactors interface {
	// SecondFactorStatus says whether the user has a second factor, how
	// many recovery codes are left, and whether the user is one of the
	// demo's accounts while the database is the demo's.
	SecondFactorStatus(ctx context.Context, userID int64) (user.SecondFactorStatus, error)
	// EnrolSecondFactor stores the user's secret and recovery code
	// hashes in one transaction, with step as the last step used (the
	// code that confirmed the enrolment cannot be used again). A user
	// already enrolled is ErrConflict. Audited as "second_factor.enrol".
	EnrolSecondFactor(ctx context.Context, by audit.Actor, userID int64, secret string, recoveryHashes [][]byte, step int64) error
	// UseSecondFactor checks a code the user typed and consumes it, in
	// one transaction under the factor's row lock: a TOTP code
	// (user.MatchTOTP) moves the last step used, a recovery code is
	// marked used. A wrong, replayed or used code is user.ErrWrongCode,
	// so two requests with the same code succeed once. recovery reports
	// that a recovery code was used (audited as
	// "second_factor.recovery_used").
	UseSecondFactor(ctx context.Context, userID int64, code string, now time.Time) (recovery bool, err error)
	// DisableSecondFactor removes the user's own factor and recovery
	// codes. Audited as "second_factor.disable".
	DisableSecondFactor(ctx context.Context, by audit.Actor, userID int64) error
	// ResetSecondFactor removes another person's factor (they lost the
	// device) and ends all their sessions, so their next sign-in asks
	// them to enrol again. Audited as "second_factor.reset".
	ResetSecondFactor(ctx context.Context, by audit.Actor, userID int64) error
	// RegenerateRecoveryCodes replaces the user's recovery codes. A user
	// without a factor is ErrNotFound. Audited as
	// "second_factor.recovery_codes".
	RegenerateRecoveryCodes(ctx context.Context, by audit.Actor, userID int64, hashes [][]byte) error
	// MarkDemoAccount marks one of the demo's own accounts (the demo
	// loader calls it), which sign in without a second factor while the
	// database is the demo's.
	MarkDemoAccount(ctx context.Context, by audit.Actor, userID int64) error
}

// SecondFactorStatus reads the user's second factor.
func (s *DB) SecondFactorStatus(ctx context.Context, userID int64) (user.SecondFactorStatus, error) {
	var st user.SecondFactorStatus
	var enrolled sql.NullInt64
	// The exemption holds only while the "demo" setting says the demo was
	// loaded: a demo account in a database that is no longer the demo's
	// (the setting removed) needs a factor like any other.
	err := s.r.QueryRowContext(ctx, `SELECT u.demo_account AND EXISTS (SELECT 1 FROM settings WHERE key = 'demo' AND value LIKE 'loaded%'),
			f.user_id, f.enrolled_at,
			(SELECT count(*) FROM recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL)
		FROM users u LEFT JOIN second_factors f ON f.user_id = u.id WHERE u.id = ?`, userID).
		Scan(&st.DemoExempt, &enrolled, instant(&st.EnrolledAt), &st.RecoveryLeft)
	if err != nil {
		return st, fmt.Errorf("second factor of user %d: %w", userID, notFound(err))
	}
	st.Enrolled = enrolled.Valid
	return st, nil
}

// factorAudit is what the audit log keeps of a change to a factor: never
// the secret or a code.
type factorAudit struct {
	Enrolled      bool `json:"enrolled"`
	RecoveryCodes int  `json:"recovery_codes,omitempty"`
}

// EnrolSecondFactor stores a new factor.
func (s *DB) EnrolSecondFactor(ctx context.Context, by audit.Actor, userID int64, secret string, hashes [][]byte, step int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		if err := lockUser(ctx, tx, s.d.ForUpdate, userID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM second_factors WHERE user_id = ?", userID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO second_factors (user_id, secret, last_step, enrolled_at) VALUES (?, ?, ?, ?)",
			userID, secret, step, s.now()); err != nil {
			return err
		}
		if err := writeRecoveryCodes(ctx, tx, userID, hashes); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "second_factor.enrol", "user", userID, factorAudit{}, factorAudit{Enrolled: true, RecoveryCodes: len(hashes)})
	})
	if err != nil {
		return fmt.Errorf("enrol second factor of user %d: %w", userID, err)
	}
	return nil
}

// lockUser takes the user's row lock (ErrNotFound when there is none), so
// changes to one person's factor queue behind each other.
func lockUser(ctx context.Context, tx *conn, forUpdate string, userID int64) error {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM users WHERE id = ?"+forUpdate, userID).Scan(&id)
	return notFound(err)
}

func writeRecoveryCodes(ctx context.Context, tx *conn, userID int64, hashes [][]byte) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", userID, h); err != nil {
			return err
		}
	}
	return nil
}

// UseSecondFactor checks and consumes a code.
func (s *DB) UseSecondFactor(ctx context.Context, userID int64, code string, now time.Time) (bool, error) {
	recovery := false
	err := s.tx(ctx, func(tx *conn) error {
		var secret string
		var last int64
		err := tx.QueryRowContext(ctx, "SELECT secret, last_step FROM second_factors WHERE user_id = ?"+s.d.ForUpdate, userID).Scan(&secret, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return user.ErrWrongCode
		}
		if err != nil {
			return err
		}
		if user.IsTOTPCode(code) {
			step, ok := user.MatchTOTP(secret, code, last, now)
			if !ok {
				return user.ErrWrongCode
			}
			_, err := tx.ExecContext(ctx, "UPDATE second_factors SET last_step = ? WHERE user_id = ?", step, userID)
			return err
		}
		// The condition on used_at makes the code single-use even
		// without the row lock above.
		res, err := tx.ExecContext(ctx, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
			s.cut(now), userID, user.HashRecoveryCode(code))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return user.ErrWrongCode
		}
		recovery = true
		var left int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&left); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, audit.Actor{UserID: userID, Name: userName(ctx, tx, userID)}, "second_factor.recovery_used", "user", userID,
			nil, factorAudit{Enrolled: true, RecoveryCodes: left})
	})
	if err != nil {
		return false, fmt.Errorf("use second factor of user %d: %w", userID, err)
	}
	return recovery, nil
}

// userName is the user's name for an audit entry the user causes.
func userName(ctx context.Context, tx *conn, userID int64) string {
	var name string
	_ = tx.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", userID).Scan(&name)
	return name
}

// removeFactor deletes the user's factor and recovery codes and reports
// whether there was one.
func removeFactor(ctx context.Context, tx *conn, userID int64) (bool, error) {
	if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM second_factors WHERE user_id = ?", userID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// DisableSecondFactor removes the user's own factor.
func (s *DB) DisableSecondFactor(ctx context.Context, by audit.Actor, userID int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		if err := lockUser(ctx, tx, s.d.ForUpdate, userID); err != nil {
			return err
		}
		had, err := removeFactor(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !had {
			return ErrNotFound
		}
		return s.writeAudit(ctx, tx, by, "second_factor.disable", "user", userID, factorAudit{Enrolled: true}, factorAudit{})
	})
	if err != nil {
		return fmt.Errorf("disable second factor of user %d: %w", userID, err)
	}
	return nil
}

// ResetSecondFactor removes a person's factor and ends their sessions.
func (s *DB) ResetSecondFactor(ctx context.Context, by audit.Actor, userID int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		if err := s.stillAdministrator(ctx, tx, by); err != nil {
			return err
		}
		if err := lockUser(ctx, tx, s.d.ForUpdate, userID); err != nil {
			return err
		}
		had, err := removeFactor(ctx, tx, userID)
		if err != nil {
			return err
		}
		if _, err := deleteUserSessions(ctx, tx, userID, nil); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "second_factor.reset", "user", userID, factorAudit{Enrolled: had}, factorAudit{})
	})
	if err != nil {
		return fmt.Errorf("reset second factor of user %d: %w", userID, err)
	}
	return nil
}

// RegenerateRecoveryCodes replaces the user's recovery codes.
func (s *DB) RegenerateRecoveryCodes(ctx context.Context, by audit.Actor, userID int64, hashes [][]byte) error {
	err := s.tx(ctx, func(tx *conn) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "SELECT user_id FROM second_factors WHERE user_id = ?"+s.d.ForUpdate, userID).Scan(&id); err != nil {
			return notFound(err)
		}
		if err := writeRecoveryCodes(ctx, tx, userID, hashes); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "second_factor.recovery_codes", "user", userID, nil, factorAudit{Enrolled: true, RecoveryCodes: len(hashes)})
	})
	if err != nil {
		return fmt.Errorf("regenerate recovery codes of user %d: %w", userID, err)
	}
	return nil
}

// MarkDemoAccount marks one of the demo's own accounts.
func (s *DB) MarkDemoAccount(ctx context.Context, by audit.Actor, userID int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET demo_account = ? WHERE id = ? AND demo_account = ?", true, userID, false)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.writeAudit(ctx, tx, by, "mark-demo-account", "user", userID, nil, map[string]bool{"demo_account": true})
	})
	if err != nil {
		return fmt.Errorf("mark demo account %d: %w", userID, err)
	}
	return nil
}
