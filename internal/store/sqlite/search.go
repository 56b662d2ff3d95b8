package sqlite

import (
	"context"
	"strings"

	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/search"
	"github.com/icld/partnerskap/internal/store"
)

// SearchQuery matches the stemmed terms in the FTS5 table
// partnership_search, whose rowid is the partnership's id.
func (hooks) SearchQuery(q search.Query) (string, []any) {
	return `SELECT rowid FROM partnership_search WHERE partnership_search MATCH ? ORDER BY rowid`, []any{q.FTS5()}
}

// IndexPartnership replaces p's row in the FTS5 table (which has no
// upsert). SQLite's one writer means no other transaction can write the
// row meanwhile.
func (hooks) IndexPartnership(ctx context.Context, tx store.Execer, p *partnership.Partnership) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM partnership_search WHERE rowid = ?`, p.ID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO partnership_search (rowid, terms, analyser) VALUES (?, ?, ?)`,
		p.ID, strings.Join(search.PartnershipTerms(p), " "), search.Version)
	return err
}

// OutdatedSearch lists the partnerships without an index row or with one
// from another analyser.
func (hooks) OutdatedSearch() string {
	return `SELECT p.id FROM partnerships p LEFT JOIN partnership_search x ON x.rowid = p.id
		WHERE x.rowid IS NULL OR x.analyser IS NOT ? ORDER BY p.id`
}
