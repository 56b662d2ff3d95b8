package store

import (
	"context"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/material"
)

// Materials stores the material bank. An item's file bytes are in the
// file store, written before CreateMaterial or UpdateMaterial and deleted
// by the caller when no item refers to them any more. Each change
// validates the item (material.Item.Validate) in its transaction, checks
// that its partnership exists (else ErrNotFound) and writes an audit
// entry there.
type Materials interface {
	// Material returns one item, in whatever state.
	Material(ctx context.Context, id int64) (*material.Item, error)
	// MaterialList returns a page of the items f selects, newest
	// published first, and how many f selects in all.
	MaterialList(ctx context.Context, f material.Filter) ([]*material.Item, int, error)
	// CreateMaterial inserts it as a draft, setting its ID, state,
	// version and times.
	CreateMaterial(ctx context.Context, by audit.Actor, it *material.Item) error
	// UpdateMaterial saves what the publisher edits (not the state, not
	// the downloads) if it.Version is the stored version, else
	// ErrConflict. An item stays with its partnership.
	UpdateMaterial(ctx context.Context, by audit.Actor, it *material.Item) error
	// ChangeMaterialState applies e (material.Item.Apply) to the item at
	// version (else ErrConflict) and returns it as saved;
	// material.ErrTransition when its state does not allow e.
	ChangeMaterialState(ctx context.Context, by audit.Actor, id int64, version int, e material.Event, reason string) (*material.Item, error)
	// CountMaterialDownload adds one to a published item's downloads in
	// one atomic statement, so concurrent downloads are all counted, and
	// returns the new count; ErrNotFound for an item that is not
	// published. It writes no audit entry: a download changes nothing
	// anyone decided, and the log would fill with them.
	CountMaterialDownload(ctx context.Context, id int64) (int64, error)
}

const materialColumns = `id, partnership_id, kind, title_sv, title_en, description_sv, description_en, licence, author, link,
	file_name, file_content_type, file_size, file_sha256, file_key, state, removed_reason, downloads, published_at,
	version, COALESCE(created_by, 0), created_at, updated_at`

func scanMaterial(row scanner) (*material.Item, error) {
	var it material.Item
	var f material.File
	if err := row.Scan(&it.ID, &it.PartnershipID, &it.Kind, &it.TitleSV, &it.TitleEN, &it.DescriptionSV, &it.DescriptionEN, &it.Licence, &it.Author, &it.Link,
		&f.Filename, &f.ContentType, &f.Size, &f.SHA256, &f.StorageKey, &it.State, &it.RemovedReason, &it.Downloads, instant(&it.PublishedAt),
		&it.Version, &it.CreatedBy, instant(&it.CreatedAt), instant(&it.UpdatedAt)); err != nil {
		return nil, err
	}
	if f.StorageKey != "" {
		it.File = &f
	}
	return &it, nil
}

// materialFile is the columns of an item's file, empty for a link.
func materialFile(it *material.Item) (name, contentType string, size int64, sum, key string) {
	if f := it.File; f != nil {
		return f.Filename, f.ContentType, f.Size, f.SHA256, f.StorageKey
	}
	return "", "", 0, "", ""
}

// readMaterials reads the items q selects (its columns materialColumns)
// with their languages, target groups and goals.
func (s *DB) readMaterials(ctx context.Context, db querier, q string, args ...any) ([]*material.Item, error) {
	out, err := queryAll(ctx, db, scanMaterial, q, args...)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	byID := make(map[int64]*material.Item, len(out))
	ids := make([]int64, 0, len(out))
	for _, it := range out {
		byID[it.ID] = it
		ids = append(ids, it.ID)
	}
	in, arg := s.d.In("material_id", ids)
	for _, detail := range []struct {
		q    string
		read func(it *material.Item, v string, n int)
	}{
		{`SELECT material_id, language, 0 FROM material_languages WHERE ` + in,
			func(it *material.Item, v string, _ int) { it.Languages = append(it.Languages, v) }},
		{`SELECT material_id, target_group, 0 FROM material_target_groups WHERE ` + in,
			func(it *material.Item, v string, _ int) { it.TargetGroups = append(it.TargetGroups, v) }},
		{`SELECT material_id, '', goal FROM material_goals WHERE ` + in,
			func(it *material.Item, _ string, n int) { it.Goals = append(it.Goals, n) }},
	} {
		err := eachRow(ctx, db, func(row scanner) error {
			var id int64
			var v string
			var n int
			if err := row.Scan(&id, &v, &n); err != nil {
				return err
			}
			if it := byID[id]; it != nil {
				detail.read(it, v, n)
			}
			return nil
		}, detail.q, arg)
		if err != nil {
			return nil, err
		}
	}
	for _, it := range out {
		it.Normalize() // the lists in their order
	}
	return out, nil
}

func (s *DB) readMaterial(ctx context.Context, db querier, id int64) (*material.Item, error) {
	return s.readMaterialQuery(ctx, db, `SELECT `+materialColumns+` FROM materials WHERE id = ?`, id)
}

// readMaterialForUpdate reads the item locking its row until the
// transaction ends.
func (s *DB) readMaterialForUpdate(ctx context.Context, db querier, id int64) (*material.Item, error) {
	return s.readMaterialQuery(ctx, db, `SELECT `+materialColumns+` FROM materials WHERE id = ?`+s.d.ForUpdate, id)
}

func (s *DB) readMaterialQuery(ctx context.Context, db querier, q string, id int64) (*material.Item, error) {
	list, err := s.readMaterials(ctx, db, q, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return list[0], nil
}

// Material returns the item with id.
func (s *DB) Material(ctx context.Context, id int64) (*material.Item, error) {
	it, err := s.readMaterial(ctx, s.r, id)
	if err != nil {
		return nil, fmt.Errorf("material %d: %w", id, err)
	}
	return it, nil
}

// materialWhere is the condition of f, with its arguments.
func (s *DB) materialWhere(f material.Filter) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "?"
	}
	q := `1 = 1`
	if !f.Unpublished {
		q += ` AND state = ` + arg(string(material.Published))
	}
	if f.Kind != "" {
		q += ` AND kind = ` + arg(string(f.Kind))
	}
	if f.Licence != "" {
		q += ` AND licence = ` + arg(f.Licence)
	}
	if f.PartnershipID != 0 {
		q += ` AND partnership_id = ` + arg(f.PartnershipID)
	}
	if f.PartnershipIDs != nil {
		in, list := s.d.In("partnership_id", f.PartnershipIDs)
		q += ` AND ` + in
		args = append(args, list)
	}
	if f.Language != "" {
		q += ` AND id IN (SELECT material_id FROM material_languages WHERE language = ` + arg(f.Language) + `)`
	}
	if f.TargetGroup != "" {
		q += ` AND id IN (SELECT material_id FROM material_target_groups WHERE target_group = ` + arg(f.TargetGroup) + `)`
	}
	if f.Goal != 0 {
		q += ` AND id IN (SELECT material_id FROM material_goals WHERE goal = ` + arg(f.Goal) + `)`
	}
	if p := f.QueryPattern(); p != "" {
		q += ` AND search LIKE ` + arg(p) + ` ESCAPE '\'`
	}
	return q, args
}

// MaterialList returns a page of the items f selects, newest published
// first (drafts by when they were made), and how many there are in all.
func (s *DB) MaterialList(ctx context.Context, f material.Filter) ([]*material.Item, int, error) {
	where, args := s.materialWhere(f)
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM materials WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("materials: %w", err)
	}
	q := `SELECT ` + materialColumns + ` FROM materials WHERE ` + where + ` ORDER BY COALESCE(published_at, created_at) DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	list, err := s.readMaterials(ctx, s.r, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("materials: %w", err)
	}
	return list, total, nil
}

// checkMaterial validates it in the transaction: its fields, and that its
// partnership exists.
func checkMaterial(ctx context.Context, tx *conn, it *material.Item) error {
	if err := it.Validate().Err(); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM partnerships WHERE id = ?`, it.PartnershipID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// writeMaterialDetails replaces the item's languages, target groups and goals.
func writeMaterialDetails(ctx context.Context, tx *conn, it *material.Item) error {
	for _, table := range []string{"material_languages", "material_target_groups", "material_goals"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE material_id = ?`, it.ID); err != nil {
			return err
		}
	}
	for _, l := range it.Languages {
		if _, err := tx.ExecContext(ctx, `INSERT INTO material_languages (material_id, language) VALUES (?, ?)`, it.ID, l); err != nil {
			return err
		}
	}
	for _, g := range it.TargetGroups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO material_target_groups (material_id, target_group) VALUES (?, ?)`, it.ID, g); err != nil {
			return err
		}
	}
	for _, g := range it.Goals {
		if _, err := tx.ExecContext(ctx, `INSERT INTO material_goals (material_id, goal) VALUES (?, ?)`, it.ID, g); err != nil {
			return err
		}
	}
	return nil
}

// CreateMaterial validates it and inserts it as a draft.
func (s *DB) CreateMaterial(ctx context.Context, by audit.Actor, it *material.Item) error {
	it.Normalize()
	err := s.tx(ctx, func(tx *conn) error {
		if err := checkMaterial(ctx, tx, it); err != nil {
			return err
		}
		now := s.now()
		fname, ftype, fsize, fsum, fkey := materialFile(it)
		err := tx.QueryRowContext(ctx, `INSERT INTO materials (partnership_id, kind, title_sv, title_en, description_sv, description_en, search, licence, author, link,
			file_name, file_content_type, file_size, file_sha256, file_key, state, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id`,
			it.PartnershipID, string(it.Kind), it.TitleSV, it.TitleEN, it.DescriptionSV, it.DescriptionEN, it.SearchText(), it.Licence, it.Author, it.Link,
			fname, ftype, fsize, fsum, fkey, string(material.Draft), nullInt(by.UserID), now, now).Scan(&it.ID)
		if err != nil {
			return err
		}
		it.State, it.RemovedReason, it.Downloads, it.PublishedAt = material.Draft, "", 0, time.Time{}
		it.Version, it.CreatedBy, it.CreatedAt, it.UpdatedAt = 1, by.UserID, now, now
		if err := writeMaterialDetails(ctx, tx, it); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "material", it.ID, nil, it)
	})
	if err != nil {
		return fmt.Errorf("create material: %w", err)
	}
	return nil
}

// UpdateMaterial saves what the publisher edits if it.Version is the
// stored version; the state, the downloads and the partnership stay.
func (s *DB) UpdateMaterial(ctx context.Context, by audit.Actor, it *material.Item) error {
	it.Normalize()
	err := s.tx(ctx, func(tx *conn) error {
		// FOR UPDATE: two saves of one version can't both pass the check.
		before, err := s.readMaterialForUpdate(ctx, tx, it.ID)
		if err != nil {
			return err
		}
		if before.PartnershipID != it.PartnershipID {
			return ErrNotFound
		}
		if before.Version != it.Version {
			return ErrConflict
		}
		if err := checkMaterial(ctx, tx, it); err != nil {
			return err
		}
		now := s.now()
		fname, ftype, fsize, fsum, fkey := materialFile(it)
		_, err = tx.ExecContext(ctx, `UPDATE materials SET kind = ?, title_sv = ?, title_en = ?, description_sv = ?, description_en = ?, search = ?,
			licence = ?, author = ?, link = ?, file_name = ?, file_content_type = ?, file_size = ?, file_sha256 = ?, file_key = ?,
			version = version + 1, updated_at = ? WHERE id = ?`,
			string(it.Kind), it.TitleSV, it.TitleEN, it.DescriptionSV, it.DescriptionEN, it.SearchText(),
			it.Licence, it.Author, it.Link, fname, ftype, fsize, fsum, fkey, now, it.ID)
		if err != nil {
			return err
		}
		it.State, it.RemovedReason, it.Downloads, it.PublishedAt = before.State, before.RemovedReason, before.Downloads, before.PublishedAt
		it.Version, it.CreatedBy, it.CreatedAt, it.UpdatedAt = before.Version+1, before.CreatedBy, before.CreatedAt, now
		if err := writeMaterialDetails(ctx, tx, it); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "update", "material", it.ID, before, it)
	})
	if err != nil {
		return fmt.Errorf("update material %d: %w", it.ID, err)
	}
	return nil
}

// ChangeMaterialState applies e to the item at version.
func (s *DB) ChangeMaterialState(ctx context.Context, by audit.Actor, id int64, version int, e material.Event, reason string) (*material.Item, error) {
	var out *material.Item
	err := s.tx(ctx, func(tx *conn) error {
		before, err := s.readMaterialForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return ErrConflict
		}
		it := *before
		now := s.now()
		if err := it.Apply(e, reason, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE materials SET state = ?, removed_reason = ?, published_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			string(it.State), it.RemovedReason, nullTime(it.PublishedAt), now, id)
		if err != nil {
			return err
		}
		it.Version, it.UpdatedAt = before.Version+1, now
		out = &it
		return s.writeAudit(ctx, tx, by, string(e), "material", id, before, &it)
	})
	if err != nil {
		return nil, fmt.Errorf("%s material %d: %w", e, id, err)
	}
	return out, nil
}

// CountMaterialDownload adds one to a published item's downloads in one
// statement: PostgreSQL locks the row for it, so concurrent increments
// queue and none is lost.
func (s *DB) CountMaterialDownload(ctx context.Context, id int64) (int64, error) {
	var n int64
	// Through tx, like every write, so the data version moves and the
	// item page (which shows the count) is not served from the cache.
	err := s.tx(ctx, func(tx *conn) error {
		return tx.QueryRowContext(ctx, `UPDATE materials SET downloads = downloads + 1 WHERE id = ? AND state = ? RETURNING downloads`,
			id, string(material.Published)).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count download of material %d: %w", id, notFound(err))
	}
	return n, nil
}
