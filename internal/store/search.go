package store

import (
	"context"
	"fmt"

	"github.com/icld/partnerskap/internal/search"
)

// PartnershipSearch returns the IDs of the partnerships whose text matches
// query (see package search), in ascending order.
func (s *DB) PartnershipSearch(ctx context.Context, query string) ([]int64, error) {
	q := search.Parse(query)
	stmt, args := `SELECT id FROM partnerships ORDER BY id`, []any(nil)
	if !q.Empty() {
		stmt, args = s.eng.SearchQuery(q)
	}
	ids, err := queryIDs(ctx, s.r, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("search partnerships: %w", err)
	}
	return ids, nil
}

// searchIDs is the set of partnerships matching query, or nil when the
// query has no words (and so selects everything).
func (s *DB) searchIDs(ctx context.Context, query string) (map[int64]bool, error) {
	if search.Parse(query).Empty() {
		return nil, nil
	}
	ids, err := s.PartnershipSearch(ctx, query)
	if err != nil {
		return nil, err
	}
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, nil
}

// writeSearch indexes partnership id in the transaction that changed it or
// one of its members. It reads the partnership again rather than trusting
// the caller's copy: under READ COMMITTED this statement sees a member's
// rename committed while the transaction waited on that member's row.
func (s *DB) writeSearch(ctx context.Context, tx *conn, id int64) error {
	p, err := s.readPartnership(ctx, tx, id, "")
	if err != nil {
		return err
	}
	if err := s.eng.IndexPartnership(ctx, tx, p); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// reindexMember reindexes the partnerships organisation orgID belongs to,
// after its name or country changed.
func (s *DB) reindexMember(ctx context.Context, tx *conn, orgID int64) error {
	ids, err := queryIDs(ctx, tx, `SELECT DISTINCT partnership_id FROM partnership_members WHERE organisation_id = ? ORDER BY partnership_id`, orgID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.writeSearch(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// reindexSearch indexes the partnerships that have no index row, or one
// written by another version of package search. Migrations cannot do it,
// since SQL cannot stem, so Init runs it after migrating: on the
// first start after the search migration it indexes every partnership,
// later it finds nothing to do (one query). Each partnership is indexed in
// its own transaction holding its row lock, so instances starting
// together, or an officer saving meanwhile, only ever write the same,
// current terms.
func (s *DB) reindexSearch(ctx context.Context) error {
	ids, err := queryIDs(ctx, s.r, s.eng.OutdatedSearch(), search.Version)
	if err != nil {
		return fmt.Errorf("reindex search: %w", err)
	}
	for _, id := range ids {
		err := s.tx(ctx, func(tx *conn) error {
			if _, err := s.readPartnership(ctx, tx, id, s.d.ForUpdate); err != nil {
				return err
			}
			return s.writeSearch(ctx, tx, id)
		})
		if err != nil {
			return fmt.Errorf("reindex search %d: %w", id, err)
		}
	}
	return nil
}
