package web_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/registry"
)

// TestPublicGrants: the public register lists every decided grant with
// the total, in both languages, narrows by its filters, downloads as CSV
// and links to no workspace page.
func TestPublicGrants(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.client()
	all, err := e.store.GrantList(context.Background(), grant.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 8 {
		t.Fatalf("the demo has %d grants, want the pilot's six and the rolling call's two", len(all))
	}
	var sum int64
	for _, g := range all {
		sum += g.Amount
	}
	if sum != 224000000 {
		t.Fatalf("the demo grants %d öre, want 2 240 000 kr", sum)
	}
	leaks := []string{`href="/bidrag/`, `href="/en/grants/`, `href="/personal/bidrag`, `href="/en/staff/grants`}

	sv := e.get(c, "/beviljade-bidrag")
	if sv.status != 200 {
		t.Fatalf("GET /beviljade-bidrag: status %d", sv.status)
	}
	wantContains(t, "sv", sv.body, "Beviljade bidrag", "Visar 8 av 8 bidrag", "Kalix – Masaka", "Kalix kommun",
		"Totalt", "2\u00a0240\u00a0000\u00a0kr", "Ladda ned som CSV", "format=csv", `aria-current="page"`)
	wantNotContains(t, "sv", sv.body, leaks...)
	if n := strings.Count(sv.body, `href="/partnerskap/`); n < 8 {
		t.Errorf("sv: %d links to partnership pages, want at least 8", n)
	}

	en := e.get(c, "/en/granted-grants")
	if en.status != 200 {
		t.Fatalf("GET /en/granted-grants: status %d", en.status)
	}
	wantContains(t, "en", en.body, "Grants awarded", "Showing 8 of 8 grants", "Total", "SEK\u00a02,240,000", "Download as CSV", `href="/en/partnerships/`)
	wantNotContains(t, "en", en.body, append(leaks, "Totalt")...)

	uganda := e.get(c, "/beviljade-bidrag?land=UG")
	wantContains(t, "land=UG", uganda.body, "Visar 1 av 8 bidrag", "Kalix – Masaka", "300\u00a0000\u00a0kr")
	wantNotContains(t, "land=UG", uganda.body, "Växjö – JB Marks</a>")
	none := e.get(c, "/beviljade-bidrag?ar=1999")
	wantContains(t, "ar=1999", none.body, "Visar 0 av 8 bidrag", "Inga bidrag matchar")

	res := e.get(c, "/beviljade-bidrag?format=csv")
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: status %d, type %q", res.status, res.header.Get("Content-Type"))
	}
	if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, "partnerskap-bidrag.csv") {
		t.Errorf("csv: Content-Disposition %q", cd)
	}
	body, ok := strings.CutPrefix(res.body, "\ufeff")
	if !ok {
		t.Error("csv: no byte order mark")
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse: %v\n%s", err, body)
	}
	if len(records) != 9 {
		t.Fatalf("csv: %d records, want a header and 8 rows:\n%s", len(records), body)
	}
	if records[0][0] != "Program" || records[0][5] != "Belopp (SEK)" {
		t.Errorf("csv header: %q", records[0])
	}
	var vaxjo bool
	for _, rec := range records[1:] {
		if strings.Contains(rec[3], "Växjö") {
			vaxjo = true
		}
		if len(rec[4]) != 10 || rec[4][4] != '-' {
			t.Errorf("csv date %q is not ISO", rec[4])
		}
		if i := strings.IndexByte(rec[5], '.'); i < 0 || len(rec[5])-i != 3 {
			t.Errorf("csv amount %q is not kronor with two decimals", rec[5])
		}
	}
	if !vaxjo {
		t.Errorf("csv: Växjö does not round-trip:\n%s", body)
	}
	filtered := e.get(c, "/en/granted-grants?format=csv&land=UG")
	if records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(filtered.body, "\ufeff"))).ReadAll(); err != nil || len(records) != 2 {
		t.Errorf("filtered csv: %d records, err %v", len(records), err)
	} else if records[0][0] != "Programme" || records[1][5] != "300000.00" {
		t.Errorf("filtered csv: %q", records)
	}
}

// TestPublicGrantsConfidential: a decision whose record is confidential
// keeps its registration number off the public register.
func TestPublicGrantsConfidential(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	c := e.client()
	entries, err := e.store.RegistryList(ctx, registry.Filter{ApplicationID: 1})
	if err != nil {
		t.Fatal(err)
	}
	var dec *registry.Entry
	for i := range entries {
		if entries[i].Kind == registry.Decision {
			dec = &entries[i]
		}
	}
	if dec == nil {
		t.Fatal("application 1 has no registered decision")
	}
	wantContains(t, "public", e.get(c, "/beviljade-bidrag").body, dec.Number)
	if err := e.store.SetConfidential(ctx, audit.System("test"), dec.ID, true, "OSL 21 kap. 1 §"); err != nil {
		t.Fatal(err)
	}
	sv := e.get(c, "/beviljade-bidrag")
	wantContains(t, "confidential sv", sv.body, "sekretess")
	wantNotContains(t, "confidential sv", sv.body, dec.Number)
	wantContains(t, "confidential en", e.get(c, "/en/granted-grants").body, "confidential")
	csvBody := e.get(c, "/beviljade-bidrag?format=csv").body
	wantContains(t, "confidential csv", csvBody, "sekretess")
	wantNotContains(t, "confidential csv", csvBody, dec.Number)
}
