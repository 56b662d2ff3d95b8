// Package pagecache keeps rendered public pages in memory, each under its
// address, and serves them again until the data changes: a strong ETag,
// Last-Modified and 304s, gzip compressed once per version, and one
// render at a time per address. The address is the path and only the
// query parameters the page reads (Page.Query), and the renders one
// client may cause are limited (limit.go). Which pages may be kept, and
// the parameters each reads, is the caller's choice (web's route table);
// see Wrap for what such a page must be.
package pagecache

import (
	"container/list"
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/icld/partnerskap/internal/clock"
)

// Config bounds the cache. The zero value gives the defaults.
type Config struct {
	// Off renders every request, as before the cache (for comparison).
	Off bool
	// MaxBytes bounds the bytes kept (bodies, compressed copies, keys);
	// 64 MiB when 0. The least recently used pages go first.
	MaxBytes int64
	// MaxEntries bounds the number of pages kept; 4096 when 0.
	MaxEntries int
	// RenderBurst, RenderEvery and RenderAtOnce bound the renders one
	// client (Source.Client) may cause: RenderBurst at once (120 when 0),
	// then one per RenderEvery (500 ms when 0), and at most RenderAtOnce
	// under way at a time (2 when 0; more wait their turn); see limit.go.
	RenderBurst  int
	RenderEvery  time.Duration
	RenderAtOnce int
}

// Source is what the cache needs of the application.
type Source struct {
	// Version is the data version (store.DataVersion): a number that
	// grows with every committed change, in this process or another.
	Version func(ctx context.Context) (uint64, error)
	Clock   clock.Clock
	Log     *slog.Logger
	// PerHost keys pages on the request's host too: without a configured
	// public address, feeds, the widget and the embed snippet build
	// absolute links from the host, so the host is part of the page.
	PerHost bool
	// Metrics gets the cache's counters and gauges.
	Metrics prometheus.Registerer
	// Client names the client a request comes from (its address, seen
	// through trusted proxies), for the limit on renders per client; nil:
	// no limit.
	Client func(r *http.Request) string
}

const (
	defaultBytes   = 64 << 20
	defaultEntries = 4096
	// maxKey bounds the address (path and query) of a kept page; a
	// longer one is rendered and not kept, so absurd query strings can't
	// crowd out the real pages (the entry count and bytes bound the rest).
	maxKey = 1024
	// maxEntry bounds one kept response.
	maxEntry = 4 << 20
	// ttl bounds the age of a kept page. Changes to the data replace
	// a page at once (the data version); this only covers what depends on
	// the time of day, such as a call that closes at 15:00. The date is
	// part of the key, so a new day starts afresh.
	ttl = time.Minute
	// entryOverhead approximates an entry's memory beyond its bytes (the
	// headers, the list element, the map slot).
	entryOverhead = 1024
)

// Cache keeps rendered public pages, each under its address, with the
// data version read before rendering it. A page is served from memory
// only while the data version is still the one it was rendered at
// (or an older one): every committed change, here or in another process,
// moves the version, so no page read after a change can come from before
// it. Reading the version before rendering means a page rendered while a
// change commits is at worst fresher than its version, never staler.
//
// A page whose version has passed is not thrown away at once: it is
// rendered again when next asked for, and if the bytes come out the same
// (most changes touch few pages) it keeps its ETag (and a new Last-Modified), so
// browsers' revalidations still get 304.
//
// A nil *Cache is a cache that is off: Wrap returns the handler as it is.
type Cache struct {
	src        Source
	maxBytes   int64
	maxEntries int

	mu       sync.Mutex
	entries  map[string]*list.Element // of *entry, by key
	lru      list.List                // most recently used at the front
	bytes    int64
	flights  map[string]*flight // renders under way, by key: others wait for them
	lastDrop time.Time          // the latest second an entry was dropped in (see lastModified)

	limit *limiter // renders per client

	hits, renders, passes, refused atomic.Uint64
	versionDown                    atomic.Bool // Version failing: logged once
}

// entry is one kept page.
type entry struct {
	key     string
	version uint64    // the data version read before rendering
	day     string    // the Stockholm date it was rendered on
	at      time.Time // when it was rendered
	rep     *Representation
}

// New returns a cache bounded by cfg, or nil when cfg.Off.
func New(cfg Config, src Source) *Cache {
	if cfg.Off {
		return nil
	}
	c := &Cache{
		src:      src,
		maxBytes: cfg.MaxBytes, maxEntries: cfg.MaxEntries,
		entries: map[string]*list.Element{}, flights: map[string]*flight{},
		limit: newLimiter(cfg),
	}
	if c.maxBytes <= 0 {
		c.maxBytes = defaultBytes
	}
	if c.maxEntries <= 0 {
		c.maxEntries = defaultEntries
	}
	counter := func(name, help string, v *atomic.Uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(v.Load()) })
	}
	src.Metrics.MustRegister(
		counter("partnerskap_page_cache_hits_total", "Public pages answered from memory (304s included).", &c.hits),
		counter("partnerskap_page_cache_renders_total", "Public pages rendered and kept.", &c.renders),
		counter("partnerskap_page_cache_passes_total", "Public pages rendered and not kept (errors, redirects, long addresses, data version unknown).", &c.passes),
		counter("partnerskap_page_cache_refused_total", "Public pages not rendered: the client had caused too many renders (429).", &c.refused),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "partnerskap_page_cache_entries", Help: "Public pages kept."},
			func() float64 { return float64(c.Stats().Entries) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "partnerskap_page_cache_bytes", Help: "Bytes of public pages kept."},
			func() float64 { return float64(c.Stats().Bytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "partnerskap_page_cache_renders_waiting", Help: "Public page renders waiting for the same client's earlier renders to end."},
			func() float64 { return float64(c.limit.waiting()) }),
	)
	return c
}

// Stats says what the cache holds and has done.
type Stats struct {
	Entries int
	Bytes   int64
	Hits    uint64 // answered from memory, 304s included
	Renders uint64 // rendered and kept
	Passes  uint64 // rendered and not kept
	Refused uint64 // not rendered: the client's share of renders was spent (429)
	Waiting int    // renders waiting for the same client's earlier ones to end
}

// Stats reports on the cache (zero when it is off).
func (c *Cache) Stats() Stats {
	if c == nil {
		return Stats{}
	}
	waiting := c.limit.waiting()
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Entries: len(c.entries), Bytes: c.bytes, Hits: c.hits.Load(), Renders: c.renders.Load(), Passes: c.passes.Load(),
		Refused: c.refused.Load(), Waiting: waiting}
}

// flight is a render under way: done is closed when it ends, and kept
// then says whether the page was kept.
type flight struct {
	done chan struct{}
	kept bool
}

// lookup returns the entry for key if it is fresh: rendered at version or
// later, today, within ttl. Otherwise, if another request is
// rendering key, it returns that flight to wait for; if none is, the
// caller is registered as rendering key and must call land when done.
func (c *Cache) lookup(key string, version uint64, day string, now time.Time) (*entry, *flight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*entry)
		if e.version >= version && e.day == day && !now.Before(e.at) && now.Sub(e.at) < ttl {
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
func (c *Cache) land(key string, kept bool) {
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
func (c *Cache) keep(e *entry, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	var old *entry
	if el, ok := c.entries[e.key]; ok {
		old = el.Value.(*entry)
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
func (c *Cache) lastModified(rep *Representation, version uint64, old *entry, now time.Time) (modified, issued time.Time) {
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

func (c *Cache) remove(el *list.Element) {
	e := el.Value.(*entry)
	c.lru.Remove(el)
	delete(c.entries, e.key)
	c.bytes -= e.size()
}

func (e *entry) size() int64 {
	return int64(len(e.key)+len(e.rep.body)+len(e.rep.gz)) + entryOverhead
}
