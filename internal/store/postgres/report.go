package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

const reportColumns = `id, grant_id, kind, state, done, results, lessons, lines, version, submitted_at, reg_number, note,
	COALESCE(approved_by, 0), approver_name, approved_at, updated_at`

func scanReport(row scanner) (*report.Report, error) {
	var r report.Report
	var lines string
	var updated time.Time
	var submitted, approved sql.NullTime
	if err := row.Scan(&r.ID, &r.GrantID, &r.Kind, &r.State, &r.Done, &r.Results, &r.Lessons, &lines, &r.Version, &submitted, &r.RegNumber, &r.Note,
		&r.ApprovedBy, &r.ApproverName, &approved, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(lines), &r.Lines); err != nil {
		return nil, fmt.Errorf("report %d: lines: %w", r.ID, err)
	}
	if submitted.Valid {
		r.SubmittedAt = utc(submitted.Time)
	}
	if approved.Valid {
		r.ApprovedAt = utc(approved.Time)
	}
	r.UpdatedAt = utc(updated)
	return &r, nil
}

func readReport(ctx context.Context, db queryRower, id int64) (*report.Report, error) {
	r, err := scanReport(db.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = $1`, id))
	return r, notFound(err)
}

// Reports returns a grant's reports, interim before final.
func (s *Store) Reports(ctx context.Context, grantID int64) ([]report.Report, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+reportColumns+` FROM reports WHERE grant_id = $1 ORDER BY CASE kind WHEN 'interim' THEN 0 ELSE 1 END`, grantID)
	if err != nil {
		return nil, fmt.Errorf("postgres: reports of grant %d: %w", grantID, err)
	}
	defer rows.Close()
	var out []report.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: reports of grant %d: %w", grantID, err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// Report returns one report.
func (s *Store) Report(ctx context.Context, id int64) (*report.Report, error) {
	r, err := readReport(ctx, s.db, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: report %d: %w", id, err)
	}
	return r, nil
}

// openGrantTx locks a grant's row, reads its call, and refuses a closed
// grant.
func openGrantTx(ctx context.Context, tx *sql.Tx, grantID int64) (*grant.Grant, *call.Call, error) {
	g, err := lockGrant(ctx, tx, grantID)
	if err != nil {
		return nil, nil, err
	}
	if err := refuseClosedTx(ctx, tx, grantID); err != nil {
		return nil, nil, err
	}
	c, err := readCall(ctx, tx, g.CallID, noLock)
	if err != nil {
		return nil, nil, err
	}
	return g, c, nil
}

// refuseClosedTx holds a share lock on the grant's row until the
// transaction ends and returns grant.ErrClosed when the grant is closed (or
// ErrNotFound when there is no such grant). Closing takes the row's update
// lock (openGrantTx), so it waits for this transaction, or this one for it
// and then sees the closure: no change lands on a grant after it closed.
func refuseClosedTx(ctx context.Context, tx *sql.Tx, grantID int64) error {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM grants WHERE id = $1 FOR SHARE`, grantID).Scan(&id); err != nil {
		return notFound(err)
	}
	_, err := readClosure(ctx, tx, grantID)
	switch {
	case err == nil:
		return grant.ErrClosed
	case errors.Is(err, sql.ErrNoRows):
		return nil
	}
	return err
}

// SaveReport creates or saves the grantee's draft.
func (s *Store) SaveReport(ctx context.Context, by audit.Actor, r *report.Report) error {
	r.Normalize()
	if err := r.CheckDraft().Err(); err != nil {
		return err
	}
	if r.Lines == nil {
		r.Lines = []report.Line{}
	}
	lines, err := jsonText(r.Lines)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		g, c, err := openGrantTx(ctx, tx, r.GrantID)
		if err != nil {
			return err
		}
		if _, ok := c.Config.Reports.Deadline(g.AwardedOn, g.EndDate, r.Kind); !ok {
			return validate.Errors{"kind": "error.report.kind"}
		}
		now := s.now()
		if r.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO reports (grant_id, kind, state, done, results, lessons, lines, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id`, r.GrantID, r.Kind, report.Draft, r.Done, r.Results, r.Lessons, lines, now, now).Scan(&r.ID)
			if isUnique(err, "reports_grant_kind") {
				return store.ErrConflict
			}
			if err != nil {
				return err
			}
			r.State, r.Version, r.UpdatedAt = report.Draft, 1, now
			return s.writeAudit(ctx, tx, by, "create", "report", r.ID, nil, r)
		}
		before, err := readReport(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if before.GrantID != r.GrantID || before.Kind != r.Kind {
			return store.ErrNotFound
		}
		if before.Version != r.Version {
			return store.ErrConflict
		}
		if !before.Editable() {
			return report.ErrTransition
		}
		after := *before
		after.Done, after.Results, after.Lessons, after.Lines = r.Done, r.Results, r.Lessons, r.Lines
		after.Version, after.UpdatedAt = before.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET done = $1, results = $2, lessons = $3, lines = $4, version = $5, updated_at = $6 WHERE id = $7`,
			after.Done, after.Results, after.Lessons, lines, after.Version, now, r.ID); err != nil {
			return err
		}
		*r = after
		return s.writeAudit(ctx, tx, by, "update", "report", r.ID, before, &after)
	})
	if err != nil {
		return fmt.Errorf("postgres: save report of grant %d: %w", r.GrantID, err)
	}
	return nil
}

// reportTitle is how the registry names a report: its kind and partnership.
func reportTitle(ctx context.Context, tx *sql.Tx, g *grant.Grant, kind report.Kind) (string, error) {
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM partnerships WHERE id = $1`, g.PartnershipID).Scan(&name); err != nil {
		return "", err
	}
	return report.RegistryTitle(kind, name), nil
}

// SubmitReport submits the report at version and registers it.
func (s *Store) SubmitReport(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error) {
	var entry *registry.Entry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := readReport(ctx, tx, id)
		if err != nil {
			return err
		}
		g, c, err := openGrantTx(ctx, tx, r.GrantID)
		if err != nil {
			return err
		}
		if r, err = readReport(ctx, tx, id); err != nil { // as it stands now that the grant is locked
			return err
		}
		if r.Version != version {
			return store.ErrConflict
		}
		next, err := report.Next(r.State, report.Submit)
		if err != nil {
			return err
		}
		if err := r.Check(g.Amount, c.Config.Reports.Tolerance()).Err(); err != nil {
			return err
		}
		title, err := reportTitle(ctx, tx, g, r.Kind)
		if err != nil {
			return err
		}
		if entry, err = s.register(ctx, tx, by, registry.Report, title, g.ApplicationID); err != nil {
			return err
		}
		before := *r
		now := s.now()
		r.State, r.Version, r.SubmittedAt, r.RegNumber, r.UpdatedAt = next, r.Version+1, now, entry.Number, now
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET state = $1, version = $2, submitted_at = $3, reg_number = $4, updated_at = $5 WHERE id = $6`,
			r.State, r.Version, now, r.RegNumber, now, id); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, by, "submit", "report", id, &before, r); err != nil {
			return err
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: submit report %d: %w", id, err)
	}
	return entry, nil
}

// RequestReportCompletion sends a submitted report back with a note.
func (s *Store) RequestReportCompletion(ctx context.Context, by audit.Actor, id int64, note string, mails []mail.Message) error {
	note = strings.TrimSpace(note)
	if err := report.CheckNote(note, true).Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := readReport(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, _, err := openGrantTx(ctx, tx, r.GrantID); err != nil {
			return err
		}
		if r, err = readReport(ctx, tx, id); err != nil { // as it stands now that the grant is locked
			return err
		}
		next, err := report.Next(r.State, report.RequestCompletion)
		if err != nil {
			return err
		}
		before := *r
		now := s.now()
		r.State, r.Note, r.Version, r.UpdatedAt = next, note, r.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET state = $1, note = $2, version = $3, updated_at = $4 WHERE id = $5`,
			r.State, note, r.Version, now, id); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, by, "request_completion", "report", id, &before, r); err != nil {
			return err
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return fmt.Errorf("postgres: request completion of report %d: %w", id, err)
	}
	return nil
}

// grantLedgerTx returns the grant's balance in tx, storing its Granted
// entry first when it has none stored.
func grantLedgerTx(ctx context.Context, tx *sql.Tx, g *grant.Grant) (ledger.Balance, error) {
	stored, err := storedLedger(ctx, tx, g.ID)
	if err != nil {
		return ledger.Balance{}, err
	}
	entries := g.WithGranted(stored)
	if len(stored) == 0 || stored[0].Kind != ledger.Granted {
		if err := insertEntry(ctx, tx, &entries[0]); err != nil {
			return ledger.Balance{}, err
		}
	}
	return ledger.Sum(entries)
}

// applyEntries applies and stores each of the entries report.Settle
// proposes.
func applyEntries(ctx context.Context, tx *sql.Tx, b ledger.Balance, entries []ledger.Entry) (ledger.Balance, error) {
	for i := range entries {
		var err error
		if b, err = b.Apply(entries[i]); err != nil {
			return b, err
		}
		if err := insertEntry(ctx, tx, &entries[i]); err != nil {
			return b, err
		}
	}
	return b, nil
}

// closeGrantTx records the grant's closing in tx.
func (s *Store) closeGrantTx(ctx context.Context, tx *sql.Tx, by audit.Actor, grantID int64) error {
	cl := grant.Closure{GrantID: grantID, By: by.UserID, ByName: by.Name, At: s.now()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO grant_closures (grant_id, closed_by, closer_name, closed_at) VALUES ($1, $2, $3, $4)`,
		grantID, nullInt(cl.By), cl.ByName, cl.At); err != nil {
		return err
	}
	return s.writeAudit(ctx, tx, by, "close", "grant", grantID, nil, cl)
}

// finalApprovedTx reports whether the grant's final report is approved.
func finalApprovedTx(ctx context.Context, tx *sql.Tx, grantID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE grant_id = $1 AND kind = 'final' AND state = 'approved'`, grantID).Scan(&n)
	return n > 0, err
}

// ApproveReport approves a submitted report; the final one settles the
// ledger and may close the grant.
func (s *Store) ApproveReport(ctx context.Context, by audit.Actor, id int64, note string, mails []mail.Message) (*report.Report, error) {
	note = strings.TrimSpace(note)
	if err := report.CheckNote(note, false).Err(); err != nil {
		return nil, err
	}
	var r *report.Report
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if r, err = readReport(ctx, tx, id); err != nil {
			return err
		}
		g, _, err := openGrantTx(ctx, tx, r.GrantID)
		if err != nil {
			return err
		}
		if r, err = readReport(ctx, tx, id); err != nil { // as it stands now that the grant is locked
			return err
		}
		next, err := report.Next(r.State, report.Approve)
		if err != nil {
			return err
		}
		before := *r
		now := s.now()
		r.State, r.Note, r.Version, r.UpdatedAt = next, note, r.Version+1, now
		r.ApprovedBy, r.ApproverName, r.ApprovedAt = by.UserID, by.Name, now
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET state = $1, note = $2, version = $3, updated_at = $4, approved_by = $5, approver_name = $6, approved_at = $7 WHERE id = $8`,
			r.State, note, r.Version, now, nullInt(by.UserID), by.Name, now, id); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, by, "approve", "report", id, &before, r); err != nil {
			return err
		}
		if r.Kind == report.Final {
			b, err := grantLedgerTx(ctx, tx, g)
			if err != nil {
				return err
			}
			after, err := applyEntries(ctx, tx, b, report.Settle(r, b, by.UserID, now))
			if err != nil {
				return err
			}
			if err := s.writeAudit(ctx, tx, by, "settle", "grant", g.ID, b, after); err != nil {
				return err
			}
			if grant.CanClose(true, after) {
				if err := s.closeGrantTx(ctx, tx, by, g.ID); err != nil {
					return err
				}
			}
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: approve report %d: %w", id, err)
	}
	return r, nil
}

// RecordRepayment records money paid back and closes a settled grant.
func (s *Store) RecordRepayment(ctx context.Context, by audit.Actor, grantID, amount int64, note string) (*ledger.Entry, error) {
	note = strings.TrimSpace(note)
	if len([]rune(note)) > maxPaymentNote {
		return nil, validate.Errors{"note": "error.too_long"}
	}
	var e *ledger.Entry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		g, _, err := openGrantTx(ctx, tx, grantID)
		if err != nil {
			return err
		}
		b, err := grantLedgerTx(ctx, tx, g)
		if err != nil {
			return err
		}
		e = &ledger.Entry{GrantID: grantID, Kind: ledger.Repaid, Amount: amount, At: s.now(), By: by.UserID, Note: note}
		after, err := b.Apply(*e)
		if err != nil {
			return validate.Errors{"amount": err.Error()}
		}
		if err := insertEntry(ctx, tx, e); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, by, "repay", "grant", grantID, b, after); err != nil {
			return err
		}
		return s.closeIfSettledTx(ctx, tx, by, grantID, after)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: repayment of grant %d: %w", grantID, err)
	}
	return e, nil
}

func (s *Store) closeIfSettledTx(ctx context.Context, tx *sql.Tx, by audit.Actor, grantID int64, b ledger.Balance) error {
	final, err := finalApprovedTx(ctx, tx, grantID)
	if err != nil || !grant.CanClose(final, b) {
		return err
	}
	return s.closeGrantTx(ctx, tx, by, grantID)
}

// CloseGrant closes a grant whose final report is approved and whose
// money is settled.
func (s *Store) CloseGrant(ctx context.Context, by audit.Actor, grantID int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		g, _, err := openGrantTx(ctx, tx, grantID)
		if err != nil {
			return err
		}
		b, err := grantLedgerTx(ctx, tx, g)
		if err != nil {
			return err
		}
		final, err := finalApprovedTx(ctx, tx, grantID)
		if err != nil {
			return err
		}
		if !grant.CanClose(final, b) {
			return validate.Errors{"form": "error.grant.not_settled"}
		}
		return s.closeGrantTx(ctx, tx, by, grantID)
	})
	if err != nil {
		return fmt.Errorf("postgres: close grant %d: %w", grantID, err)
	}
	return nil
}

func readClosure(ctx context.Context, db queryRower, grantID int64) (*grant.Closure, error) {
	c := grant.Closure{GrantID: grantID}
	var at time.Time
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(closed_by, 0), closer_name, closed_at FROM grant_closures WHERE grant_id = $1`, grantID).Scan(&c.By, &c.ByName, &at); err != nil {
		return nil, err
	}
	c.At = utc(at)
	return &c, nil
}

// Closure returns the grant's closing, or ErrNotFound while it is open.
func (s *Store) Closure(ctx context.Context, grantID int64) (*grant.Closure, error) {
	c, err := readClosure(ctx, s.db, grantID)
	if err != nil {
		return nil, fmt.Errorf("postgres: closure of grant %d: %w", grantID, notFound(err))
	}
	return c, nil
}

// ReportTriggers returns the payment-plan triggers the grant's approved
// reports have set off.
func (s *Store) ReportTriggers(ctx context.Context, grantID int64) (map[ledger.Trigger]bool, error) {
	list, err := s.Reports(ctx, grantID)
	if err != nil {
		return nil, err
	}
	return report.Triggers(list), nil
}

// reminderState is what DueReminders reads about every grant at once.
type reminderState struct {
	closed map[int64]bool
	sent   map[reminderKey]bool
	states map[reminderKey]report.State // by grant and kind; when is empty
}

type reminderKey struct {
	grantID int64
	kind    report.Kind
	when    report.When
}

// DueReminders returns the reminders due at now and not yet sent.
func (s *Store) DueReminders(ctx context.Context, now time.Time) ([]report.Reminder, error) {
	st := reminderState{closed: map[int64]bool{}, sent: map[reminderKey]bool{}, states: map[reminderKey]report.State{}}
	err := func() error {
		rows, err := s.db.QueryContext(ctx, `SELECT grant_id FROM grant_closures`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			st.closed[id] = true
		}
		rows.Close()
		if rows, err = s.db.QueryContext(ctx, `SELECT grant_id, report_kind, reminder FROM jobs WHERE kind = 'report_reminder'`); err != nil {
			return err
		}
		for rows.Next() {
			var k reminderKey
			if err := rows.Scan(&k.grantID, &k.kind, &k.when); err != nil {
				rows.Close()
				return err
			}
			st.sent[k] = true
		}
		rows.Close()
		if rows, err = s.db.QueryContext(ctx, `SELECT grant_id, kind, state FROM reports`); err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k reminderKey
			var state report.State
			if err := rows.Scan(&k.grantID, &k.kind, &state); err != nil {
				return err
			}
			st.states[k] = state
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, fmt.Errorf("postgres: due reminders: %w", err)
	}
	grants, err := s.GrantList(ctx, grant.Filter{})
	if err != nil {
		return nil, err
	}
	calls := map[int64]*call.Call{}
	var out []report.Reminder
	for _, g := range grants {
		if st.closed[g.ID] {
			continue
		}
		c := calls[g.CallID]
		if c == nil {
			if c, err = s.Call(ctx, g.CallID); err != nil {
				return nil, err
			}
			calls[g.CallID] = c
		}
		out = append(out, report.DueFor(g.ID, g.OrganisationID, c.Config.Reports.Deadlines(g.AwardedOn, g.EndDate), now,
			c.Config.Reports.DaysBefore(), c.Config.Reports.Overdue(),
			func(k report.Kind) report.State {
				if state, ok := st.states[reminderKey{grantID: g.ID, kind: k}]; ok {
					return state
				}
				return report.Draft
			},
			func(k report.Kind, w report.When) bool { return st.sent[reminderKey{g.ID, k, w}] })...)
	}
	return out, nil
}

// SendReminder claims rem and queues its mails in one transaction. It
// checks again, holding the grant's row lock, that the reminder is still
// due: a report submitted since DueReminders read it needs none. Two
// instances claiming at once: the second INSERT waits for the first to
// commit and then does nothing.
func (s *Store) SendReminder(ctx context.Context, rem report.Reminder, mails []mail.Message) (bool, error) {
	sent := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		g, c, err := openGrantTx(ctx, tx, rem.GrantID)
		if errors.Is(err, grant.ErrClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		d, ok := c.Config.Reports.Deadline(g.AwardedOn, g.EndDate, rem.Kind)
		if !ok {
			return nil
		}
		state := report.Draft
		if err := tx.QueryRowContext(ctx, `SELECT state FROM reports WHERE grant_id = $1 AND kind = $2`, g.ID, rem.Kind).Scan(&state); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := s.now()
		if when, due := report.ReminderDue(d, state, now, c.Config.Reports.DaysBefore(), c.Config.Reports.Overdue()); !due || when != rem.When {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, grant_id, report_kind, reminder, done_at) VALUES ('report_reminder', $1, $2, $3, $4)
			ON CONFLICT ON CONSTRAINT jobs_once DO NOTHING`, rem.GrantID, rem.Kind, rem.When, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		sent = true
		if err := s.writeAudit(ctx, tx, audit.System("reminders"), "remind", "grant", rem.GrantID, nil, rem); err != nil {
			return err
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return false, fmt.Errorf("postgres: reminder for grant %d: %w", rem.GrantID, err)
	}
	return sent, nil
}
