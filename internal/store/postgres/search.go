package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/icld/partnerskap/internal/search"
)

// PartnershipSearch returns the IDs of the partnerships whose text matches
// query (see package search), in ascending order.
func (s *Store) PartnershipSearch(ctx context.Context, query string) ([]int64, error) {
	q := search.Parse(query)
	stmt, args := `SELECT partnership_id FROM partnership_search WHERE terms @@ $1::tsquery ORDER BY partnership_id`, []any{q.TSQuery()}
	if q.Empty() {
		stmt, args = `SELECT id FROM partnerships ORDER BY id`, nil
	}
	ids, err := searchRowIDs(ctx, s.db, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search partnerships: %w", err)
	}
	return ids, nil
}

// searchIDs is the set of partnerships matching query, or nil when the
// query has no words (and so selects everything).
func (s *Store) searchIDs(ctx context.Context, query string) (map[int64]bool, error) {
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
// rename committed while the transaction waited on that member's row, and
// the version guard keeps a transaction that read an older partnership
// from overwriting a newer row (unless that row is of another analyser).
func (s *Store) writeSearch(ctx context.Context, tx *sql.Tx, id int64) error {
	p, err := s.readPartnership(ctx, tx, id, false)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO partnership_search (partnership_id, analyser, version, terms)
		VALUES ($1, $2, $3, array_to_tsvector($4::text[]))
		ON CONFLICT (partnership_id) DO UPDATE SET analyser = EXCLUDED.analyser, version = EXCLUDED.version, terms = EXCLUDED.terms
		WHERE partnership_search.version <= EXCLUDED.version OR partnership_search.analyser <> EXCLUDED.analyser`,
		p.ID, search.Version, p.Version, search.PartnershipTerms(p))
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// reindexMember reindexes the partnerships organisation orgID belongs to,
// after its name or country changed.
func (s *Store) reindexMember(ctx context.Context, tx *sql.Tx, orgID int64) error {
	ids, err := searchRowIDs(ctx, tx, `SELECT DISTINCT partnership_id FROM partnership_members WHERE organisation_id = $1 ORDER BY partnership_id`, orgID)
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
// since SQL cannot stem, so Open calls this after migrating: on the first
// start after migration 0010 it indexes every partnership, later it finds
// nothing to do (one query). Each partnership is indexed in its own
// transaction holding its row lock, so instances starting together, or an
// officer saving meanwhile, only ever write the same, current terms.
func (s *Store) reindexSearch(ctx context.Context) error {
	const outdated = `SELECT p.id FROM partnerships p LEFT JOIN partnership_search x ON x.partnership_id = p.id
		WHERE x.partnership_id IS NULL OR x.analyser <> $1 ORDER BY p.id`
	ids, err := searchRowIDs(ctx, s.db, outdated, search.Version)
	if err != nil {
		return fmt.Errorf("postgres: reindex search: %w", err)
	}
	for _, id := range ids {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := s.readPartnership(ctx, tx, id, true); err != nil {
				return err
			}
			return s.writeSearch(ctx, tx, id)
		})
		if err != nil {
			return fmt.Errorf("postgres: reindex search %d: %w", id, err)
		}
	}
	return nil
}

func searchRowIDs(ctx context.Context, db querier, q string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
