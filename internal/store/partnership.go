package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/swedish"
)

// Partnerships stores partnerships with their members and goals.
type Partnerships interface {
	Partnership(ctx context.Context, id int64) (*partnership.Partnership, error)
	// PartnershipList returns partnerships sorted by name in Swedish order.
	// f.Query is a full-text search, as PartnershipSearch.
	PartnershipList(ctx context.Context, f partnership.Filter) ([]*partnership.Partnership, error)
	// PartnershipSearch returns, in ascending order, the IDs of the
	// partnerships whose text (name, theme, description, members, partner
	// countries) matches query in Swedish or English, inflected forms
	// included (package search). A query without words matches all; both
	// engines give the same IDs.
	PartnershipSearch(ctx context.Context, query string) ([]int64, error)
	// CreatePartnership loads the members named by ID in p.Swedish and
	// p.Partners, validates, and inserts p.
	CreatePartnership(ctx context.Context, by audit.Actor, p *partnership.Partnership) error
	UpdatePartnership(ctx context.Context, by audit.Actor, p *partnership.Partnership) error
}

const partnershipColumns = `id, name, theme_sv, theme_en, description_sv, description_en, start_date, end_date, status, version, created_at, updated_at`

func scanPartnership(row scanner) (*partnership.Partnership, error) {
	var p partnership.Partnership
	if err := row.Scan(&p.ID, &p.Name, &p.ThemeSV, &p.ThemeEN, &p.DescriptionSV, &p.DescriptionEN, day(&p.Start), day(&p.End), &p.Status, &p.Version,
		instant(&p.CreatedAt), instant(&p.UpdatedAt)); err != nil {
		return nil, err
	}
	return &p, nil
}

// Partnership returns the partnership with id, with its members and goals.
func (s *DB) Partnership(ctx context.Context, id int64) (*partnership.Partnership, error) {
	p, err := s.readPartnership(ctx, s.r, id, "")
	if err != nil {
		return nil, fmt.Errorf("partnership %d: %w", id, err)
	}
	return p, nil
}

// readPartnership reads one partnership, taking lock (a Dialect clause, or
// "") on its row.
func (s *DB) readPartnership(ctx context.Context, db querier, id int64, lock string) (*partnership.Partnership, error) {
	p, err := scanPartnership(db.QueryRowContext(ctx, `SELECT `+partnershipColumns+` FROM partnerships WHERE id = ?`+lock, id))
	if err != nil {
		return nil, notFound(err)
	}
	if err := s.fillPartnerships(ctx, db, []*partnership.Partnership{p}, "WHERE partnership_id = ?", id); err != nil {
		return nil, err
	}
	return p, nil
}

// PartnershipList returns the partnerships f selects, in Swedish order.
func (s *DB) PartnershipList(ctx context.Context, f partnership.Filter) ([]*partnership.Partnership, error) {
	all, err := queryAll(ctx, s.r, scanPartnership, `SELECT `+partnershipColumns+` FROM partnerships`)
	if err != nil {
		return nil, fmt.Errorf("partnerships: %w", err)
	}
	if err := s.fillPartnerships(ctx, s.r, all, ""); err != nil {
		return nil, fmt.Errorf("partnerships: %w", err)
	}
	// The text goes through the full-text index; Match checks the rest.
	hits, err := s.searchIDs(ctx, f.Query)
	if err != nil {
		return nil, err
	}
	f.Query = ""
	out := all[:0]
	for _, p := range all {
		if f.Match(p) && (hits == nil || hits[p.ID]) {
			out = append(out, p)
		}
	}
	swedish.Sort(out, func(p *partnership.Partnership) string { return p.Name })
	return out, nil
}

// fillPartnerships loads members, goals and targets for ps; where limits
// the rows read (to one partnership) or is empty for all.
func (s *DB) fillPartnerships(ctx context.Context, db querier, ps []*partnership.Partnership, where string, args ...any) error {
	byID := map[int64]*partnership.Partnership{}
	for _, p := range ps {
		byID[p.ID] = p
		p.Swedish, p.Partners, p.Goals, p.Targets = nil, nil, nil, nil
	}
	err := eachRow(ctx, db, func(row scanner) error {
		var pid int64
		var o organisation.Organisation
		var code sql.NullString
		if err := row.Scan(&pid, &o.ID, &o.Kind, &code, &o.OrgNumber, &o.Name, &o.Country, &o.County, &o.Version, instant(&o.CreatedAt), instant(&o.UpdatedAt)); err != nil {
			return err
		}
		o.Code = code.String
		if p := byID[pid]; p != nil {
			if o.Kind.Swedish() {
				p.Swedish = append(p.Swedish, o)
			} else {
				p.Partners = append(p.Partners, o)
			}
		}
		return nil
	}, `SELECT m.partnership_id, o.id, o.kind, o.code, o.org_number, o.name, o.country, o.county, o.version, o.created_at, o.updated_at
		FROM partnership_members m JOIN organisations o ON o.id = m.organisation_id `+where+` ORDER BY m.partnership_id, m.position`, args...)
	if err != nil {
		return err
	}
	err = eachRow(ctx, db, func(row scanner) error {
		var pid int64
		var g int
		if err := row.Scan(&pid, &g); err != nil {
			return err
		}
		if p := byID[pid]; p != nil {
			p.Goals = append(p.Goals, g)
		}
		return nil
	}, `SELECT partnership_id, goal FROM partnership_goals `+where+` ORDER BY goal`, args...)
	if err != nil {
		return err
	}
	err = eachRow(ctx, db, func(row scanner) error {
		var pid int64
		var t string
		if err := row.Scan(&pid, &t); err != nil {
			return err
		}
		if p := byID[pid]; p != nil {
			p.Targets = append(p.Targets, t)
		}
		return nil
	}, `SELECT partnership_id, target FROM partnership_targets `+where, args...)
	if err != nil {
		return err
	}
	for _, p := range ps {
		p.Normalize() // sorts the targets as the UN lists them
	}
	return nil
}

// loadMembers replaces the members named by ID with the stored
// organisations, so the domain can check their kinds. An unknown ID stays
// with only its ID and so fails validation.
func loadMembers(ctx context.Context, tx querier, p *partnership.Partnership) error {
	load := func(list []organisation.Organisation) ([]organisation.Organisation, error) {
		out := make([]organisation.Organisation, 0, len(list))
		seen := map[int64]bool{}
		for _, m := range list {
			if seen[m.ID] {
				continue
			}
			seen[m.ID] = true
			o, err := scanOrganisation(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = ?`, m.ID))
			if errors.Is(err, sql.ErrNoRows) {
				out = append(out, organisation.Organisation{ID: m.ID})
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, *o)
		}
		return out, nil
	}
	var err error
	if p.Swedish, err = load(p.Swedish); err != nil {
		return err
	}
	p.Partners, err = load(p.Partners)
	return err
}

// CreatePartnership validates p with its members loaded and inserts it.
func (s *DB) CreatePartnership(ctx context.Context, by audit.Actor, p *partnership.Partnership) error {
	err := s.tx(ctx, func(tx *conn) error {
		if err := loadMembers(ctx, tx, p); err != nil {
			return err
		}
		p.Normalize()
		if err := p.Validate().Err(); err != nil {
			return err
		}
		now := s.now()
		p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
		id, err := insertID(ctx, tx, `INSERT INTO partnerships (name, theme_sv, theme_en, description_sv, description_en, start_date, end_date, status, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			p.Name, p.ThemeSV, p.ThemeEN, p.DescriptionSV, p.DescriptionEN, Day(p.Start), Day(p.End), p.Status, now, now)
		if err != nil {
			return err
		}
		p.ID = id
		if err := writePartnershipLinks(ctx, tx, p); err != nil {
			return err
		}
		if err := s.writeSearch(ctx, tx, p.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "partnership", p.ID, nil, p)
	})
	if err != nil {
		return fmt.Errorf("create partnership: %w", err)
	}
	return nil
}

// UpdatePartnership saves p if nobody saved it since p.Version, holding
// the partnership's row lock from the version check to the commit.
func (s *DB) UpdatePartnership(ctx context.Context, by audit.Actor, p *partnership.Partnership) error {
	err := s.tx(ctx, func(tx *conn) error {
		before, err := s.readPartnership(ctx, tx, p.ID, s.d.ForUpdate)
		if err != nil {
			return err
		}
		if before.Version != p.Version {
			return ErrConflict
		}
		if err := loadMembers(ctx, tx, p); err != nil {
			return err
		}
		p.Normalize()
		if err := p.Validate().Err(); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE partnerships SET name = ?, theme_sv = ?, theme_en = ?, description_sv = ?, description_en = ?,
			start_date = ?, end_date = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			p.Name, p.ThemeSV, p.ThemeEN, p.DescriptionSV, p.DescriptionEN, Day(p.Start), Day(p.End), p.Status, now, p.ID); err != nil {
			return err
		}
		for _, table := range []string{"partnership_members", "partnership_goals", "partnership_targets"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE partnership_id = ?", p.ID); err != nil {
				return err
			}
		}
		if err := writePartnershipLinks(ctx, tx, p); err != nil {
			return err
		}
		if err := s.writeSearch(ctx, tx, p.ID); err != nil {
			return err
		}
		p.Version, p.UpdatedAt, p.CreatedAt = before.Version+1, now, before.CreatedAt
		return s.writeAudit(ctx, tx, by, "update", "partnership", p.ID, before, p)
	})
	if err != nil {
		return fmt.Errorf("update partnership %d: %w", p.ID, err)
	}
	return nil
}

func writePartnershipLinks(ctx context.Context, tx querier, p *partnership.Partnership) error {
	pos := 0
	for _, list := range [][]organisation.Organisation{p.Swedish, p.Partners} {
		for _, o := range list {
			if _, err := tx.ExecContext(ctx, "INSERT INTO partnership_members (partnership_id, organisation_id, position) VALUES (?, ?, ?)", p.ID, o.ID, pos); err != nil {
				return err
			}
			pos++
		}
	}
	for _, g := range p.Goals {
		if _, err := tx.ExecContext(ctx, "INSERT INTO partnership_goals (partnership_id, goal) VALUES (?, ?)", p.ID, g); err != nil {
			return err
		}
	}
	for _, t := range p.Targets {
		if _, err := tx.ExecContext(ctx, "INSERT INTO partnership_targets (partnership_id, target) VALUES (?, ?)", p.ID, t); err != nil {
			return err
		}
	}
	return nil
}
