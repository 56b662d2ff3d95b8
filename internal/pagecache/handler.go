package pagecache

import (
	"net/http"
	"time"

	"github.com/icld/partnerskap/internal/clock"
)

// Wrap serves h through the cache. A page kept this way must be the same
// for every visitor who asks for the same address (path and the query
// parameters page.Query names): it reads no session, no cookie and no
// header, and it shows only what the data holds plus the date; the body
// may be anything (HTML, CSV, JSON, Atom, PDF). Forms and counted
// downloads depend on the visitor and must never be wrapped. Only GET and
// HEAD are cached. The handler sees only the page's parameters, with the
// cache off too, so a page behaves the same either way.
func (c *Cache) Wrap(h http.Handler, page Page) http.Handler {
	names := page.names()
	if c == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, canonical(r, names))
		})
	}
	bypass := page.Bypass
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = canonical(r, names)
		if r.Method != http.MethodGet && r.Method != http.MethodHead || bypass != nil && bypass(r) {
			h.ServeHTTP(w, r)
			return
		}
		// The path spelt one way, and only the page's parameters in their
		// order: one address, one page, however a request writes it.
		key := canonicalPath(r.URL.EscapedPath()) + "?" + r.URL.RawQuery
		if c.src.PerHost {
			key = r.Host + " " + key
		}
		if len(key) > maxKey {
			c.pass(w, r, h)
			return
		}
		version, err := c.src.Version(r.Context())
		if err != nil {
			if c.versionDown.CompareAndSwap(false, true) {
				c.src.Log.Error("page cache off: data version unknown", "err", err)
			}
			c.pass(w, r, h)
			return
		}
		if c.versionDown.Load() && c.versionDown.CompareAndSwap(true, false) {
			c.src.Log.Info("page cache on again: data version known")
		}
		now := c.src.Clock.Now()
		day := now.In(clock.Stockholm).Format(time.DateOnly)
		for {
			e, wait := c.lookup(key, version, day, now)
			if e != nil {
				c.hits.Add(1)
				e.rep.Serve(w, r)
				return
			}
			if wait == nil {
				break // this request renders; others asking meanwhile wait for it
			}
			select {
			case <-wait.done:
			case <-r.Context().Done():
				return
			}
			if !wait.kept {
				// Not keepable (an error page, say) or refused: render
				// it here rather than queue behind one another.
				c.pass(w, r, h)
				return
			}
		}
		// This request renders, if its client may: otherwise those
		// waiting are woken to render it themselves, each as its client may.
		done, ok := c.admit(w, r)
		if !ok {
			c.land(key, false)
			return
		}
		defer done()
		// Those waiting are woken once the page is kept (or found not
		// to be keepable), and also if the handler panics.
		kept, landed := false, false
		defer func() {
			if !landed {
				c.land(key, false)
			}
		}()
		rec := newRecorder(w.Header())
		if r.Method == http.MethodHead {
			// Kept for GET too, so rendered as for GET (a page's own
			// links keep the query only on GET).
			g := r.Clone(r.Context())
			g.Method = http.MethodGet
			h.ServeHTTP(rec, g)
		} else {
			h.ServeHTTP(rec, r)
		}
		rep := rec.representation()
		if rep != nil {
			kept = c.keep(&entry{key: key, version: version, day: day, at: now, rep: rep}, now)
		}
		c.land(key, kept)
		landed = true
		if rep == nil {
			c.passes.Add(1)
			rec.replay(w)
			return
		}
		c.renders.Add(1)
		rep.Serve(w, r)
	})
}

// pass renders a page that will not be kept, if the client may.
func (c *Cache) pass(w http.ResponseWriter, r *http.Request, h http.Handler) {
	done, ok := c.admit(w, r)
	if !ok {
		return
	}
	defer done()
	c.passes.Add(1)
	h.ServeHTTP(w, r)
}
