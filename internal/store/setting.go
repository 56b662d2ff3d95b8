package store

import (
	"context"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
)

// Settings stores small named values, such as whether the demo is loaded.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, by audit.Actor, key, value string) error
	// UserDataCount counts the rows that are not reference data
	// (programmes, calls, partnerships, grants, users, partner
	// organisations), so the demo loader can refuse a database in use.
	UserDataCount(ctx context.Context) (int, error)
}

// Setting returns the value stored under key, or ErrNotFound.
func (s *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	if err := s.r.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v); err != nil {
		return "", fmt.Errorf("setting %s: %w", key, notFound(err))
	}
	return v, nil
}

// SetSetting stores value under key. The old value, when there is one, is
// read under its row lock, so the audit entry's "before" is the value this
// change replaced even when two instances set the key at once.
func (s *DB) SetSetting(ctx context.Context, by audit.Actor, key, value string) error {
	err := s.tx(ctx, func(tx *conn) error {
		var before any
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?"+s.d.ForUpdate, key).Scan(&old); err == nil {
			before = map[string]string{key: old}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "set", "setting:"+key, 0, before, map[string]string{key: value})
	})
	if err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}

// UserDataCount counts rows that are not reference data.
func (s *DB) UserDataCount(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM programmes) + (SELECT count(*) FROM calls) + (SELECT count(*) FROM partnerships) +
		(SELECT count(*) FROM grants) + (SELECT count(*) FROM users) + (SELECT count(*) FROM organisations WHERE NOT reference)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count data: %w", err)
	}
	return n, nil
}
