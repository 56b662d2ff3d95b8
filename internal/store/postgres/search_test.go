package postgres_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store/postgres"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// TestSearchReindexOnOpen: a database whose search index is missing rows
// (as right after migration 0010) or holds rows of another analyser
// version gets them rebuilt when the store opens.
func TestSearchReindexOnOpen(t *testing.T) {
	ctx := context.Background()
	path := pgtest.NewSchema(t)
	s, err := postgres.Open(ctx, path, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadReferenceOrganisations(ctx, audit.System("test"), organisation.Reference()); err != nil {
		t.Fatal(err)
	}
	kalix, err := s.OrganisationByCode(ctx, "2514")
	if err != nil {
		t.Fatal(err)
	}
	masaka := &organisation.Organisation{Kind: organisation.Partner, Country: "UG", Name: "Masaka District Local Government"}
	if err := s.CreateOrganisation(ctx, storetest.Officer, masaka); err != nil {
		t.Fatal(err)
	}
	p := &partnership.Partnership{Name: "Kalix – Masaka", ThemeSV: "Avfallshantering, plast och miljö", Start: clock.Date(2021, 1, 1),
		Status: partnership.Active, Swedish: []organisation.Organisation{{ID: kalix.ID}}, Partners: []organisation.Organisation{{ID: masaka.ID}}}
	if err := s.CreatePartnership(ctx, storetest.Officer, p); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, damage := range []string{
		"DELETE FROM partnership_search",
		"UPDATE partnership_search SET terms = 'x', analyser = 0",
		"UPDATE partnership_search SET terms = 'x', version = version + 5, analyser = 0",
	} {
		raw, err := sql.Open("pgx", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(damage); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		s, err := postgres.Open(ctx, path, clock.System{})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"plasten", "uganda", "masaka"} {
			if ids, err := s.PartnershipSearch(ctx, q); err != nil || !slices.Equal(ids, []int64{p.ID}) {
				t.Errorf("after %q and reopening, search %q: %v, %v", damage, q, ids, err)
			}
		}
		s.Close()
	}
}
