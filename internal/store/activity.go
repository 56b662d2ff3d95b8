package store

import (
	"context"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/audit"
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
