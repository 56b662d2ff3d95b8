package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
)

// TestTimesInUTC reads instants and dates back through a session whose
// time zone is not UTC: they still come back in UTC, dates as midnight.
func TestTimesInUTC(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, pgtest.NewSchema(t)+"&timezone=Asia/Tokyo", clock.NewFixed(time.Date(2021, 3, 1, 23, 30, 0, 123456789, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var zone string
	if err := s.db.QueryRowContext(ctx, "SHOW TimeZone").Scan(&zone); err != nil || zone != "Asia/Tokyo" {
		t.Fatalf("session zone %q, %v", zone, err)
	}
	kalix := &organisation.Organisation{Kind: organisation.Municipality, Code: "2514", Name: "Kalix kommun"}
	masaka := &organisation.Organisation{Kind: organisation.Partner, Country: "UG", Name: "Masaka"}
	for _, o := range []*organisation.Organisation{kalix, masaka} {
		if err := s.CreateOrganisation(ctx, audit.Actor{Name: "test"}, o); err != nil {
			t.Fatal(err)
		}
	}
	p := &partnership.Partnership{Name: "Kalix – Masaka", ThemeSV: "Miljö", Start: clock.Date(2020, 1, 1), End: clock.Date(2022, 12, 31),
		Status: partnership.Active, Swedish: []organisation.Organisation{{ID: kalix.ID}}, Partners: []organisation.Organisation{{ID: masaka.ID}}}
	if err := s.CreatePartnership(ctx, audit.Actor{Name: "test"}, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Partnership(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2021, 3, 1, 23, 30, 0, 123456000, time.UTC) // cut to microseconds
	if got.CreatedAt != want || got.CreatedAt.Location() != time.UTC || p.CreatedAt != want {
		t.Errorf("created at %v (returned %v), want %v in UTC", got.CreatedAt, p.CreatedAt, want)
	}
	if got.Start != clock.Date(2020, 1, 1) || got.End != clock.Date(2022, 12, 31) {
		t.Errorf("period %v – %v, want 2020-01-01 – 2022-12-31 at midnight UTC", got.Start, got.End)
	}
}
