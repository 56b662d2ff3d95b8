package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/icld/partnerskap/internal/app"
)

const (
	chromiumPath = "/usr/bin/chromium"
	axeFile      = "node_modules/axe-core/axe.min.js"
	stepTimeout  = 30 * time.Second
)

// need skips the test when a tool it needs is missing, saying how to
// install it; under CI it fails instead, so a green CI can't hide a missing
// install step.
func need(t *testing.T, what, install string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s missing: .ci/run must install it (%s)", what, install)
	}
	t.Skipf("%s missing; install it with: %s", what, install)
}

// requireTools checks for Chromium and axe-core and returns axe's source.
func requireTools(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		need(t, chromiumPath, "apt-get update && apt-get install -y chromium")
	}
	path, ok := findUp(axeFile)
	if !ok {
		need(t, axeFile, "npm ci (in the repository root)")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// findUp looks for rel in the working directory (the test's package
// directory) and each directory above it.
func findUp(rel string) (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// startServer runs the application as the command does, with the demo, a
// temporary database and a free port, and returns its address. The server
// stops, and its error is checked, when the test ends.
func startServer(t *testing.T) string {
	t.Helper()
	return startServerWith(t, nil)
}

// startServerWith is startServer with the configuration changed by
// configure first (an SMTP server to send to, say).
func startServerWith(t *testing.T, configure func(*app.Config)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := app.Config{Listen: "127.0.0.1:0", OpsListen: "", DataDir: t.TempDir(), Demo: true, BaseURL: "http://127.0.0.1"}
	if configure != nil {
		configure(&cfg)
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, cfg, log, t.Output(), ready) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("server did not start: %v", err)
	case <-time.After(stepTimeout):
		t.Fatal("server did not start in time")
	}
	return ""
}

// browser is one headless Chromium tab on the server under test.
type browser struct {
	ctx  context.Context // the tab; steps derive a timeout from it
	base string          // the server, http://127.0.0.1:port
	axe  string          // axe-core's source, injected into pages
}

// newBrowser starts Chromium with the flags that work as root in a closed
// network and a fresh profile. The browser closes when the test ends.
func newBrowser(t *testing.T, base, axe string) *browser {
	t.Helper()
	actx, acancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		// A Swedish visitor: the home page sends browsers that prefer
		// English to /en/ on a first visit.
		chromedp.Flag("lang", "sv-SE"),
		chromedp.Flag("accept-lang", "sv-SE,sv"),
		chromedp.WindowSize(1280, 1024),
	)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); acancel() })
	// The first Run starts the browser and binds it to its context: no
	// deadline here, or the browser dies when it passes.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{ctx: ctx, base: base, axe: axe}
}

// run runs one step with its own timeout and fails the test if it fails.
func run[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// do runs steps that return nothing, as one step.
func (b *browser) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	run(t, b, what, chromedp.Steps(steps...))
}

// load runs steps that start a navigation (a click on a link or a submit
// button), waits for the new page and returns its HTTP status.
func (b *browser) load(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		t.Fatalf("%s: no response", what)
	}
	return resp.Status
}

// open goes to path on the server, as typing the address would.
func (b *browser) open(t *testing.T, path string) {
	t.Helper()
	resp := run(t, b, "open "+path, chromedp.NavigateResponse(b.base+path))
	if resp == nil || resp.Status != http.StatusOK {
		t.Fatalf("open %s: response %+v", path, resp)
	}
}

// follow clicks the link or button sel and waits for the page it leads to.
func (b *browser) follow(t *testing.T, sel string) int64 {
	t.Helper()
	return b.load(t, "click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// path is the current page's path.
func (b *browser) path(t *testing.T) string {
	t.Helper()
	loc := run(t, b, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// lang is the page's language, <html lang>.
func (b *browser) lang(t *testing.T) string {
	t.Helper()
	return run(t, b, "html lang", chromedp.Evaluate[string](`document.documentElement.lang`))
}

// text is the visible text of sel, with no-break spaces made plain so
// amounts compare with what a person types.
func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	s := run(t, b, "text of "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	return plain(s)
}

// value is what the field sel holds.
func (b *browser) value(t *testing.T, sel string) string {
	t.Helper()
	return run(t, b, "value of "+sel, chromedp.Value(chromedp.CSS(sel), chromedp.NodeReady))
}

// attr is the attribute name of sel, and whether it is there.
func (b *browser) attr(t *testing.T, sel, name string) (string, bool) {
	t.Helper()
	r := run(t, b, name+" of "+sel, chromedp.AttributeValue(chromedp.CSS(sel), name, chromedp.NodeReady))
	return r.Value, r.Exists
}

// typeInto empties the field sel and types s into it, key by key.
func (b *browser) typeInto(t *testing.T, sel, s string) {
	t.Helper()
	// The field is emptied by script: chromedp.SetValue(sel, "") fails
	// ("could not set value on node").
	b.do(t, "type into "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(sel)+`).value = ''; undefined`),
		chromedp.SendKeys(chromedp.CSS(sel), s))
}

// setDateTime sets a datetime-local field. Typing into its segments depends
// on the browser's locale, so the value is set as the picker would set it.
func (b *browser) setDateTime(t *testing.T, sel string, v time.Time) {
	t.Helper()
	b.do(t, "set "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.SetValue(chromedp.CSS(sel), v.Format("2006-01-02T15:04")))
}

// exists reports whether the page has an element matching sel.
func (b *browser) exists(t *testing.T, sel string) bool {
	t.Helper()
	return run(t, b, "look for "+sel, chromedp.Evaluate[bool](`document.querySelector(`+jsString(sel)+`) !== null`))
}

// row is the text of the first table row on the page that contains s, or
// "" if none does.
func (b *browser) row(t *testing.T, s string) string {
	t.Helper()
	return plain(run(t, b, "row with "+s, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll('main tbody tr'), r => r.innerText).find(r => r.replace(/\s/g, ' ').includes(`+jsString(plain(s))+`)) || ''`)))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(q)
}

// plain replaces the no-break spaces that formatted amounts use.
func plain(s string) string {
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
}

// violation is one axe-core rule that a page breaks, with where.
type violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRun runs axe with the WCAG 2.0 and 2.1 A and AA rules, and returns
// the violations, shortened to what a report needs.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html.slice(0, 200),
			summary: (n.failureSummary || '').replace(/\s+/g, ' ')}))})))`

// checkAccessibility runs axe-core on the current page and reports each
// violation as a test error, so one run lists every page's problems. axe is
// injected with Runtime.evaluate, which the page's CSP does not block.
func (b *browser) checkAccessibility(t *testing.T, page string) {
	t.Helper()
	run(t, b, "inject axe", chromedp.Evaluate[chromedp.Void](b.axe+";undefined"))
	vs := run(t, b, "axe on "+page, chromedp.Evaluate[[]violation](axeRun, chromedp.EvalAwaitPromise))
	for _, v := range vs {
		var sb strings.Builder
		fmt.Fprintf(&sb, "axe: %s (%s): %s [%s]: %s", page, b.path(t), v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&sb, "\n\t%s\n\t\t%s\n\t\t%s", n.Target, n.HTML, n.Summary)
		}
		t.Error(sb.String())
	}
	b.checkReflow(t, page)
}

// checkReflow checks WCAG 1.4.10, which axe can't: at 320 CSS pixels wide
// the page must not scroll sideways. A wide table scrolls inside its own
// region instead.
func (b *browser) checkReflow(t *testing.T, page string) {
	t.Helper()
	b.do(t, "narrow the viewport", chromedp.EmulateViewport(320, 640))
	wide := run(t, b, "measure "+page, chromedp.Evaluate[[]string](`(() => {
		const w = document.documentElement.clientWidth;
		const out = r => r.right > w + 1;
		return Array.from(document.querySelectorAll('body *'))
			.filter(e => out(e.getBoundingClientRect()) && !out(e.parentElement.getBoundingClientRect())
				&& !e.closest('.table-scroll > *'))
			.map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': ' + (e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60));
	})()`))
	b.do(t, "restore the viewport", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		return err
	}))
	// The page lays itself out again at full width asynchronously; a click
	// computed from the narrow layout would land on another element (a
	// CI run once opened the wrong application that way). Wait until the
	// viewport is wide again and two frames have been drawn.
	run(t, b, "wait for the wide layout", chromedp.Evaluate[bool](`new Promise(done => {
		const settle = () => requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
		const wait = () => document.documentElement.clientWidth > 320 ? settle() : setTimeout(wait, 20);
		wait();
	})`, chromedp.EvalAwaitPromise))
	for _, e := range wide {
		t.Errorf("reflow: %s (%s): at 320 px wide, %s sticks out of its container", page, b.path(t), e)
	}
}

// signIn signs in through the login form as one of the demo accounts.
func (b *browser) signIn(t *testing.T, email string) {
	t.Helper()
	b.open(t, "/logga-in")
	b.typeInto(t, "#email", email)
	b.typeInto(t, "#password", officerPassword) // every demo account has the same password
	if status := b.follow(t, `main form button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("sign in as %s: status %d", email, status)
	}
	if !b.exists(t, ".staff-bar") {
		t.Fatalf("sign in as %s: no staff bar", email)
	}
}

// signOut signs out with the button in the staff bar.
func (b *browser) signOut(t *testing.T) {
	t.Helper()
	b.follow(t, `form.logout button[type="submit"]`)
}

// click clicks sel without expecting a new page (a radio button, a box).
func (b *browser) click(t *testing.T, sel string) {
	t.Helper()
	b.do(t, "click "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// followText clicks the first link matching sel whose text contains s.
func (b *browser) followText(t *testing.T, sel, s string) int64 {
	t.Helper()
	js := `(() => { const a = Array.from(document.querySelectorAll(` + jsString(sel) + `)).find(a => a.textContent.includes(` + jsString(s) + `));
		if (!a) return ''; a.setAttribute('data-e2e-target', '1'); return new URL(a.href).pathname; })()`
	want := run(t, b, "find link "+s, chromedp.Evaluate[string](js))
	if want == "" {
		t.Fatalf("no link %q matching %s", s, sel)
	}
	status := b.follow(t, `[data-e2e-target="1"]`)
	if got := b.path(t); got != want {
		t.Fatalf("the link %q leads to %s, but the click landed on %s", s, want, got)
	}
	return status
}

// selectValue chooses the option with value v in the select sel.
func (b *browser) selectValue(t *testing.T, sel, v string) {
	t.Helper()
	b.do(t, "choose "+v+" in "+sel, chromedp.WaitReady(chromedp.CSS(sel)), chromedp.SetValue(chromedp.CSS(sel), v))
}

// selectByText chooses the first option of sel whose label contains s.
func (b *browser) selectByText(t *testing.T, sel, s string) {
	t.Helper()
	js := `(() => { const el = document.querySelector(` + jsString(sel) + `);
		const o = Array.from(el.options).find(o => o.textContent.includes(` + jsString(s) + `));
		if (!o) return false; el.value = o.value; return true; })()`
	if !run(t, b, "choose "+s+" in "+sel, chromedp.Evaluate[bool](js)) {
		t.Fatalf("%s has no option %q", sel, s)
	}
}

// setDate sets a date field as the picker would (typing depends on locale).
func (b *browser) setDate(t *testing.T, sel, iso string) {
	t.Helper()
	b.do(t, "set "+sel, chromedp.WaitReady(chromedp.CSS(sel)), chromedp.SetValue(chromedp.CSS(sel), iso))
}

// checkByValue ticks the checkbox named name with value v, even inside a
// closed <details>.
func (b *browser) checkByValue(t *testing.T, name, v string) {
	t.Helper()
	js := `(() => { const c = document.querySelector('input[name=` + jsString(name) + `][value=` + jsString(v) + `]');
		if (!c) return false; c.checked = true; return true; })()`
	if !run(t, b, "tick "+v, chromedp.Evaluate[bool](js)) {
		t.Fatalf("no checkbox %s=%s", name, v)
	}
}
