package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/registry"
)

// Registry stores the diarium.
type Registry interface {
	RegistryList(ctx context.Context, f registry.Filter) ([]registry.Entry, error)
	// EachRegistryEntry calls fn with every entry f selects, in the order
	// they were registered, reading them a page at a time (as
	// EachAuditEntry); f.Limit is ignored. It stops at fn's first error.
	EachRegistryEntry(ctx context.Context, f registry.Filter, fn func(registry.Entry) error) error
	RegistryEntry(ctx context.Context, id int64) (*registry.Entry, error)
	SetConfidential(ctx context.Context, by audit.Actor, id int64, confidential bool, reason string) error
	RegisterDocument(ctx context.Context, by audit.Actor, appID int64, title string) (*registry.Entry, error)
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

// register gives a document its number in tx: the next document of its
// application's case, or, for an application's first document and for a
// document of no application, the first document of a new case, numbered
// next in the year. It first takes a lock on the year of the case (an
// advisory lock on PostgreSQL; on SQLite the write lock already serialises
// writers), held until tx ends, so numberings in a year queue one after
// another; the MAX read after it, a new statement under READ COMMITTED,
// sees the number the previous holder committed. The number is only used
// if tx commits, so a year's cases and a case's documents are numbered
// without gaps and without duplicates (the unique index on (year, seq,
// doc) is the backstop). A year's new case comes after its former numbers
// too (migration 0018), so a number given out before is never reused.
func (s *DB) register(ctx context.Context, tx *conn, by audit.Actor, kind registry.Kind, title string, appID int64) (*registry.Entry, error) {
	var prefix string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", registryPrefixKey).Scan(&prefix); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("registry prefix: %w", err)
	}
	now := s.now()
	e := &registry.Entry{Kind: kind, Title: title, ApplicationID: appID, At: now, By: by.UserID}
	lock := func(year int) error {
		if s.d.XactLock == "" {
			return nil
		}
		if _, err := tx.ExecContext(ctx, s.d.XactLock, RegistryLockKey, int32(year)); err != nil {
			return fmt.Errorf("registry lock: %w", err)
		}
		return nil
	}
	caseNumber, found, err := s.caseOf(ctx, tx, appID, e)
	if err != nil {
		return nil, err
	}
	if !found {
		e.Year = registry.YearOf(now)
		if err := lock(e.Year); err != nil {
			return nil, err
		}
		// Under the lock, in case another transaction opened the
		// application's case meanwhile (on SQLite the write lock was held
		// all along).
		if s.d.XactLock != "" {
			if caseNumber, found, err = s.caseOf(ctx, tx, appID, e); err != nil {
				return nil, err
			}
		}
	}
	if found {
		if err := lock(e.Year); err != nil {
			return nil, err
		}
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(doc), 0) + 1 FROM registry WHERE year = ? AND seq = ?", e.Year, e.Seq).Scan(&e.Doc); err != nil {
			return nil, fmt.Errorf("registry: %w", err)
		}
		e.Number = caseNumber + "-" + strconv.Itoa(e.Doc)
	} else {
		// Two plain MAXes, each answered from its index's end.
		err := tx.QueryRowContext(ctx, `SELECT CASE WHEN a > b THEN a ELSE b END + 1
			FROM (SELECT COALESCE((SELECT MAX(seq) FROM registry WHERE year = ?), 0) AS a,
			             COALESCE((SELECT MAX(former_seq) FROM registry WHERE former_year = ?), 0) AS b) AS numbers`, e.Year, e.Year).Scan(&e.Seq)
		if err != nil {
			return nil, fmt.Errorf("registry: %w", err)
		}
		e.Doc = 1
		e.Number = registry.FormatDoc(prefix, e.Year, e.Seq, e.Doc)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO registry (year, seq, doc, number, kind, title, application_id, at, confidential, reason, by_user)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, '', ?) RETURNING id`,
		e.Year, e.Seq, e.Doc, e.Number, e.Kind, e.Title, nullInt(appID), now, nullInt(by.UserID)).Scan(&e.ID)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	if err := s.writeAudit(ctx, tx, by, "register", "registry", e.ID, nil, e); err != nil {
		return nil, err
	}
	return e, nil
}

// caseOf finds the case of application appID, if it has one, and sets
// e's year and sequence to it; it returns the case's number as its first
// document gave it (so a prefix changed since does not split the case).
func (s *DB) caseOf(ctx context.Context, tx *conn, appID int64, e *registry.Entry) (string, bool, error) {
	if appID == 0 {
		return "", false, nil
	}
	first, err := scanRegistryEntry(tx.QueryRowContext(ctx, `SELECT `+registryColumns+` FROM registry WHERE application_id = ? ORDER BY doc LIMIT 1`, appID))
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("registry case: %w", err)
	}
	e.Year, e.Seq = first.Year, first.Seq
	return first.CaseNumber(), true, nil
}

const registryColumns = `id, year, seq, doc, number, kind, title, application_id, at, confidential, reason, by_user, former_number`

func scanRegistryEntry(row scanner) (*registry.Entry, error) {
	var e registry.Entry
	var appID, by sql.NullInt64
	if err := row.Scan(&e.ID, &e.Year, &e.Seq, &e.Doc, &e.Number, &e.Kind, &e.Title, &appID, instant(&e.At), &e.Confidential, &e.Reason, &by, &e.FormerNumber); err != nil {
		return nil, err
	}
	e.ApplicationID, e.By = appID.Int64, by.Int64
	return &e, nil
}

// RegistryList returns the entries f selects, newest first: by year and
// application in SQL, by the query in Go (see registry.Filter.MatchesQuery),
// at most f.Limit (200 when 0).
func (s *DB) RegistryList(ctx context.Context, f registry.Filter) ([]registry.Entry, error) {
	q, args := s.registrySelect(f)
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY year DESC, seq DESC, doc DESC`, args...)
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

// registrySelect is the query of the entries f selects by year,
// application, time and scope, without order, and its arguments.
func (s *DB) registrySelect(f registry.Filter) (string, []any) {
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
	if !f.From.IsZero() {
		q += ` AND at >= ` + arg(s.cut(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND at < ` + arg(s.cut(f.To))
	}
	if cond, list := s.inScope(programmeOfSQL("registry", "registry.id"), f.Scope); cond != "" {
		q += ` AND ` + cond
		args = append(args, list)
	}
	return q, args
}

// EachRegistryEntry pages through the entries f selects by id, the order
// of registration; the query is applied in Go, as in RegistryList.
func (s *DB) EachRegistryEntry(ctx context.Context, f registry.Filter, fn func(registry.Entry) error) error {
	q, args := s.registrySelect(f)
	q += ` AND id > ? ORDER BY id LIMIT ?`
	var after int64
	for {
		page, err := queryAll(ctx, s.r, func(row scanner) (*registry.Entry, error) { return scanRegistryEntry(row) },
			q, append(args[:len(args):len(args)], after, exportPage)...)
		if err != nil {
			return fmt.Errorf("registry export: %w", err)
		}
		for _, e := range page {
			after = e.ID
			if !f.MatchesQuery(e) {
				continue
			}
			if err := fn(*e); err != nil {
				return err
			}
		}
		if len(page) < exportPage {
			return nil
		}
	}
}

// RegistryEntry returns the entry with id.
func (s *DB) RegistryEntry(ctx context.Context, id int64) (*registry.Entry, error) {
	e, err := scanRegistryEntry(s.r.QueryRowContext(ctx, `SELECT `+registryColumns+` FROM registry WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("registry entry %d: %w", id, notFound(err))
	}
	return e, nil
}

// RegisterDocument registers a document an officer received or sent in
// the case of application appID (a letter, an e-mail) as the case's next
// document. Only a submitted application has a case: a draft's is
// application.ErrTransition. It holds the application's row lock, as
// every registration of an application's own documents does.
func (s *DB) RegisterDocument(ctx context.Context, by audit.Actor, appID int64, title string) (*registry.Entry, error) {
	title = strings.TrimSpace(title)
	if err := registry.CheckDocument(title).Err(); err != nil {
		return nil, err
	}
	var entry *registry.Entry
	err := s.tx(ctx, func(tx *conn) error {
		a, err := readApplication(ctx, tx, appID, s.d.ForUpdate)
		if err != nil {
			return err
		}
		if a.Submissions == 0 {
			return application.ErrTransition
		}
		entry, err = s.register(ctx, tx, by, registry.Document, title, a.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("register document in application %d: %w", appID, err)
	}
	return entry, nil
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
