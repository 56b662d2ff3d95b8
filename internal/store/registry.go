package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/registry"
)

// Registry stores the diarium.
type Registry interface {
	RegistryList(ctx context.Context, f registry.Filter) ([]registry.Entry, error)
	RegistryEntry(ctx context.Context, id int64) (*registry.Entry, error)
	SetConfidential(ctx context.Context, by audit.Actor, id int64, confidential bool, reason string) error
}

// registryPrefixKey is the setting that holds the diarium's prefix
// ("KOM" gives "KOM 2021/0042"); unset, numbers have none.
const registryPrefixKey = "registry_prefix"

// RegistryLockKey is the first key of the transaction-level advisory lock
// register takes on a year (the second key). Any fixed number does, as
// long as nothing else takes it; this one is "regi" in ASCII. The
// two-key lock space is apart from the one-key space of PostgreSQL's
// migration lock.
const RegistryLockKey int32 = 0x72656769

// register gives a document the year's next number in tx. It first takes
// a lock on the year (an advisory lock on PostgreSQL; on SQLite the write
// lock already serialises writers), held until tx ends, so numberings queue
// one after another; the MAX read after it, a new statement under READ
// COMMITTED, sees the number the previous holder committed. The number is
// only used if tx commits, so the year's numbers have no gaps and no
// duplicates (the unique index on (year, seq) is the backstop).
func (s *DB) register(ctx context.Context, tx *conn, by audit.Actor, kind registry.Kind, title string, appID int64) (*registry.Entry, error) {
	var prefix string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", registryPrefixKey).Scan(&prefix); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("registry prefix: %w", err)
	}
	now := s.now()
	e := &registry.Entry{Year: registry.YearOf(now), Kind: kind, Title: title, ApplicationID: appID, At: now, By: by.UserID}
	if s.d.XactLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.XactLock, RegistryLockKey, int32(e.Year)); err != nil {
			return nil, fmt.Errorf("registry lock: %w", err)
		}
	}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM registry WHERE year = ?", e.Year).Scan(&e.Seq); err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	e.Number = registry.Format(prefix, e.Year, e.Seq)
	err := tx.QueryRowContext(ctx, `INSERT INTO registry (year, seq, number, kind, title, application_id, at, confidential, reason, by_user)
		VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, '', ?) RETURNING id`,
		e.Year, e.Seq, e.Number, e.Kind, e.Title, nullInt(appID), now, nullInt(by.UserID)).Scan(&e.ID)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	if err := s.writeAudit(ctx, tx, by, "register", "registry", e.ID, nil, e); err != nil {
		return nil, err
	}
	return e, nil
}

const registryColumns = `id, year, seq, number, kind, title, application_id, at, confidential, reason, by_user`

func scanRegistryEntry(row scanner) (*registry.Entry, error) {
	var e registry.Entry
	var appID, by sql.NullInt64
	if err := row.Scan(&e.ID, &e.Year, &e.Seq, &e.Number, &e.Kind, &e.Title, &appID, instant(&e.At), &e.Confidential, &e.Reason, &by); err != nil {
		return nil, err
	}
	e.ApplicationID, e.By = appID.Int64, by.Int64
	return &e, nil
}

// RegistryList returns the entries f selects, newest first: by year and
// application in SQL, by the query in Go (see registry.Filter.MatchesQuery),
// at most f.Limit (200 when 0).
func (s *DB) RegistryList(ctx context.Context, f registry.Filter) ([]registry.Entry, error) {
	q := `SELECT ` + registryColumns + ` FROM registry WHERE 1 = 1`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "?"
	}
	if f.Year != 0 {
		q += ` AND year = ` + arg(f.Year)
	}
	if f.ApplicationID != 0 {
		q += ` AND application_id = ` + arg(f.ApplicationID)
	}
	if cond, list := s.inScope(programmeOfSQL("registry", "registry.id"), f.Scope); cond != "" {
		q += ` AND ` + cond
		args = append(args, list)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY year DESC, seq DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	defer rows.Close()
	var out []registry.Entry
	for rows.Next() && len(out) < limit {
		e, err := scanRegistryEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("registry: %w", err)
		}
		if f.MatchesQuery(e) {
			out = append(out, *e)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	return out, nil
}

// RegistryEntry returns the entry with id.
func (s *DB) RegistryEntry(ctx context.Context, id int64) (*registry.Entry, error) {
	e, err := scanRegistryEntry(s.r.QueryRowContext(ctx, `SELECT `+registryColumns+` FROM registry WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("registry entry %d: %w", id, notFound(err))
	}
	return e, nil
}

// SetConfidential marks an entry confidential, with the reason, or public.
func (s *DB) SetConfidential(ctx context.Context, by audit.Actor, id int64, confidential bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if !confidential {
		reason = ""
	}
	if err := registry.CheckConfidential(confidential, reason).Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		before, err := scanRegistryEntry(tx.QueryRowContext(ctx, `SELECT `+registryColumns+` FROM registry WHERE id = ?`+s.d.ForUpdate, id))
		if err != nil {
			return notFound(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE registry SET confidential = ?, reason = ? WHERE id = ?`, confidential, reason, id); err != nil {
			return err
		}
		after := *before
		after.Confidential, after.Reason = confidential, reason
		return s.writeAudit(ctx, tx, by, "set_confidential", "registry", id, before, &after)
	})
	if err != nil {
		return fmt.Errorf("registry entry %d: %w", id, err)
	}
	return nil
}
