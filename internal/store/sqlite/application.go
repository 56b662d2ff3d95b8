package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

const applicationColumns = `id, call_id, partnership_id, organisation_id, state, answers, requested, version, submissions, created_by, created_at, updated_at, submitted_at, reg_number`

func scanApplication(row scanner) (*application.Application, error) {
	var a application.Application
	var answers, created, updated string
	var createdBy sql.NullInt64
	var submitted sql.NullString
	if err := row.Scan(&a.ID, &a.CallID, &a.PartnershipID, &a.OrganisationID, &a.State, &answers, &a.Requested, &a.Version, &a.Submissions,
		&createdBy, &created, &updated, &submitted, &a.RegNumber); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &a.Answers); err != nil {
		return nil, fmt.Errorf("application %d: answers: %w", a.ID, err)
	}
	a.CreatedBy = createdBy.Int64
	a.CreatedAt, a.UpdatedAt = parseTS(created), parseTS(updated)
	if submitted.Valid {
		a.SubmittedAt = parseTS(submitted.String)
	}
	return &a, nil
}

// readApplication reads one application; in a write transaction SQLite's
// lock, taken at BEGIN, already keeps others from changing it.
func readApplication(ctx context.Context, db queryRower, id int64) (*application.Application, error) {
	a, err := scanApplication(db.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err)
	}
	return a, nil
}

// readCall reads one call, or store.ErrNotFound.
func readCall(ctx context.Context, db queryRower, id int64) (*call.Call, error) {
	c, err := scanCall(db.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

// jsonText encodes v for a JSON column.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// Application returns the application with id.
func (s *Store) Application(ctx context.Context, id int64) (*application.Application, error) {
	a, err := readApplication(ctx, s.r, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: application %d: %w", id, err)
	}
	return a, nil
}

// ApplicationList returns the applications f selects, oldest first. A
// reviewer's list leaves out the applications they declared a conflict on.
func (s *Store) ApplicationList(ctx context.Context, f application.Filter) ([]*application.Application, error) {
	q := `SELECT ` + applicationColumns + ` FROM applications WHERE 1 = 1`
	var args []any
	if f.CallID != 0 {
		q += ` AND call_id = ?`
		args = append(args, f.CallID)
	}
	if f.OrganisationID != 0 {
		q += ` AND organisation_id = ?`
		args = append(args, f.OrganisationID)
	}
	if f.PartnershipID != 0 {
		q += ` AND partnership_id = ?`
		args = append(args, f.PartnershipID)
	}
	if f.ReviewerID != 0 {
		q += ` AND id IN (SELECT application_id FROM review_assignments WHERE reviewer_id = ? AND conflict = 0)`
		args = append(args, f.ReviewerID)
	}
	if len(f.States) > 0 {
		q += ` AND state IN (` + placeholders(len(f.States)) + `)`
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: applications: %w", err)
	}
	defer rows.Close()
	var out []*application.Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: applications: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: applications: %w", err)
	}
	return out, nil
}

// CreateApplication checks eligibility and starts a draft.
func (s *Store) CreateApplication(ctx context.Context, by audit.Actor, a *application.Application) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		c, err := readCall(ctx, tx, a.CallID)
		if errors.Is(err, store.ErrNotFound) {
			return validate.Errors{"call": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		p, err := s.readPartnership(ctx, tx, a.PartnershipID)
		if errors.Is(err, store.ErrNotFound) {
			return validate.Errors{"partnership": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		errs := application.CheckEligibility(c.Status(now) == call.Open, p.IsActive(clock.Today(now)), p.HasSwedishMember(a.OrganisationID))
		if err := errs.Err(); err != nil {
			return err
		}
		answers, err := jsonText(a.Answers)
		if err != nil {
			return err
		}
		a.State, a.Version, a.Submissions = application.Draft, 1, 0
		a.Requested = a.Answers.Requested()
		a.CreatedBy, a.CreatedAt, a.UpdatedAt = by.UserID, now, now
		a.SubmittedAt, a.RegNumber = time.Time{}, ""
		res, err := tx.ExecContext(ctx, `INSERT INTO applications (call_id, partnership_id, organisation_id, state, answers, requested, version, submissions, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?)`,
			a.CallID, a.PartnershipID, a.OrganisationID, a.State, answers, a.Requested, nullInt(by.UserID), ts(now), ts(now))
		if err != nil {
			return err
		}
		a.ID, _ = res.LastInsertId()
		if err := s.addChange(ctx, tx, by, a.ID, "", application.Draft, "create", ""); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "application", a.ID, nil, a)
	})
	if err != nil {
		return fmt.Errorf("sqlite: create application: %w", err)
	}
	return nil
}

// SaveDraft saves the answers of an editable application at a.Version.
func (s *Store) SaveDraft(ctx context.Context, by audit.Actor, a *application.Application) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := readApplication(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if !before.State.Editable() {
			return application.ErrTransition
		}
		if before.Version != a.Version {
			return store.ErrConflict
		}
		answers, err := jsonText(a.Answers)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		after := *before
		after.Answers, after.Requested = a.Answers, a.Answers.Requested()
		after.Version, after.UpdatedAt = before.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET answers = ?, requested = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			answers, after.Requested, ts(now), a.ID); err != nil {
			return err
		}
		*a = after
		return s.writeAudit(ctx, tx, by, "update", "application", a.ID, before, a)
	})
	if err != nil {
		return fmt.Errorf("sqlite: save application %d: %w", a.ID, err)
	}
	return nil
}

// SubmitApplication submits the application at version, freezes a
// snapshot and registers it. SQLite's write lock, taken at BEGIN, keeps
// every other change out until it commits, so the version, the state and
// the registry's last number read here stay true.
func (s *Store) SubmitApplication(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error) {
	var entry *registry.Entry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		a, err := readApplication(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.Version != version {
			return store.ErrConflict
		}
		c, err := readCall(ctx, tx, a.CallID)
		if err != nil {
			return err
		}
		next, err := application.Next(a.State, application.Submit, c.Config.Steps)
		if err != nil {
			return err
		}
		if a.State == application.Draft && c.Status(now) != call.Open {
			return validate.Errors{"call": "error.application.call_closed"}
		}
		if err := form.Check(&c.Config.Form, c.Config.Lists, &a.Answers).Err(); err != nil {
			return err
		}
		kind := registry.Application
		if a.Submissions > 0 {
			kind = registry.Resubmission
		}
		entry, err = s.register(ctx, tx, by, kind, a.RegistryTitle(), a.ID)
		if err != nil {
			return err
		}
		answers, err := jsonText(a.Answers)
		if err != nil {
			return err
		}
		before := *a
		a.State, a.Version, a.Submissions = next, a.Version+1, a.Submissions+1
		a.SubmittedAt, a.UpdatedAt, a.RegNumber = now, now, entry.Number
		if _, err := tx.ExecContext(ctx, `INSERT INTO application_snapshots (application_id, number, answers, requested, submitted_at, submitted_by, reg_number)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Submissions, answers, a.Requested, ts(now), nullInt(by.UserID), entry.Number); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = ?, version = ?, submissions = ?, submitted_at = ?, reg_number = ?, updated_at = ? WHERE id = ?`,
			a.State, a.Version, a.Submissions, ts(now), a.RegNumber, ts(now), a.ID); err != nil {
			return err
		}
		if err := s.addChange(ctx, tx, by, a.ID, before.State, a.State, string(application.Submit), ""); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, by, "submit", "application", a.ID, &before, a); err != nil {
			return err
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: submit application %d: %w", id, err)
	}
	return entry, nil
}

// Transition applies an event other than a submission or a decision.
func (s *Store) Transition(ctx context.Context, by audit.Actor, id int64, e application.Event, note string, mails []mail.Message) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if e == application.Submit || e == application.Decide {
			return application.ErrTransition // SubmitApplication and Decide do those, with their checks
		}
		errs := validate.Errors{}
		errs.MaxLen("note", note, maxNote)
		if err := errs.Err(); err != nil {
			return err
		}
		a, err := readApplication(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err := readCall(ctx, tx, a.CallID)
		if err != nil {
			return err
		}
		next, err := application.Next(a.State, e, c.Config.Steps)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		before := *a
		a.State, a.Version, a.UpdatedAt = next, a.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = ?, version = ?, updated_at = ? WHERE id = ?`, a.State, a.Version, ts(now), a.ID); err != nil {
			return err
		}
		if err := s.addChange(ctx, tx, by, a.ID, before.State, a.State, string(e), note); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, by, string(e), "application", a.ID, &before, a); err != nil {
			return err
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return fmt.Errorf("sqlite: %s application %d: %w", e, id, err)
	}
	return nil
}

// maxNote bounds a timeline note.
const maxNote = 5000

// addChange writes a timeline entry in tx.
func (s *Store) addChange(ctx context.Context, tx *sql.Tx, by audit.Actor, appID int64, from, to application.State, event, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO application_changes (application_id, at, actor_id, actor_name, from_state, to_state, event, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, appID, ts(s.clock.Now()), nullInt(by.UserID), by.Name, from, to, event, note)
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	return nil
}

// Snapshots returns the submitted versions, oldest first.
func (s *Store) Snapshots(ctx context.Context, applicationID int64) ([]application.Snapshot, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT application_id, number, answers, requested, submitted_at, submitted_by, reg_number
		FROM application_snapshots WHERE application_id = ? ORDER BY number`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: snapshots of %d: %w", applicationID, err)
	}
	defer rows.Close()
	var out []application.Snapshot
	for rows.Next() {
		var sn application.Snapshot
		var answers, at string
		var by sql.NullInt64
		if err := rows.Scan(&sn.ApplicationID, &sn.Number, &answers, &sn.Requested, &at, &by, &sn.RegNumber); err != nil {
			return nil, fmt.Errorf("sqlite: snapshots of %d: %w", applicationID, err)
		}
		if err := json.Unmarshal([]byte(answers), &sn.Answers); err != nil {
			return nil, fmt.Errorf("sqlite: snapshot %d of %d: %w", sn.Number, applicationID, err)
		}
		sn.SubmittedAt, sn.SubmittedBy = parseTS(at), by.Int64
		out = append(out, sn)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: snapshots of %d: %w", applicationID, err)
	}
	return out, nil
}

// Timeline returns what happened to the application, oldest first.
func (s *Store) Timeline(ctx context.Context, applicationID int64) ([]application.Change, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, application_id, at, actor_id, actor_name, from_state, to_state, event, note
		FROM application_changes WHERE application_id = ? ORDER BY id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: timeline of %d: %w", applicationID, err)
	}
	defer rows.Close()
	var out []application.Change
	for rows.Next() {
		var c application.Change
		var at string
		var actor sql.NullInt64
		if err := rows.Scan(&c.ID, &c.ApplicationID, &at, &actor, &c.ActorName, &c.From, &c.To, &c.Event, &c.Note); err != nil {
			return nil, fmt.Errorf("sqlite: timeline of %d: %w", applicationID, err)
		}
		c.At, c.ActorID = parseTS(at), actor.Int64
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: timeline of %d: %w", applicationID, err)
	}
	return out, nil
}
