package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/search"
	"github.com/icld/partnerskap/internal/store"
)

// testSearch checks the full-text search over partnerships: each query
// gives the same, listed hits on every engine (inflected forms, compounds,
// English words, several words, country names), and the hits agree with
// package search's own Match. Queries full of operators and markup do not
// fail. The index follows every change to a partnership or a member.
func testSearch(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	lund, err := s.OrganisationByCode(ctx(), "1281")
	must(t, err)
	ostergotland, err := s.OrganisationByCode(ctx(), "05")
	must(t, err)
	francistown := &organisation.Organisation{Kind: organisation.Partner, Country: "BW", Name: "Francistown City Council"}
	must(t, s.CreateOrganisation(ctx(), officer, francistown))
	lundFrancistown := &partnership.Partnership{
		Name: "Lund – Francistown", ThemeSV: "Klimatanpassning i städerna", ThemeEN: "Climate adaptation in cities",
		DescriptionSV: "Kommunerna lär skolelever om vattnet och skolbesök om klimatet.",
		DescriptionEN: "The municipalities teach pupils about water and climates.",
		Start:         clock.Date(2021, 1, 1), Status: partnership.Active,
		Swedish: []organisation.Organisation{{ID: lund.ID}}, Partners: []organisation.Organisation{{ID: francistown.ID}},
	}
	must(t, s.CreatePartnership(ctx(), officer, lundFrancistown))
	ostUasin := &partnership.Partnership{
		Name: "Region Östergötland – Uasin Gishu", ThemeSV: "Hälsa och jämställdhet", ThemeEN: "Health and gender equality",
		Start: clock.Date(2021, 1, 1), Status: partnership.Planned,
		Swedish: []organisation.Organisation{{ID: ostergotland.ID}}, Partners: []organisation.Organisation{{ID: f.uasin.ID}},
	}
	must(t, s.CreatePartnership(ctx(), officer, ostUasin))

	const (
		kalix = "Kalix – Masaka"
		arv   = "Arvika – Uasin Gishu"
		lun   = "Lund – Francistown"
		ost   = "Region Östergötland – Uasin Gishu"
	)
	all, err := s.PartnershipList(ctx(), partnership.Filter{})
	must(t, err)
	names := map[int64]string{}
	for _, p := range all {
		names[p.ID] = p.Name
	}
	for _, tt := range []struct {
		q    string
		want []string // nil: whatever package search's Match says (the query must only not fail)
	}{
		{"plast", []string{kalix}},
		{"plasten", []string{kalix}},
		{"PLASTAVFALL", []string{kalix}}, // plast + avfallshantering
		{"plastics", []string{kalix}},
		{"avfall", []string{kalix}},
		{"dricksvatten", []string{arv}},
		{"vatten", []string{lun}}, // "vattnet"; not inside "dricksvatten": only a compound's first part is found
		{"klimat", []string{lun}},
		{"climates", []string{lun}},
		{"climate", []string{lun}},
		{"municipality", []string{lun}},
		{"skolbesöket", []string{lun}},
		{"skolelev", []string{lun}},
		{"stad", nil}, // "städerna" stems to "städ": not found by "stad"
		{"kommunerna", []string{arv, kalix, lun}},
		{"kenya", []string{arv, ost}},
		{"Sydafrika", []string{}},
		{"botswana", []string{lun}},
		{"masaka kalix", []string{kalix}},
		{"masaka lund", []string{}},
		{"östergötland", []string{ost}},
		{"ÖSTERGÖTLAND", []string{ost}},
		{"ostergotland", []string{}},
		{"jämställdheten", []string{ost}},
		{"health", []string{ost}},
		{"francistown city council", []string{lun}},
		{"", []string{arv, kalix, lun, ost}},
		{`"plast"*`, []string{kalix}},
		{`"plast" OR *`, []string{}}, // OR is a word like any other
		{"plast:* & !kalix | (", []string{kalix}},
		{"<script>alert(1)</script>", []string{}},
		{`'; DROP TABLE partnerships; --`, []string{}},
		{"NEAR(plast kalix, 2)", []string{}},
		{`^plast -kalix +"x`, []string{}},
		{`\' \" \\ % _ ; @@ ::tsquery`, []string{}},
		{"plast\x00kalix\tmasaka", []string{kalix}},
		{strings.Repeat("plastavfallshanteringsprojekt ", 400), nil},
		{strings.Repeat("ä", 10000), []string{}},
	} {
		ids, err := s.PartnershipSearch(ctx(), tt.q)
		if err != nil {
			t.Errorf("search %.40q: %v", tt.q, err)
			continue
		}
		var got []string
		for _, id := range ids {
			got = append(got, names[id])
		}
		if !slices.IsSorted(ids) {
			t.Errorf("search %.40q: ids %v not ascending", tt.q, ids)
		}
		slices.Sort(got)
		q := search.Parse(tt.q)
		var ref []string
		for _, p := range all {
			if q.Match(search.PartnershipTerms(p)) {
				ref = append(ref, p.Name)
			}
		}
		slices.Sort(ref)
		if !slices.Equal(got, ref) {
			t.Errorf("search %.40q: store gives %q, package search %q", tt.q, got, ref)
		}
		if tt.want != nil && !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("search %.40q: %q, want %q", tt.q, got, tt.want)
		}
	}

	// PartnershipList searches the same way, with the other filters.
	list, err := s.PartnershipList(ctx(), partnership.Filter{Query: "uasin", Status: partnership.Planned})
	must(t, err)
	if len(list) != 1 || list[0].Name != ost {
		t.Errorf("list uasin + planned: %d", len(list))
	}

	// The index follows an update: the old theme is gone, the new found.
	p, err := s.Partnership(ctx(), f.arvikaUasin.ID)
	must(t, err)
	p.ThemeSV, p.ThemeEN = "Återvinning av elektronik", "Recycling electronics"
	must(t, s.UpdatePartnership(ctx(), officer, p))
	wantHits(t, s, "dricksvatten", nil)
	wantHits(t, s, "återvinningen", []int64{p.ID})
	wantHits(t, s, "recycled", []int64{p.ID})

	// And a member's new name.
	m, err := s.Organisation(ctx(), f.masaka.ID)
	must(t, err)
	m.Name = "Masaka Städernas Råd"
	must(t, s.UpdateOrganisation(ctx(), officer, m))
	wantHits(t, s, "råd", []int64{f.kalixMasaka.ID})
	wantHits(t, s, "district", nil)
}

func wantHits(t *testing.T, s store.Store, q string, want []int64) {
	t.Helper()
	got, err := s.PartnershipSearch(ctx(), q)
	must(t, err)
	if !slices.Equal(got, want) {
		t.Errorf("search %q: %v, want %v", q, got, want)
	}
}
