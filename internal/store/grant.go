package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/validate"
)

// Grants stores grants.
type Grants interface {
	Grant(ctx context.Context, id int64) (*grant.Grant, error)
	GrantList(ctx context.Context, f grant.Filter) ([]*grant.Grant, error)
	// CreateGrant locks the call, checks g against the call's ceiling and
	// maximum and the partnership's membership, and inserts it. Concurrent
	// grants in one call never add up to more than its ceiling.
	CreateGrant(ctx context.Context, by audit.Actor, g *grant.Grant) error
	// GrantedInCall returns the sum of the call's grants, in öre.
	GrantedInCall(ctx context.Context, callID int64) (int64, error)
}

func granted(ctx context.Context, db querier, callID int64) (int64, error) {
	var sum int64
	err := db.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount), 0) FROM grants WHERE call_id = ?", callID).Scan(&sum)
	return sum, err
}

// grantColumns read a grant from the table grants (not aliased: the last
// column, the end date an approved change request set, refers to it).
const grantColumns = `id, call_id, partnership_id, organisation_id, application_id, amount, awarded_on, version, created_at, updated_at,
	(SELECT cr.new_end_date FROM change_requests cr WHERE cr.grant_id = grants.id AND cr.state = 'approved' AND cr.new_end_date IS NOT NULL ORDER BY cr.decided_at DESC, cr.id DESC LIMIT 1)`

func scanGrant(row scanner) (*grant.Grant, error) {
	var g grant.Grant
	var appID sql.NullInt64
	if err := row.Scan(&g.ID, &g.CallID, &g.PartnershipID, &g.OrganisationID, &appID, &g.Amount, day(&g.AwardedOn), &g.Version,
		instant(&g.CreatedAt), instant(&g.UpdatedAt), day(&g.EndDate)); err != nil {
		return nil, err
	}
	g.ApplicationID = appID.Int64
	return &g, nil
}

// Grant returns the grant with id.
func (s *DB) Grant(ctx context.Context, id int64) (*grant.Grant, error) {
	g, err := scanGrant(s.r.QueryRowContext(ctx, `SELECT `+grantColumns+` FROM grants WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("grant %d: %w", id, notFound(err))
	}
	return g, nil
}

// GrantList returns the grants f selects, oldest first.
func (s *DB) GrantList(ctx context.Context, f grant.Filter) ([]*grant.Grant, error) {
	q := `SELECT ` + grantColumns + ` FROM grants WHERE 1 = 1`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "?"
	}
	if f.CallID != 0 {
		q += ` AND call_id = ` + arg(f.CallID)
	}
	if f.ProgrammeID != 0 {
		q += ` AND call_id IN (SELECT id FROM calls WHERE programme_id = ` + arg(f.ProgrammeID) + `)`
	}
	if f.PartnershipID != 0 {
		q += ` AND partnership_id = ` + arg(f.PartnershipID)
	}
	if f.OrganisationID != 0 {
		q += ` AND organisation_id = ` + arg(f.OrganisationID)
	}
	if cond, list := s.inScope(programmeOfSQL("grant", "grants.id"), f.Scope); cond != "" {
		q += ` AND ` + cond
		args = append(args, list)
	}
	out, err := queryAll(ctx, s.r, scanGrant, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("grants: %w", err)
	}
	return out, nil
}

// GrantedInCall returns the sum granted in a call.
func (s *DB) GrantedInCall(ctx context.Context, callID int64) (int64, error) {
	sum, err := granted(ctx, s.r, callID)
	if err != nil {
		return 0, fmt.Errorf("granted in call %d: %w", callID, err)
	}
	return sum, nil
}

// CreateGrant checks g against its call and partnership and inserts it,
// as a grant without an application (Decide makes those): g.ApplicationID
// is ignored. It locks the call's row first, so concurrent grants in one call queue
// there, and each reads the sum only after the one before it committed:
// the sum cannot change before this insert commits.
func (s *DB) CreateGrant(ctx context.Context, by audit.Actor, g *grant.Grant) error {
	err := s.tx(ctx, func(tx *conn) error {
		c, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`+s.d.ForUpdate, g.CallID))
		if errors.Is(err, sql.ErrNoRows) {
			return validate.Errors{"call": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		p, err := s.readPartnership(ctx, tx, g.PartnershipID, "")
		if errors.Is(err, ErrNotFound) {
			return validate.Errors{"partnership": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		sum, err := granted(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if err := g.Check(c, p, sum).Err(); err != nil {
			return err
		}
		now := s.now()
		g.CreatedAt, g.UpdatedAt, g.Version, g.ApplicationID = now, now, 1, 0
		return s.insertGrant(ctx, tx, by, g)
	})
	if err != nil {
		return fmt.Errorf("create grant: %w", err)
	}
	return nil
}

// insertGrant writes g, setting its ID, with its audit entry.
func (s *DB) insertGrant(ctx context.Context, tx *conn, by audit.Actor, g *grant.Grant) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO grants (call_id, partnership_id, organisation_id, application_id, amount, awarded_on, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, g.CallID, g.PartnershipID, g.OrganisationID, nullInt(g.ApplicationID), g.Amount, Day(g.AwardedOn), g.CreatedAt, g.UpdatedAt).Scan(&g.ID)
	if err != nil {
		return err
	}
	return s.writeAudit(ctx, tx, by, "create", "grant", g.ID, nil, g)
}
