package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/validate"
)

// Organisations stores municipalities, regions and partners abroad.
type Organisations interface {
	Organisation(ctx context.Context, id int64) (*organisation.Organisation, error)
	// OrganisationByCode finds a Swedish organisation by its SCB code
	// ("09" finds Region Gotland, the kommun 0980).
	OrganisationByCode(ctx context.Context, code string) (*organisation.Organisation, error)
	// OrganisationList returns organisations sorted by name in Swedish order.
	OrganisationList(ctx context.Context, f organisation.Filter) ([]*organisation.Organisation, error)
	// CreateOrganisation validates and inserts o, setting its ID. A Swedish
	// code already taken is a field error on "code".
	CreateOrganisation(ctx context.Context, by audit.Actor, o *organisation.Organisation) error
	// UpdateOrganisation saves o if o.Version is the stored version.
	UpdateOrganisation(ctx context.Context, by audit.Actor, o *organisation.Organisation) error
	// LoadReferenceOrganisations adds the reference organisations that are
	// missing (by code) and leaves existing ones, edited or not, untouched.
	LoadReferenceOrganisations(ctx context.Context, by audit.Actor, list []organisation.Organisation) (added int, err error)
}

const orgColumns = `id, kind, code, org_number, name, country, county, version, created_at, updated_at`

func scanOrganisation(row scanner) (*organisation.Organisation, error) {
	var o organisation.Organisation
	var code sql.NullString
	if err := row.Scan(&o.ID, &o.Kind, &code, &o.OrgNumber, &o.Name, &o.Country, &o.County, &o.Version, instant(&o.CreatedAt), instant(&o.UpdatedAt)); err != nil {
		return nil, err
	}
	o.Code = code.String
	return &o, nil
}

// Organisation returns the organisation with id.
func (s *DB) Organisation(ctx context.Context, id int64) (*organisation.Organisation, error) {
	o, err := scanOrganisation(s.r.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("organisation %d: %w", id, notFound(err))
	}
	return o, nil
}

// OrganisationByCode finds a Swedish organisation by SCB code.
func (s *DB) OrganisationByCode(ctx context.Context, code string) (*organisation.Organisation, error) {
	code = organisation.CanonicalCode(code)
	o, err := scanOrganisation(s.r.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE code = ?`, code))
	if err != nil {
		return nil, fmt.Errorf("organisation code %s: %w", code, notFound(err))
	}
	return o, nil
}

// OrganisationList returns the organisations f selects, in Swedish order.
func (s *DB) OrganisationList(ctx context.Context, f organisation.Filter) ([]*organisation.Organisation, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	if f.Swedish {
		where = append(where, "kind IN ('municipality', 'region')")
	}
	if f.Country != "" {
		where = append(where, "country = ?")
		args = append(args, f.Country)
	}
	q := `SELECT ` + orgColumns + ` FROM organisations`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	all, err := queryAll(ctx, s.r, scanOrganisation, q, args...)
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	out := all[:0]
	for _, o := range all {
		if f.MatchesQuery(o) {
			out = append(out, o)
		}
	}
	swedish.Sort(out, func(o *organisation.Organisation) string { return o.Name })
	return out, nil
}

// errDuplicateCode is the field error for a Swedish code already taken.
var errDuplicateCode = validate.Errors{"code": "error.org.duplicate_code"}

// CreateOrganisation validates o and inserts it.
func (s *DB) CreateOrganisation(ctx context.Context, by audit.Actor, o *organisation.Organisation) error {
	o.Normalize()
	if err := o.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		if err := codeTaken(ctx, tx, o); err != nil {
			return err
		}
		now := s.now()
		o.CreatedAt, o.UpdatedAt, o.Version = now, now, 1
		id, err := insertID(ctx, tx, `INSERT INTO organisations (kind, code, org_number, name, country, county, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			o.Kind, nullString(o.Code), o.OrgNumber, o.Name, o.Country, o.County, now, now)
		if s.d.IsUnique(err, "organisations_code_key") {
			return errDuplicateCode
		}
		if err != nil {
			return err
		}
		o.ID = id
		return s.writeAudit(ctx, tx, by, "create", "organisation", o.ID, nil, o)
	})
	if err != nil {
		return fmt.Errorf("create organisation: %w", err)
	}
	return nil
}

// codeTaken returns a field error when another organisation has o's code.
// Under READ COMMITTED a transaction cannot see a row another has inserted
// and not yet committed; the unique index catches that race, and the
// callers turn it into the same field error.
func codeTaken(ctx context.Context, tx querier, o *organisation.Organisation) error {
	if o.Code == "" {
		return nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM organisations WHERE code = ?", o.Code).Scan(&id)
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
func (s *DB) UpdateOrganisation(ctx context.Context, by audit.Actor, o *organisation.Organisation) error {
	o.Normalize()
	if err := o.Validate().Err(); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *conn) error {
		before, err := scanOrganisation(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = ?`+s.d.ForUpdate, o.ID))
		if err != nil {
			return notFound(err)
		}
		if before.Version != o.Version {
			return ErrConflict
		}
		if err := codeTaken(ctx, tx, o); err != nil {
			return err
		}
		now := s.now()
		_, err = tx.ExecContext(ctx, `UPDATE organisations SET kind = ?, code = ?, org_number = ?, name = ?, country = ?, county = ?,
			version = version + 1, updated_at = ? WHERE id = ?`,
			o.Kind, nullString(o.Code), o.OrgNumber, o.Name, o.Country, o.County, now, o.ID)
		if s.d.IsUnique(err, "organisations_code_key") {
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
		return fmt.Errorf("update organisation %d: %w", o.ID, err)
	}
	return nil
}

// LoadReferenceOrganisations inserts the reference organisations whose code
// is missing, in one transaction. Existing rows are never touched, so an
// officer's edits survive a reload; ON CONFLICT also lets two instances
// load at once, the second waiting for the first's rows and skipping them.
func (s *DB) LoadReferenceOrganisations(ctx context.Context, by audit.Actor, list []organisation.Organisation) (int, error) {
	added := 0
	err := s.tx(ctx, func(tx *conn) error {
		now := s.now()
		for i := range list {
			o := list[i]
			err := tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, code, org_number, name, country, county, reference, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, TRUE, 1, ?, ?) ON CONFLICT (code) DO NOTHING RETURNING id`,
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
		return 0, fmt.Errorf("load reference organisations: %w", err)
	}
	return added, nil
}
