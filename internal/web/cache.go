package web

import (
	"bytes"
	"container/list"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/icld/partnerskap/internal/clock"
)

// cacheable names the public pages that are kept rendered. Such a page
// must be the same for every visitor who asks for the same address (path
// and query): it reads no session, no cookie and no header, and it shows
// only what the database holds plus the date. Adding a route's name here
// is all it takes; the body may be anything (HTML, CSV, JSON, Atom, PDF).
// Forms (sign-in, invitation, survey answers) are not here: they depend
// on the visitor and must never be shared.
var cacheable = map[string]bool{
	"home":          true,
	"partnerships":  true,
	"partnership":   true,
	"goals":         true,
	"goal":          true,
	"public.grants": true,
	"accessibility": true,
	"robots":        true,
	"sitemap":       true,

	"partnerships.csv":         true,
	"partnerships.json":        true,
	"partnership.factsheet":    true,
	"embed.partnership":        true,
	"statistics":               true,
	"stories":                  true,
	"story":                    true,
	"stories.feed":             true,
	"stories.feed.partnership": true,
	"stories.feed.goal":        true,
	"material":                 true,
	"material.item":            true,
	// Never material.file (each download is counted) nor story.image (a
	// draft's image is shown to its writers only).
}

// cacheBypass lets a cacheable page decide, before the cache is asked,
// that a request needs its handler: the Swedish home page redirects a
// first-time visitor whose browser prefers English (or who chose English
// before), which depends on the visitor, so that choice is made first.
var cacheBypass = map[string]func(s *Server, r *http.Request, lang string) bool{
	"home": func(s *Server, r *http.Request, lang string) bool {
		return lang == "sv" && r.URL.RawQuery == "" && s.firstVisitLanguage(r) != ""
	},
}

// CacheConfig bounds the cache of rendered public pages. The zero value
// gives the defaults.
type CacheConfig struct {
	// Off renders every request, as before the cache (for comparison).
	Off bool
	// MaxBytes bounds the bytes kept (bodies, compressed copies, keys);
	// 64 MiB when 0. The least recently used pages go first.
	MaxBytes int64
	// MaxEntries bounds the number of pages kept; 4096 when 0.
	MaxEntries int
}

const (
	defaultCacheBytes   = 64 << 20
	defaultCacheEntries = 4096
	// maxCacheKey bounds the address (path and query) of a kept page; a
	// longer one is rendered and not kept, so absurd query strings can't
	// crowd out the real pages (the entry count and bytes bound the rest).
	maxCacheKey = 1024
	// maxCacheEntry bounds one kept response.
	maxCacheEntry = 4 << 20
	// cacheTTL bounds the age of a kept page. Changes to the data replace
	// a page at once (the data version); this only covers what depends on
	// the time of day, such as a call that closes at 15:00. The date is
	// part of the key, so a new day starts afresh.
	cacheTTL = time.Minute
	// entryOverhead approximates an entry's memory beyond its bytes (the
	// headers, the list element, the map slot).
	entryOverhead = 1024
)

// pageCache keeps rendered public pages, each under its address, with the
// data version read before rendering it. A page is served from memory
// only while the store's DataVersion is still the one it was rendered at
// (or an older one): every committed change, here or in another process,
// moves the version, so no page read after a change can come from before
// it. Reading the version before rendering means a page rendered while a
// change commits is at worst fresher than its version, never staler.
//
// A page whose version has passed is not thrown away at once: it is
// rendered again when next asked for, and if the bytes come out the same
// (most changes touch few pages) it keeps its ETag (and a new Last-Modified), so
// browsers' revalidations still get 304.
type pageCache struct {
	maxBytes   int64
	maxEntries int

	mu       sync.Mutex
	entries  map[string]*list.Element // of *cacheEntry, by key
	lru      list.List                // most recently used at the front
	bytes    int64
	flights  map[string]*flight // renders under way, by key: others wait for them
	lastDrop time.Time          // the latest second an entry was dropped in (see lastModified)

	hits, renders, passes atomic.Uint64
	versionDown           atomic.Bool // DataVersion failing: logged once
}

// cacheEntry is one kept page.
type cacheEntry struct {
	key     string
	version uint64    // the data version read before rendering
	day     string    // the Stockholm date it was rendered on
	at      time.Time // when it was rendered
	rep     *representation
}

func newPageCache(cfg CacheConfig, reg *prometheus.Registry) *pageCache {
	if cfg.Off {
		return nil
	}
	c := &pageCache{
		maxBytes: cfg.MaxBytes, maxEntries: cfg.MaxEntries,
		entries: map[string]*list.Element{}, flights: map[string]*flight{},
	}
	if c.maxBytes <= 0 {
		c.maxBytes = defaultCacheBytes
	}
	if c.maxEntries <= 0 {
		c.maxEntries = defaultCacheEntries
	}
	counter := func(name, help string, v *atomic.Uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(v.Load()) })
	}
	reg.MustRegister(
		counter("partnerskap_page_cache_hits_total", "Public pages answered from memory (304s included).", &c.hits),
		counter("partnerskap_page_cache_renders_total", "Public pages rendered and kept.", &c.renders),
		counter("partnerskap_page_cache_passes_total", "Public pages rendered and not kept (errors, redirects, long addresses, data version unknown).", &c.passes),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "partnerskap_page_cache_entries", Help: "Public pages kept."},
			func() float64 { return float64(c.stats().Entries) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "partnerskap_page_cache_bytes", Help: "Bytes of public pages kept."},
			func() float64 { return float64(c.stats().Bytes) }),
	)
	return c
}

// PageCacheStats says what the cache of public pages holds and has done.
type PageCacheStats struct {
	Entries int
	Bytes   int64
	Hits    uint64 // answered from memory, 304s included
	Renders uint64 // rendered and kept
	Passes  uint64 // rendered and not kept
}

// PageCacheStats reports on the cache of public pages (zero when it is off).
func (s *Server) PageCacheStats() PageCacheStats {
	if s.cache == nil {
		return PageCacheStats{}
	}
	return s.cache.stats()
}

func (c *pageCache) stats() PageCacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return PageCacheStats{Entries: len(c.entries), Bytes: c.bytes, Hits: c.hits.Load(), Renders: c.renders.Load(), Passes: c.passes.Load()}
}

// cached wraps the handler of the named page with the cache, if the page
// is cacheable and the cache is on; lang is the page's language.
func (s *Server) cached(name, lang string, h http.Handler) http.Handler {
	c := s.cache
	if c == nil || !cacheable[name] {
		return h
	}
	bypass := cacheBypass[name]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead || bypass != nil && bypass(s, r, lang) {
			h.ServeHTTP(w, r)
			return
		}
		// The path as sent: "/mal/12%2Fx" is another address than "/mal/12/x"
		// and may reach another route.
		key := r.URL.EscapedPath() + "?" + r.URL.RawQuery
		if s.cfg.BaseURL == "" {
			// Without a configured address, feeds, the widget and the
			// embed snippet build absolute links from the request's
			// host, so the host is part of what the page is.
			key = r.Host + " " + key
		}
		if len(key) > maxCacheKey {
			c.passes.Add(1)
			h.ServeHTTP(w, r)
			return
		}
		version, err := s.store.DataVersion(r.Context())
		if err != nil {
			if c.versionDown.CompareAndSwap(false, true) {
				s.log.Error("page cache off: data version unknown", "err", err)
			}
			c.passes.Add(1)
			h.ServeHTTP(w, r)
			return
		}
		if c.versionDown.Load() && c.versionDown.CompareAndSwap(true, false) {
			s.log.Info("page cache on again: data version known")
		}
		now := s.clock.Now()
		day := now.In(clock.Stockholm).Format(time.DateOnly)
		for {
			e, wait := c.lookup(key, version, day, now)
			if e != nil {
				c.hits.Add(1)
				e.rep.serve(w, r)
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
			kept = c.keep(&cacheEntry{key: key, version: version, day: day, at: now, rep: rep}, now)
		}
		c.land(key, kept)
		landed = true
		if rep == nil {
			c.passes.Add(1)
			rec.replay(w)
			return
		}
		c.renders.Add(1)
		rep.serve(w, r)
	})
}

// flight is a render under way: done is closed when it ends, and kept
// then says whether the page was kept.
type flight struct {
	done chan struct{}
	kept bool
}

// lookup returns the entry for key if it is fresh: rendered at version or
// later, today, within cacheTTL. Otherwise, if another request is
// rendering key, it returns that flight to wait for; if none is, the
// caller is registered as rendering key and must call land when done.
func (c *pageCache) lookup(key string, version uint64, day string, now time.Time) (*cacheEntry, *flight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*cacheEntry)
		if e.version >= version && e.day == day && !now.Before(e.at) && now.Sub(e.at) < cacheTTL {
			c.lru.MoveToFront(el)
			return e, nil
		}
	}
	if f, ok := c.flights[key]; ok {
		return nil, f
	}
	c.flights[key] = &flight{done: make(chan struct{})}
	return nil, nil
}

// land ends the render of key, waking those who waited for it.
func (c *pageCache) land(key string, kept bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.flights[key]
	f.kept = kept
	close(f.done)
	delete(c.flights, key)
}

// keep stores e, replacing the entry for its key unless that one is
// fresher, and drops the least recently used entries beyond the bounds.
// It reports whether a page is now kept for the key.
func (c *pageCache) keep(e *cacheEntry, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	var old *cacheEntry
	if el, ok := c.entries[e.key]; ok {
		old = el.Value.(*cacheEntry)
		if old.version > e.version {
			return true // rendered after a later change: keep that one
		}
		c.remove(el)
	}
	e.rep.modified, e.rep.issued = c.lastModified(e.rep, e.version, old, now)
	c.entries[e.key] = c.lru.PushFront(e)
	c.bytes += e.size()
	for c.bytes > c.maxBytes || len(c.entries) > c.maxEntries {
		back := c.lru.Back()
		if back == nil {
			break
		}
		c.remove(back)
		c.lastDrop = now.Truncate(time.Second)
	}
	_, ok := c.entries[e.key]
	return ok
}

// lastModified decides a new entry's Last-Modified. When the bytes are
// those the old entry had and no change came between (the page was only
// rendered again for its age or a new day), they were first seen then.
// Otherwise it is now, to the second, as HTTP dates go: after a change,
// even bytes equal to the old ones get a new date, because another
// instance may meanwhile have issued a later date for other bytes (a
// change and its undoing), and a client holding that date must not be
// told "not modified" for these. If-Modified-Since can only
// tell seconds apart, so when a different page for the same address was
// issued in this same second (or one may have been: an entry was dropped
// from the cache in this second), the new page gets no Last-Modified at
// all and is revalidated by its ETag alone; otherwise a client holding the
// earlier page, asking "modified since this second?", would be told no.
// It returns the time to send (zero: none) and the latest second issued.
func (c *pageCache) lastModified(rep *representation, version uint64, old *cacheEntry, now time.Time) (modified, issued time.Time) {
	sec := now.Truncate(time.Second)
	if old != nil && old.rep.etag == rep.etag && old.version == version {
		return old.rep.modified, old.rep.issued
	}
	latest := c.lastDrop
	if old != nil && old.rep.issued.After(latest) {
		latest = old.rep.issued
	}
	if !sec.After(latest) {
		return time.Time{}, latest
	}
	return sec, sec
}

func (c *pageCache) remove(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.lru.Remove(el)
	delete(c.entries, e.key)
	c.bytes -= e.size()
}

func (e *cacheEntry) size() int64 {
	return int64(len(e.key)+len(e.rep.body)+len(e.rep.gz)) + entryOverhead
}

// recorder keeps what a handler writes, so it can be kept and served.
// Its header starts as a copy of the response's (what the middleware set),
// so what the handler changes or removes can be told apart.
type recorder struct {
	before http.Header
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder(h http.Header) *recorder {
	return &recorder{before: h.Clone(), header: h.Clone()}
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// changes returns the headers the handler set or changed, and the names
// of those it removed.
func (r *recorder) changes() (set http.Header, removed []string) {
	set = http.Header{}
	for k, v := range r.header {
		if old, ok := r.before[k]; !ok || !equalValues(old, v) {
			set[k] = v
		}
	}
	for k := range r.before {
		if _, ok := r.header[k]; !ok {
			removed = append(removed, k)
		}
	}
	return set, removed
}

func equalValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// replay writes what the handler wrote, unchanged, for a response that is
// not kept.
func (r *recorder) replay(w http.ResponseWriter) {
	set, removed := r.changes()
	h := w.Header()
	for _, k := range removed {
		h.Del(k)
	}
	for k, v := range set {
		h[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

// representation turns a handler's response into one to keep, or returns
// nil when it must not be kept: anything but 200 (errors, redirects), a
// response that sets a cookie, says no-store or private, is already
// encoded, or is too big.
func (r *recorder) representation() *representation {
	if r.status != http.StatusOK && r.status != 0 || r.body.Len() > maxCacheEntry {
		return nil
	}
	cc := strings.ToLower(r.header.Get("Cache-Control"))
	if r.header.Get("Set-Cookie") != "" || strings.Contains(cc, "no-store") || strings.Contains(cc, "private") ||
		r.header.Get("Content-Encoding") != "" {
		return nil
	}
	set, removed := r.changes()
	for _, k := range []string{"Content-Length", "Date", "Etag", "Last-Modified"} {
		set.Del(k)
	}
	// The default policy (render's max-age=60) becomes revalidation: a
	// browser asks each time, cheaply (304 from memory), and so never
	// shows a page from before a change it made itself. A handler's own
	// other policy stays.
	if cc == "" || cc == "public, max-age=60" {
		set.Set("Cache-Control", "public, no-cache")
	}
	// A copy of exactly its length: the buffer grew by doubling, and the
	// cache counts what it keeps by length.
	return newRepresentation(set, removed, bytes.Clone(r.body.Bytes()))
}
