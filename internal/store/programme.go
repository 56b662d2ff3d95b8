package store

import (
	"context"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/swedish"
)

// Programmes stores grant programmes.
type Programmes interface {
	Programme(ctx context.Context, id int64) (*programme.Programme, error)
	ProgrammeList(ctx context.Context) ([]*programme.Programme, error)
	CreateProgramme(ctx context.Context, by audit.Actor, p *programme.Programme) error
	// UpdateProgramme refuses a total budget below the calls' ceilings.
	UpdateProgramme(ctx context.Context, by audit.Actor, p *programme.Programme) error
}

const programmeColumns = `id, name_sv, name_en, funder, operator, currency, total_budget, description_sv, description_en, version, created_at, updated_at`

func scanProgramme(row scanner) (*programme.Programme, error) {
	var p programme.Programme
	if err := row.Scan(&p.ID, &p.NameSV, &p.NameEN, &p.Funder, &p.Operator, &p.Currency, &p.TotalBudget, &p.DescriptionSV, &p.DescriptionEN, &p.Version,
		instant(&p.CreatedAt), instant(&p.UpdatedAt)); err != nil {
		return nil, err
	}
	return &p, nil
}

// Programme returns the programme with id.
func (s *DB) Programme(ctx context.Context, id int64) (*programme.Programme, error) {
	p, err := scanProgramme(s.r.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("programme %d: %w", id, notFound(err))
	}
	return p, nil
}

// ProgrammeList returns every programme, in Swedish order of name.
func (s *DB) ProgrammeList(ctx context.Context) ([]*programme.Programme, error) {
	out, err := queryAll(ctx, s.r, scanProgramme, `SELECT `+programmeColumns+` FROM programmes`)
	if err != nil {
		return nil, fmt.Errorf("programmes: %w", err)
	}
	swedish.Sort(out, func(p *programme.Programme) string { return p.NameSV })
	return out, nil
}

// CreateProgramme validates p and inserts it.
func (s *DB) CreateProgramme(ctx context.Context, by audit.Actor, p *programme.Programme) error {
	p.Normalize()
	if err := p.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		now := s.now()
		p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
		err := tx.QueryRowContext(ctx, `INSERT INTO programmes (name_sv, name_en, funder, operator, currency, total_budget, description_sv, description_en, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			p.NameSV, p.NameEN, p.Funder, p.Operator, p.Currency, p.TotalBudget, p.DescriptionSV, p.DescriptionEN, now, now).Scan(&p.ID)
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "programme", p.ID, nil, p)
	})
	if err != nil {
		return fmt.Errorf("create programme: %w", err)
	}
	return nil
}

// UpdateProgramme saves p; its budget may not fall below its calls'
// ceilings. It locks the programme's row, which every change to its calls
// also locks, so the calls cannot grow while the budget is checked.
func (s *DB) UpdateProgramme(ctx context.Context, by audit.Actor, p *programme.Programme) error {
	p.Normalize()
	if err := p.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		before, err := scanProgramme(tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = ?`+s.d.ForUpdate, p.ID))
		if err != nil {
			return notFound(err)
		}
		if before.Version != p.Version {
			return ErrConflict
		}
		calls, err := s.callsOf(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if err := programme.CheckBudgetCoversCalls(p.TotalBudget, calls).Err(); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE programmes SET name_sv = ?, name_en = ?, funder = ?, operator = ?, currency = ?, total_budget = ?,
			description_sv = ?, description_en = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			p.NameSV, p.NameEN, p.Funder, p.Operator, p.Currency, p.TotalBudget, p.DescriptionSV, p.DescriptionEN, now, p.ID); err != nil {
			return err
		}
		p.Version, p.UpdatedAt, p.CreatedAt = before.Version+1, now, before.CreatedAt
		return s.writeAudit(ctx, tx, by, "update", "programme", p.ID, before, p)
	})
	if err != nil {
		return fmt.Errorf("update programme %d: %w", p.ID, err)
	}
	return nil
}
