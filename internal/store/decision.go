package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/registry"
)

// Decisions stores decisions. Decide is where the ceiling is kept.
type Decisions interface {
	// Decide locks the call and applies grant.Decide: the application
	// may be decided (else grant.ErrNotReady), the decision fits what was
	// asked, and the call's granted total plus d.Amount stays within the
	// ceiling (else a field error "amount" = "error.grant.over_ceiling").
	// A grant creates the grant record. The decision is registered and mails
	// queued, all in one transaction.
	Decide(ctx context.Context, by audit.Actor, d *decision.Decision, mails []mail.Message) error
	Decision(ctx context.Context, applicationID int64) (*decision.Decision, error)
	DecisionsInCall(ctx context.Context, callID int64) ([]decision.Decision, error)
}

// Decide records the decision on an application. It locks the call's row
// first, as CreateGrant and UpdateCall do, so decisions and grants in one
// call queue there and each reads the call's total only after the one
// before it committed; then the application's row, so its state cannot
// change underneath. Locks are always taken call before application.
func (s *DB) Decide(ctx context.Context, by audit.Actor, d *decision.Decision, mails []mail.Message) error {
	err := s.tx(ctx, func(tx *conn) error {
		var callID int64
		if err := tx.QueryRowContext(ctx, `SELECT call_id FROM applications WHERE id = ?`, d.ApplicationID).Scan(&callID); err != nil {
			return notFound(err) // an application never changes call
		}
		c, err := readCall(ctx, tx, callID, s.d.ForUpdate)
		if err != nil {
			return err
		}
		a, err := readApplication(ctx, tx, d.ApplicationID, s.d.ForUpdate)
		if err != nil {
			return err
		}
		p, err := s.readPartnership(ctx, tx, a.PartnershipID, "")
		if err != nil {
			return err
		}
		sum, err := granted(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		now := s.now()
		g, err := grant.Decide(a, c, p, sum, d, now)
		if err != nil {
			return err
		}
		if g != nil {
			if err := s.insertGrant(ctx, tx, by, g); err != nil {
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
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ApplicationID, d.Outcome, d.Amount, d.Reason, d.Conditions, nullInt(d.DecidedBy), d.DeciderName,
			now, d.RegNumber, nullInt(d.GrantID)); err != nil {
			return err
		}
		before := *a
		a.State, a.Version, a.UpdatedAt = d.Outcome.State(), a.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = ?, version = ?, updated_at = ? WHERE id = ?`, a.State, a.Version, now, a.ID); err != nil {
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
		return fmt.Errorf("decide application %d: %w", d.ApplicationID, err)
	}
	return nil
}

const decisionColumns = `application_id, outcome, amount, reason, conditions, decided_by, decider_name, decided_at, reg_number, grant_id`

func scanDecision(row scanner) (*decision.Decision, error) {
	var d decision.Decision
	var by, grantID sql.NullInt64
	if err := row.Scan(&d.ApplicationID, &d.Outcome, &d.Amount, &d.Reason, &d.Conditions, &by, &d.DeciderName, instant(&d.DecidedAt), &d.RegNumber, &grantID); err != nil {
		return nil, err
	}
	d.DecidedBy, d.GrantID = by.Int64, grantID.Int64
	return &d, nil
}

// Decision returns the decision on an application, or ErrNotFound.
func (s *DB) Decision(ctx context.Context, applicationID int64) (*decision.Decision, error) {
	d, err := scanDecision(s.r.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM decisions WHERE application_id = ?`, applicationID))
	if err != nil {
		return nil, fmt.Errorf("decision on %d: %w", applicationID, notFound(err))
	}
	return d, nil
}

// DecisionsInCall returns the decisions on a call's applications, in the
// order they were made.
func (s *DB) DecisionsInCall(ctx context.Context, callID int64) ([]decision.Decision, error) {
	out, err := queryAll(ctx, s.r, value(scanDecision), `SELECT `+decisionColumns+` FROM decisions
		WHERE application_id IN (SELECT id FROM applications WHERE call_id = ?) ORDER BY decided_at, application_id`, callID)
	if err != nil {
		return nil, fmt.Errorf("decisions in call %d: %w", callID, err)
	}
	return out, nil
}
