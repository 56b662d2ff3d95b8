package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/validate"
)

// Decide records the decision on an application. It locks the call's row
// first, as CreateGrant and UpdateCall do, so decisions and grants in one
// call queue there and each reads the call's total only after the one
// before it committed; then the application's row, so its state cannot
// change underneath. Locks are always taken call before application.
func (s *Store) Decide(ctx context.Context, by audit.Actor, d *decision.Decision, mails []mail.Message) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var callID int64
		if err := tx.QueryRowContext(ctx, `SELECT call_id FROM applications WHERE id = $1`, d.ApplicationID).Scan(&callID); err != nil {
			return notFound(err) // an application never changes call
		}
		c, err := readCall(ctx, tx, callID, forUpdate)
		if err != nil {
			return err
		}
		a, err := readApplication(ctx, tx, d.ApplicationID, forUpdate)
		if err != nil {
			return err
		}
		if !application.CanDecide(a.State) {
			return validate.Errors{"outcome": "error.decision.not_ready"}
		}
		if err := d.Check(a.Requested, c.MaxPerGrant).Err(); err != nil {
			return err
		}
		now := s.now()
		var g *grant.Grant
		if d.Outcome != decision.Rejected {
			p, err := s.readPartnership(ctx, tx, a.PartnershipID, false)
			if err != nil {
				return err
			}
			sum, err := granted(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			g = &grant.Grant{CallID: c.ID, PartnershipID: a.PartnershipID, OrganisationID: a.OrganisationID, ApplicationID: a.ID,
				Amount: d.Amount, AwardedOn: clock.Today(now), Version: 1, CreatedAt: now, UpdatedAt: now}
			if err := g.Check(c, p, sum).Err(); err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO grants (call_id, partnership_id, organisation_id, application_id, amount, awarded_on, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id`, g.CallID, g.PartnershipID, g.OrganisationID, g.ApplicationID, g.Amount, dateOf(g.AwardedOn), now).Scan(&g.ID)
			if err != nil {
				return err
			}
			if err := s.writeAudit(ctx, tx, by, "create", "grant", g.ID, nil, g); err != nil {
				return err
			}
		}
		entry, err := s.register(ctx, tx, by, registry.Decision, decision.RegistryTitle(a), a.ID)
		if err != nil {
			return err
		}
		d.DecidedBy, d.DeciderName, d.DecidedAt, d.RegNumber, d.GrantID = by.UserID, by.Name, now, entry.Number, 0
		if g != nil {
			d.GrantID = g.ID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO decisions (application_id, outcome, amount, reason, conditions, decided_by, decider_name, decided_at, reg_number, grant_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, d.ApplicationID, d.Outcome, d.Amount, d.Reason, d.Conditions, nullInt(d.DecidedBy), d.DeciderName,
			now, d.RegNumber, nullInt(d.GrantID)); err != nil {
			return err
		}
		before := *a
		a.State, a.Version, a.UpdatedAt = d.Outcome.State(), a.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = $1, version = $2, updated_at = $3 WHERE id = $4`, a.State, a.Version, now, a.ID); err != nil {
			return err
		}
		if err := s.addChange(ctx, tx, by, a.ID, before.State, a.State, string(application.Decide), d.Reason); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, by, "decide", "application", a.ID, &before, d); err != nil {
			return err
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return fmt.Errorf("postgres: decide application %d: %w", d.ApplicationID, err)
	}
	return nil
}

const decisionColumns = `application_id, outcome, amount, reason, conditions, decided_by, decider_name, decided_at, reg_number, grant_id`

func scanDecision(row scanner) (*decision.Decision, error) {
	var d decision.Decision
	var by, grantID sql.NullInt64
	var at time.Time
	if err := row.Scan(&d.ApplicationID, &d.Outcome, &d.Amount, &d.Reason, &d.Conditions, &by, &d.DeciderName, &at, &d.RegNumber, &grantID); err != nil {
		return nil, err
	}
	d.DecidedBy, d.GrantID, d.DecidedAt = by.Int64, grantID.Int64, utc(at)
	return &d, nil
}

// Decision returns the decision on an application, or ErrNotFound.
func (s *Store) Decision(ctx context.Context, applicationID int64) (*decision.Decision, error) {
	d, err := scanDecision(s.db.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM decisions WHERE application_id = $1`, applicationID))
	if err != nil {
		return nil, fmt.Errorf("postgres: decision on %d: %w", applicationID, notFound(err))
	}
	return d, nil
}

// DecisionsInCall returns the decisions on a call's applications, in the
// order they were made.
func (s *Store) DecisionsInCall(ctx context.Context, callID int64) ([]decision.Decision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+decisionColumns+` FROM decisions
		WHERE application_id IN (SELECT id FROM applications WHERE call_id = $1) ORDER BY decided_at, application_id`, callID)
	if err != nil {
		return nil, fmt.Errorf("postgres: decisions in call %d: %w", callID, err)
	}
	defer rows.Close()
	var out []decision.Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: decisions in call %d: %w", callID, err)
		}
		out = append(out, *d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: decisions in call %d: %w", callID, err)
	}
	return out, nil
}
