package postgres

import (
	"context"

	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/search"
	"github.com/icld/partnerskap/internal/store"
)

// SearchQuery matches the stemmed terms, kept as a GIN-indexed tsvector,
// against the query as a tsquery.
func (hooks) SearchQuery(q search.Query) (string, []any) {
	return `SELECT partnership_id FROM partnership_search WHERE terms @@ ?::tsquery ORDER BY partnership_id`, []any{q.TSQuery()}
}

// IndexPartnership writes p's terms. The version guard keeps a
// transaction that read an older partnership from overwriting a newer row
// (unless that row is of another analyser).
func (hooks) IndexPartnership(ctx context.Context, tx store.Execer, p *partnership.Partnership) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO partnership_search (partnership_id, analyser, version, terms)
		VALUES (?, ?, ?, array_to_tsvector(?::text[]))
		ON CONFLICT (partnership_id) DO UPDATE SET analyser = EXCLUDED.analyser, version = EXCLUDED.version, terms = EXCLUDED.terms
		WHERE partnership_search.version <= EXCLUDED.version OR partnership_search.analyser <> EXCLUDED.analyser`,
		p.ID, search.Version, p.Version, search.PartnershipTerms(p))
	return err
}

// OutdatedSearch lists the partnerships without an index row or with one
// from another analyser.
func (hooks) OutdatedSearch() string {
	return `SELECT p.id FROM partnerships p LEFT JOIN partnership_search x ON x.partnership_id = p.id
		WHERE x.partnership_id IS NULL OR x.analyser <> ? ORDER BY p.id`
}
