package e2e

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestLayout checks what a person sees on a desktop screen and a phone,
// which axe can't: the world map draws no band across its width (a shape
// crossing the 180th meridian), every column of the activities tables,
// cost included, is in sight at 1280 px without scrolling its region, and
// no date breaks at its hyphens ("2026-" above "12-06") at any width.
func TestLayout(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)
	defer b.clearViewport(t)

	t.Run("world map", func(t *testing.T) {
		b.open(t, "/partnerskap/1")
		// The path data is "M x y l dx dy … z", repeated (internal/worldmap).
		bands := run(t, b, "measure the map", chromedp.Evaluate[[]string](`(() => {
			const svg = document.querySelector('svg.worldmap');
			if (!svg) return ['no map'];
			const half = svg.viewBox.baseVal.width / 2, out = [];
			for (const p of svg.querySelectorAll('path')) {
				for (const sub of p.getAttribute('d').split('z')) {
					const n = sub.replace(/[Ml]/g, ' ').trim().split(/\s+/).filter(Boolean).map(Number);
					if (n.length < 2) continue;
					for (let i = 2; i + 1 < n.length; i += 2) {
						if (Math.abs(n[i]) > half) out.push((p.dataset.country || 'a country') + ': a line ' + n[i] + ' wide');
					}
				}
			}
			return out;
		})()`))
		for _, s := range bands {
			t.Errorf("map: %s, over half the map's width", s)
		}
	})

	t.Run("activities at 1280 px", func(t *testing.T) {
		b.signIn(t, "handlaggare@demo.partnerskap.se")
		defer b.signOut(t)
		// Demo grant 1 (the pilot) has activities done and no plan; grant
		// 7 (the rolling call) has both.
		for _, path := range []string{"/bidrag/1/aktiviteter", "/bidrag/7/aktiviteter", "/en/grants/7/activities"} {
			b.setViewport(t, 1280, 800)
			b.open(t, path)
			hidden := run(t, b, "measure the tables", chromedp.Evaluate[[]string](`(() => {
				const w = document.documentElement.clientWidth, out = [];
				for (const th of document.querySelectorAll('main thead th')) {
					const r = th.getBoundingClientRect();
					const box = (th.closest('.table-scroll') || document.documentElement).getBoundingClientRect();
					if (r.right > Math.min(w, box.right) + 1 || r.left < box.left - 1) out.push(th.textContent.trim());
				}
				return out;
			})()`))
			if n := run(t, b, "count the headers", chromedp.Evaluate[int](`document.querySelectorAll('main thead th').length`)); n < 10 {
				t.Errorf("%s: %d column headers, want the tables", path, n)
			}
			for _, h := range hidden {
				t.Errorf("%s: at 1280 px the column %q is out of sight", path, h)
			}
			b.checkDates(t, path)
		}
	})

	t.Run("dates", func(t *testing.T) {
		for _, p := range publicPages {
			b.clearViewport(t)
			b.openAny(t, p.sv)
			b.checkDates(t, p.sv)
		}
	})
}

// checkDates fails the test for every date (2026-12-06) on the page that
// is broken over two lines at 320, 375, 768 or 1280 px wide.
func (b *browser) checkDates(t *testing.T, path string) {
	t.Helper()
	for _, w := range []int64{320, 375, 768, 1280} {
		b.setViewport(t, w, 800)
		broken := run(t, b, "look for broken dates", chromedp.Evaluate[[]string](`(() => {
			const out = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
			for (let n; (n = walk.nextNode()); ) {
				for (const m of n.data.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
					const r = document.createRange();
					r.setStart(n, m.index);
					r.setEnd(n, m.index + m[0].length);
					if (new Set(Array.from(r.getClientRects(), c => Math.round(c.top))).size > 1) out.push(m[0]);
				}
			}
			return out;
		})()`))
		for _, d := range broken {
			t.Errorf("%s: at %d px the date %s breaks over two lines", path, w, d)
		}
	}
}

// setViewport makes the page w by h CSS pixels and waits until it is
// laid out again.
func (b *browser) setViewport(t *testing.T, w, h int64) {
	t.Helper()
	b.do(t, "resize the viewport", chromedp.EmulateViewport(w, h))
	run(t, b, "wait for the layout", chromedp.Evaluate[bool](`new Promise(done => {
		const settle = () => requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
		const wait = () => Math.abs(window.innerWidth - `+strconv.FormatInt(w, 10)+`) <= 20 ? settle() : setTimeout(wait, 20);
		wait();
	})`, chromedp.EvalAwaitPromise))
}

// clearViewport gives the page the window's own size again.
func (b *browser) clearViewport(t *testing.T) {
	t.Helper()
	b.do(t, "restore the viewport", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		return err
	}))
}
