package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// cardNames returns the partnership names in a list page's cards, in order.
func cardNames(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<h3><a href="[^"]*">([^<]*)</a></h3>`).FindAllStringSubmatch(body, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&ndash;", "–"))
	}
	return out
}

func TestPartnershipSearchAndFilters(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	const kalix = "Kalix – Masaka"
	for _, tt := range []struct {
		path   string
		want   []string // exactly these cards, in this order; nil: not checked
		status string   // the count announced
	}{
		{"/partnerskap?q=plast", []string{kalix}, "Visar 1 av 8 partnerskap"},
		{"/partnerskap?q=PLASTEN", []string{kalix}, "Visar 1 av 8"},
		{"/partnerskap?q=plastavfall", []string{kalix}, "Visar 1 av 8"},
		{"/en/partnerships?q=plastics", []string{kalix}, "Showing 1 of 8 partnerships"},
		{"/en/partnerships?q=plastic+waste", []string{kalix}, "Showing 1 of 8"},
		{"/partnerskap?q=kalix+masaka", []string{kalix}, "Visar 1 av 8"},
		{"/partnerskap?q=kalix+lund", []string{}, "Visar 0 av 8"},
		{"/partnerskap?q=uganda", []string{kalix}, "Visar 1 av 8"},
		// The country's name in both languages; other partnerships'
		// descriptions mention it too.
		{"/partnerskap?q=Sydafrika", []string{"Växjö – An Giang", "Växjö – JB Marks", "Växjö – Vushtrri"}, "Visar 3 av 8"},
		{"/en/partnerships?q=south+africa", []string{"Lund – Francistown", "Växjö – JB Marks"}, "Showing 2 of 8"},
		{"/partnerskap?q=south+africa&land=ZA", []string{"Växjö – JB Marks"}, "Visar 1 av 8"},
		// Filters combine, with each other and with the text.
		{"/partnerskap?q=milj%C3%B6&land=XK", []string{"Växjö – Vushtrri"}, "Visar 1 av 8"},
		{"/partnerskap?land=KE&mal=3", []string{"Region Östergötland – Uasin Gishu"}, "Visar 1 av 8"},
		{"/partnerskap?land=UG&q=lund", []string{}, "Visar 0 av 8"},
		{"/partnerskap?tema=Avfallshantering%2C+plast+och+milj%C3%B6", []string{kalix}, "Visar 1 av 8"},
		{"/partnerskap?status=active&land=UG", []string{kalix}, "Visar 1 av 8"},
		{"/partnerskap?status=cancelled", []string{}, "Visar 0 av 8"},
		{"/partnerskap?ar=2006&sortera=namn", []string{"Växjö – JB Marks"}, "Visar 1 av 8"},
		// Unknown values are ignored, the rest kept.
		{"/partnerskap?land=ZZ&mal=99&ar=abc&kommun=x&tema=nope&status=weird&sortera=x&q=plast", []string{kalix}, "Visar 1 av 8"},
		{"/partnerskap?land=ug&mal=-1&kommun=999999", []string{kalix}, "Visar 1 av 8"},
		// Sorting.
		{"/partnerskap?land=KE&sortera=nyast", []string{"Region Östergötland – Uasin Gishu", "Arvika – Uasin Gishu"}, ""},
		{"/partnerskap?land=KE&sortera=aldst", []string{"Arvika – Uasin Gishu", "Region Östergötland – Uasin Gishu"}, ""},
		// Pages that are not a number, zero or negative: the first page.
		{"/partnerskap?sida=0", nil, "Visar 8 av 8"},
		{"/partnerskap?sida=-3", nil, "Visar 8 av 8"},
		{"/partnerskap?sida=abc", nil, "Visar 8 av 8"},
		{"/partnerskap?sida=1", nil, "Visar 8 av 8"},
	} {
		res := e.get(c, tt.path)
		if res.status != 200 {
			t.Errorf("GET %s: %d", tt.path, res.status)
			continue
		}
		if tt.status != "" {
			wantContains(t, tt.path, res.body, tt.status)
		}
		if got := cardNames(res.body); tt.want != nil && !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("GET %s: cards %q, want %q", tt.path, got, tt.want)
		}
	}
	// Sorting newest first puts the 2006 partnership last; by amount
	// granted puts a partnership without grants after those with.
	if got := cardNames(e.get(c, "/partnerskap?sortera=nyast").body); len(got) != 8 || got[7] != "Växjö – JB Marks" {
		t.Errorf("newest first: %q", got)
	}
	if got := cardNames(e.get(c, "/partnerskap?sortera=aldst").body); len(got) != 8 || got[0] != "Växjö – JB Marks" {
		t.Errorf("oldest first: %q", got)
	}
	if res := e.get(c, "/partnerskap?sortera=belopp"); res.status != 200 || len(cardNames(res.body)) != 8 {
		t.Errorf("by amount: %d", res.status)
	}

	// The form shows what applies, and the chosen theme in English.
	res := e.get(c, "/en/partnerships?tema=Avfallshantering%2C+plast+och+milj%C3%B6&q=plast&status=active")
	wantContains(t, "English theme", res.body, `<option value="Avfallshantering, plast och miljö" selected>Waste management, plastics and the environment</option>`,
		`<option value="active" selected>`, `value="plast"`, `aria-describedby="q-hint"`)
	// The downloads carry the selection.
	res = e.get(c, "/partnerskap?q=plast&land=UG&sida=1")
	wantContains(t, "download links", res.body,
		`href="/partnerskap.csv?land=UG&amp;q=plast"`, `href="/partnerskap.json?land=UG&amp;q=plast"`)
	wantContains(t, "English download links", e.get(c, "/en/partnerships?q=plast").body, `href="/en/partnerships.csv?q=plast"`)

	// A page past the last does not exist.
	for _, path := range []string{"/partnerskap?sida=2", "/partnerskap?q=plast&sida=2", "/partnerskap?q=ingenting&sida=2", "/en/partnerships?sida=99999999999999999999"} {
		if res := e.get(c, path); res.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.status)
		}
	}
}

func TestPartnershipSearchBadInput(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	for _, q := range []string{
		"<script>alert(1)</script>",
		strings.Repeat("<script>alert('x')</script> plast ", 350), // about 10 kB
		"plast\x00\x01\x7f",
		`"plast" OR * NEAR(a b) :* & | ! ( '`,
		"\xff\xfe plast",
		strings.Repeat("ä", 10000),
	} {
		for _, path := range []string{"/partnerskap", "/partnerskap.csv", "/partnerskap.json"} {
			res := e.get(c, path+"?"+url.Values{"q": {q}}.Encode())
			if res.status != 200 {
				t.Errorf("GET %s q=%.30q: %d", path, q, res.status)
				continue
			}
			if strings.Contains(res.body, "<script>alert") {
				t.Errorf("GET %s q=%.30q: the script tag comes back unescaped", path, q)
			}
		}
	}
	res := e.get(c, "/partnerskap?q="+url.QueryEscape("<script>alert(1)</script>"))
	wantContains(t, "escaped query", res.body, `value="&lt;script&gt;alert(1)&lt;/script&gt;"`, "Visar 0 av 8")
	res = e.get(c, "/partnerskap?q="+url.QueryEscape("plast\x00kalix"))
	if got := cardNames(res.body); !slices.Equal(got, []string{"Kalix – Masaka"}) {
		t.Errorf("control characters separate words: %q", got)
	}
	// The long query is cut before it is echoed back.
	res = e.get(c, "/partnerskap?q="+url.QueryEscape(strings.Repeat("ä", 10000)))
	if strings.Count(res.body, "ä") > 1000 {
		t.Errorf("a 10 000-letter query is echoed whole")
	}
}

func TestPartnershipDownloads(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	kalix := e.partnershipID("Kalix – Masaka")

	res := e.get(c, "/partnerskap.csv?q=plast")
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", res.status, res.header.Get("Content-Type"))
	}
	if !strings.HasPrefix(res.body, "\ufeffid,Namn,Tema,") {
		t.Errorf("CSV does not start with a BOM and Swedish column names: %.60q", res.body)
	}
	lines := strings.Split(strings.TrimSpace(res.body), "\n")
	if len(lines) != 2 {
		t.Fatalf("CSV q=plast: %d lines, want a header and one row:\n%s", len(lines), res.body)
	}
	wantContains(t, "CSV row", lines[1], strconv.FormatInt(kalix, 10)+",Kalix – Masaka,"+`"Avfallshantering, plast och miljö"`,
		"Kalix kommun", "Masaka District Local Government", "Uganda", "2019-06-03", "Aktivt", "300000.00",
		"https://partnerskap.example/partnerskap/"+strconv.FormatInt(kalix, 10))

	// English columns; every page of the selection, not just the first.
	res = e.get(c, "/en/partnerships.csv")
	if !strings.HasPrefix(res.body, "\ufeffid,Name,Theme,") || strings.Count(strings.TrimSpace(res.body), "\n") != 8 {
		t.Errorf("English CSV of all:\n%s", res.body)
	}
	wantContains(t, "English CSV", res.body, "Waste management, plastics and the environment", "Active")

	res = e.get(c, "/partnerskap.json?land=KE&sortera=aldst&sida=7")
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("JSON: %d %s", res.status, res.header.Get("Content-Type"))
	}
	var doc struct {
		Count        int               `json:"count"`
		Query        map[string]string `json:"query"`
		Partnerships []struct {
			ID             int64    `json:"id"`
			URL            string   `json:"url"`
			Name           string   `json:"name"`
			ThemeSV        string   `json:"theme_sv"`
			ThemeEN        string   `json:"theme_en"`
			Start          string   `json:"start"`
			End            *string  `json:"end"`
			Status         string   `json:"status"`
			Countries      []string `json:"countries"`
			Goals          []int    `json:"goals"`
			GrantedOre     int64    `json:"granted_ore"`
			SwedishMembers []struct {
				Name string `json:"name"`
				Code string `json:"code"`
			} `json:"swedish_members"`
			Partners []struct {
				Name    string `json:"name"`
				Country string `json:"country"`
			} `json:"partners"`
		} `json:"partnerships"`
	}
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, res.body)
	}
	if doc.Count != 2 || len(doc.Partnerships) != 2 || doc.Query["land"] != "KE" || doc.Query["sortera"] != "aldst" {
		t.Fatalf("JSON land=KE: %+v", doc)
	}
	first := doc.Partnerships[0]
	if first.Name != "Arvika – Uasin Gishu" || first.Start != "2019-07-01" || first.Status != "active" ||
		!slices.Equal(first.Countries, []string{"KE"}) || len(first.SwedishMembers) != 1 || first.SwedishMembers[0].Name != "Arvika kommun" ||
		first.Partners[0].Country != "KE" || first.ThemeEN != "Drinking water supply and citizen dialogue" || first.GrantedOre <= 0 {
		t.Errorf("JSON first: %+v", first)
	}
	res = e.get(c, "/partnerskap.json?q=plast")
	doc.Partnerships = nil
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil || len(doc.Partnerships) != 1 || doc.Partnerships[0].ID != kalix ||
		doc.Partnerships[0].GrantedOre != 30_000_000 || doc.Partnerships[0].URL != fmt.Sprintf("https://partnerskap.example/partnerskap/%d", kalix) {
		t.Errorf("JSON q=plast: %v %+v", err, doc.Partnerships)
	}
	res = e.get(c, "/en/partnerships.json?q=nothingmatchesthis")
	if !strings.Contains(res.body, `"partnerships": []`) || !strings.Contains(res.body, `"count": 0`) {
		t.Errorf("an empty selection is an empty list:\n%s", res.body)
	}
}

// TestPartnershipPagination adds partnerships until the list has two
// pages, and walks them.
func TestPartnershipPagination(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	ctx := context.Background()
	kalix, err := e.store.OrganisationByCode(ctx, "2514")
	if err != nil {
		t.Fatal(err)
	}
	masaka, err := e.store.OrganisationList(ctx, organisation.Filter{Country: "UG"})
	if err != nil || len(masaka) == 0 {
		t.Fatal(err)
	}
	for i := range 25 {
		p := &partnership.Partnership{Name: fmt.Sprintf("Kalix – Masaka %02d", i+1), ThemeSV: "Plastinsamling i skolan", Start: clock.Date(2021, 1, 1),
			Status: partnership.Planned, Swedish: []organisation.Organisation{{ID: kalix.ID}}, Partners: []organisation.Organisation{{ID: masaka[0].ID}}}
		if err := e.store.CreatePartnership(ctx, storetest.Officer, p); err != nil {
			t.Fatal(err)
		}
	}
	res := e.get(c, "/partnerskap")
	if got := cardNames(res.body); len(got) != 20 {
		t.Errorf("first page: %d cards", len(got))
	}
	wantContains(t, "first page", res.body, "Visar 33 av 33 partnerskap. Sida 1 av 2.", `<nav class="pagination" aria-label="Sidor">`,
		`<a href="/partnerskap" aria-current="page"><span class="visually-hidden">Sida </span>1</a>`,
		`<a href="/partnerskap?sida=2" rel="next">Nästa sida</a>`)
	res = e.get(c, "/partnerskap?sida=2")
	if got := cardNames(res.body); len(got) != 13 {
		t.Errorf("second page: %d cards", len(got))
	}
	wantContains(t, "second page", res.body, `aria-current="page"><span class="visually-hidden">Sida </span>2</a>`, `rel="prev"`, "<title>Partnerskap, sida 2")
	if e.get(c, "/partnerskap?sida=3").status != http.StatusNotFound {
		t.Error("page 3 of 2 exists")
	}
	// The plastic partnerships fill two pages; the links keep the query.
	res = e.get(c, "/partnerskap?q=plast&status=planned&sortera=nyast")
	wantContains(t, "filtered pages", res.body, "Visar 25 av 33", `href="/partnerskap?q=plast&amp;sida=2&amp;sortera=nyast&amp;status=planned"`)
	if got := cardNames(e.get(c, "/partnerskap?q=plast&status=planned&sida=2").body); len(got) != 5 {
		t.Errorf("filtered second page: %d cards", len(got))
	}
	// The downloads hold every page.
	if n := strings.Count(strings.TrimSpace(e.get(c, "/partnerskap.csv?q=plast").body), "\n"); n != 26 {
		t.Errorf("CSV of 26 partnerships: %d rows", n)
	}
}

// TestPartnershipSearchOnPostgres runs the searches through the web on
// PostgreSQL and checks they find what they find on SQLite.
func TestPartnershipSearchOnPostgres(t *testing.T) {
	clk := clock.NewFixed(now)
	pg := newEnvOn(t, "http://localhost", storetest.OpenPostgres(t, clk), clk)
	lite := newEnv(t, "http://localhost")
	for _, path := range []string{
		"/partnerskap?q=plast", "/partnerskap?q=plasten", "/partnerskap?q=plastavfall", "/en/partnerships?q=plastics",
		"/partnerskap?q=milj%C3%B6", "/partnerskap?q=vatten", "/en/partnerships?q=water", "/partnerskap?q=kommunerna",
		"/partnerskap?q=climate", "/partnerskap?q=%3Cscript%3E", "/partnerskap?q=%22a%22+OR+*+%3A*+%26",
	} {
		a, b := pg.get(pg.client(), path), lite.get(lite.client(), path)
		if a.status != 200 || b.status != 200 {
			t.Errorf("GET %s: %d on PostgreSQL, %d on SQLite", path, a.status, b.status)
			continue
		}
		if got, want := cardNames(a.body), cardNames(b.body); !slices.Equal(got, want) {
			t.Errorf("GET %s: %q on PostgreSQL, %q on SQLite", path, got, want)
		}
	}
	if got := cardNames(pg.get(pg.client(), "/partnerskap?q=plastavfall").body); !slices.Equal(got, []string{"Kalix – Masaka"}) {
		t.Errorf("plastavfall on PostgreSQL: %q", got)
	}
}
