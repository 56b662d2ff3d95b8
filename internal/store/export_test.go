package store

import (
	"context"

	"github.com/icld/partnerskap/internal/audit"
)

// RecordErasure writes an erasure's own entry the way erasing a person
// does: through writeAudit, with an audit.Erasure listing ids as After.
func (s *DB) RecordErasure(ctx context.Context, by audit.Actor, userID int64, ids []int64) error {
	return s.tx(ctx, func(tx *conn) error {
		return s.writeAudit(ctx, tx, by, audit.ActionErase, "user", userID, nil, audit.Erasure{Blanked: ids})
	})
}
