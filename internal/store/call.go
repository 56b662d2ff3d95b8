package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/validate"
)

// Calls stores calls for applications.
type Calls interface {
	Call(ctx context.Context, id int64) (*call.Call, error)
	// CallList returns the calls of a programme (all when programmeID is 0),
	// newest opening first.
	CallList(ctx context.Context, programmeID int64) ([]*call.Call, error)
	// CreateCall validates c and checks, holding the programme's lock, that
	// the calls' ceilings stay within the programme's budget.
	CreateCall(ctx context.Context, by audit.Actor, c *call.Call) error
	// UpdateCall refuses a ceiling below what the call has already granted.
	UpdateCall(ctx context.Context, by audit.Actor, c *call.Call) error
}

const callColumns = `id, programme_id, title_sv, title_en, opens_at, closes_at, ceiling, max_per_grant, cancelled, config, version, created_at, updated_at`

func scanCall(row scanner) (*call.Call, error) {
	var c call.Call
	var config string
	if err := row.Scan(&c.ID, &c.ProgrammeID, &c.TitleSV, &c.TitleEN, instant(&c.OpensAt), instant(&c.ClosesAt), &c.Ceiling, &c.MaxPerGrant, &c.Cancelled, &config, &c.Version,
		instant(&c.CreatedAt), instant(&c.UpdatedAt)); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(config), &c.Config); err != nil {
		return nil, fmt.Errorf("call %d: config: %w", c.ID, err)
	}
	if c.Config.IsZero() {
		c.Config = call.DefaultConfig() // saved before calls had a configuration
	}
	return &c, nil
}

// Call returns the call with id.
func (s *DB) Call(ctx context.Context, id int64) (*call.Call, error) {
	c, err := scanCall(s.r.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("call %d: %w", id, notFound(err))
	}
	return c, nil
}

// CallList returns the calls of a programme (all when 0), newest first.
func (s *DB) CallList(ctx context.Context, programmeID int64) ([]*call.Call, error) {
	out, err := s.callsOf(ctx, s.r, programmeID)
	if err != nil {
		return nil, fmt.Errorf("calls: %w", err)
	}
	return out, nil
}

func (s *DB) callsOf(ctx context.Context, db querier, programmeID int64) ([]*call.Call, error) {
	q := `SELECT ` + callColumns + ` FROM calls`
	var args []any
	if programmeID != 0 {
		q += ` WHERE programme_id = ?`
		args = append(args, programmeID)
	}
	return queryAll(ctx, db, scanCall, q+` ORDER BY opens_at DESC, id DESC`, args...)
}

// CreateCall validates c and its configuration (call.DefaultConfig when
// it has none) and, holding the programme's row lock, checks the
// programme's budget, so two calls created at once cannot together exceed it.
func (s *DB) CreateCall(ctx context.Context, by audit.Actor, c *call.Call) error {
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
		return fmt.Errorf("create call: %w", err)
	}
	err = s.tx(ctx, func(tx *conn) error {
		prog, err := scanProgramme(tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = ?`+s.d.ForUpdate, c.ProgrammeID))
		if errors.Is(err, sql.ErrNoRows) {
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
		now := s.now()
		c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
		err = tx.QueryRowContext(ctx, `INSERT INTO calls (programme_id, title_sv, title_en, opens_at, closes_at, ceiling, max_per_grant, cancelled, config, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			c.ProgrammeID, c.TitleSV, c.TitleEN, c.OpensAt, c.ClosesAt, c.Ceiling, c.MaxPerGrant, c.Cancelled, config, now, now).Scan(&c.ID)
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "call", c.ID, nil, c)
	})
	if err != nil {
		return fmt.Errorf("create call: %w", err)
	}
	return nil
}

// UpdateCall saves c if nobody saved it since c.Version; the ceiling may
// not fall below what the call has granted, nor the programme's budget be
// exceeded. A c without a configuration keeps the stored one; a new one
// must pass CheckConfig and, once the call has applications, may not lose
// their answers (call.CheckConfigChange). It locks the call's row (as
// CreateGrant and Decide do, so no grant is added meanwhile, and as the
// foreign key of a new application does, so none is started) and then the
// programme's (as CreateCall does); locks are always taken in that order,
// call before programme, so they cannot deadlock.
func (s *DB) UpdateCall(ctx context.Context, by audit.Actor, c *call.Call) error {
	c.Normalize()
	if err := c.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		before, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`+s.d.ForUpdate, c.ID))
		if err != nil {
			return notFound(err)
		}
		if before.Version != c.Version {
			return ErrConflict
		}
		c.ProgrammeID = before.ProgrammeID // a call does not move between programmes
		prog, err := scanProgramme(tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE id = ?`+s.d.ForUpdate, c.ProgrammeID))
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
		if granted > 0 && call.CheckTermsChange(before.Config, c.Config) != nil {
			errs.Add("config", call.ErrTermsChange.Error())
		}
		if err := errs.Err(); err != nil {
			return err
		}
		config, err := jsonText(c.Config)
		if err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE calls SET title_sv = ?, title_en = ?, opens_at = ?, closes_at = ?, ceiling = ?, max_per_grant = ?,
			cancelled = ?, config = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			c.TitleSV, c.TitleEN, c.OpensAt, c.ClosesAt, c.Ceiling, c.MaxPerGrant, c.Cancelled, config, now, c.ID); err != nil {
			return err
		}
		c.Version, c.UpdatedAt, c.CreatedAt = before.Version+1, now, before.CreatedAt
		return s.writeAudit(ctx, tx, by, "update", "call", c.ID, before, c)
	})
	if err != nil {
		return fmt.Errorf("update call %d: %w", c.ID, err)
	}
	return nil
}
