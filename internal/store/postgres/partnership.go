package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/swedish"
)

const partnershipColumns = `id, name, theme_sv, theme_en, description_sv, description_en, start_date, end_date, status, version, created_at, updated_at`

func scanPartnership(row scanner) (*partnership.Partnership, error) {
	var p partnership.Partnership
	var start time.Time
	var end sql.NullTime
	var created, updated time.Time
	if err := row.Scan(&p.ID, &p.Name, &p.ThemeSV, &p.ThemeEN, &p.DescriptionSV, &p.DescriptionEN, &start, &end, &p.Status, &p.Version, &created, &updated); err != nil {
		return nil, err
	}
	p.Start, p.End = dateOf(start), nullDateOf(end)
	p.CreatedAt, p.UpdatedAt = utc(created), utc(updated)
	return &p, nil
}

// Partnership returns the partnership with id, with its members and goals.
func (s *Store) Partnership(ctx context.Context, id int64) (*partnership.Partnership, error) {
	p, err := s.readPartnership(ctx, s.db, id, false)
	if err != nil {
		return nil, fmt.Errorf("postgres: partnership %d: %w", id, err)
	}
	return p, nil
}

type queryRower interface {
	querier
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// readPartnership reads one partnership; forUpdate locks its row until the
// transaction ends.
func (s *Store) readPartnership(ctx context.Context, db queryRower, id int64, forUpdate bool) (*partnership.Partnership, error) {
	q := `SELECT ` + partnershipColumns + ` FROM partnerships WHERE id = $1`
	if forUpdate {
		q += ` FOR UPDATE`
	}
	p, err := scanPartnership(db.QueryRowContext(ctx, q, id))
	if err != nil {
		return nil, notFound(err)
	}
	if err := s.fillPartnerships(ctx, db, []*partnership.Partnership{p}, "WHERE partnership_id = $1", id); err != nil {
		return nil, err
	}
	return p, nil
}

// PartnershipList returns the partnerships f selects, in Swedish order.
func (s *Store) PartnershipList(ctx context.Context, f partnership.Filter) ([]*partnership.Partnership, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+partnershipColumns+` FROM partnerships`)
	if err != nil {
		return nil, fmt.Errorf("postgres: partnerships: %w", err)
	}
	var all []*partnership.Partnership
	for rows.Next() {
		p, err := scanPartnership(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: partnerships: %w", err)
		}
		all = append(all, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: partnerships: %w", err)
	}
	if err := s.fillPartnerships(ctx, s.db, all, ""); err != nil {
		return nil, fmt.Errorf("postgres: partnerships: %w", err)
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
func (s *Store) fillPartnerships(ctx context.Context, db querier, ps []*partnership.Partnership, where string, args ...any) error {
	byID := map[int64]*partnership.Partnership{}
	for _, p := range ps {
		byID[p.ID] = p
		p.Swedish, p.Partners, p.Goals, p.Targets = nil, nil, nil, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT m.partnership_id, o.id, o.kind, o.code, o.org_number, o.name, o.country, o.county, o.version, o.created_at, o.updated_at
		FROM partnership_members m JOIN organisations o ON o.id = m.organisation_id `+where+` ORDER BY m.partnership_id, m.position`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var pid int64
		var o organisation.Organisation
		var code sql.NullString
		var created, updated time.Time
		if err := rows.Scan(&pid, &o.ID, &o.Kind, &code, &o.OrgNumber, &o.Name, &o.Country, &o.County, &o.Version, &created, &updated); err != nil {
			rows.Close()
			return err
		}
		o.Code, o.CreatedAt, o.UpdatedAt = code.String, utc(created), utc(updated)
		if p := byID[pid]; p != nil {
			if o.Kind.Swedish() {
				p.Swedish = append(p.Swedish, o)
			} else {
				p.Partners = append(p.Partners, o)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = db.QueryContext(ctx, `SELECT partnership_id, goal FROM partnership_goals `+where+` ORDER BY goal`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var pid int64
		var g int
		if err := rows.Scan(&pid, &g); err != nil {
			rows.Close()
			return err
		}
		if p := byID[pid]; p != nil {
			p.Goals = append(p.Goals, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = db.QueryContext(ctx, `SELECT partnership_id, target FROM partnership_targets `+where, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var pid int64
		var t string
		if err := rows.Scan(&pid, &t); err != nil {
			rows.Close()
			return err
		}
		if p := byID[pid]; p != nil {
			p.Targets = append(p.Targets, t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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
func loadMembers(ctx context.Context, tx *sql.Tx, p *partnership.Partnership) error {
	load := func(list []organisation.Organisation) ([]organisation.Organisation, error) {
		out := make([]organisation.Organisation, 0, len(list))
		seen := map[int64]bool{}
		for _, m := range list {
			if seen[m.ID] {
				continue
			}
			seen[m.ID] = true
			o, err := scanOrganisation(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = $1`, m.ID))
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
func (s *Store) CreatePartnership(ctx context.Context, by audit.Actor, p *partnership.Partnership) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := loadMembers(ctx, tx, p); err != nil {
			return err
		}
		p.Normalize()
		if err := p.Validate().Err(); err != nil {
			return err
		}
		now := s.now()
		p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
		err := tx.QueryRowContext(ctx, `INSERT INTO partnerships (name, theme_sv, theme_en, description_sv, description_en, start_date, end_date, status, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) RETURNING id`,
			p.Name, p.ThemeSV, p.ThemeEN, p.DescriptionSV, p.DescriptionEN, dateOf(p.Start), nullDate(p.End), p.Status, now, now).Scan(&p.ID)
		if err != nil {
			return err
		}
		if err := writePartnershipLinks(ctx, tx, p); err != nil {
			return err
		}
		if err := s.writeSearch(ctx, tx, p.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "partnership", p.ID, nil, p)
	})
	if err != nil {
		return fmt.Errorf("postgres: create partnership: %w", err)
	}
	return nil
}

// UpdatePartnership saves p if nobody saved it since p.Version, holding
// the partnership's row lock from the version check to the commit.
func (s *Store) UpdatePartnership(ctx context.Context, by audit.Actor, p *partnership.Partnership) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.readPartnership(ctx, tx, p.ID, true)
		if err != nil {
			return err
		}
		if before.Version != p.Version {
			return store.ErrConflict
		}
		if err := loadMembers(ctx, tx, p); err != nil {
			return err
		}
		p.Normalize()
		if err := p.Validate().Err(); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE partnerships SET name = $1, theme_sv = $2, theme_en = $3, description_sv = $4, description_en = $5,
			start_date = $6, end_date = $7, status = $8, version = version + 1, updated_at = $9 WHERE id = $10`,
			p.Name, p.ThemeSV, p.ThemeEN, p.DescriptionSV, p.DescriptionEN, dateOf(p.Start), nullDate(p.End), p.Status, now, p.ID); err != nil {
			return err
		}
		for _, table := range []string{"partnership_members", "partnership_goals", "partnership_targets"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE partnership_id = $1", p.ID); err != nil {
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
		return fmt.Errorf("postgres: update partnership %d: %w", p.ID, err)
	}
	return nil
}

func writePartnershipLinks(ctx context.Context, tx *sql.Tx, p *partnership.Partnership) error {
	pos := 0
	for _, list := range [][]organisation.Organisation{p.Swedish, p.Partners} {
		for _, o := range list {
			if _, err := tx.ExecContext(ctx, "INSERT INTO partnership_members (partnership_id, organisation_id, position) VALUES ($1, $2, $3)", p.ID, o.ID, pos); err != nil {
				return err
			}
			pos++
		}
	}
	for _, g := range p.Goals {
		if _, err := tx.ExecContext(ctx, "INSERT INTO partnership_goals (partnership_id, goal) VALUES ($1, $2)", p.ID, g); err != nil {
			return err
		}
	}
	for _, t := range p.Targets {
		if _, err := tx.ExecContext(ctx, "INSERT INTO partnership_targets (partnership_id, target) VALUES ($1, $2)", p.ID, t); err != nil {
			return err
		}
	}
	return nil
}
