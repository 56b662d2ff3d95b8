package story

import (
	"bytes"
	stdhtml "html"
	"regexp"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown turns a body into HTML: CommonMark with tables, strikethrough
// and bare links made links (GitHub's flavour, which people know). Raw
// HTML is left out by goldmark (it is not WithUnsafe), and whatever comes
// out is sanitised again (sanitiser), so a story can never carry a script.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(storyTransformer{}, 100))),
)

// sanitiser is bluemonday's policy for user-generated content: formatting,
// lists, tables, links (http, https, mailto and relative), nothing that
// runs or styles. Links get rel="noopener nofollow": the site vouches for
// no link a story makes. The noopener comes from storyTransformer; the
// policy lets through that one value of rel and no other.
var sanitiser = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^noopener$`)).OnElements("a")
	p.RequireNoFollowOnLinks(true)
	return p
}()

// storyTransformer fits a parsed body into a story page: headings move
// down (the page's h1 is the story's title, so the body's highest heading
// becomes an h2 and no body has an h1), images become their alternative text (a
// story has one image of its own, with required alternative text, held in
// the file store; a body cannot load pictures from elsewhere), and links
// get rel="noopener".
type storyTransformer struct{}

func (storyTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var images []*ast.Image
	var headings []*ast.Heading
	top := 7 // the highest heading level used (the smallest number)
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			headings = append(headings, n)
			top = min(top, n.Level)
		case *ast.Image:
			images = append(images, n)
		case *ast.Link:
			if !html.IsDangerousURL(n.Destination) {
				n.SetAttributeString("rel", []byte("noopener"))
			}
		case *ast.AutoLink:
			n.SetAttributeString("rel", []byte("noopener"))
		}
		return ast.WalkContinue, nil
	})
	// The highest heading becomes an h2, the others follow it, so a body
	// written with "##" (as many do) skips no level under the page's h1.
	for _, h := range headings {
		h.Level = max(2, min(h.Level-top+2, 6))
	}
	for _, img := range images {
		parent := img.Parent()
		if parent == nil {
			continue
		}
		// The image's children are its alternative text: they take its place.
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, img, c)
			c = next
		}
		parent.RemoveChild(parent, img)
	}
}

// Render turns a Markdown body into sanitised HTML, safe to put in a page
// as it is.
func Render(body string) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(body), &buf); err != nil {
		// goldmark fails only when writing fails, which a buffer does not;
		// show the text escaped rather than nothing.
		return "<p>" + stdhtml.EscapeString(body) + "</p>"
	}
	return sanitiser.Sanitize(buf.String())
}

var stripAll = bluemonday.StrictPolicy()

// Excerpt returns the start of a body as plain text of at most n
// characters, cut at a word and ending in "…" when cut: for lists and
// feed summaries.
func Excerpt(body string, n int) string {
	plain := stdhtml.UnescapeString(stripAll.Sanitize(strings.ReplaceAll(Render(body), "<", " <")))
	plain = strings.Join(strings.Fields(plain), " ")
	runes := []rune(plain)
	if len(runes) <= n {
		return plain
	}
	cut := n
	for cut > n/2 && !unicode.IsSpace(runes[cut]) {
		cut--
	}
	if cut <= n/2 {
		cut = n
	}
	return strings.TrimRightFunc(string(runes[:cut]), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}
