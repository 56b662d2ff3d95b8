package pagecache

import (
	"net/http"
	"time"

	"github.com/icld/partnerskap/internal/clock"
)

// Wrap serves h through the cache. A page kept this way must be the same
// for every visitor who asks for the same address (path and query): it
// reads no session, no cookie and no header, and it shows only what the
// data holds plus the date; the body may be anything (HTML, CSV, JSON,
// Atom, PDF). Forms and counted downloads depend on the visitor and must
// never be wrapped. bypass, if not nil, sends the requests it picks
// straight to h, for a page that is the same for most visitors but not
// all. Only GET and HEAD are cached.
func (c *Cache) Wrap(h http.Handler, bypass func(r *http.Request) bool) http.Handler {
	if c == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead || bypass != nil && bypass(r) {
			h.ServeHTTP(w, r)
			return
		}
		// The path as sent: "/mal/12%2Fx" is another address than "/mal/12/x"
		// and may reach another route.
		key := r.URL.EscapedPath() + "?" + r.URL.RawQuery
		if c.src.PerHost {
			key = r.Host + " " + key
		}
		if len(key) > maxKey {
			c.passes.Add(1)
			h.ServeHTTP(w, r)
			return
		}
		version, err := c.src.Version(r.Context())
		if err != nil {
			if c.versionDown.CompareAndSwap(false, true) {
				c.src.Log.Error("page cache off: data version unknown", "err", err)
			}
			c.passes.Add(1)
			h.ServeHTTP(w, r)
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
				// Not keepable (an error page, say): render it here
				// rather than queue behind one another.
				c.passes.Add(1)
				h.ServeHTTP(w, r)
				return
			}
		}
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
