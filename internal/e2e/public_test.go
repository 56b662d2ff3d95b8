package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// publicPages are one page of every public kind, by its Swedish and
// English address. Paths with ids use the demo: partnership 1 is the
// pilot's first partnership, goal 12 has pilot partnerships.
var publicPages = []struct{ name, sv, en string }{
	{"home", "/", "/en/"},
	{"partnerships", "/partnerskap", "/en/partnerships"},
	{"partnerships, filtered", "/partnerskap?q=plast&mal=12", "/en/partnerships?q=plastics&mal=12"},
	{"partnership", "/partnerskap/1", "/en/partnerships/1"},
	{"goals", "/mal", "/en/goals"},
	{"goal", "/mal/12", "/en/goals/12"},
	{"granted grants", "/beviljade-bidrag", "/en/granted-grants"},
	{"statistics", "/statistik", "/en/statistics"},
	{"stories", "/berattelser", "/en/stories"},
	{"story", "/berattelser/1", "/en/stories/1"},
	{"material bank", "/material", "/en/material"},
	{"material bank, filtered", "/material?mal=12&sprak=sv", "/en/material?mal=12&sprak=en"},
	{"material item", "/material/1", "/en/material/1"},
	{"embeddable widget", "/inbadda/partnerskap/1", "/en/embed/partnerships/1"},
	{"accessibility statement", "/tillganglighet", "/en/accessibility"},
	{"not found", "/finns-inte", "/en/no-such-page"},
}

// TestPublicAccessibility loads every kind of public page and the key
// forms (login, an application with errors, a survey answer page) in
// Swedish and English and fails on any WCAG 2.1 A/AA violation axe finds
// or any page that scrolls sideways at 320 px.
func TestPublicAccessibility(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)

	for _, p := range publicPages {
		for _, lang := range []string{"sv", "en"} {
			path := p.sv
			if lang == "en" {
				path = p.en
			}
			t.Run(p.name+" ("+lang+")", func(t *testing.T) {
				status := b.openAny(t, path)
				if want := map[bool]int64{true: 404, false: 200}[p.name == "not found"]; status != want {
					t.Errorf("%s: status %d, want %d", path, status, want)
				}
				if got := b.lang(t); got != lang {
					t.Errorf("%s: <html lang=%q>, want %s", path, got, lang)
				}
				if b.text(t, "h1") == "" {
					t.Errorf("%s: empty h1", path)
				}
				b.checkAccessibility(t, p.name+" ("+lang+")")
			})
		}
	}

	for _, lang := range []string{"sv", "en"} {
		prefix := map[string]string{"sv": "", "en": "/en"}[lang]
		t.Run("login with errors ("+lang+")", func(t *testing.T) {
			b.open(t, prefix+map[string]string{"sv": "/logga-in", "en": "/login"}[lang])
			b.checkAccessibility(t, "login ("+lang+")")
			b.typeInto(t, "#email", "ingen@example.se")
			b.typeInto(t, "#password", "fel lösenord")
			b.follow(t, `main form button[type="submit"]`)
			if !b.exists(t, ".error-summary, .error") {
				t.Fatalf("a wrong password shows no error: %s", b.text(t, "main"))
			}
			b.checkAccessibility(t, "login with errors ("+lang+")")
		})
	}

	t.Run("application with errors (sv, en)", func(t *testing.T) {
		b.signIn(t, applicantEmail)
		b.open(t, "/ansokningar")
		b.selectByText(t, "#call", rollingCallSV)
		b.selectByText(t, "#partnership", "Kalix – Masaka")
		b.follow(t, `form[action="/ansokningar/ny"] button[type="submit"]`)
		appPath := b.path(t)
		b.follow(t, `button[name="action"][value="submit"]`)
		if !b.exists(t, ".error-summary") {
			t.Fatalf("submitting an empty application shows no errors")
		}
		b.checkAccessibility(t, "application with errors (sv)")
		b.open(t, appPath+"/dra-tillbaka")
		b.checkAccessibility(t, "withdraw confirmation (sv)")
		b.open(t, "/en"+strings.Replace(appPath, "/ansokningar/", "/applications/", 1))
		b.follow(t, `button[name="action"][value="submit"]`)
		if !b.exists(t, ".error-summary") {
			t.Fatalf("submitting an empty application (en) shows no errors")
		}
		b.checkAccessibility(t, "application with errors (en)")
		b.signOut(t)
	})

	// The grantees' publishing forms, sent empty so every error shows.
	for _, form := range []struct{ name, sv, en, submit string }{
		{"story form", "/mina-berattelser/ny", "/en/my-stories/new", `main form.form button[type="submit"]`},
		{"material form", "/mitt-material/ny", "/en/my-material/new", `main form.form button[type="submit"].secondary`},
	} {
		t.Run(form.name+" with errors (sv, en)", func(t *testing.T) {
			b.signIn(t, applicantEmail)
			for _, path := range []string{form.sv, form.en} {
				b.open(t, path)
				b.checkAccessibility(t, form.name+" "+path)
				b.follow(t, form.submit)
				if !b.exists(t, ".error-summary") {
					t.Fatalf("%s sent empty shows no errors: %s", path, b.text(t, "main"))
				}
				b.checkAccessibility(t, form.name+" with errors "+path)
			}
			b.signOut(t)
		})
	}

	t.Run("survey answer page (sv, en)", func(t *testing.T) {
		// The rolling call's Forshaga grant has its baseline survey open.
		b.signIn(t, officerEmail)
		b.open(t, "/personal/bidrag")
		b.followText(t, "main a", "Forshaga")
		id := b.path(t)[strings.LastIndex(b.path(t), "/")+1:]
		b.open(t, "/bidrag/"+id+"/enkat")
		link := run(t, b, "survey link", chromedp.Evaluate[string](`(Array.from(document.querySelectorAll('main a'))
			.map(a => a.getAttribute('href')).find(h => h.includes('/enkat/') && h.endsWith('/fore')) || '')`))
		if link == "" {
			t.Fatal("no baseline survey link on the Forshaga grant's survey page")
		}
		b.signOut(t)
		token := strings.TrimSuffix(link[strings.Index(link, "/enkat/")+len("/enkat/"):], "/fore")
		b.open(t, "/enkat/"+token+"/fore")
		b.checkAccessibility(t, "survey answer page (sv)")
		b.open(t, "/en/survey/"+token+"/before")
		if got := b.lang(t); got != "en" {
			t.Errorf("survey answer page (en): lang %q", got)
		}
		b.checkAccessibility(t, "survey answer page (en)")
	})
}

// openAny goes to path whatever the status (error pages are pages too)
// and returns the status.
func (b *browser) openAny(t *testing.T, path string) int64 {
	t.Helper()
	resp := run(t, b, "open "+path, chromedp.NavigateResponse(b.base+path))
	if resp == nil {
		t.Fatalf("open %s: no response", path)
	}
	return resp.Status
}

// TestChartsForcedColours checks the statistics page's charts in forced
// colours (Windows high contrast): bars take the system highlight colour
// and text the system text colour, both distinct from the background, so
// no bar or label disappears into it.
func TestChartsForcedColours(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)
	b.open(t, "/statistik")
	b.do(t, "emulate forced colours", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "forced-colors", Value: "active"}},
		})
		return err
	}))
	type colours struct {
		Forced       bool     `json:"forced"`
		Canvas       string   `json:"canvas"`
		Highlight    string   `json:"highlight"`
		Text         string   `json:"text"`
		BarFills     []string `json:"barFills"`
		TextFills    []string `json:"textFills"`
		BarsAndTexts []int    `json:"counts"`
	}
	got := run(t, b, "chart colours", chromedp.Evaluate[colours](`(() => {
		const probe = (prop, value) => { const e = document.createElement('div'); e.style[prop] = value; document.body.append(e);
			const c = getComputedStyle(e)[prop]; e.remove(); return c; };
		const bars = Array.from(document.querySelectorAll('svg .chart-bar'), e => getComputedStyle(e).fill);
		const texts = Array.from(document.querySelectorAll('svg .chart-text'), e => getComputedStyle(e).fill);
		return {forced: matchMedia('(forced-colors: active)').matches,
			canvas: probe('backgroundColor', 'Canvas'), highlight: probe('color', 'Highlight'), text: probe('color', 'CanvasText'),
			barFills: [...new Set(bars)], textFills: [...new Set(texts)], counts: [bars.length, texts.length]};
	})()`))
	if !got.Forced {
		t.Fatal("forced colours are not in effect")
	}
	if got.BarsAndTexts[0] == 0 || got.BarsAndTexts[1] == 0 {
		t.Fatalf("the statistics page has %d bars and %d labels", got.BarsAndTexts[0], got.BarsAndTexts[1])
	}
	if len(got.BarFills) != 1 || got.BarFills[0] != got.Highlight || got.Highlight == got.Canvas {
		t.Errorf("in forced colours bars are filled %v, want the highlight colour %s (background %s)", got.BarFills, got.Highlight, got.Canvas)
	}
	if len(got.TextFills) != 1 || got.TextFills[0] != got.Text || got.Text == got.Canvas {
		t.Errorf("in forced colours chart text is %v, want the text colour %s (background %s)", got.TextFills, got.Text, got.Canvas)
	}
}
