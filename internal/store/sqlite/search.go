package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/search"
)

// PartnershipSearch returns the IDs of the partnerships whose text matches
// query (see package search), in ascending order.
func (s *Store) PartnershipSearch(ctx context.Context, query string) ([]int64, error) {
	q := search.Parse(query)
	stmt, args := `SELECT rowid FROM partnership_search WHERE partnership_search MATCH ? ORDER BY rowid`, []any{q.FTS5()}
	if q.Empty() {
		stmt, args = `SELECT id FROM partnerships ORDER BY id`, nil
	}
	rows, err := s.r.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search partnerships: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: search partnerships: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: search partnerships: %w", err)
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

// writeSearch indexes p, whose members are loaded, in the transaction that
// saves it.
func writeSearch(ctx context.Context, tx *sql.Tx, p *partnership.Partnership) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM partnership_search WHERE rowid = ?`, p.ID); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO partnership_search (rowid, terms, analyser) VALUES (?, ?, ?)`,
		p.ID, strings.Join(search.PartnershipTerms(p), " "), search.Version)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// reindexMember reindexes the partnerships organisation orgID belongs to,
// after its name or country changed.
func (s *Store) reindexMember(ctx context.Context, tx *sql.Tx, orgID int64) error {
	ids, err := searchRowIDs(ctx, tx, `SELECT DISTINCT partnership_id FROM partnership_members WHERE organisation_id = ?`, orgID)
	if err != nil {
		return err
	}
	return s.reindex(ctx, tx, ids)
}

func (s *Store) reindex(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for _, id := range ids {
		p, err := s.readPartnership(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := writeSearch(ctx, tx, p); err != nil {
			return err
		}
	}
	return nil
}

// reindexSearch indexes the partnerships that have no index row, or one
// written by another version of package search. Migrations cannot do it,
// since SQL cannot stem, so Open calls this after migrating: on the first
// start after migration 0010 it indexes every partnership, later it finds
// nothing to do (one indexed query).
func (s *Store) reindexSearch(ctx context.Context) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ids, err := searchRowIDs(ctx, tx, `SELECT p.id FROM partnerships p LEFT JOIN partnership_search x ON x.rowid = p.id
			WHERE x.rowid IS NULL OR x.analyser IS NOT ? ORDER BY p.id`, search.Version)
		if err != nil {
			return err
		}
		return s.reindex(ctx, tx, ids)
	})
	if err != nil {
		return fmt.Errorf("sqlite: reindex search: %w", err)
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
