package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/registry"
)

// registryPrefixKey is the setting that holds the diarium's prefix
// ("KOM" gives "KOM 2021/0042"); unset, numbers have none.
const registryPrefixKey = "registry_prefix"

// register gives a document the year's next number in tx. SQLite's write
// lock, taken at BEGIN, serialises every numbering, and the number is
// only used if the transaction commits, so the year's numbers have no
// gaps and no duplicates.
func (s *Store) register(ctx context.Context, tx *sql.Tx, by audit.Actor, kind registry.Kind, title string, appID int64) (*registry.Entry, error) {
	var prefix string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", registryPrefixKey).Scan(&prefix); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("registry prefix: %w", err)
	}
	now := s.clock.Now()
	e := &registry.Entry{Year: registry.YearOf(now), Kind: kind, Title: title, ApplicationID: appID, At: now, By: by.UserID}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM registry WHERE year = ?", e.Year).Scan(&e.Seq); err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	e.Number = registry.Format(prefix, e.Year, e.Seq)
	res, err := tx.ExecContext(ctx, `INSERT INTO registry (year, seq, number, kind, title, application_id, at, confidential, reason, by_user)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, '', ?)`, e.Year, e.Seq, e.Number, e.Kind, e.Title, nullInt(appID), ts(now), nullInt(by.UserID))
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	e.ID, _ = res.LastInsertId()
	if err := s.writeAudit(ctx, tx, by, "register", "registry", e.ID, nil, e); err != nil {
		return nil, err
	}
	return e, nil
}

const registryColumns = `id, year, seq, number, kind, title, application_id, at, confidential, reason, by_user`

func scanRegistryEntry(row scanner) (*registry.Entry, error) {
	var e registry.Entry
	var appID, by sql.NullInt64
	var at string
	if err := row.Scan(&e.ID, &e.Year, &e.Seq, &e.Number, &e.Kind, &e.Title, &appID, &at, &e.Confidential, &e.Reason, &by); err != nil {
		return nil, err
	}
	e.ApplicationID, e.By, e.At = appID.Int64, by.Int64, parseTS(at)
	return &e, nil
}

// RegistryList returns the entries f selects, newest first: by year and
// application in SQL, by the query in Go (see registry.Filter.MatchesQuery),
// at most f.Limit (200 when 0).
func (s *Store) RegistryList(ctx context.Context, f registry.Filter) ([]registry.Entry, error) {
	q := `SELECT ` + registryColumns + ` FROM registry WHERE 1 = 1`
	var args []any
	if f.Year != 0 {
		q += ` AND year = ?`
		args = append(args, f.Year)
	}
	if f.ApplicationID != 0 {
		q += ` AND application_id = ?`
		args = append(args, f.ApplicationID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY year DESC, seq DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: registry: %w", err)
	}
	defer rows.Close()
	var out []registry.Entry
	for rows.Next() && len(out) < limit {
		e, err := scanRegistryEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: registry: %w", err)
		}
		if f.MatchesQuery(e) {
			out = append(out, *e)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: registry: %w", err)
	}
	return out, nil
}

// RegistryEntry returns the entry with id.
func (s *Store) RegistryEntry(ctx context.Context, id int64) (*registry.Entry, error) {
	e, err := scanRegistryEntry(s.r.QueryRowContext(ctx, `SELECT `+registryColumns+` FROM registry WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: registry entry %d: %w", id, notFound(err))
	}
	return e, nil
}

// SetConfidential marks an entry confidential, with the reason, or public.
func (s *Store) SetConfidential(ctx context.Context, by audit.Actor, id int64, confidential bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if !confidential {
		reason = ""
	}
	if err := registry.CheckConfidential(confidential, reason).Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanRegistryEntry(tx.QueryRowContext(ctx, `SELECT `+registryColumns+` FROM registry WHERE id = ?`, id))
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
		return fmt.Errorf("sqlite: registry entry %d: %w", id, err)
	}
	return nil
}
