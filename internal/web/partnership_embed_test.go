package web_test

import (
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestEmbedFraming proves that the widget alone may be framed by other
// sites: its Content-Security-Policy allows any frame ancestor and it
// sends no X-Frame-Options, while every other page still refuses framing.
func TestEmbedFraming(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	id := strconv.FormatInt(e.partnershipID("Kalix – Masaka"), 10)

	for _, path := range []string{"/inbadda/partnerskap/" + id, "/en/embed/partnerships/" + id} {
		res := e.get(c, path)
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.status)
		}
		csp := res.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors *") || strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q does not allow framing", path, csp)
		}
		// The rest of the policy is as strict as elsewhere.
		for _, d := range []string{"script-src 'self'", "style-src 'self'", "default-src 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, d)
			}
		}
		if xfo := res.header.Get("X-Frame-Options"); xfo != "" {
			t.Errorf("%s: X-Frame-Options %q forbids framing", path, xfo)
		}
	}

	// Every other kind of page still refuses to be framed.
	for _, path := range []string{"/", "/en/", "/partnerskap/" + id, "/en/partnerships/" + id, "/partnerskap/" + id + "/faktablad.pdf",
		"/logga-in", "/inbadda/partnerskap/999999", "/finns-inte"} {
		res := e.get(c, path)
		if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "frame-ancestors *") {
			t.Errorf("%s (%d): CSP %q allows framing", path, res.status, csp)
		}
		if xfo := res.header.Get("X-Frame-Options"); xfo != "DENY" {
			t.Errorf("%s (%d): X-Frame-Options %q, want DENY", path, res.status, xfo)
		}
	}
}

// TestEmbedContent checks the widget's card in both languages: a page of
// its own (no site navigation), the partnership's facts, goals and money,
// every link leaving the frame for a new tab with a hint that says so.
func TestEmbedContent(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	id := strconv.FormatInt(e.partnershipID("Kalix – Masaka"), 10)

	sv := e.get(c, "/inbadda/partnerskap/"+id)
	if sv.status != http.StatusOK {
		t.Fatalf("status %d", sv.status)
	}
	wantContains(t, "sv widget", sv.body,
		`<html lang="sv">`, "<title>Kalix – Masaka", `<main`, `<h1 id="embed-name">Kalix – Masaka</h1>`,
		"Avfallshantering, plast och miljö", "Kalix kommun", "Uganda", "Beviljat", "300\u00a0000\u00a0kr", "Nådda personer",
		"Globala mål", `class="goal-chip goal-`, "Senaste berättelserna",
		`href="https://partnerskap.example/partnerskap/`+id+`" target="_blank" rel="noopener"`, "Läs mer på partnerskap.example", "(öppnas i ny flik)",
		`<meta name="robots" content="noindex">`, `<link rel="canonical" href="https://partnerskap.example/partnerskap/`+id+`">`)
	// Not the site's layout: no navigation, skip link or language switch.
	wantNotContains(t, "sv widget", sv.body, `class="site-header"`, `class="skip-link"`, "/sprak?", `class="site-footer"`)
	if got := strings.Count(sv.body, `target="_blank"`); got != strings.Count(sv.body, "<a ") || got != strings.Count(sv.body, `rel="noopener"`) {
		t.Errorf("sv widget: %d links open a new tab, of %d links", got, strings.Count(sv.body, "<a "))
	}

	en := e.get(c, "/en/embed/partnerships/"+id)
	if en.status != http.StatusOK {
		t.Fatalf("en: status %d", en.status)
	}
	wantContains(t, "en widget", en.body,
		`<html lang="en">`, "Waste management, plastics and the environment", "Kalix kommun", "Uganda", "Granted", "SEK\u00a0300,000",
		"People reached", "Global goals", "Latest stories", `href="https://partnerskap.example/en/partnerships/`+id+`"`,
		"Read more on partnerskap.example", "(opens in a new tab)")
	wantNotContains(t, "en widget", en.body, "Beviljat", "Läs mer", " kr<")

	for _, path := range []string{"/inbadda/partnerskap/999999", "/en/embed/partnerships/abc", "/inbadda/partnerskap/0"} {
		if res := e.get(c, path); res.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.status)
		}
	}
}

// TestEmbedSnippet checks the code offered for copying on the partnership
// page: a labelled read-only field holding an iframe of the widget at the
// public address, with a title, full width and lazy loading.
func TestEmbedSnippet(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example/")
	c := e.client()
	id := strconv.FormatInt(e.partnershipID("Kalix – Masaka"), 10)
	for _, tc := range []struct{ page, src, title, heading string }{
		{"/partnerskap/" + id, "https://partnerskap.example/inbadda/partnerskap/" + id, "Kalix – Masaka – kommunalt partnerskap", "Bädda in på er webbplats"},
		{"/en/partnerships/" + id, "https://partnerskap.example/en/embed/partnerships/" + id, "Kalix – Masaka – municipal partnership", "Embed on your website"},
	} {
		res := e.get(c, tc.page)
		wantContains(t, tc.page, res.body, tc.heading, `<label for="embed-snippet">`, `<textarea id="embed-snippet"`, "readonly")
		start := strings.Index(res.body, `<textarea id="embed-snippet"`)
		end := strings.Index(res.body, "</textarea>")
		if start < 0 || end < start {
			t.Fatalf("%s: no snippet", tc.page)
		}
		field := res.body[start:end]
		snippet := html.UnescapeString(field[strings.Index(field, ">")+1:])
		// The frame keeps a fixed height for a host without the script (or
		// without JavaScript); the script makes it as tall as its content.
		want := `<iframe src="` + tc.src + `" title="` + tc.title + `" width="100%" height="560" style="border:0" loading="lazy"></iframe>` + "\n" +
			`<script src="https://partnerskap.example/static/widget.js" async></script>`
		if snippet != want {
			t.Errorf("%s: snippet\n got %s\nwant %s", tc.page, snippet, want)
		}
		// The snippet's address is the widget, which answers.
		if w := e.get(c, strings.TrimPrefix(tc.src, "https://partnerskap.example")); w.status != http.StatusOK {
			t.Errorf("%s: the snippet's widget answers %d", tc.page, w.status)
		}
	}

	// Without a configured public address, the address the request came to.
	bare := newEnv(t, "")
	res := bare.get(bare.client(), "/partnerskap/"+id)
	wantContains(t, "no base URL", res.body, html.EscapeString(`<iframe src="`+bare.srv.URL+`/inbadda/partnerskap/`+id+`"`))
}

// TestEmbedAutoHeight checks the parts of the widget's automatic height:
// the widget page loads its script (a file: the CSP forbids inline
// scripts), which posts only its height under a named message type, and
// the host's script is served from the address the snippet gives. It
// believes only messages from the widget's origin and from the frame
// itself.
func TestEmbedAutoHeight(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	id := strconv.FormatInt(e.partnershipID("Kalix – Masaka"), 10)
	for _, path := range []string{"/inbadda/partnerskap/" + id, "/en/embed/partnerships/" + id} {
		res := e.get(c, path)
		wantContains(t, path, res.body, `<script src="/static/embed.js?v=`)
		wantNotContains(t, path, res.body, "<script>")
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/static/embed.js", []string{"partnerskap-widget-height", "window.parent.postMessage", "height:"}},
		{"/static/widget.js", []string{"partnerskap-widget-height", "event.origin !== origin", "f.contentWindow === event.source", "document.currentScript"}},
	} {
		res := e.get(c, tc.path)
		if res.status != http.StatusOK || !strings.Contains(res.header.Get("Content-Type"), "javascript") {
			t.Fatalf("%s: status %d, type %q", tc.path, res.status, res.header.Get("Content-Type"))
		}
		wantContains(t, tc.path, res.body, tc.want...)
	}
}
