package store

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
	"github.com/icld/partnerskap/internal/validate"
)

// Reports stores a grant's interim and final reports, the officer's
// approval, what approving the final report does to the ledger, the
// grant's closing, and the reminders sent about report deadlines.
//
// Deadlines are not stored: they follow from the call's rules
// (call.ReportRules.Deadlines), so each grant has one report of each kind
// the call asks for. Every change takes the grant's lock first and
// refuses a closed grant with grant.ErrClosed.
type Reports interface {
	// Reports returns a grant's reports, interim before final.
	Reports(ctx context.Context, grantID int64) ([]report.Report, error)
	Report(ctx context.Context, id int64) (*report.Report, error)
	// SaveReport saves the grantee's draft: it creates the report of
	// r.GrantID and r.Kind when r.ID is 0 (a second one is ErrConflict),
	// else saves it if r.Version is the stored version (else
	// ErrConflict) and the report is editable (else
	// report.ErrTransition). A kind the call does not ask for is a field
	// error "kind". It sets r's ID, Version and times.
	SaveReport(ctx context.Context, by audit.Actor, r *report.Report) error
	// SubmitReport submits the stored report at version: it must pass
	// report.Check against the grant's amount and the call's tolerance.
	// It registers the submission (registry.Report) and queues mails.
	SubmitReport(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error)
	// RequestReportCompletion sends a submitted report back with the
	// officer's note (required: a field error "note").
	RequestReportCompletion(ctx context.Context, by audit.Actor, id int64, note string, mails []mail.Message) error
	// ApproveReport approves a submitted report. Approving the final
	// report records its total, capped to the grant, as spent in the
	// ledger (replacing what was recorded as spent before), claims back
	// what was paid and not spent (ledger ToRepay), and closes the grant
	// when its balance is settled. The plan's final-report instalment is
	// due from then (see ReportTriggers); officers record the payment.
	ApproveReport(ctx context.Context, by audit.Actor, id int64, note string, mails []mail.Message) (*report.Report, error)
	// RecordRepayment records money the grantee paid back (ledger Repaid;
	// more than is owed is a field error "amount"), and closes the grant
	// when the final report is approved and the balance is then settled.
	// After the final report the ledger is reconciled first (grant.
	// MoveMoney), so what was paid and not spent can be repaid even when
	// it was never claimed.
	RecordRepayment(ctx context.Context, by audit.Actor, grantID, amount int64, note string) (*ledger.Entry, error)
	// CloseGrant closes a grant whose final report is approved and whose
	// balance is settled (grant.CanClose), else a field error "form" =
	// "error.grant.not_settled". It reconciles the ledger first
	// (grant.Close): a grant paid above what it spent under earlier rules
	// gets the missing to-repay entry, kept even when the step is refused.
	CloseGrant(ctx context.Context, by audit.Actor, grantID int64) error
	// Closure returns the grant's closing, or ErrNotFound while it is open.
	Closure(ctx context.Context, grantID int64) (*grant.Closure, error)
	// ReportTriggers returns which payment-plan triggers the grant's
	// reports have set off (ledger.OnInterimApproved,
	// ledger.OnFinalReportApproved).
	ReportTriggers(ctx context.Context, grantID int64) (map[ledger.Trigger]bool, error)

	// DueReminders returns the reminders due at now (report.ReminderDue
	// under each grant's call rules) that have not been sent, for grants
	// that are not closed.
	DueReminders(ctx context.Context, now time.Time) ([]report.Reminder, error)
	// SendReminder checks again, at the store's clock and holding the
	// grant's lock, that rem is still due, then records it as sent and
	// queues its mails, in one transaction. When rem was already sent (by
	// another run or instance) or is no longer due, it queues nothing and
	// returns false.
	SendReminder(ctx context.Context, rem report.Reminder, mails []mail.Message) (bool, error)
}

const reportColumns = `id, grant_id, kind, state, done, results, lessons, lines, version, submitted_at, reg_number, note,
	COALESCE(approved_by, 0), approver_name, approved_at, updated_at`

func scanReport(row scanner) (*report.Report, error) {
	var r report.Report
	var lines string
	if err := row.Scan(&r.ID, &r.GrantID, &r.Kind, &r.State, &r.Done, &r.Results, &r.Lessons, &lines, &r.Version, instant(&r.SubmittedAt), &r.RegNumber, &r.Note,
		&r.ApprovedBy, &r.ApproverName, instant(&r.ApprovedAt), instant(&r.UpdatedAt)); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(lines), &r.Lines); err != nil {
		return nil, fmt.Errorf("report %d: lines: %w", r.ID, err)
	}
	return &r, nil
}

func readReport(ctx context.Context, db querier, id int64) (*report.Report, error) {
	r, err := scanReport(db.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = ?`, id))
	return r, notFound(err)
}

// Reports returns a grant's reports, interim before final.
func (s *DB) Reports(ctx context.Context, grantID int64) ([]report.Report, error) {
	out, err := queryAll(ctx, s.r, value(scanReport), `SELECT `+reportColumns+` FROM reports WHERE grant_id = ? ORDER BY CASE kind WHEN 'interim' THEN 0 ELSE 1 END`, grantID)
	if err != nil {
		return nil, fmt.Errorf("reports of grant %d: %w", grantID, err)
	}
	return out, nil
}

// Report returns one report.
func (s *DB) Report(ctx context.Context, id int64) (*report.Report, error) {
	r, err := readReport(ctx, s.r, id)
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", id, err)
	}
	return r, nil
}

// openGrantTx locks a grant's row, reads its call, and refuses a closed
// grant.
func (s *DB) openGrantTx(ctx context.Context, tx *conn, grantID int64) (*grant.Grant, *call.Call, error) {
	g, err := s.lockGrant(ctx, tx, grantID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.refuseClosedTx(ctx, tx, grantID); err != nil {
		return nil, nil, err
	}
	c, err := readCall(ctx, tx, g.CallID, "")
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
func (s *DB) refuseClosedTx(ctx context.Context, tx *conn, grantID int64) error {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM grants WHERE id = ?`+s.d.ForShare, grantID).Scan(&id); err != nil {
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
func (s *DB) SaveReport(ctx context.Context, by audit.Actor, r *report.Report) error {
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
	err = s.tx(ctx, func(tx *conn) error {
		g, c, err := s.openGrantTx(ctx, tx, r.GrantID)
		if err != nil {
			return err
		}
		if _, ok := c.Config.Reports.Deadline(g.AwardedOn, g.EndDate, r.Kind); !ok {
			return validate.Errors{"kind": "error.report.kind"}
		}
		now := s.now()
		if r.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO reports (grant_id, kind, state, done, results, lessons, lines, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, r.GrantID, r.Kind, report.Draft, r.Done, r.Results, r.Lessons, lines, now, now).Scan(&r.ID)
			if s.d.IsUnique(err, "reports_grant_kind") {
				return ErrConflict
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
			return ErrNotFound
		}
		if before.Version != r.Version {
			return ErrConflict
		}
		if !before.Editable() {
			return report.ErrTransition
		}
		after := *before
		after.Done, after.Results, after.Lessons, after.Lines = r.Done, r.Results, r.Lessons, r.Lines
		after.Version, after.UpdatedAt = before.Version+1, now
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET done = ?, results = ?, lessons = ?, lines = ?, version = ?, updated_at = ? WHERE id = ?`,
			after.Done, after.Results, after.Lessons, lines, after.Version, now, r.ID); err != nil {
			return err
		}
		*r = after
		return s.writeAudit(ctx, tx, by, "update", "report", r.ID, before, &after)
	})
	if err != nil {
		return fmt.Errorf("save report of grant %d: %w", r.GrantID, err)
	}
	return nil
}

// reportTitle is how the registry names a report: its kind and partnership.
func reportTitle(ctx context.Context, tx *conn, g *grant.Grant, kind report.Kind) (string, error) {
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM partnerships WHERE id = ?`, g.PartnershipID).Scan(&name); err != nil {
		return "", err
	}
	return report.RegistryTitle(kind, name), nil
}

// SubmitReport submits the report at version and registers it.
func (s *DB) SubmitReport(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error) {
	var entry *registry.Entry
	err := s.tx(ctx, func(tx *conn) error {
		r, err := readReport(ctx, tx, id)
		if err != nil {
			return err
		}
		g, c, err := s.openGrantTx(ctx, tx, r.GrantID)
		if err != nil {
			return err
		}
		if r, err = readReport(ctx, tx, id); err != nil { // as it stands now that the grant is locked
			return err
		}
		if r.Version != version {
			return ErrConflict
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
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET state = ?, version = ?, submitted_at = ?, reg_number = ?, updated_at = ? WHERE id = ?`,
			r.State, r.Version, now, r.RegNumber, now, id); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, by, "submit", "report", id, &before, r); err != nil {
			return err
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return nil, fmt.Errorf("submit report %d: %w", id, err)
	}
	return entry, nil
}

// RequestReportCompletion sends a submitted report back with a note.
func (s *DB) RequestReportCompletion(ctx context.Context, by audit.Actor, id int64, note string, mails []mail.Message) error {
	note = strings.TrimSpace(note)
	if err := report.CheckNote(note, true).Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		r, err := readReport(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, _, err := s.openGrantTx(ctx, tx, r.GrantID); err != nil {
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
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET state = ?, note = ?, version = ?, updated_at = ? WHERE id = ?`,
			r.State, note, r.Version, now, id); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, by, "request_completion", "report", id, &before, r); err != nil {
			return err
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return fmt.Errorf("request completion of report %d: %w", id, err)
	}
	return nil
}

// grantLedgerTx returns the grant's balance in tx, storing its Granted
// entry first when it has none stored.
func grantLedgerTx(ctx context.Context, tx *conn, g *grant.Grant) (ledger.Balance, error) {
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

// closeGrantTx records the grant's closing in tx.
func (s *DB) closeGrantTx(ctx context.Context, tx *conn, by audit.Actor, grantID int64) error {
	cl := grant.Closure{GrantID: grantID, By: by.UserID, ByName: by.Name, At: s.now()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO grant_closures (grant_id, closed_by, closer_name, closed_at) VALUES (?, ?, ?, ?)`,
		grantID, nullInt(cl.By), cl.ByName, cl.At); err != nil {
		return err
	}
	return s.writeAudit(ctx, tx, by, "close", "grant", grantID, nil, cl)
}

// finalApprovedTx reports whether the grant's final report is approved.
func finalApprovedTx(ctx context.Context, tx *conn, grantID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE grant_id = ? AND kind = 'final' AND state = 'approved'`, grantID).Scan(&n)
	return n > 0, err
}

// ApproveReport approves a submitted report; the final one settles the
// ledger and may close the grant.
func (s *DB) ApproveReport(ctx context.Context, by audit.Actor, id int64, note string, mails []mail.Message) (*report.Report, error) {
	note = strings.TrimSpace(note)
	if err := report.CheckNote(note, false).Err(); err != nil {
		return nil, err
	}
	var r *report.Report
	err := s.tx(ctx, func(tx *conn) error {
		var err error
		if r, err = readReport(ctx, tx, id); err != nil {
			return err
		}
		g, _, err := s.openGrantTx(ctx, tx, r.GrantID)
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
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET state = ?, note = ?, version = ?, updated_at = ?, approved_by = ?, approver_name = ?, approved_at = ? WHERE id = ?`,
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
			m, err := grant.Settle(r, b, by.UserID, now)
			if err != nil {
				return err
			}
			if err := s.recordMovement(ctx, tx, by, "settle", g.ID, m); err != nil {
				return err
			}
		}
		return s.queueMail(ctx, tx, mails)
	})
	if err != nil {
		return nil, fmt.Errorf("approve report %d: %w", id, err)
	}
	return r, nil
}

// RecordRepayment records money paid back (grant.MoveMoney) and closes a
// settled grant.
func (s *DB) RecordRepayment(ctx context.Context, by audit.Actor, grantID, amount int64, note string) (*ledger.Entry, error) {
	e, err := s.moveMoney(ctx, by, "repay", ledger.Entry{GrantID: grantID, Kind: ledger.Repaid, Amount: amount, By: by.UserID, Note: strings.TrimSpace(note)})
	if err != nil {
		return nil, fmt.Errorf("repayment of grant %d: %w", grantID, err)
	}
	return e, nil
}

// recordMovement stores m's entries with an audit entry for action, and
// closes the grant when m says it closes.
func (s *DB) recordMovement(ctx context.Context, tx *conn, by audit.Actor, action string, grantID int64, m grant.Movement) error {
	for i := range m.Entries {
		if err := insertEntry(ctx, tx, &m.Entries[i]); err != nil {
			return err
		}
	}
	if err := s.writeAudit(ctx, tx, by, action, "grant", grantID, m.Before, m.After); err != nil {
		return err
	}
	if m.Closes {
		return s.closeGrantTx(ctx, tx, by, grantID)
	}
	return nil
}

// CloseGrant reconciles the ledger (grant.Close: what was paid and not
// spent is claimed back) and closes the grant when that leaves it
// settled; otherwise what the reconciliation claimed is kept and the
// step is refused.
func (s *DB) CloseGrant(ctx context.Context, by audit.Actor, grantID int64) error {
	closes := false
	err := s.tx(ctx, func(tx *conn) error {
		g, _, err := s.openGrantTx(ctx, tx, grantID)
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
		m, err := grant.Close(b, final, grantID, by.UserID, s.now())
		if err != nil {
			return err
		}
		if closes = m.Closes; len(m.Entries) == 0 && !closes {
			return nil
		}
		return s.recordMovement(ctx, tx, by, "settle", grantID, m)
	})
	if err == nil && !closes {
		err = validate.Errors{"form": "error.grant.not_settled"}
	}
	if err != nil {
		return fmt.Errorf("close grant %d: %w", grantID, err)
	}
	return nil
}

func readClosure(ctx context.Context, db querier, grantID int64) (*grant.Closure, error) {
	c := grant.Closure{GrantID: grantID}
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(closed_by, 0), closer_name, closed_at FROM grant_closures WHERE grant_id = ?`, grantID).Scan(&c.By, &c.ByName, instant(&c.At)); err != nil {
		return nil, err
	}
	return &c, nil
}

// Closure returns the grant's closing, or ErrNotFound while it is open.
func (s *DB) Closure(ctx context.Context, grantID int64) (*grant.Closure, error) {
	c, err := readClosure(ctx, s.r, grantID)
	if err != nil {
		return nil, fmt.Errorf("closure of grant %d: %w", grantID, notFound(err))
	}
	return c, nil
}

// ReportTriggers returns the payment-plan triggers the grant's approved
// reports have set off.
func (s *DB) ReportTriggers(ctx context.Context, grantID int64) (map[ledger.Trigger]bool, error) {
	list, err := s.Reports(ctx, grantID)
	if err != nil {
		return nil, err
	}
	return report.Triggers(list), nil
}

type reminderKey struct {
	grantID int64
	kind    report.Kind
	when    report.When
}

// DueReminders reads the grants, their calls, closures, report states and
// the reminders sent, each in one query, and returns what
// grant.RemindersDue finds due at now.
func (s *DB) DueReminders(ctx context.Context, now time.Time) ([]report.Reminder, error) {
	closed := map[int64]bool{}
	sent := map[reminderKey]bool{}
	states := map[reminderKey]report.State{} // by grant and kind; when is empty
	err := eachRow(ctx, s.r, func(row scanner) error {
		var id int64
		err := row.Scan(&id)
		closed[id] = true
		return err
	}, `SELECT grant_id FROM grant_closures`)
	if err == nil {
		err = eachRow(ctx, s.r, func(row scanner) error {
			var k reminderKey
			err := row.Scan(&k.grantID, &k.kind, &k.when)
			sent[k] = true
			return err
		}, `SELECT grant_id, report_kind, reminder FROM jobs WHERE kind = 'report_reminder'`)
	}
	if err == nil {
		err = eachRow(ctx, s.r, func(row scanner) error {
			var k reminderKey
			var state report.State
			err := row.Scan(&k.grantID, &k.kind, &state)
			states[k] = state
			return err
		}, `SELECT grant_id, kind, state FROM reports`)
	}
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", err)
	}
	grants, err := s.GrantList(ctx, grant.Filter{})
	if err != nil {
		return nil, err
	}
	list, err := s.CallList(ctx, 0)
	if err != nil {
		return nil, err
	}
	calls := make(map[int64]*call.Call, len(list))
	for _, c := range list {
		calls[c.ID] = c
	}
	return grant.RemindersDue(now, grants, calls, grant.ReminderLog{
		Closed: closed,
		Report: func(id int64, k report.Kind) report.State {
			if state, ok := states[reminderKey{grantID: id, kind: k}]; ok {
				return state
			}
			return report.Draft
		},
		Sent: func(id int64, k report.Kind, w report.When) bool { return sent[reminderKey{id, k, w}] },
	}), nil
}

// SendReminder claims rem and queues its mails in one transaction. It
// checks again, holding the grant's row lock, that the reminder is still
// due: a report submitted since DueReminders read it needs none. Two
// instances claiming at once: the second INSERT waits for the first to
// commit and then does nothing.
func (s *DB) SendReminder(ctx context.Context, rem report.Reminder, mails []mail.Message) (bool, error) {
	sent := false
	err := s.tx(ctx, func(tx *conn) error {
		g, c, err := s.openGrantTx(ctx, tx, rem.GrantID)
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
		if err := tx.QueryRowContext(ctx, `SELECT state FROM reports WHERE grant_id = ? AND kind = ?`, g.ID, rem.Kind).Scan(&state); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := s.now()
		if when, due := report.ReminderDue(d, state, now, c.Config.Reports.DaysBefore(), c.Config.Reports.Overdue()); !due || when != rem.When {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, grant_id, report_kind, reminder, done_at) VALUES ('report_reminder', ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, rem.GrantID, rem.Kind, rem.When, now)
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
		return false, fmt.Errorf("reminder for grant %d: %w", rem.GrantID, err)
	}
	return sent, nil
}
