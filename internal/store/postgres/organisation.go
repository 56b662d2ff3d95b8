package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/validate"
)

const orgColumns = `id, kind, code, org_number, name, country, county, version, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanOrganisation(row scanner) (*organisation.Organisation, error) {
	var o organisation.Organisation
	var code sql.NullString
	var created, updated time.Time
	if err := row.Scan(&o.ID, &o.Kind, &code, &o.OrgNumber, &o.Name, &o.Country, &o.County, &o.Version, &created, &updated); err != nil {
		return nil, err
	}
	o.Code = code.String
	o.CreatedAt, o.UpdatedAt = utc(created), utc(updated)
	return &o, nil
}

// Organisation returns the organisation with id.
func (s *Store) Organisation(ctx context.Context, id int64) (*organisation.Organisation, error) {
	o, err := scanOrganisation(s.db.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: organisation %d: %w", id, notFound(err))
	}
	return o, nil
}

// OrganisationByCode finds a Swedish organisation by SCB code.
func (s *Store) OrganisationByCode(ctx context.Context, code string) (*organisation.Organisation, error) {
	code = organisation.CanonicalCode(code)
	o, err := scanOrganisation(s.db.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE code = $1`, code))
	if err != nil {
		return nil, fmt.Errorf("postgres: organisation code %s: %w", code, notFound(err))
	}
	return o, nil
}

// OrganisationList returns the organisations f selects, in Swedish order.
func (s *Store) OrganisationList(ctx context.Context, f organisation.Filter) ([]*organisation.Organisation, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Kind != "" {
		where = append(where, "kind = "+arg(f.Kind))
	}
	if f.Swedish {
		where = append(where, "kind IN ('municipality', 'region')")
	}
	if f.Country != "" {
		where = append(where, "country = "+arg(f.Country))
	}
	q := `SELECT ` + orgColumns + ` FROM organisations`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return s.queryOrganisations(ctx, s.db, q, f, args...)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (s *Store) queryOrganisations(ctx context.Context, db querier, q string, f organisation.Filter, args ...any) ([]*organisation.Organisation, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: organisations: %w", err)
	}
	defer rows.Close()
	var out []*organisation.Organisation
	for rows.Next() {
		o, err := scanOrganisation(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: organisations: %w", err)
		}
		if f.MatchesQuery(o) {
			out = append(out, o)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: organisations: %w", err)
	}
	swedish.Sort(out, func(o *organisation.Organisation) string { return o.Name })
	return out, nil
}

// errDuplicateCode is the field error for a Swedish code already taken.
var errDuplicateCode = validate.Errors{"code": "error.org.duplicate_code"}

// CreateOrganisation validates o and inserts it.
func (s *Store) CreateOrganisation(ctx context.Context, by audit.Actor, o *organisation.Organisation) error {
	o.Normalize()
	if err := o.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := codeTaken(ctx, tx, o); err != nil {
			return err
		}
		now := s.now()
		o.CreatedAt, o.UpdatedAt, o.Version = now, now, 1
		err := tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, code, org_number, name, country, county, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id`,
			o.Kind, nullString(o.Code), o.OrgNumber, o.Name, o.Country, o.County, now, now).Scan(&o.ID)
		if isUnique(err, "organisations_code_key") {
			return errDuplicateCode
		}
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "organisation", o.ID, nil, o)
	})
	if err != nil {
		return fmt.Errorf("postgres: create organisation: %w", err)
	}
	return nil
}

// codeTaken returns a field error when another organisation has o's code.
func codeTaken(ctx context.Context, tx *sql.Tx, o *organisation.Organisation) error {
	if o.Code == "" {
		return nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM organisations WHERE code = $1", o.Code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && id == o.ID) {
		return nil
	}
	if err != nil {
		return err
	}
	return errDuplicateCode
}

// UpdateOrganisation saves o if nobody saved it since o.Version. The row
// is locked first, so two officers saving the same version cannot both
// pass the version check.
func (s *Store) UpdateOrganisation(ctx context.Context, by audit.Actor, o *organisation.Organisation) error {
	o.Normalize()
	if err := o.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanOrganisation(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = $1 FOR UPDATE`, o.ID))
		if err != nil {
			return notFound(err)
		}
		if before.Version != o.Version {
			return store.ErrConflict
		}
		if err := codeTaken(ctx, tx, o); err != nil {
			return err
		}
		now := s.now()
		_, err = tx.ExecContext(ctx, `UPDATE organisations SET kind = $1, code = $2, org_number = $3, name = $4, country = $5, county = $6,
			version = version + 1, updated_at = $7 WHERE id = $8`,
			o.Kind, nullString(o.Code), o.OrgNumber, o.Name, o.Country, o.County, now, o.ID)
		if isUnique(err, "organisations_code_key") {
			return errDuplicateCode
		}
		if err != nil {
			return err
		}
		if err := s.reindexMember(ctx, tx, o.ID); err != nil { // the name is searchable
			return err
		}
		o.Version, o.UpdatedAt, o.CreatedAt = before.Version+1, now, before.CreatedAt
		return s.writeAudit(ctx, tx, by, "update", "organisation", o.ID, before, o)
	})
	if err != nil {
		return fmt.Errorf("postgres: update organisation %d: %w", o.ID, err)
	}
	return nil
}

// LoadReferenceOrganisations inserts the reference organisations whose code
// is missing, in one transaction. Existing rows are never touched, so an
// officer's edits survive a reload; ON CONFLICT also lets two instances
// load at once, the second waiting for the first's rows and skipping them.
func (s *Store) LoadReferenceOrganisations(ctx context.Context, by audit.Actor, list []organisation.Organisation) (int, error) {
	added := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for i := range list {
			o := list[i]
			err := tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, code, org_number, name, country, county, reference, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, TRUE, 1, $7, $8) ON CONFLICT (code) DO NOTHING RETURNING id`,
				o.Kind, o.Code, o.OrgNumber, o.Name, o.Country, o.County, now, now).Scan(&o.ID)
			if errors.Is(err, sql.ErrNoRows) {
				continue // already there
			}
			if err != nil {
				return err
			}
			added++
			if err := s.writeAudit(ctx, tx, by, "create", "organisation", o.ID, nil, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: load reference organisations: %w", err)
	}
	return added, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
