package store

import (
	"context"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/user"
)

// Members stores who speaks for an organisation (the accounts with an
// applicant or partner role for it) and whether its people may invite
// and remove colleagues.
type Members interface {
	// OrganisationMembers returns the accounts holding an applicant or
	// partner role for the organisation, deactivated ones too, in Swedish
	// order of name.
	OrganisationMembers(ctx context.Context, orgID int64) ([]*user.User, error)
	// MembersManage reports whether the organisation's people may invite
	// and remove colleagues (ErrNotFound for no organisation).
	MembersManage(ctx context.Context, orgID int64) (bool, error)
	// SetMembersManage sets it; audited as "set-members-manage" on the
	// organisation.
	SetMembersManage(ctx context.Context, by audit.Actor, orgID int64, on bool) error
	// RemoveMember takes away the user's applicant and partner roles for
	// the organisation, as user.CheckRemoveMember allows (under the
	// organisation's row lock, so two people removing each other at once
	// cannot leave it empty). The account and its other roles stay; its
	// sessions read the roles afresh on the next request. Audited as
	// "remove-member" on the user.
	RemoveMember(ctx context.Context, by audit.Actor, orgID, userID int64) error
}

// membersWhere selects the users who speak for the organisation ?.
const membersWhere = `id IN (SELECT user_id FROM user_roles WHERE kind IN ('applicant', 'partner') AND organisation_id = ?)`

// OrganisationMembers returns the accounts that speak for the organisation.
func (s *DB) OrganisationMembers(ctx context.Context, orgID int64) ([]*user.User, error) {
	out, err := s.members(ctx, s.r, orgID)
	if err != nil {
		return nil, fmt.Errorf("members of organisation %d: %w", orgID, err)
	}
	swedish.Sort(out, func(u *user.User) string { return u.Name })
	return out, nil
}

func (s *DB) members(ctx context.Context, db querier, orgID int64) ([]*user.User, error) {
	out, err := queryAll(ctx, db, scanUser, `SELECT `+userColumns+` FROM users WHERE `+membersWhere, orgID)
	if err != nil {
		return nil, err
	}
	for _, u := range out {
		if err := fillRoles(ctx, db, []*user.User{u}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MembersManage reads the organisation's setting.
func (s *DB) MembersManage(ctx context.Context, orgID int64) (bool, error) {
	var on bool
	if err := s.r.QueryRowContext(ctx, "SELECT members_manage FROM organisations WHERE id = ?", orgID).Scan(&on); err != nil {
		return false, fmt.Errorf("members setting of organisation %d: %w", orgID, notFound(err))
	}
	return on, nil
}

// SetMembersManage sets the organisation's setting.
func (s *DB) SetMembersManage(ctx context.Context, by audit.Actor, orgID int64, on bool) error {
	err := s.tx(ctx, func(tx *conn) error {
		var before bool
		if err := tx.QueryRowContext(ctx, "SELECT members_manage FROM organisations WHERE id = ?"+s.d.ForUpdate, orgID).Scan(&before); err != nil {
			return notFound(err)
		}
		if before == on {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE organisations SET members_manage = ?, updated_at = ? WHERE id = ?", on, s.now(), orgID); err != nil {
			return err
		}
		type setting struct{ MembersManage bool }
		return s.writeAudit(ctx, tx, by, "set-members-manage", "organisation", orgID, setting{before}, setting{on})
	})
	if err != nil {
		return fmt.Errorf("set members setting of organisation %d: %w", orgID, err)
	}
	return nil
}

// RemoveMember takes the user's roles for the organisation away.
func (s *DB) RemoveMember(ctx context.Context, by audit.Actor, orgID, userID int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		var manage bool
		if err := tx.QueryRowContext(ctx, "SELECT members_manage FROM organisations WHERE id = ?"+s.d.ForUpdate, orgID).Scan(&manage); err != nil {
			return notFound(err)
		}
		members, err := s.members(ctx, tx, orgID)
		if err != nil {
			return err
		}
		var target *user.User
		active := 0
		for _, m := range members {
			if !m.Disabled {
				active++
			}
			if m.ID == userID {
				target = m
			}
		}
		if target == nil {
			return ErrNotFound
		}
		if err := user.CheckRemoveMember(target, orgID, active, manage); err != nil {
			return err
		}
		before := *target
		before.Roles = append([]user.Role(nil), target.Roles...)
		target.LeaveOrganisation(orgID)
		if err := writeRoles(ctx, tx, target); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET version = version + 1, updated_at = ? WHERE id = ?", s.now(), userID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "remove-member", "user", userID, userSnapshot(&before), userSnapshot(target))
	})
	if err != nil {
		return fmt.Errorf("remove user %d from organisation %d: %w", userID, orgID, err)
	}
	return nil
}
