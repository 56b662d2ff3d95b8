package story

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzRender: whatever a body holds, the HTML Render gives carries no
// script, no event handler, no style, no frame or form, and no link or
// source that is not http(s), mailto or relative; and it is valid UTF-8
// when the body is. The output is parsed as a browser parses it, so
// markup hidden in attribute values or comments is judged as the browser
// sees it. The corpus is in testdata/fuzz/FuzzRender.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# Rubrik\n\nText med **fet** och [länk](https://icld.se).",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
		"[x](JaVaScRiPt&#58;alert(1))",
		"![bild](https://example.org/a.png \"titel\")",
		"<img src=x onerror=alert(1)>",
		"| a | b |\n|---|---|\n| <b onclick=x>c</b> | d |",
		"www.example.org/<script>",
		"[x](data:text/html;base64,PHNjcmlwdD4=)",
		"<a href=\"vbscript:x\">x</a>",
		"`<script>`",
		"[a]: javascript:alert(1)\n\n[a]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		out := Render(body)
		if utf8.ValidString(body) && !utf8.ValidString(out) {
			t.Fatalf("Render(%q) is not valid UTF-8: %q", body, out)
		}
		if problem := unsafeHTML(out); problem != "" {
			t.Fatalf("Render(%q) = %q: %s", body, out, problem)
		}
	})
}

var safeURL = regexp.MustCompile(`(?i)^(https?:|mailto:|[^:]*$|[^:/?#]*[/?#])`)

// unsafeHTML returns what in s could run or load something, or "".
func unsafeHTML(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "iframe", "frame", "object", "embed", "form", "input", "button", "svg", "math",
				"base", "link", "meta", "img", "video", "audio", "source", "textarea", "template":
				return "element " + tok.Data
			}
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					return "event handler " + key
				case key == "style", key == "srcdoc", key == "formaction":
					return "attribute " + key
				case key == "href" || key == "src" || key == "action" || key == "cite" || key == "xlink:href":
					v := strings.Map(func(r rune) rune {
						if r <= ' ' || r == 0x7f {
							return -1 // browsers skip these in a scheme
						}
						return r
					}, a.Val)
					if !safeURL.MatchString(v) {
						return "address " + a.Val
					}
				}
			}
		}
	}
}
