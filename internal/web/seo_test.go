package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/material"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/story"
)

// TestAccessibilityStatement: the statement exists in both languages with
// what DIGG asks for, and every page's footer links to it.
func TestAccessibilityStatement(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/tillganglighet", []string{`<html lang="sv">`, "<h1>Tillgänglighetsredogörelse</h1>", "ICLD", "WCAG 2.1 nivå AA", "delvis förenlig",
			"axe-core", "320 pixlars", "27 november 2026", "PDF", "mailto:partnership@icld.se", `href="https://www.digg.se/tdosanmalan"`,
			`href="/tillganglighet" aria-current="page"`, `hreflang="en" href="https://partnerskap.example/en/accessibility"`}},
		{"/en/accessibility", []string{`<html lang="en">`, "<h1>Accessibility statement</h1>", "ICLD", "WCAG 2.1 level AA", "partially compliant",
			"axe-core", "320 pixels", "27 November 2026", "PDF", "mailto:partnership@icld.se", `href="https://www.digg.se/tdosanmalan"`,
			`href="/en/accessibility" aria-current="page"`}},
		{"/mal", []string{`<a href="/tillganglighet">Tillgänglighetsredogörelse</a>`}},
		{"/en/partnerships", []string{`<a href="/en/accessibility">Accessibility statement</a>`}},
		{"/finns-inte", []string{`<a href="/tillganglighet">Tillgänglighetsredogörelse</a>`}},
	} {
		res := e.get(c, tc.path)
		if res.status != 200 && tc.path != "/finns-inte" {
			t.Errorf("%s: status %d", tc.path, res.status)
		}
		body := html.UnescapeString(res.body)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
	}
}

func TestRobots(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example/")
	res := e.get(e.client(), "/robots.txt")
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt: status %d, type %q", res.status, res.header.Get("Content-Type"))
	}
	lines := strings.Split(res.body, "\n")
	for _, want := range []string{"User-agent: *", "Allow: /", "Sitemap: https://partnerskap.example/sitemap.xml",
		"Disallow: /personal", "Disallow: /en/staff", "Disallow: /ansokningar", "Disallow: /en/applications",
		"Disallow: /granskning", "Disallow: /en/reviews", "Disallow: /bidrag", "Disallow: /en/grants",
		"Disallow: /logga-in", "Disallow: /en/login", "Disallow: /enkat", "Disallow: /en/survey"} {
		found := false
		for _, l := range lines {
			found = found || l == want
		}
		if !found {
			t.Errorf("robots.txt lacks the line %q:\n%s", want, res.body)
		}
	}
	// No public page is disallowed.
	for _, l := range lines {
		if p, ok := strings.CutPrefix(l, "Disallow: "); ok {
			for _, public := range []string{"/", "/en/", "/partnerskap", "/en/partnerships", "/mal", "/en/goals", "/tillganglighet", "/en/accessibility"} {
				if strings.HasPrefix(public, p) {
					t.Errorf("robots.txt disallows the public page %s (%s)", public, l)
				}
			}
		}
	}
}

type sitemapDoc struct {
	URLs []struct {
		Loc   string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		Links []struct {
			Rel      string `xml:"rel,attr"`
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

func TestSitemap(t *testing.T) {
	const base = "https://partnerskap.example"
	e := newEnv(t, base)
	c := e.client()
	res := e.get(c, "/sitemap.xml")
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/xml") {
		t.Fatalf("sitemap.xml: status %d, type %q", res.status, res.header.Get("Content-Type"))
	}
	var doc sitemapDoc
	if err := xml.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatalf("sitemap.xml does not parse: %v\n%s", err, res.body)
	}
	alternates := map[string]map[string]string{} // loc -> hreflang -> href
	for _, u := range doc.URLs {
		if !strings.HasPrefix(u.Loc, base+"/") {
			t.Errorf("sitemap: %q is not absolute on the base URL", u.Loc)
		}
		alternates[u.Loc] = map[string]string{}
		for _, l := range u.Links {
			if l.Rel != "alternate" {
				t.Errorf("sitemap: %s has a link rel=%q", u.Loc, l.Rel)
			}
			alternates[u.Loc][l.Hreflang] = l.Href
		}
	}
	pair := func(sv, en string) {
		t.Helper()
		for _, loc := range []string{base + sv, base + en} {
			alt, ok := alternates[loc]
			if !ok {
				t.Errorf("sitemap lacks %s", loc)
				continue
			}
			if alt["sv"] != base+sv || alt["en"] != base+en || alt["x-default"] != base+sv {
				t.Errorf("sitemap: %s has alternates %v", loc, alt)
			}
		}
	}
	pair("/", "/en/")
	pair("/partnerskap", "/en/partnerships")
	pair("/mal", "/en/goals")
	pair("/tillganglighet", "/en/accessibility")
	pair("/integritet", "/en/privacy")
	pair("/beviljade-bidrag", "/en/granted-grants")
	ps, err := e.store.PartnershipList(context.Background(), partnership.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) == 0 {
		t.Fatal("the demo has no partnerships")
	}
	for _, p := range ps {
		id := strconv.FormatInt(p.ID, 10)
		pair("/partnerskap/"+id, "/en/partnerships/"+id)
	}
	for n := 1; n <= 17; n++ {
		pair(fmt.Sprintf("/mal/%d", n), fmt.Sprintf("/en/goals/%d", n))
	}
	pair("/statistik", "/en/statistics")
	pair("/berattelser", "/en/stories")
	pair("/material", "/en/material")
	stories, err := e.store.StoryList(context.Background(), story.Public())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stories {
		id := strconv.FormatInt(st.ID, 10)
		pair("/berattelser/"+id, "/en/stories/"+id)
	}
	items, _, err := e.store.MaterialList(context.Background(), material.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		id := strconv.FormatInt(it.ID, 10)
		pair("/material/"+id, "/en/material/"+id)
	}
	if len(stories) == 0 || len(items) == 0 {
		t.Errorf("the demo has %d published stories and %d published material items; the sitemap test needs some", len(stories), len(items))
	}
	if want := 2 * (9 + len(ps) + 17 + len(stories) + len(items)); len(doc.URLs) != want {
		t.Errorf("sitemap has %d addresses, want %d", len(doc.URLs), want)
	}
	for _, private := range []string{"/personal", "/logga-in", "/enkat", "/bidrag"} {
		if strings.Contains(res.body, base+private) {
			t.Errorf("sitemap lists a private page under %s", private)
		}
	}
}

// TestCanonicalAndOpenGraph: a partnership page names its canonical
// address (without the query) and carries Open Graph tags in its language.
func TestCanonicalAndOpenGraph(t *testing.T) {
	const base = "https://partnerskap.example"
	e := newEnv(t, base)
	c := e.client()
	id := strconv.FormatInt(e.partnershipID("Kalix – Masaka"), 10)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/partnerskap/" + id + "?utm_source=x", []string{
			`<link rel="canonical" href="` + base + `/partnerskap/` + id + `">`,
			`<meta property="og:url" content="` + base + `/partnerskap/` + id + `">`,
			`<meta property="og:title" content="Kalix – Masaka">`,
			`<meta property="og:type" content="website">`,
			`<meta property="og:site_name" content="Partnerskap">`,
			`<meta property="og:locale" content="sv_SE">`,
			`<meta property="og:locale:alternate" content="en_GB">`,
		}},
		{"/en/partnerships/" + id, []string{
			`<link rel="canonical" href="` + base + `/en/partnerships/` + id + `">`,
			`<meta property="og:url" content="` + base + `/en/partnerships/` + id + `">`,
			`<meta property="og:locale" content="en_GB">`,
			`<meta property="og:locale:alternate" content="sv_SE">`,
		}},
	} {
		res := e.get(c, tc.path)
		if res.status != 200 {
			t.Fatalf("%s: status %d", tc.path, res.status)
		}
		body := html.UnescapeString(res.body)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %s", tc.path, w)
			}
		}
		if strings.Contains(body, `rel="canonical" href="`+base+`/partnerskap/`+id+`?`) {
			t.Errorf("%s: canonical link keeps the query", tc.path)
		}
	}
	// An error page has no canonical address.
	if res := e.get(c, "/partnerskap/999999"); res.status != 404 || strings.Contains(res.body, `rel="canonical"`) {
		t.Errorf("404 page: status %d, canonical link present: %v", res.status, strings.Contains(res.body, `rel="canonical"`))
	}
}
