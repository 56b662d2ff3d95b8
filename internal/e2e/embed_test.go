package e2e

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/icld/partnerskap/internal/app"
)

// TestEmbedAutoHeight pastes the widget's snippet, as the partnership page
// offers it, into a host page on another origin: the frame grows from its
// fixed 560 px to the widget's content, so no story is cut off, follows it
// when the page is made wider, and ignores a height posted by anyone but
// the widget.
func TestEmbedAutoHeight(t *testing.T) {
	axe := requireTools(t)
	// The snippet names the server's public address: the server learns its
	// port before it starts.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	base := startServerWith(t, func(c *app.Config) { c.Listen = addr; c.BaseURL = "http://" + addr })
	b := newBrowser(t, base, axe)
	defer b.clearViewport(t)

	b.open(t, "/partnerskap/1")
	snippet := run(t, b, "read the snippet", chromedp.Evaluate[string](`document.getElementById('embed-snippet').value`))
	src := run(t, b, "the widget's address", chromedp.Evaluate[string](
		`new DOMParser().parseFromString(document.getElementById('embed-snippet').value, 'text/html').querySelector('iframe').src`))
	if h := run(t, b, "the frame's fixed height", chromedp.Evaluate[string](
		`new DOMParser().parseFromString(document.getElementById('embed-snippet').value, 'text/html').querySelector('iframe').getAttribute('height')`)); h != "560" {
		t.Errorf("the snippet's frame is %q high, want 560 where the script does not run", h)
	}
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Kalix kommun</title></head>
<body><h1>Vårt partnerskap</h1>%s<p>Sidfot</p></body></html>`, snippet)
	}))
	defer host.Close()

	// contentHeight is the widget's own height at w CSS pixels wide, opened
	// alone in a window tall enough for no scroll bar.
	contentHeight := func(w int64) int {
		b.setViewport(t, w, 4000)
		run(t, b, "open the widget", chromedp.NavigateResponse(src))
		return run(t, b, "measure the widget", chromedp.Evaluate[int](`Math.ceil(document.documentElement.getBoundingClientRect().height)`))
	}
	// frameHeight waits until the frame's height is no longer not, and
	// returns it with the frame's width.
	frameHeight := func(not string) (int, int64) {
		h := run(t, b, "wait for the frame to be sized", chromedp.Evaluate[string](`new Promise(done => {
			const f = document.querySelector('iframe');
			const wait = () => f.height !== `+jsString(not)+` ? done(f.height) : setTimeout(wait, 50);
			wait();
		})`, chromedp.EvalAwaitPromise))
		n, err := strconv.Atoi(h)
		if err != nil {
			t.Fatalf("frame height %q", h)
		}
		return n, int64(run(t, b, "frame width", chromedp.Evaluate[int](`document.querySelector('iframe').clientWidth`)))
	}

	// On a phone the widget is taller than the snippet's 560 px.
	b.setViewport(t, 400, 800)
	run(t, b, "open the host page", chromedp.NavigateResponse(host.URL))
	narrow, width := frameHeight("560")
	if narrow <= 560 {
		t.Errorf("at 400 px the frame is %d px high, want the widget's content, taller than 560", narrow)
	}

	// A height posted by the host page itself (another origin than the
	// widget's) changes nothing. widget.js listens first, so when this
	// listener hears the message, widget.js has had it.
	spoofed := run(t, b, "post a false height", chromedp.Evaluate[string](`new Promise(done => {
		window.addEventListener('message', () => done(document.querySelector('iframe').height));
		window.postMessage({type: 'partnerskap-widget-height', height: 120}, '*');
	})`, chromedp.EvalAwaitPromise))
	if spoofed != strconv.Itoa(narrow) {
		t.Errorf("a message from the host page set the frame's height to %s", spoofed)
	}

	// Wider, the widget is shorter, and the frame follows.
	b.setViewport(t, 1000, 800)
	wide, wideWidth := frameHeight(strconv.Itoa(narrow))
	if wide >= narrow {
		t.Errorf("at 1000 px the frame is %d px high, want less than at 400 px (%d)", wide, narrow)
	}

	t.Logf("frame height: %d px at %d px wide, %d px at %d px wide", narrow, width, wide, wideWidth)
	// Each height is the widget's content, exactly: nothing cut off.
	if want := contentHeight(width); narrow != want {
		t.Errorf("at %d px the frame is %d px high, the widget %d", width, narrow, want)
	}
	if want := contentHeight(wideWidth); wide != want {
		t.Errorf("at %d px the frame is %d px high, the widget %d", wideWidth, wide, want)
	}
}
