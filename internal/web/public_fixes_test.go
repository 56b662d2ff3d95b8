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
