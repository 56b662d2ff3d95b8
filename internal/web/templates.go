package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/sdg"
)

// pageTemplate is a page parsed together with the layout and partials.
type pageTemplate = template.Template

// funcMap is every function the templates call, built in this one place;
// the bigger ones are defined beside the pages that use them.
func funcMap() template.FuncMap {
	return template.FuncMap{
		"goal":    sdg.GoalByNumber,
		"target":  sdg.TargetByCode,
		"goals":   sdg.Goals,
		"country": country.Name,
		"join":    strings.Join,
		"inc":     func(i int) int { return i + 1 },
		"sub":     func(a, b int64) int64 { return a - b },
		"hasInt":  func(list []int, v int) bool { return slices.Contains(list, v) },
		"hasStr":  func(list []string, v string) bool { return slices.Contains(list, v) },
		"lines":   func(s string) []string { return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") },
		"linkify": linkify,
		// number writes a count of people or activities for reading:
		// "4 300" in Swedish, "4,300" in English.
		"number": money.Count,
		"asset":  assetURL,

		// Partials' data: each gets the page's Base and what it shows.
		"cardOf":    cardOf,
		"callTable": callTableOf,
		"goalGrid":  goalGridOf,
		"sectionOf": sectionOf,
		"fieldOf":   fieldOf,
		"cell":      cellOf,
		"answersOf": answersOf,

		// Choices and labels.
		"langOptions":   langOptions,
		"acceptOption":  acceptOptions,
		"decideFormFor": decideFormFor,
		"decideOptions": decideOptions,
		"kindOptions":   surveyKindOptions,
		"kb":            kilobytes,
	}
}

// parseTemplates parses each page under templates/pages with the layout
// and partials, once, at start-up.
func parseTemplates() (map[string]*pageTemplate, error) {
	base, err := template.New("layout").Funcs(funcMap()).ParseFS(embedded, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	files, err := fs.Glob(embedded, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*pageTemplate{}
	for _, f := range files {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.ParseFS(embedded, f); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", f, err)
		}
		name := strings.TrimSuffix(path.Base(f), ".html")
		out[name] = t.Lookup("layout")
	}
	// The widget other sites frame is a page of its own, without the layout (partnership_embed.go).
	if out["embed"], err = parseEmbedTemplate(); err != nil {
		return nil, err
	}
	return out, nil
}

// pager is any page struct: they all embed *Base.
type pager interface{ base() *Base }

func (b *Base) base() *Base { return b }

// card is what the partnership-card partial renders.
type card struct {
	*Base
	P *partnership.Partnership
}

type callTableData struct {
	*Base
	Calls []callSummary
}

func cardOf(pg pager, p *partnership.Partnership) card { return card{Base: pg.base(), P: p} }

func callTableOf(pg pager, calls []callSummary) callTableData {
	return callTableData{Base: pg.base(), Calls: calls}
}

// linkify escapes text and turns the http(s) addresses in it into links,
// so the sources in a description can be followed.
func linkify(s string) template.HTML {
	var b strings.Builder
	for i, word := range strings.Split(s, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		if strings.HasPrefix(word, "https://") || strings.HasPrefix(word, "http://") {
			trimmed := strings.TrimRight(word, ".,;)")
			esc := template.HTMLEscapeString(trimmed)
			b.WriteString(`<a href="` + esc + `">` + esc + `</a>` + template.HTMLEscapeString(word[len(trimmed):]))
			continue
		}
		b.WriteString(template.HTMLEscapeString(word))
	}
	return template.HTML(b.String())
}

// goalGridData is what the goal-grid partial renders.
type goalGridData struct {
	*Base
	Goals []goalCount
}

func goalGridOf(pg pager, goals []goalCount) goalGridData {
	return goalGridData{Base: pg.base(), Goals: goals}
}

func langOptions(pg pager) []option {
	b := pg.base()
	return []option{{Value: "sv", Label: b.T("lang.sv")}, {Value: "en", Label: b.T("lang.en")}}
}
