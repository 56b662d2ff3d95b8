package store

import (
	"context"
	"fmt"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
)

// Activities stores what grantees carried out for their grants. Each change
// validates the activity against the lists of its grant's call
// (activity.Activity.Validate, dates up to today) in its transaction and
// writes an audit entry there; an invalid activity saves nothing. Reach
// summaries are computed from ActivityList with activity.Summarize.
type Activities interface {
	// CreateActivity inserts a for the grant a.GrantID (ErrNotFound when
	// there is no such grant), setting its ID, version and times.
	CreateActivity(ctx context.Context, by audit.Actor, a *activity.Activity) error
	// UpdateActivity saves a if a.Version is the stored version, else
	// ErrConflict. a.GrantID must be the grant it belongs to, else
	// ErrNotFound: an activity never moves between grants.
	UpdateActivity(ctx context.Context, by audit.Actor, a *activity.Activity) error
	// DeleteActivity removes the activity with its reach and targets.
	DeleteActivity(ctx context.Context, by audit.Actor, id int64) error
	// Activity returns one activity with its reach and targets.
	Activity(ctx context.Context, id int64) (*activity.Activity, error)
	// ActivityList returns a grant's activities by date (then by when
	// they were logged).
	ActivityList(ctx context.Context, grantID int64) ([]*activity.Activity, error)
	// ActivitiesOf returns the activities of each of the grants, in one
	// read (for the public pages that sum many grants), each grant's
	// ordered as ActivityList orders them. Grants with none have no entry.
	ActivitiesOf(ctx context.Context, grantIDs []int64) (map[int64][]*activity.Activity, error)
}

const activityColumns = `id, grant_id, held_on, title, target_group, channel, cost, evidence_url, version, COALESCE(created_by, 0), created_at, updated_at,
	evidence_filename, evidence_content_type, evidence_size, evidence_sha256, evidence_key`

func scanActivity(row scanner) (*activity.Activity, error) {
	var a activity.Activity
	var file activity.EvidenceFile
	if err := row.Scan(&a.ID, &a.GrantID, day(&a.Date), &a.Title, &a.TargetGroup, &a.Channel, &a.Cost, &a.Evidence, &a.Version, &a.CreatedBy, instant(&a.CreatedAt), instant(&a.UpdatedAt),
		&file.Filename, &file.ContentType, &file.Size, &file.SHA256, &file.StorageKey); err != nil {
		return nil, err
	}
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
	out, err := queryAll(ctx, db, scanActivity, `SELECT `+activityColumns+` FROM activities WHERE `+where+` ORDER BY held_on, id`, arg)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	byID := make(map[int64]*activity.Activity, len(out))
	for _, a := range out {
		byID[a.ID] = a
	}
	err = eachRow(ctx, db, func(row scanner) error {
		var id, n int64
		var g string
		if err := row.Scan(&id, &g, &n); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			if a.Reach == nil {
				a.Reach = map[string]int64{}
			}
			a.Reach[g] = n
		}
		return nil
	}, `SELECT activity_id, target_group, people FROM activity_reach
		WHERE activity_id IN (SELECT id FROM activities WHERE `+where+`)`, arg)
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, db, func(row scanner) error {
		var id int64
		var t string
		if err := row.Scan(&id, &t); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			a.Targets = append(a.Targets, t)
		}
		return nil
	}, `SELECT activity_id, target FROM activity_targets
		WHERE activity_id IN (SELECT id FROM activities WHERE `+where+`)`, arg)
	if err != nil {
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
		return nil, ErrNotFound
	}
	return list[0], nil
}

// checkActivity validates a against the lists of its grant's call, in the
// transaction; a grant that does not exist is ErrNotFound, a closed one
// grant.ErrClosed. It holds a share lock on the grant's row, so a change
// to the grant (closing it) waits for the activity, and the activity for
// it.
func (s *DB) checkActivity(ctx context.Context, tx *conn, a *activity.Activity) error {
	var callID int64
	if err := tx.QueryRowContext(ctx, `SELECT call_id FROM grants WHERE id = ?`+s.d.ForShare, a.GrantID).Scan(&callID); err != nil {
		return notFound(err)
	}
	if err := s.refuseClosedTx(ctx, tx, a.GrantID); err != nil {
		return err
	}
	c, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`, callID))
	if err != nil {
		return err
	}
	return a.Validate(c.Config.Lists, clock.Today(s.now())).Err()
}

// writeActivityDetails replaces the activity's reach and targets.
func writeActivityDetails(ctx context.Context, tx *conn, a *activity.Activity) error {
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

// lockActivity locks the activity's row, so two saves (or a save and a
// delete) of one activity take turns: the second sees the first's version
// and gets ErrConflict (or ErrNotFound) rather than overwriting it.
func (s *DB) lockActivity(ctx context.Context, tx *conn, id int64) error {
	var one int64
	return notFound(tx.QueryRowContext(ctx, `SELECT id FROM activities WHERE id = ?`+s.d.ForUpdate, id).Scan(&one))
}

// CreateActivity validates a against its grant's call and inserts it,
// setting its ID, version and times.
func (s *DB) CreateActivity(ctx context.Context, by audit.Actor, a *activity.Activity) error {
	a.Normalize()
	err := s.tx(ctx, func(tx *conn) error {
		if err := s.checkActivity(ctx, tx, a); err != nil {
			return err
		}
		now := s.now()
		fname, ftype, fsize, fsum, fkey := evidenceFile(a)
		err := tx.QueryRowContext(ctx, `INSERT INTO activities (grant_id, held_on, title, target_group, channel, cost, cost_ore, evidence_url, version, created_by, created_at, updated_at,
			evidence_filename, evidence_content_type, evidence_size, evidence_sha256, evidence_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.GrantID, Day(a.Date), a.Title, a.TargetGroup, a.Channel, a.Cost, a.CostOre(), a.Evidence, nullInt(by.UserID), now, now, fname, ftype, fsize, fsum, fkey).Scan(&a.ID)
		if err != nil {
			return err
		}
		a.Version, a.CreatedBy, a.CreatedAt, a.UpdatedAt = 1, by.UserID, now, now
		if err := writeActivityDetails(ctx, tx, a); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "activity", a.ID, nil, a)
	})
	if err != nil {
		return fmt.Errorf("create activity for grant %d: %w", a.GrantID, err)
	}
	return nil
}

// UpdateActivity saves a if a.Version is the stored version (else
// ErrConflict). An activity stays with its grant: a.GrantID must be the
// stored one (else ErrNotFound).
func (s *DB) UpdateActivity(ctx context.Context, by audit.Actor, a *activity.Activity) error {
	a.Normalize()
	err := s.tx(ctx, func(tx *conn) error {
		if err := s.lockActivity(ctx, tx, a.ID); err != nil {
			return err
		}
		before, err := readActivity(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if before.GrantID != a.GrantID {
			return ErrNotFound
		}
		if before.Version != a.Version {
			return ErrConflict
		}
		if err := s.checkActivity(ctx, tx, a); err != nil {
			return err
		}
		now := s.now()
		fname, ftype, fsize, fsum, fkey := evidenceFile(a)
		_, err = tx.ExecContext(ctx, `UPDATE activities SET held_on = ?, title = ?, target_group = ?, channel = ?, cost = ?, cost_ore = ?, evidence_url = ?,
			evidence_filename = ?, evidence_content_type = ?, evidence_size = ?, evidence_sha256 = ?, evidence_key = ?,
			version = version + 1, updated_at = ? WHERE id = ?`,
			Day(a.Date), a.Title, a.TargetGroup, a.Channel, a.Cost, a.CostOre(), a.Evidence, fname, ftype, fsize, fsum, fkey, now, a.ID)
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
		return fmt.Errorf("update activity %d: %w", a.ID, err)
	}
	return nil
}

// DeleteActivity removes an activity with its reach and targets.
func (s *DB) DeleteActivity(ctx context.Context, by audit.Actor, id int64) error {
	err := s.tx(ctx, func(tx *conn) error {
		if err := s.lockActivity(ctx, tx, id); err != nil {
			return err
		}
		before, err := readActivity(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.refuseClosedTx(ctx, tx, before.GrantID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE id = ?`, id); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "delete", "activity", id, before, nil)
	})
	if err != nil {
		return fmt.Errorf("delete activity %d: %w", id, err)
	}
	return nil
}

// Activity returns the activity with id.
func (s *DB) Activity(ctx context.Context, id int64) (*activity.Activity, error) {
	a, err := readActivity(ctx, s.r, id)
	if err != nil {
		return nil, fmt.Errorf("activity %d: %w", id, err)
	}
	return a, nil
}

// ActivitiesOf returns the activities of each of the grants in one read.
func (s *DB) ActivitiesOf(ctx context.Context, grantIDs []int64) (map[int64][]*activity.Activity, error) {
	out := map[int64][]*activity.Activity{}
	if len(grantIDs) == 0 {
		return out, nil
	}
	in, arg := s.d.In("grant_id", grantIDs)
	list, err := readActivities(ctx, s.r, in, arg)
	if err != nil {
		return nil, fmt.Errorf("activities of %d grants: %w", len(grantIDs), err)
	}
	for _, a := range list {
		out[a.GrantID] = append(out[a.GrantID], a)
	}
	return out, nil
}

// ActivityList returns a grant's activities by date.
func (s *DB) ActivityList(ctx context.Context, grantID int64) ([]*activity.Activity, error) {
	list, err := readActivities(ctx, s.r, "grant_id = ?", grantID)
	if err != nil {
		return nil, fmt.Errorf("activities of grant %d: %w", grantID, err)
	}
	return list, nil
}
