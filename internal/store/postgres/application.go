package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
	var answers string
	var created, updated time.Time
	var createdBy sql.NullInt64
	var submitted sql.NullTime
	if err := row.Scan(&a.ID, &a.CallID, &a.PartnershipID, &a.OrganisationID, &a.State, &answers, &a.Requested, &a.Version, &a.Submissions,
		&createdBy, &created, &updated, &submitted, &a.RegNumber); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &a.Answers); err != nil {
		return nil, fmt.Errorf("application %d: answers: %w", a.ID, err)
	}
	a.CreatedBy = createdBy.Int64
	a.CreatedAt, a.UpdatedAt = utc(created), utc(updated)
	if submitted.Valid {
		a.SubmittedAt = utc(submitted.Time)
	}
	return &a, nil
}

// Row locks a read takes: none, FOR SHARE (the row may not change until
// the transaction ends, others may read it so too) or FOR UPDATE (this
// transaction alone will change it).
const (
	noLock    = ""
	forShare  = " FOR SHARE"
	forUpdate = " FOR UPDATE"
)

// readApplication reads one application, taking lock on its row.
func readApplication(ctx context.Context, db queryRower, id int64, lock string) (*application.Application, error) {
	a, err := scanApplication(db.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = $1`+lock, id))
	if err != nil {
		return nil, notFound(err)
	}
	return a, nil
}

// readCall reads one call, taking lock on its row, or store.ErrNotFound.
func readCall(ctx context.Context, db queryRower, id int64, lock string) (*call.Call, error) {
	c, err := scanCall(db.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = $1`+lock, id))
	if err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

// jsonText encodes v for a JSONB column; pgx sends a string as the JSON
// text it holds.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// Application returns the application with id.
func (s *Store) Application(ctx context.Context, id int64) (*application.Application, error) {
	a, err := readApplication(ctx, s.db, id, noLock)
	if err != nil {
		return nil, fmt.Errorf("postgres: application %d: %w", id, err)
	}
	return a, nil
}

// ApplicationList returns the applications f selects, oldest first. A
// reviewer's list leaves out the applications they declared a conflict on.
func (s *Store) ApplicationList(ctx context.Context, f application.Filter) ([]*application.Application, error) {
	q := `SELECT ` + applicationColumns + ` FROM applications WHERE 1 = 1`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.CallID != 0 {
		q += ` AND call_id = ` + arg(f.CallID)
	}
	if f.OrganisationID != 0 {
		q += ` AND organisation_id = ` + arg(f.OrganisationID)
	}
	if f.PartnershipID != 0 {
		q += ` AND partnership_id = ` + arg(f.PartnershipID)
	}
	if f.ReviewerID != 0 {
		q += ` AND id IN (SELECT application_id FROM review_assignments WHERE reviewer_id = ` + arg(f.ReviewerID) + ` AND NOT conflict)`
	}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		q += ` AND state = ANY(` + arg(states) + `)`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: applications: %w", err)
	}
	defer rows.Close()
	var out []*application.Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: applications: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: applications: %w", err)
	}
	return out, nil
}

// CreateApplication checks eligibility and starts a draft. Inserting the
// row takes a key-share lock on the call's row (the foreign key), so a
// change to the call's form (UpdateCall, which locks the row) either
// waits for this to commit and then counts the application, or commits
// first.
func (s *Store) CreateApplication(ctx context.Context, by audit.Actor, a *application.Application) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		c, err := readCall(ctx, tx, a.CallID, noLock)
		if errors.Is(err, store.ErrNotFound) {
			return validate.Errors{"call": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		p, err := s.readPartnership(ctx, tx, a.PartnershipID, false)
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
		err = tx.QueryRowContext(ctx, `INSERT INTO applications (call_id, partnership_id, organisation_id, state, answers, requested, version, submissions, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, 0, $7, $8, $8) RETURNING id`,
			a.CallID, a.PartnershipID, a.OrganisationID, a.State, answers, a.Requested, nullInt(by.UserID), now).Scan(&a.ID)
		if err != nil {
			return err
		}
		if err := s.addChange(ctx, tx, by, a.ID, "", application.Draft, "create", ""); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "application", a.ID, nil, a)
	})
	if err != nil {
		return fmt.Errorf("postgres: create application: %w", err)
	}
	return nil
}

// SaveDraft saves the answers of an editable application at a.Version,
// holding the application's row lock.
func (s *Store) SaveDraft(ctx context.Context, by audit.Actor, a *application.Application) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := readApplication(ctx, tx, a.ID, forUpdate)
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
		now := s.now()
		after := *before
		after.Answers, after.Requested = a.Answers, a.Answers.Requested()
		after.Version, after.UpdatedAt = before.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET answers = $1, requested = $2, version = version + 1, updated_at = $3 WHERE id = $4`,
			answers, after.Requested, now, a.ID); err != nil {
			return err
		}
		*a = after
		return s.writeAudit(ctx, tx, by, "update", "application", a.ID, before, a)
	})
	if err != nil {
		return fmt.Errorf("postgres: save application %d: %w", a.ID, err)
	}
	return nil
}

// SubmitApplication submits the application at version, freezes a
// snapshot and registers it. It holds the application's row lock, so a
// second submission of the same version waits and then finds it stale;
// register holds the year's registry lock.
func (s *Store) SubmitApplication(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error) {
	var entry *registry.Entry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		a, err := readApplication(ctx, tx, id, forUpdate)
		if err != nil {
			return err
		}
		if a.Version != version {
			return store.ErrConflict
		}
		c, err := readCall(ctx, tx, a.CallID, noLock)
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
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, a.Submissions, answers, a.Requested, now, nullInt(by.UserID), entry.Number); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = $1, version = $2, submissions = $3, submitted_at = $4, reg_number = $5, updated_at = $4 WHERE id = $6`,
			a.State, a.Version, a.Submissions, now, a.RegNumber, a.ID); err != nil {
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
		return nil, fmt.Errorf("postgres: submit application %d: %w", id, err)
	}
	return entry, nil
}

// Transition applies an event other than a submission or a decision,
// holding the application's row lock.
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
		a, err := readApplication(ctx, tx, id, forUpdate)
		if err != nil {
			return err
		}
		c, err := readCall(ctx, tx, a.CallID, noLock)
		if err != nil {
			return err
		}
		next, err := application.Next(a.State, e, c.Config.Steps)
		if err != nil {
			return err
		}
		now := s.now()
		before := *a
		a.State, a.Version, a.UpdatedAt = next, a.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = $1, version = $2, updated_at = $3 WHERE id = $4`, a.State, a.Version, now, a.ID); err != nil {
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
		return fmt.Errorf("postgres: %s application %d: %w", e, id, err)
	}
	return nil
}

// maxNote bounds a timeline note.
const maxNote = 5000

// addChange writes a timeline entry in tx.
func (s *Store) addChange(ctx context.Context, tx *sql.Tx, by audit.Actor, appID int64, from, to application.State, event, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO application_changes (application_id, at, actor_id, actor_name, from_state, to_state, event, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, appID, s.now(), nullInt(by.UserID), by.Name, from, to, event, note)
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	return nil
}

// Snapshots returns the submitted versions, oldest first.
func (s *Store) Snapshots(ctx context.Context, applicationID int64) ([]application.Snapshot, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT application_id, number, answers, requested, submitted_at, submitted_by, reg_number
		FROM application_snapshots WHERE application_id = $1 ORDER BY number`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("postgres: snapshots of %d: %w", applicationID, err)
	}
	defer rows.Close()
	var out []application.Snapshot
	for rows.Next() {
		var sn application.Snapshot
		var answers string
		var at time.Time
		var by sql.NullInt64
		if err := rows.Scan(&sn.ApplicationID, &sn.Number, &answers, &sn.Requested, &at, &by, &sn.RegNumber); err != nil {
			return nil, fmt.Errorf("postgres: snapshots of %d: %w", applicationID, err)
		}
		if err := json.Unmarshal([]byte(answers), &sn.Answers); err != nil {
			return nil, fmt.Errorf("postgres: snapshot %d of %d: %w", sn.Number, applicationID, err)
		}
		sn.SubmittedAt, sn.SubmittedBy = utc(at), by.Int64
		out = append(out, sn)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: snapshots of %d: %w", applicationID, err)
	}
	return out, nil
}

// Timeline returns what happened to the application, oldest first.
func (s *Store) Timeline(ctx context.Context, applicationID int64) ([]application.Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, application_id, at, actor_id, actor_name, from_state, to_state, event, note
		FROM application_changes WHERE application_id = $1 ORDER BY id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("postgres: timeline of %d: %w", applicationID, err)
	}
	defer rows.Close()
	var out []application.Change
	for rows.Next() {
		var c application.Change
		var at time.Time
		var actor sql.NullInt64
		if err := rows.Scan(&c.ID, &c.ApplicationID, &at, &actor, &c.ActorName, &c.From, &c.To, &c.Event, &c.Note); err != nil {
			return nil, fmt.Errorf("postgres: timeline of %d: %w", applicationID, err)
		}
		c.At, c.ActorID = utc(at), actor.Int64
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: timeline of %d: %w", applicationID, err)
	}
	return out, nil
}
