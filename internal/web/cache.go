package web

import (
	"net/http"

	"github.com/icld/partnerskap/internal/pagecache"
)

// newPageCache is the cache of the routes marked cached, nil when it is off.
func (s *Server) newPageCache() *pagecache.Cache {
	return pagecache.New(s.cfg.PageCache, pagecache.Source{
		Version: s.store.DataVersion,
		Clock:   s.clock,
		Log:     s.log,
		PerHost: s.cfg.BaseURL == "", // links are then built from the request's host
		Metrics: s.metrics.reg,
		Client:  s.clientAddress, // renders are limited per client (pagecache/limit.go)
	})
}

// cached serves a cached route's handler through the page cache; other
// routes' handlers are returned as they are.
// The page reads only the query parameters its route names (routes.go,
// cached.reads): the others are dropped before the cache looks it up and
// before the handler sees the request.
func (s *Server) cached(rt route, lang string, h http.Handler) http.Handler {
	if rt.kind.who != anyoneKept {
		return h
	}
	page := pagecache.Page{Query: rt.kind.queryParams()}
	if rt.name == "home" && lang == "sv" {
		// The Swedish home page redirects a first-time visitor whose
		// browser prefers English (or who chose English before), which
		// depends on the visitor, so that choice is made first. (The home
		// page reads no parameters, so it never sees a query.)
		page.Bypass = func(r *http.Request) bool { return s.firstVisitLanguage(r) != "" }
	}
	return s.cache.Wrap(h, page)
}

// PageCacheStats reports on the cache of public pages (zero when it is off).
func (s *Server) PageCacheStats() pagecache.Stats { return s.cache.Stats() }
