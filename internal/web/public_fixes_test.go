package web_test

import (
	"strings"
	"testing"
)

// The home page names the site-wide stories feed in its head, in both
// languages, as the stories, goal and partnership pages name theirs.
func TestHomeFeedLink(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	anon := e.client()
	for _, c := range []struct{ path, link string }{
		{"/", `<link rel="alternate" type="application/atom+xml" title="Berättelser (Atom)" href="/berattelser/atom.xml">`},
		{"/en/", `<link rel="alternate" type="application/atom+xml" title="Stories (Atom)" href="/en/stories/atom.xml">`},
	} {
		res := e.get(anon, c.path, "Accept-Language", "sv")
		head, _, _ := strings.Cut(res.body, "</head>")
		wantContains(t, "home "+c.path, head, c.link)
	}
}

// The stylesheet styles an address field (type=url: an activity's
// evidence, a material's link) as every other text field, and keeps a
// date (every date is a <time>) on one line.
func TestStylesheetFieldsAndDates(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	css := e.get(e.client(), "/static/style.css").body
	var fields string
	for _, rule := range strings.Split(css, "}") {
		if strings.Contains(rule, "input[type=text]") && strings.Contains(rule, "border:") {
			fields = rule
		}
	}
	if fields == "" {
		t.Fatal("no rule styles input[type=text]")
	}
	sel, _, _ := strings.Cut(fields, "{")
	for _, want := range []string{"input[type=email]", "input[type=url]", "input[type=search]"} {
		if !strings.Contains(sel, want) {
			t.Errorf("the text fields' rule %q lacks %s", strings.TrimSpace(sel), want)
		}
	}
	if !strings.Contains(css, "\ntime { white-space: nowrap; }") {
		t.Error("style.css: a <time> may break over lines")
	}
}
