package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
)

// Audit reads the audit log and records events that change no record
// (such as signing in).
type Audit interface {
	AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
	// EachAuditEntry calls fn with every entry f selects, oldest first (in
	// id order), reading them a page at a time, so an export of the whole
	// log holds neither the whole log in memory nor a read open while
	// the file is sent; f.Limit is ignored. It stops at fn's first error.
	EachAuditEntry(ctx context.Context, f audit.Filter, fn func(audit.Entry) error) error
	// ProgrammeOf returns the programme of the record entity and id name
	// (scope.go), so a page filtered to one record can ask the policy.
	ProgrammeOf(ctx context.Context, entity string, id int64) (int64, error)
	RecordEvent(ctx context.Context, by audit.Actor, action, entity string, entityID int64) error
	// RecordEventDetail is RecordEvent with what the event concerned,
	// kept as the entry's After: an export's filters, a failed sign-in's
	// reason.
	RecordEventDetail(ctx context.Context, by audit.Actor, action, entity string, entityID int64, detail any) error
}

// auditSelect is the query of the entries f selects, without order or
// limit, and its arguments. The scope is applied in the query, before any
// limit, so a scoped officer's page is as full as anyone's.
func (s *DB) auditSelect(f audit.Filter) (string, []any) {
	q := `SELECT l.id, l.at, COALESCE(l.actor_id, 0), l.actor_name, l.action, l.entity, l.entity_id, l.before, l.after FROM audit_log l WHERE 1 = 1`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "?"
	}
	if f.Entity != "" {
		q += ` AND l.entity = ` + arg(f.Entity)
	}
	if f.EntityID != 0 {
		q += ` AND l.entity_id = ` + arg(f.EntityID)
	}
	if !f.From.IsZero() {
		q += ` AND l.at >= ` + arg(s.cut(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND l.at < ` + arg(s.cut(f.To))
	}
	if cond, list := s.inScope(recordProgrammeSQL("l.entity", "l.entity_id"), f.Scope); cond != "" {
		q += ` AND ` + cond
		args = append(args, list)
	}
	return q, args
}

func scanAuditEntry(row scanner) (audit.Entry, error) {
	var e audit.Entry
	var before, after []byte
	err := row.Scan(&e.ID, instant(&e.At), &e.Actor.UserID, &e.Actor.Name, &e.Action, &e.Entity, &e.EntityID, &before, &after)
	e.Before, e.After = json.RawMessage(before), json.RawMessage(after)
	return e, err
}

// AuditLog returns entries f selects, newest first, at most f.Limit (100
// when 0).
func (s *DB) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	q, args := s.auditSelect(f)
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	out, err := queryAll(ctx, s.r, scanAuditEntry, q+` ORDER BY l.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}

// exportPage is how many entries an export reads at a time.
const exportPage = 500

// EachAuditEntry pages through the entries f selects by id.
func (s *DB) EachAuditEntry(ctx context.Context, f audit.Filter, fn func(audit.Entry) error) error {
	q, args := s.auditSelect(f)
	q += ` AND l.id > ? ORDER BY l.id LIMIT ?`
	var after int64
	for {
		page, err := queryAll(ctx, s.r, scanAuditEntry, q, append(args[:len(args):len(args)], after, exportPage)...)
		if err != nil {
			return fmt.Errorf("audit log export: %w", err)
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
			after = e.ID
		}
		if len(page) < exportPage {
			return nil
		}
	}
}

// RecordEvent writes an audit entry for an event that changes no record
// (a sign-in, a failed one, a sign-out, an export). It does not move the
// data version (Engine.UnannouncedTx): public pages are kept rendered
// until it moves, and no public page shows the log, so a flood of failed
// sign-ins must not make every page render again.
func (s *DB) RecordEvent(ctx context.Context, by audit.Actor, action, entity string, entityID int64) error {
	return s.RecordEventDetail(ctx, by, action, entity, entityID, nil)
}

// RecordEventDetail is RecordEvent with detail as the entry's After.
func (s *DB) RecordEventDetail(ctx context.Context, by audit.Actor, action, entity string, entityID int64, detail any) error {
	err := s.eng.UnannouncedTx(ctx, func(tx *sql.Tx) error {
		return s.writeAudit(ctx, &conn{tx, s.d}, by, action, entity, entityID, nil, detail)
	})
	if err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}
