package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
)

const activityColumns = `id, grant_id, held_on, title, target_group, channel, cost, evidence_url, version, COALESCE(created_by, 0), created_at, updated_at,
	evidence_filename, evidence_content_type, evidence_size, evidence_sha256, evidence_key`

func scanActivity(row scanner) (*activity.Activity, error) {
	var a activity.Activity
	var file activity.EvidenceFile
	var held sql.NullString
	var created, updated string
	if err := row.Scan(&a.ID, &a.GrantID, &held, &a.Title, &a.TargetGroup, &a.Channel, &a.Cost, &a.Evidence, &a.Version, &a.CreatedBy, &created, &updated,
		&file.Filename, &file.ContentType, &file.Size, &file.SHA256, &file.StorageKey); err != nil {
		return nil, err
	}
	a.Date, a.CreatedAt, a.UpdatedAt = parseDate(held), parseTS(created), parseTS(updated)
	if file.StorageKey != "" {
		a.File = &file
	}
	return &a, nil
}

// readActivities reads the activities the query selects (its columns
// activityColumns) with their reach and targets, which come from the
// tables selected by the same condition on activity_id.
// evidenceFile is the columns of an activity's evidence file, in the
// order of activityColumns: empty for none.
func evidenceFile(a *activity.Activity) (filename, contentType string, size int64, sum, key string) {
	if f := a.File; f != nil {
		return f.Filename, f.ContentType, f.Size, f.SHA256, f.StorageKey
	}
	return "", "", 0, "", ""
}

func readActivities(ctx context.Context, db querier, where string, arg any) ([]*activity.Activity, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+activityColumns+` FROM activities WHERE `+where+` ORDER BY held_on, id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*activity.Activity
	byID := map[int64]*activity.Activity{}
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
		byID[a.ID] = a
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return nil, nil
	}
	reach, err := db.QueryContext(ctx, `SELECT activity_id, target_group, people FROM activity_reach
		WHERE activity_id IN (SELECT id FROM activities WHERE `+where+`)`, arg)
	if err != nil {
		return nil, err
	}
	defer reach.Close()
	for reach.Next() {
		var id, n int64
		var g string
		if err := reach.Scan(&id, &g, &n); err != nil {
			return nil, err
		}
		if a := byID[id]; a != nil {
			if a.Reach == nil {
				a.Reach = map[string]int64{}
			}
			a.Reach[g] = n
		}
	}
	if err := reach.Err(); err != nil {
		return nil, err
	}
	reach.Close()
	targets, err := db.QueryContext(ctx, `SELECT activity_id, target FROM activity_targets
		WHERE activity_id IN (SELECT id FROM activities WHERE `+where+`)`, arg)
	if err != nil {
		return nil, err
	}
	defer targets.Close()
	for targets.Next() {
		var id int64
		var t string
		if err := targets.Scan(&id, &t); err != nil {
			return nil, err
		}
		if a := byID[id]; a != nil {
			a.Targets = append(a.Targets, t)
		}
	}
	if err := targets.Err(); err != nil {
		return nil, err
	}
	for _, a := range out {
		a.Normalize() // the targets in the UN's order
	}
	return out, nil
}

func readActivity(ctx context.Context, db querier, id int64) (*activity.Activity, error) {
	list, err := readActivities(ctx, db, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, store.ErrNotFound
	}
	return list[0], nil
}

// checkActivity validates a against the lists of its grant's call, in the
// transaction; a grant that does not exist is ErrNotFound, a closed one
// grant.ErrClosed.
func (s *Store) checkActivity(ctx context.Context, tx *sql.Tx, a *activity.Activity) error {
	c, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = (SELECT call_id FROM grants WHERE id = ?)`, a.GrantID))
	if err != nil {
		return notFound(err)
	}
	if err := refuseClosedTx(ctx, tx, a.GrantID); err != nil {
		return err
	}
	return a.Validate(c.Config.Lists, clock.Today(s.clock.Now())).Err()
}

// writeActivityDetails replaces the activity's reach and targets.
func writeActivityDetails(ctx context.Context, tx *sql.Tx, a *activity.Activity) error {
	for _, q := range []string{`DELETE FROM activity_reach WHERE activity_id = ?`, `DELETE FROM activity_targets WHERE activity_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, a.ID); err != nil {
			return err
		}
	}
	for g, n := range a.Reach {
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_reach (activity_id, target_group, people) VALUES (?, ?, ?)`, a.ID, g, n); err != nil {
			return err
		}
	}
	for _, t := range a.Targets {
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_targets (activity_id, target) VALUES (?, ?)`, a.ID, t); err != nil {
			return err
		}
	}
	return nil
}

// CreateActivity validates a against its grant's call and inserts it,
// setting its ID, version and times.
func (s *Store) CreateActivity(ctx context.Context, by audit.Actor, a *activity.Activity) error {
	a.Normalize()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkActivity(ctx, tx, a); err != nil {
			return err
		}
		now := s.clock.Now()
		fname, ftype, fsize, fsum, fkey := evidenceFile(a)
		res, err := tx.ExecContext(ctx, `INSERT INTO activities (grant_id, held_on, title, target_group, channel, cost, cost_ore, evidence_url, version, created_by, created_at, updated_at,
			evidence_filename, evidence_content_type, evidence_size, evidence_sha256, evidence_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.GrantID, date(a.Date), a.Title, a.TargetGroup, a.Channel, a.Cost, a.CostOre(), a.Evidence, nullInt(by.UserID), ts(now), ts(now), fname, ftype, fsize, fsum, fkey)
		if err != nil {
			return err
		}
		a.ID, _ = res.LastInsertId()
		a.Version, a.CreatedBy, a.CreatedAt, a.UpdatedAt = 1, by.UserID, now, now
		if err := writeActivityDetails(ctx, tx, a); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "activity", a.ID, nil, a)
	})
	if err != nil {
		return fmt.Errorf("sqlite: create activity for grant %d: %w", a.GrantID, err)
	}
	return nil
}

// UpdateActivity saves a if a.Version is the stored version (else
// ErrConflict). An activity stays with its grant: a.GrantID must be the
// stored one (else ErrNotFound).
func (s *Store) UpdateActivity(ctx context.Context, by audit.Actor, a *activity.Activity) error {
	a.Normalize()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := readActivity(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if before.GrantID != a.GrantID {
			return store.ErrNotFound
		}
		if before.Version != a.Version {
			return store.ErrConflict
		}
		if err := s.checkActivity(ctx, tx, a); err != nil {
			return err
		}
		now := s.clock.Now()
		fname, ftype, fsize, fsum, fkey := evidenceFile(a)
		_, err = tx.ExecContext(ctx, `UPDATE activities SET held_on = ?, title = ?, target_group = ?, channel = ?, cost = ?, cost_ore = ?, evidence_url = ?,
			evidence_filename = ?, evidence_content_type = ?, evidence_size = ?, evidence_sha256 = ?, evidence_key = ?,
			version = version + 1, updated_at = ? WHERE id = ?`,
			date(a.Date), a.Title, a.TargetGroup, a.Channel, a.Cost, a.CostOre(), a.Evidence, fname, ftype, fsize, fsum, fkey, ts(now), a.ID)
		if err != nil {
			return err
		}
		a.Version, a.UpdatedAt, a.CreatedAt, a.CreatedBy = before.Version+1, now, before.CreatedAt, before.CreatedBy
		if err := writeActivityDetails(ctx, tx, a); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "update", "activity", a.ID, before, a)
	})
	if err != nil {
		return fmt.Errorf("sqlite: update activity %d: %w", a.ID, err)
	}
	return nil
}

// DeleteActivity removes an activity with its reach and targets.
func (s *Store) DeleteActivity(ctx context.Context, by audit.Actor, id int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := readActivity(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := refuseClosedTx(ctx, tx, before.GrantID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE id = ?`, id); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "delete", "activity", id, before, nil)
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete activity %d: %w", id, err)
	}
	return nil
}

// Activity returns the activity with id.
func (s *Store) Activity(ctx context.Context, id int64) (*activity.Activity, error) {
	a, err := readActivity(ctx, s.r, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: activity %d: %w", id, err)
	}
	return a, nil
}

// ActivitiesOf returns the activities of each of the grants in one read.
func (s *Store) ActivitiesOf(ctx context.Context, grantIDs []int64) (map[int64][]*activity.Activity, error) {
	out := map[int64][]*activity.Activity{}
	if len(grantIDs) == 0 {
		return out, nil
	}
	// The ids go in as one JSON array, so the statement is the same
	// whatever their number.
	ids, err := json.Marshal(grantIDs)
	if err != nil {
		return nil, err
	}
	list, err := readActivities(ctx, s.r, "grant_id IN (SELECT value FROM json_each(?))", string(ids))
	if err != nil {
		return nil, fmt.Errorf("sqlite: activities of %d grants: %w", len(grantIDs), err)
	}
	for _, a := range list {
		out[a.GrantID] = append(out[a.GrantID], a)
	}
	return out, nil
}

// ActivityList returns a grant's activities by date.
func (s *Store) ActivityList(ctx context.Context, grantID int64) ([]*activity.Activity, error) {
	list, err := readActivities(ctx, s.r, "grant_id = ?", grantID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: activities of grant %d: %w", grantID, err)
	}
	return list, nil
}
