package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
)

// Audit reads the audit log and records events that change no record
// (such as signing in).
type Audit interface {
	AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
	// ProgrammeOf returns the programme of the record entity and id name
	// (scope.go), so a page filtered to one record can ask the policy.
	ProgrammeOf(ctx context.Context, entity string, id int64) (int64, error)
	RecordEvent(ctx context.Context, by audit.Actor, action, entity string, entityID int64) error
}

// AuditLog returns entries f selects, newest first. The scope is applied
// in the query, before the limit, so a scoped officer's page is as full
// as anyone's.
func (s *DB) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
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
	if cond, list := s.inScope(recordProgrammeSQL("l.entity", "l.entity_id"), f.Scope); cond != "" {
		q += ` AND ` + cond
		args = append(args, list)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q += ` ORDER BY l.id DESC LIMIT ` + arg(limit)
	out, err := queryAll(ctx, s.r, func(row scanner) (audit.Entry, error) {
		var e audit.Entry
		var before, after []byte
		err := row.Scan(&e.ID, instant(&e.At), &e.Actor.UserID, &e.Actor.Name, &e.Action, &e.Entity, &e.EntityID, &before, &after)
		e.Before, e.After = json.RawMessage(before), json.RawMessage(after)
		return e, err
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}

// RecordEvent writes an audit entry for an event that changes no record.
func (s *DB) RecordEvent(ctx context.Context, by audit.Actor, action, entity string, entityID int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		return s.writeAudit(ctx, tx, by, action, entity, entityID, nil, nil)
	})
	if err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}
