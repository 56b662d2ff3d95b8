package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Invites stores invitations of colleagues to an organisation.
type Invites interface {
	// CreateInvite stores inv (its token hash set by the caller) and
	// queues its mail in the same transaction, if user.CheckInvite allows
	// it: a sender who has sent user.InvitesPerHour in the last hour gets
	// user.ErrTooManyInvites, an address of a staff account
	// user.ErrInviteStaff (both field errors on "email").
	CreateInvite(ctx context.Context, by audit.Actor, inv *user.Invite, mails []mail.Message) error
	// InviteByToken returns an invitation by its token hash (used or not).
	InviteByToken(ctx context.Context, tokenHash []byte) (*user.Invite, error)
	// AcceptInvite accepts the invitation as user.Invite.Acceptance
	// decides, with signedIn the id of the user signed in (0 when
	// nobody is): for an address without an account it creates u with
	// the invitation's role; for an existing account it adds the role
	// to it only when it is the one signed in, and never to a staff
	// account (an ErrInvite… error of package user otherwise). u is then
	// the account. It marks the invitation used, once: a second use is
	// ErrConflict, an expired one ErrNotFound. With signedIn 0 it can
	// only create a new account, so a caller may sign u in after it.
	AcceptInvite(ctx context.Context, tokenHash []byte, signedIn int64, u *user.User, now time.Time) error
}

const inviteColumns = `id, token_hash, email, organisation_id, role, COALESCE(invited_by, 0), created_at, expires_at, accepted_at`

func scanInvite(row scanner) (*user.Invite, error) {
	var inv user.Invite
	if err := row.Scan(&inv.ID, &inv.TokenHash, &inv.Email, &inv.OrganisationID, &inv.Role, &inv.InvitedBy, instant(&inv.CreatedAt), instant(&inv.ExpiresAt), instant(&inv.AcceptedAt)); err != nil {
		return nil, err
	}
	return &inv, nil
}

// CreateInvite stores an invitation and queues its mail.
func (s *DB) CreateInvite(ctx context.Context, by audit.Actor, inv *user.Invite, mails []mail.Message) error {
	inv.Email = normEmail(inv.Email)
	errs := validate.Errors{}
	if err := (&user.User{Email: inv.Email, Name: "x"}).Validate(); err.Has("email") {
		errs.Add("email", err["email"])
	}
	if err := errs.Err(); err != nil {
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
		if err := user.CheckInvite(account, sent); err != nil {
			return err
		}
		inv.CreatedAt = now
		if inv.ExpiresAt.IsZero() {
			inv.ExpiresAt = now.Add(user.InviteTTL)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO invites (token_hash, email, organisation_id, role, invited_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, inv.TokenHash, inv.Email, inv.OrganisationID, inv.Role, nullInt(inv.InvitedBy), now, inv.ExpiresAt).Scan(&inv.ID)
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
