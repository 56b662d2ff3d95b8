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
	RecordEvent(ctx context.Context, by audit.Actor, action, entity string, entityID int64) error
}

// AuditLog returns entries f selects, newest first.
func (s *DB) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	q := `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before, after FROM audit_log WHERE 1 = 1`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "?"
	}
	if f.Entity != "" {
		q += ` AND entity = ` + arg(f.Entity)
	}
	if f.EntityID != 0 {
		q += ` AND entity_id = ` + arg(f.EntityID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q += ` ORDER BY id DESC LIMIT ` + arg(limit)
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
