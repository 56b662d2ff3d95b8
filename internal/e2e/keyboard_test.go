package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestKeyboardFilter uses the partnership list with the keyboard alone:
// the skip link, the search field, a goal chosen with the arrow keys, the
// filter button, and a partnership opened from the results. At every stop
// the focused element must show that it has focus.
func TestKeyboardFilter(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)

	for _, lang := range []string{"sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			list := map[string]string{"sv": "/partnerskap", "en": "/en/partnerships"}[lang]
			query := map[string]string{"sv": "plast", "en": "plastics"}[lang]
			b.open(t, list)

			b.press(t, kb.Tab)
			if got := b.focused(t); !strings.Contains(got, "skip-link") {
				t.Fatalf("the first Tab focuses %s, want the skip link", got)
			}
			b.wantFocusVisible(t)
			b.press(t, kb.Enter)
			// After the skip link the next Tab starts inside main.
			b.tabTo(t, "#q")
			b.do(t, "type the query", chromedp.KeyEvent(query))

			b.tabTo(t, "#mal")
			for range 12 {
				b.press(t, kb.ArrowDown) // from "any goal" down to goal 12
			}
			if got := b.value(t, "#mal"); got != "12" {
				t.Fatalf("after twelve arrow presses the goal filter holds %q, want 12", got)
			}

			b.tabTo(t, `.filters button[type="submit"]`)
			if status := b.load(t, "press Enter on the filter button", chromedp.KeyEvent(kb.Enter)); status != 200 {
				t.Fatalf("filtering: status %d", status)
			}
			loc := run(t, b, "location", chromedp.Location())
			if !strings.Contains(loc, "q="+query) || !strings.Contains(loc, "mal=12") {
				t.Errorf("the filter's address %s lacks q=%s and mal=12", loc, query)
			}

			b.tabTo(t, "main .cards h3 a")
			name := b.focusedText(t)
			if !strings.Contains(name, "Kalix") {
				t.Errorf("the first partnership found for %q and goal 12 is %q, want Kalix – Masaka", query, name)
			}
			if status := b.load(t, "press Enter on "+name, chromedp.KeyEvent(kb.Enter)); status != 200 {
				t.Fatalf("opening %s: status %d", name, status)
			}
			if got := b.text(t, "h1"); got != name {
				t.Errorf("opened %q, want %q", got, name)
			}
		})
	}
}

// press sends one key to the focused element.
func (b *browser) press(t *testing.T, key string) {
	t.Helper()
	b.do(t, "press "+key, chromedp.KeyEvent(key))
}

// focused describes the focused element: tag, id and classes.
func (b *browser) focused(t *testing.T) string {
	t.Helper()
	return run(t, b, "focused element", chromedp.Evaluate[string](`(() => {
		const e = document.activeElement;
		return e ? e.tagName.toLowerCase() + '#' + e.id + '.' + e.className : '';
	})()`))
}

// focusedText is the focused element's text.
func (b *browser) focusedText(t *testing.T) string {
	t.Helper()
	return plain(run(t, b, "focused text", chromedp.Evaluate[string](`document.activeElement ? document.activeElement.textContent.trim() : ''`)))
}

// tabTo presses Tab until the focused element matches sel, failing after
// 60 presses: sel cannot be reached with the keyboard.
func (b *browser) tabTo(t *testing.T, sel string) {
	t.Helper()
	for range 60 {
		b.press(t, kb.Tab)
		if run(t, b, "focus on "+sel, chromedp.Evaluate[bool](`document.activeElement !== null && document.activeElement.matches(`+jsString(sel)+`)`)) {
			b.wantFocusVisible(t)
			return
		}
	}
	t.Fatalf("60 presses of Tab never reached %s (last: %s)", sel, b.focused(t))
}

// wantFocusVisible checks WCAG 2.4.7: the focused element draws a focus
// indicator (an outline or a ring of shadow).
func (b *browser) wantFocusVisible(t *testing.T) {
	t.Helper()
	ok := run(t, b, "focus indicator", chromedp.Evaluate[bool](`(() => {
		const e = document.activeElement;
		if (!e || !e.matches(':focus-visible')) return false;
		const s = getComputedStyle(e);
		return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
	})()`))
	if !ok {
		t.Errorf("%s has focus but shows no focus indicator", b.focused(t))
	}
}
