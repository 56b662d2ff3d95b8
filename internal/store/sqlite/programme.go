package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/validate"
)

const programmeColumns = `id, name_sv, name_en, funder, operator, currency, total_budget, description_sv, description_en, version, created_at, updated_at`

func scanProgramme(row scanner) (*programme.Programme, error) {
	var p programme.Programme
	var created, updated string
	if err := row.Scan(&p.ID, &p.NameSV, &p.NameEN, &p.Funder, &p.Operator, &p.Currency, &p.TotalBudget, &p.DescriptionSV, &p.DescriptionEN, &p.Version, &created, &updated); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = parseTS(created), parseTS(updated)
	return &p, nil
}

// Programme returns the programme with id.
func (s *Store) Programme(ctx context.Context, id int64) (*programme.Programme, error) {
	p, err := scanProgramme(s.r.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: programme %d: %w", id, notFound(err))
	}
	return p, nil
}

// ProgrammeList returns every programme, in Swedish order of name.
func (s *Store) ProgrammeList(ctx context.Context) ([]*programme.Programme, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+programmeColumns+` FROM programmes`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: programmes: %w", err)
	}
	defer rows.Close()
	var out []*programme.Programme
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: programmes: %w", err)
		}
		out = append(out, p)
	}
	swedish.Sort(out, func(p *programme.Programme) string { return p.NameSV })
	return out, rows.Err()
}

// CreateProgramme validates p and inserts it.
func (s *Store) CreateProgramme(ctx context.Context, by audit.Actor, p *programme.Programme) error {
	p.Normalize()
	if err := p.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
		res, err := tx.ExecContext(ctx, `INSERT INTO programmes (name_sv, name_en, funder, operator, currency, total_budget, description_sv, description_en, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			p.NameSV, p.NameEN, p.Funder, p.Operator, p.Currency, p.TotalBudget, p.DescriptionSV, p.DescriptionEN, ts(now), ts(now))
		if err != nil {
			return err
		}
		p.ID, _ = res.LastInsertId()
		return s.writeAudit(ctx, tx, by, "create", "programme", p.ID, nil, p)
	})
	if err != nil {
		return fmt.Errorf("sqlite: create programme: %w", err)
	}
	return nil
}

// UpdateProgramme saves p; its budget may not fall below its calls' ceilings.
func (s *Store) UpdateProgramme(ctx context.Context, by audit.Actor, p *programme.Programme) error {
	p.Normalize()
	if err := p.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanProgramme(tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = ?`, p.ID))
		if err != nil {
			return notFound(err)
		}
		if before.Version != p.Version {
			return store.ErrConflict
		}
		calls, err := s.callsOf(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if err := programme.CheckBudgetCoversCalls(p.TotalBudget, calls).Err(); err != nil {
			return err
		}
		now := s.clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE programmes SET name_sv = ?, name_en = ?, funder = ?, operator = ?, currency = ?, total_budget = ?,
			description_sv = ?, description_en = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			p.NameSV, p.NameEN, p.Funder, p.Operator, p.Currency, p.TotalBudget, p.DescriptionSV, p.DescriptionEN, ts(now), p.ID); err != nil {
			return err
		}
		p.Version, p.UpdatedAt, p.CreatedAt = before.Version+1, now, before.CreatedAt
		return s.writeAudit(ctx, tx, by, "update", "programme", p.ID, before, p)
	})
	if err != nil {
		return fmt.Errorf("sqlite: update programme %d: %w", p.ID, err)
	}
	return nil
}

const callColumns = `id, programme_id, title_sv, title_en, opens_at, closes_at, ceiling, max_per_grant, cancelled, config, version, created_at, updated_at`

func scanCall(row scanner) (*call.Call, error) {
	var c call.Call
	var opens, closes, config, created, updated string
	if err := row.Scan(&c.ID, &c.ProgrammeID, &c.TitleSV, &c.TitleEN, &opens, &closes, &c.Ceiling, &c.MaxPerGrant, &c.Cancelled, &config, &c.Version, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(config), &c.Config); err != nil {
		return nil, fmt.Errorf("call %d: config: %w", c.ID, err)
	}
	if c.Config.IsZero() {
		c.Config = call.DefaultConfig() // saved before calls had a configuration
	}
	c.OpensAt, c.ClosesAt = parseTS(opens), parseTS(closes)
	c.CreatedAt, c.UpdatedAt = parseTS(created), parseTS(updated)
	return &c, nil
}

// Call returns the call with id.
func (s *Store) Call(ctx context.Context, id int64) (*call.Call, error) {
	c, err := scanCall(s.r.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: call %d: %w", id, notFound(err))
	}
	return c, nil
}

// CallList returns the calls of a programme (all when 0), newest first.
func (s *Store) CallList(ctx context.Context, programmeID int64) ([]*call.Call, error) {
	out, err := s.callsOf(ctx, s.r, programmeID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: calls: %w", err)
	}
	return out, nil
}

func (s *Store) callsOf(ctx context.Context, db querier, programmeID int64) ([]*call.Call, error) {
	q := `SELECT ` + callColumns + ` FROM calls`
	var args []any
	if programmeID != 0 {
		q += ` WHERE programme_id = ?`
		args = append(args, programmeID)
	}
	rows, err := db.QueryContext(ctx, q+` ORDER BY opens_at DESC, id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*call.Call
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CreateCall validates c and its configuration (call.DefaultConfig when
// it has none) and, with the write lock held (every SQLite write
// transaction takes it at BEGIN), checks the programme's budget.
func (s *Store) CreateCall(ctx context.Context, by audit.Actor, c *call.Call) error {
	c.Normalize()
	if c.Config.IsZero() {
		c.Config = call.DefaultConfig()
	}
	errs := c.Validate()
	for k, m := range c.CheckConfig() {
		errs.Add(k, m)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	config, err := jsonText(c.Config)
	if err != nil {
		return fmt.Errorf("sqlite: create call: %w", err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		prog, err := scanProgramme(tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = ?`, c.ProgrammeID))
		if err == sql.ErrNoRows {
			return validate.Errors{"programme": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		others, err := s.callsOf(ctx, tx, c.ProgrammeID)
		if err != nil {
			return err
		}
		if err := c.CheckProgrammeBudget(prog.TotalBudget, others).Err(); err != nil {
			return err
		}
		now := s.clock.Now()
		c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
		res, err := tx.ExecContext(ctx, `INSERT INTO calls (programme_id, title_sv, title_en, opens_at, closes_at, ceiling, max_per_grant, cancelled, config, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			c.ProgrammeID, c.TitleSV, c.TitleEN, ts(c.OpensAt), ts(c.ClosesAt), c.Ceiling, c.MaxPerGrant, c.Cancelled, config, ts(now), ts(now))
		if err != nil {
			return err
		}
		c.ID, _ = res.LastInsertId()
		return s.writeAudit(ctx, tx, by, "create", "call", c.ID, nil, c)
	})
	if err != nil {
		return fmt.Errorf("sqlite: create call: %w", err)
	}
	return nil
}

// UpdateCall saves c if nobody saved it since c.Version; the ceiling may
// not fall below what the call has granted, nor the programme's budget be
// exceeded. A c without a configuration keeps the stored one; a new one
// must pass CheckConfig and, once the call has applications, may not lose
// their answers (call.CheckConfigChange).
func (s *Store) UpdateCall(ctx context.Context, by audit.Actor, c *call.Call) error {
	c.Normalize()
	if err := c.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`, c.ID))
		if err != nil {
			return notFound(err)
		}
		if before.Version != c.Version {
			return store.ErrConflict
		}
		c.ProgrammeID = before.ProgrammeID // a call does not move between programmes
		prog, err := scanProgramme(tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = ?`, c.ProgrammeID))
		if err != nil {
			return err
		}
		others, err := s.callsOf(ctx, tx, c.ProgrammeID)
		if err != nil {
			return err
		}
		errs := c.CheckProgrammeBudget(prog.TotalBudget, others)
		granted, err := granted(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if c.Ceiling < granted {
			errs.Add("ceiling", "error.call.ceiling_below_granted")
		}
		if c.Config.IsZero() {
			c.Config = before.Config
		}
		for k, m := range c.CheckConfig() {
			errs.Add(k, m)
		}
		if call.CheckConfigChange(before.Config, c.Config) != nil {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM applications WHERE call_id = ?`, c.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				errs.Add("config", "error.call.form_change")
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		config, err := jsonText(c.Config)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE calls SET title_sv = ?, title_en = ?, opens_at = ?, closes_at = ?, ceiling = ?, max_per_grant = ?,
			cancelled = ?, config = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			c.TitleSV, c.TitleEN, ts(c.OpensAt), ts(c.ClosesAt), c.Ceiling, c.MaxPerGrant, c.Cancelled, config, ts(now), c.ID); err != nil {
			return err
		}
		c.Version, c.UpdatedAt, c.CreatedAt = before.Version+1, now, before.CreatedAt
		return s.writeAudit(ctx, tx, by, "update", "call", c.ID, before, c)
	})
	if err != nil {
		return fmt.Errorf("sqlite: update call %d: %w", c.ID, err)
	}
	return nil
}

func granted(ctx context.Context, db queryRower, callID int64) (int64, error) {
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
	var awarded, end sql.NullString
	var created, updated string
	if err := row.Scan(&g.ID, &g.CallID, &g.PartnershipID, &g.OrganisationID, &appID, &g.Amount, &awarded, &g.Version, &created, &updated, &end); err != nil {
		return nil, err
	}
	g.ApplicationID = appID.Int64
	g.AwardedOn = parseDate(awarded)
	g.EndDate = parseDate(end)
	g.CreatedAt, g.UpdatedAt = parseTS(created), parseTS(updated)
	return &g, nil
}

// Grant returns the grant with id.
func (s *Store) Grant(ctx context.Context, id int64) (*grant.Grant, error) {
	g, err := scanGrant(s.r.QueryRowContext(ctx, `SELECT `+grantColumns+` FROM grants WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: grant %d: %w", id, notFound(err))
	}
	return g, nil
}

// GrantList returns the grants f selects, oldest first.
func (s *Store) GrantList(ctx context.Context, f grant.Filter) ([]*grant.Grant, error) {
	q := `SELECT ` + grantColumns + ` FROM grants WHERE 1 = 1`
	var args []any
	if f.CallID != 0 {
		q += ` AND call_id = ?`
		args = append(args, f.CallID)
	}
	if f.ProgrammeID != 0 {
		q += ` AND call_id IN (SELECT id FROM calls WHERE programme_id = ?)`
		args = append(args, f.ProgrammeID)
	}
	if f.PartnershipID != 0 {
		q += ` AND partnership_id = ?`
		args = append(args, f.PartnershipID)
	}
	if f.OrganisationID != 0 {
		q += ` AND organisation_id = ?`
		args = append(args, f.OrganisationID)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: grants: %w", err)
	}
	defer rows.Close()
	var out []*grant.Grant
	for rows.Next() {
		g, err := scanGrant(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: grants: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// GrantedInCall returns the sum granted in a call.
func (s *Store) GrantedInCall(ctx context.Context, callID int64) (int64, error) {
	sum, err := granted(ctx, s.r, callID)
	if err != nil {
		return 0, fmt.Errorf("sqlite: granted in call %d: %w", callID, err)
	}
	return sum, nil
}

// CreateGrant checks g against its call and partnership and inserts it,
// as a grant without an application (Decide makes those): g.ApplicationID
// is ignored. SQLite's write lock, taken at BEGIN, serialises concurrent grants, so the
// sum read here cannot change before the insert commits.
func (s *Store) CreateGrant(ctx context.Context, by audit.Actor, g *grant.Grant) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`, g.CallID))
		if err == sql.ErrNoRows {
			return validate.Errors{"call": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		p, err := s.readPartnership(ctx, tx, g.PartnershipID)
		if err == store.ErrNotFound {
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
		now := s.clock.Now()
		g.CreatedAt, g.UpdatedAt, g.Version, g.ApplicationID = now, now, 1, 0
		res, err := tx.ExecContext(ctx, `INSERT INTO grants (call_id, partnership_id, organisation_id, amount, awarded_on, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, g.CallID, g.PartnershipID, g.OrganisationID, g.Amount, date(g.AwardedOn), ts(now), ts(now))
		if err != nil {
			return err
		}
		g.ID, _ = res.LastInsertId()
		return s.writeAudit(ctx, tx, by, "create", "grant", g.ID, nil, g)
	})
	if err != nil {
		return fmt.Errorf("sqlite: create grant: %w", err)
	}
	return nil
}
