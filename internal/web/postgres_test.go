package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// TestOnPostgres runs the pages a visitor and an officer use most on the
// PostgreSQL store, so the scale-out engine is tried through the real
// interface too, not only through the conformance suite.
func TestOnPostgres(t *testing.T) {
	clk := clock.NewFixed(now)
	e := newEnvOn(t, "http://localhost", storetest.OpenPostgres(t, clk), clk)
	c := e.client()
	kalix := strconv.FormatInt(e.partnershipID("Kalix – Masaka"), 10)
	for path, want := range map[string]string{
		"/":                         "1\u00a0800\u00a0000\u00a0kr",
		"/en/":                      "SEK\u00a01,800,000",
		"/partnerskap?land=KE":      "Visar 2 av 8 partnerskap",
		"/partnerskap/" + kalix:     "Masaka District Local Government",
		"/mal/16":                   "Kalix – Masaka",
		"/en/partnerships/" + kalix: "Waste",
	} {
		res := e.get(c, path)
		if res.status != 200 {
			t.Errorf("GET %s: %d", path, res.status)
		}
		wantContains(t, "GET "+path, res.body, want)
	}
	off := e.login(officer)
	before, _ := e.store.ProgrammeList(context.Background())
	res := e.post(off, "/personal/program/ny", url.Values{"name_sv": {"Kommunalt partnerskap 2022"}, "funder": {"Sida"}, "operator": {"ICLD"}, "total_budget": {"1.800.000,5,0"}})
	wantContains(t, "bad money on PostgreSQL", res.body, "Skriv beloppet i kronor med siffror", `value="1.800.000,5,0"`)
	res = e.post(off, "/personal/program/ny", url.Values{"name_sv": {"Kommunalt partnerskap 2022"}, "funder": {"Sida"}, "operator": {"ICLD"}, "total_budget": {"5 000 000 kr"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create programme: %d", res.status)
	}
	progs, err := e.store.ProgrammeList(context.Background())
	if err != nil || len(progs) != len(before)+1 {
		t.Fatalf("programmes: %d, %v", len(progs), err)
	}
}
