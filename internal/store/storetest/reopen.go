package storetest

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store"
)

// Database is one database that a test opens a store on again and again,
// and damages behind the store's back, to check what opening repairs.
type Database struct {
	Open   func() (store.Store, error)
	Driver string // database/sql driver name, for Exec
	DSN    string
}

// Exec runs stmt on the database directly, without a store.
func (db Database) Exec(stmt string) error {
	raw, err := sql.Open(db.Driver, db.DSN)
	if err != nil {
		return err
	}
	defer raw.Close()
	_, err = raw.Exec(stmt)
	return err
}

// SearchReindexOnOpen: a database whose search index is missing rows (as
// right after the search migration) or holds rows of another analyser
// version, as each of the damage statements leaves it, gets them rebuilt
// when the store opens.
func SearchReindexOnOpen(t *testing.T, db Database, damage ...string) {
	ctx := context.Background()
	s, err := db.Open()
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
	if err := s.CreateOrganisation(ctx, Officer, masaka); err != nil {
		t.Fatal(err)
	}
	p := &partnership.Partnership{Name: "Kalix – Masaka", ThemeSV: "Avfallshantering, plast och miljö", Start: clock.Date(2021, 1, 1),
		Status: partnership.Active, Swedish: []organisation.Organisation{{ID: kalix.ID}}, Partners: []organisation.Organisation{{ID: masaka.ID}}}
	if err := s.CreatePartnership(ctx, Officer, p); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, stmt := range damage {
		if err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
		s, err := db.Open()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"plasten", "uganda", "masaka"} {
			if ids, err := s.PartnershipSearch(ctx, q); err != nil || !slices.Equal(ids, []int64{p.ID}) {
				t.Errorf("after %q and reopening, search %q: %v, %v", stmt, q, ids, err)
			}
		}
		s.Close()
	}
}
