package web_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
)

// The item page of a link shows the whole address the link goes to, not
// only its site, before the reader leaves (issue 11); a site named in
// look-alike letters is shown as the browser will look it up too.
func TestMaterialLinkShowsFullAddress(t *testing.T) {
	e := newEnv(t, "http://localhost")
	pid := e.partnershipID("Kalix – Masaka")
	cl := e.login(applicant)
	for _, c := range []struct{ title, link, origin, rest, ascii string }{
		{"Länkprovet ett", "https://video.example.org/kanal/masaka/../elak-sida?v=1&lista=2#start",
			"https://video.example.org", "/kanal/masaka/../elak-sida?v=1&lista=2#start", ""},
		{"Länkprovet två", "https://\u0430pple.example/inloggning", "https://\u0430pple.example", "/inloggning", "xn--pple-43d.example"},
	} {
		form := materialFields(pid, c.title)
		form.Set("link", c.link)
		form.Set("publish", "1")
		if res := e.postMaterial(cl, "/mitt-material/ny", form, "", nil); res.status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", c.link, res.status, res.body)
		}
		it := e.materialNamed(c.title)
		for _, path := range []string{fmt.Sprintf("/material/%d", it.ID), fmt.Sprintf("/en/material/%d", it.ID)} {
			res := e.get(e.client(), path)
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, res.status)
			}
			body := html.UnescapeString(res.body)
			wantContains(t, path, body, "<strong>"+c.origin+"</strong>"+c.rest)
			if strings.HasPrefix(path, "/en/") {
				wantContains(t, path, body, "The link goes to:")
			} else {
				wantContains(t, path, body, "Länken går till:")
			}
			if c.ascii != "" {
				wantContains(t, path, body, c.ascii)
			} else if strings.Contains(body, "xn--") {
				t.Errorf("%s: an ASCII name shown for an ASCII site", path)
			}
		}
	}
}
