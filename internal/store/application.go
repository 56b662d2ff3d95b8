package store

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
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/validate"
)

// Applications stores applications, their submitted versions and timeline.
// Every state change writes a timeline entry (application.Change) and an
// audit entry in its transaction; mails passed in are queued in the outbox
// in the same transaction.
type Applications interface {
	Application(ctx context.Context, id int64) (*application.Application, error)
	// ApplicationList returns applications f selects, oldest first.
	ApplicationList(ctx context.Context, f application.Filter) ([]*application.Application, error)
	// CreateApplication starts a draft after checking eligibility with
	// application.CheckEligibility: the call open now, the partnership
	// active today, the organisation a Swedish member of it.
	CreateApplication(ctx context.Context, by audit.Actor, a *application.Application) error
	// SaveDraft saves a.Answers (and the computed amount requested) if the
	// state is editable and a.Version is the stored version; otherwise
	// ErrConflict (someone saved first) or application.ErrTransition.
	SaveDraft(ctx context.Context, by audit.Actor, a *application.Application) error
	// SubmitApplication submits the working copy at version: the answers
	// must be complete (form.Check), and a first submission must come while
	// the call is open (a resubmission after a completion request may come
	// later). It freezes a Snapshot, registers it and queues mails.
	SubmitApplication(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error)
	// Transition applies an officer's or applicant's event (not Submit, not
	// a decision) with a note for the timeline.
	Transition(ctx context.Context, by audit.Actor, id int64, e application.Event, note string, mails []mail.Message) error
	// Snapshots returns the submitted versions, oldest first.
	Snapshots(ctx context.Context, applicationID int64) ([]application.Snapshot, error)
	// Timeline returns what happened to the application, oldest first.
	Timeline(ctx context.Context, applicationID int64) ([]application.Change, error)
}

const applicationColumns = `id, call_id, partnership_id, organisation_id, state, answers, requested, version, submissions, created_by, created_at, updated_at, submitted_at, reg_number`

func scanApplication(row scanner) (*application.Application, error) {
	var a application.Application
	var answers string
	var createdBy sql.NullInt64
	if err := row.Scan(&a.ID, &a.CallID, &a.PartnershipID, &a.OrganisationID, &a.State, &answers, &a.Requested, &a.Version, &a.Submissions,
		&createdBy, instant(&a.CreatedAt), instant(&a.UpdatedAt), instant(&a.SubmittedAt), &a.RegNumber); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &a.Answers); err != nil {
		return nil, fmt.Errorf("application %d: answers: %w", a.ID, err)
	}
	a.CreatedBy = createdBy.Int64
	return &a, nil
}

// readApplication reads one application, taking lock (Dialect.ForUpdate,
// ForShare or "") on its row.
func readApplication(ctx context.Context, db querier, id int64, lock string) (*application.Application, error) {
	a, err := scanApplication(db.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = ?`+lock, id))
	if err != nil {
		return nil, notFound(err)
	}
	return a, nil
}

// readCall reads one call, taking lock on its row, or ErrNotFound.
func readCall(ctx context.Context, db querier, id int64, lock string) (*call.Call, error) {
	c, err := scanCall(db.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`+lock, id))
	if err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

// Application returns the application with id.
func (s *DB) Application(ctx context.Context, id int64) (*application.Application, error) {
	a, err := readApplication(ctx, s.r, id, "")
	if err != nil {
		return nil, fmt.Errorf("application %d: %w", id, err)
	}
	return a, nil
}

// ApplicationList returns the applications f selects, oldest first. A
// reviewer's list leaves out the applications they declared a conflict on.
func (s *DB) ApplicationList(ctx context.Context, f application.Filter) ([]*application.Application, error) {
	q := `SELECT ` + applicationColumns + ` FROM applications WHERE 1 = 1`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "?"
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
		in, list := s.d.InText("state", states)
		q += ` AND ` + in
		args = append(args, list)
	}
	out, err := queryAll(ctx, s.r, scanApplication, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("applications: %w", err)
	}
	return out, nil
}

// CreateApplication checks eligibility and starts a draft. Inserting the
// row takes a key-share lock on the call's row (the foreign key), so a
// change to the call's form (UpdateCall, which locks the row) either
// waits for this to commit and then counts the application, or commits
// first.
func (s *DB) CreateApplication(ctx context.Context, by audit.Actor, a *application.Application) error {
	err := s.tx(ctx, func(tx *conn) error {
		now := s.now()
		c, err := readCall(ctx, tx, a.CallID, "")
		if errors.Is(err, ErrNotFound) {
			return validate.Errors{"call": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		p, err := s.readPartnership(ctx, tx, a.PartnershipID, "")
		if errors.Is(err, ErrNotFound) {
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
		a.SetAnswers(a.Answers)
		a.CreatedBy, a.CreatedAt, a.UpdatedAt = by.UserID, now, now
		a.SubmittedAt, a.RegNumber = time.Time{}, ""
		err = tx.QueryRowContext(ctx, `INSERT INTO applications (call_id, partnership_id, organisation_id, state, answers, requested, version, submissions, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?) RETURNING id`,
			a.CallID, a.PartnershipID, a.OrganisationID, a.State, answers, a.Requested, nullInt(by.UserID), now, now).Scan(&a.ID)
		if err != nil {
			return err
		}
		if err := s.addChange(ctx, tx, by, a.ID, "", application.Draft, "create", ""); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "application", a.ID, nil, a)
	})
	if err != nil {
		return fmt.Errorf("create application: %w", err)
	}
	return nil
}

// SaveDraft saves the answers of an editable application at a.Version,
// holding the application's row lock.
func (s *DB) SaveDraft(ctx context.Context, by audit.Actor, a *application.Application) error {
	err := s.tx(ctx, func(tx *conn) error {
		before, err := readApplication(ctx, tx, a.ID, s.d.ForUpdate)
		if err != nil {
			return err
		}
		if !before.State.Editable() {
			return application.ErrTransition
		}
		if before.Version != a.Version {
			return ErrConflict
		}
		answers, err := jsonText(a.Answers)
		if err != nil {
			return err
		}
		now := s.now()
		after := *before
		after.SetAnswers(a.Answers)
		after.Version, after.UpdatedAt = before.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET answers = ?, requested = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			answers, after.Requested, now, a.ID); err != nil {
			return err
		}
		*a = after
		return s.writeAudit(ctx, tx, by, "update", "application", a.ID, before, a)
	})
	if err != nil {
		return fmt.Errorf("save application %d: %w", a.ID, err)
	}
	return nil
}

// SubmitApplication submits the application at version, freezes a
// snapshot and registers it. It holds the application's row lock, so a
// second submission of the same version waits and then finds it stale;
// register holds the year's registry lock. The first submission opens the
// application's case, whose number is its registration number from then
// on; a resubmission is the case's next document, and the snapshot keeps
// each submission's document number.
func (s *DB) SubmitApplication(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error) {
	var entry *registry.Entry
	err := s.tx(ctx, func(tx *conn) error {
		now := s.now()
		a, err := readApplication(ctx, tx, id, s.d.ForUpdate)
		if err != nil {
			return err
		}
		if a.Version != version {
			return ErrConflict
		}
		c, err := readCall(ctx, tx, a.CallID, "")
		if err != nil {
			return err
		}
		next, err := c.Submit(a, now)
		if err != nil {
			return err
		}
		entry, err = s.register(ctx, tx, by, registry.SubmissionKind(a.Submissions), a.RegistryTitle(), a.ID)
		if err != nil {
			return err
		}
		answers, err := jsonText(a.Answers)
		if err != nil {
			return err
		}
		before := *a
		a.State, a.Version, a.Submissions = next, a.Version+1, a.Submissions+1
		a.SubmittedAt, a.UpdatedAt, a.RegNumber = now, now, entry.CaseNumber()
		if _, err := tx.ExecContext(ctx, `INSERT INTO application_snapshots (application_id, number, answers, requested, submitted_at, submitted_by, reg_number)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Submissions, answers, a.Requested, now, nullInt(by.UserID), entry.Number); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = ?, version = ?, submissions = ?, submitted_at = ?, reg_number = ?, updated_at = ? WHERE id = ?`,
			a.State, a.Version, a.Submissions, now, a.RegNumber, now, a.ID); err != nil {
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
		return nil, fmt.Errorf("submit application %d: %w", id, err)
	}
	return entry, nil
}

// Transition applies an event other than a submission or a decision,
// holding the application's row lock. A completion request is registered
// as an outgoing document of the application's case.
func (s *DB) Transition(ctx context.Context, by audit.Actor, id int64, e application.Event, note string, mails []mail.Message) error {
	err := s.tx(ctx, func(tx *conn) error {
		if e == application.Submit || e == application.Decide {
			return application.ErrTransition // SubmitApplication and Decide do those, with their checks
		}
		errs := validate.Errors{}
		errs.MaxLen("note", note, maxNote)
		if err := errs.Err(); err != nil {
			return err
		}
		a, err := readApplication(ctx, tx, id, s.d.ForUpdate)
		if err != nil {
			return err
		}
		c, err := readCall(ctx, tx, a.CallID, "")
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
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = ?, version = ?, updated_at = ? WHERE id = ?`, a.State, a.Version, now, a.ID); err != nil {
			return err
		}
		if e == application.RequestCompletion {
			if _, err := s.register(ctx, tx, by, registry.CompletionRequest, a.CompletionTitle(), a.ID); err != nil {
				return err
			}
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
		return fmt.Errorf("%s application %d: %w", e, id, err)
	}
	return nil
}

// maxNote bounds a timeline note.
const maxNote = 5000

// addChange writes a timeline entry in tx.
func (s *DB) addChange(ctx context.Context, tx *conn, by audit.Actor, appID int64, from, to application.State, event, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO application_changes (application_id, at, actor_id, actor_name, from_state, to_state, event, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, appID, s.now(), nullInt(by.UserID), by.Name, from, to, event, note)
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	return nil
}

// Snapshots returns the submitted versions, oldest first.
func (s *DB) Snapshots(ctx context.Context, applicationID int64) ([]application.Snapshot, error) {
	out, err := queryAll(ctx, s.r, func(row scanner) (application.Snapshot, error) {
		var sn application.Snapshot
		var answers string
		var by sql.NullInt64
		if err := row.Scan(&sn.ApplicationID, &sn.Number, &answers, &sn.Requested, instant(&sn.SubmittedAt), &by, &sn.RegNumber); err != nil {
			return sn, err
		}
		sn.SubmittedBy = by.Int64
		if err := json.Unmarshal([]byte(answers), &sn.Answers); err != nil {
			return sn, fmt.Errorf("snapshot %d: %w", sn.Number, err)
		}
		return sn, nil
	}, `SELECT application_id, number, answers, requested, submitted_at, submitted_by, reg_number
		FROM application_snapshots WHERE application_id = ? ORDER BY number`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("snapshots of %d: %w", applicationID, err)
	}
	return out, nil
}

// Timeline returns what happened to the application, oldest first.
func (s *DB) Timeline(ctx context.Context, applicationID int64) ([]application.Change, error) {
	out, err := queryAll(ctx, s.r, func(row scanner) (application.Change, error) {
		var c application.Change
		var actor sql.NullInt64
		err := row.Scan(&c.ID, &c.ApplicationID, instant(&c.At), &actor, &c.ActorName, &c.From, &c.To, &c.Event, &c.Note)
		c.ActorID = actor.Int64
		return c, err
	}, `SELECT id, application_id, at, actor_id, actor_name, from_state, to_state, event, note
		FROM application_changes WHERE application_id = ? ORDER BY id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("timeline of %d: %w", applicationID, err)
	}
	return out, nil
}
