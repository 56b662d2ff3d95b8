package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Invites stores invitations: of colleagues to an organisation, and of
// staff (by administrators) and a call's reviewers (by its officers).
type Invites interface {
	// CreateInvite stores inv (its token hash set by the caller) and
	// queues its mail in the same transaction, if inv.Validate and
	// user.CheckInvite allow it: a sender who has sent
	// user.InvitesPerHour in the last hour gets user.ErrTooManyInvites;
	// an organisation's invitation to a staff account
	// user.ErrInviteStaff, and one to an organisation whose people may
	// not invite user.ErrMembersClosed; a staff invitation to an account
	// that speaks for an organisation user.ErrInviteMember. An
	// organisation, programme or call that does not exist (or an
	// applicant's organisation abroad) is a field error on "role".
	CreateInvite(ctx context.Context, by audit.Actor, inv *user.Invite, mails []mail.Message) error
	// InviteByToken returns an invitation by its token hash (used or not).
	InviteByToken(ctx context.Context, tokenHash []byte) (*user.Invite, error)
	// Invite returns an invitation by its id (used or not).
	Invite(ctx context.Context, id int64) (*user.Invite, error)
	// PendingInvites returns the invitations f selects that can still be
	// accepted (neither used, withdrawn nor expired), newest first.
	PendingInvites(ctx context.Context, f InviteFilter) ([]*user.Invite, error)
	// WithdrawInvite makes a pending invitation unusable; audited as
	// "withdraw". One that was used, withdrawn or has expired is
	// ErrNotFound.
	WithdrawInvite(ctx context.Context, by audit.Actor, id int64) error
	// AcceptInvite accepts the invitation as user.Invite.Acceptance
	// decides, with signedIn the id of the user signed in (0 when
	// nobody is): for an address without an account it creates u with
	// the invitation's role; for an existing account it adds the role
	// to it only when it is the one signed in, and never across the
	// line between staff and organisations (an ErrInvite… error of
	// package user otherwise). A reviewer invited to a call joins the
	// call's reviewers. u is then the account. It marks the invitation
	// used, once: a second use is ErrConflict, an expired or withdrawn
	// one ErrNotFound. With signedIn 0 it can only create a new account,
	// so a caller may sign u in after it.
	AcceptInvite(ctx context.Context, tokenHash []byte, signedIn int64, u *user.User, now time.Time) error
}

// InviteFilter selects pending invitations.
type InviteFilter struct {
	Staff          bool  // staff invitations (administrator, officer, reviewer), with a call or not
	CallID         int64 // the invitations of reviewers to this call
	OrganisationID int64 // the invitations to this organisation
}

const inviteColumns = `id, token_hash, email, COALESCE(organisation_id, 0), role, COALESCE(programme_id, 0), COALESCE(call_id, 0), name,
	COALESCE(invited_by, 0), created_at, expires_at, accepted_at, withdrawn_at`

func scanInvite(row scanner) (*user.Invite, error) {
	var inv user.Invite
	if err := row.Scan(&inv.ID, &inv.TokenHash, &inv.Email, &inv.OrganisationID, &inv.Role, &inv.ProgrammeID, &inv.CallID, &inv.Name,
		&inv.InvitedBy, instant(&inv.CreatedAt), instant(&inv.ExpiresAt), instant(&inv.AcceptedAt), instant(&inv.WithdrawnAt)); err != nil {
		return nil, err
	}
	return &inv, nil
}

// inviteScope checks that what inv names exists and fits its role, and
// returns the organisation's setting for its people's invitations (true
// for a staff invitation).
func inviteScope(ctx context.Context, tx *conn, inv *user.Invite) (bool, error) {
	errRole := validate.Errors{"role": "error.invalid_choice"}
	if inv.OrganisationID != 0 {
		var kind organisation.Kind
		var manage bool
		err := tx.QueryRowContext(ctx, "SELECT kind, members_manage FROM organisations WHERE id = ?", inv.OrganisationID).Scan(&kind, &manage)
		if errors.Is(err, sql.ErrNoRows) {
			return false, errRole
		}
		if err != nil {
			return false, err
		}
		if (inv.Role == user.Applicant) != kind.Swedish() {
			return false, errRole
		}
		return manage, nil
	}
	for _, c := range []struct {
		id    int64
		query string
	}{{inv.ProgrammeID, "SELECT count(*) FROM programmes WHERE id = ?"}, {inv.CallID, "SELECT count(*) FROM calls WHERE id = ?"}} {
		if c.id == 0 {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, c.query, c.id).Scan(&n); err != nil {
			return false, err
		}
		if n == 0 {
			return false, errRole
		}
	}
	return true, nil
}

// CreateInvite stores an invitation and queues its mail.
func (s *DB) CreateInvite(ctx context.Context, by audit.Actor, inv *user.Invite, mails []mail.Message) error {
	inv.Email = normEmail(inv.Email)
	inv.Name = strings.TrimSpace(inv.Name)
	if err := inv.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		now := s.now()
		sent := 0
		if inv.InvitedBy != 0 {
			// The sender's row is locked first, so two invitations sent
			// at once on PostgreSQL are counted one after the other.
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE id = ?`+s.d.ForUpdate, inv.InvitedBy).Scan(&id); err != nil {
				return fmt.Errorf("sender %d: %w", inv.InvitedBy, notFound(err))
			}
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM invites WHERE invited_by = ? AND created_at > ?`,
				inv.InvitedBy, now.Add(-user.InviteWindow)).Scan(&sent); err != nil {
				return err
			}
		}
		account, err := s.readUser(ctx, tx, "email = ?", inv.Email)
		if errors.Is(err, ErrNotFound) {
			account, err = nil, nil
		}
		if err != nil {
			return err
		}
		manage, err := inviteScope(ctx, tx, inv)
		if err != nil {
			return err
		}
		if err := user.CheckInvite(inv, account, sent, manage); err != nil {
			return err
		}
		inv.CreatedAt = now
		if inv.ExpiresAt.IsZero() {
			inv.ExpiresAt = now.Add(user.InviteTTL)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO invites (token_hash, email, organisation_id, role, programme_id, call_id, name, invited_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, inv.TokenHash, inv.Email, nullInt(inv.OrganisationID), inv.Role,
			nullInt(inv.ProgrammeID), nullInt(inv.CallID), inv.Name, nullInt(inv.InvitedBy), now, inv.ExpiresAt).Scan(&inv.ID)
		if err != nil {
			return err
		}
		if err := s.queueMail(ctx, tx, mails); err != nil {
			return err
		}
		snap := *inv
		snap.TokenHash = nil
		return s.writeAudit(ctx, tx, by, "create", "invite", inv.ID, nil, snap)
	})
	if err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	return nil
}

// InviteByToken returns the invitation with the token hash.
func (s *DB) InviteByToken(ctx context.Context, tokenHash []byte) (*user.Invite, error) {
	inv, err := scanInvite(s.r.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return nil, fmt.Errorf("invite: %w", notFound(err))
	}
	return inv, nil
}

// Invite returns the invitation with id.
func (s *DB) Invite(ctx context.Context, id int64) (*user.Invite, error) {
	inv, err := scanInvite(s.r.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("invite %d: %w", id, notFound(err))
	}
	return inv, nil
}

// PendingInvites returns the usable invitations f selects, newest first.
func (s *DB) PendingInvites(ctx context.Context, f InviteFilter) ([]*user.Invite, error) {
	q := `SELECT ` + inviteColumns + ` FROM invites WHERE accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > ?`
	args := []any{s.now()}
	if f.Staff {
		q += ` AND role IN ('admin', 'officer', 'reviewer')`
	}
	if f.CallID != 0 {
		q += ` AND call_id = ?`
		args = append(args, f.CallID)
	}
	if f.OrganisationID != 0 {
		q += ` AND organisation_id = ?`
		args = append(args, f.OrganisationID)
	}
	out, err := queryAll(ctx, s.r, scanInvite, q+` ORDER BY created_at DESC, id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("pending invites: %w", err)
	}
	return out, nil
}

// WithdrawInvite makes a pending invitation unusable.
func (s *DB) WithdrawInvite(ctx context.Context, by audit.Actor, id int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		inv, err := scanInvite(tx.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE id = ?`+s.d.ForUpdate, id))
		if err != nil {
			return notFound(err)
		}
		now := s.now()
		if !inv.Usable(now) {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, "UPDATE invites SET withdrawn_at = ? WHERE id = ?", now, id); err != nil {
			return err
		}
		snap := *inv
		snap.TokenHash = nil
		return s.writeAudit(ctx, tx, by, "withdraw", "invite", id, snap, nil)
	})
	if err != nil {
		return fmt.Errorf("withdraw invite %d: %w", id, err)
	}
	return nil
}

// AcceptInvite creates the user (or gives the existing one, signed in,
// the role) and uses up the invitation, in one transaction.
func (s *DB) AcceptInvite(ctx context.Context, tokenHash []byte, signedIn int64, u *user.User, now time.Time) error {
	err := s.tx(ctx, func(tx *conn) error {
		inv, err := scanInvite(tx.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE token_hash = ?`+s.d.ForUpdate, tokenHash))
		if err != nil {
			return notFound(err)
		}
		if !inv.AcceptedAt.IsZero() {
			return ErrConflict
		}
		if !inv.Usable(now) {
			return ErrNotFound
		}
		role := inv.Grants()
		existing, err := s.readUser(ctx, tx, "email = ?"+s.d.ForUpdate, inv.Email)
		if errors.Is(err, ErrNotFound) {
			existing, err = nil, nil
		}
		if err != nil {
			return err
		}
		how, err := inv.Acceptance(existing, signedIn)
		if err != nil {
			return err
		}
		by := audit.Actor{Name: "invite:" + inv.Email}
		switch how {
		case user.CreateAccount:
			u.Email = inv.Email
			u.Roles = []user.Role{role}
			u.Normalize()
			if err := u.Validate().Err(); err != nil {
				return err
			}
			now := s.now()
			u.CreatedAt, u.UpdatedAt, u.Version = now, now, 1
			err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, lang, disabled, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, FALSE, 1, ?, ?) RETURNING id`, u.Email, u.Name, u.PasswordHash, u.Lang, now, now).Scan(&u.ID)
			if err != nil {
				return err
			}
			if err := writeRoles(ctx, tx, u); err != nil {
				return err
			}
			by.UserID = u.ID
			if err := s.writeAudit(ctx, tx, by, "create", "user", u.ID, nil, userSnapshot(u)); err != nil {
				return err
			}
		case user.AddRole:
			before := *existing
			before.Roles = slices.Clone(existing.Roles)
			if existing.AddRole(role) {
				if err := writeRoles(ctx, tx, existing); err != nil {
					return err
				}
				existing.Version++
				existing.UpdatedAt = s.now()
				if _, err := tx.ExecContext(ctx, "UPDATE users SET version = ?, updated_at = ? WHERE id = ?", existing.Version, existing.UpdatedAt, existing.ID); err != nil {
					return err
				}
			}
			*u = *existing
			by.UserID = u.ID
			if err := s.writeAudit(ctx, tx, by, "update", "user", u.ID, userSnapshot(&before), userSnapshot(existing)); err != nil {
				return err
			}
		}
		if inv.CallID != 0 {
			if err := insertCallReviewer(ctx, tx, inv.CallID, u.ID, s.now()); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE invites SET accepted_at = ? WHERE id = ?", now, inv.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "accept", "invite", inv.ID, nil, nil)
	})
	if err != nil {
		return fmt.Errorf("accept invite: %w", err)
	}
	return nil
}
