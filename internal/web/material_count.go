package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Which downloads count. A count is a database write, and every write
// makes the kept public pages render again, so a script fetching a file
// in a loop would both inflate the count and empty the page cache. The
// same visitor fetching the same item again within repeatWindow counts
// once (a resumed or repeated download is one reader), and a visitor
// counts at most clientBurst items at once, then one every clientEvery.
// The file is always served; only the count is held back.
var (
	downloadRepeatWindow = 10 * time.Minute
	downloadClientEvery  = rate.Every(20 * time.Second)
	downloadClientBurst  = 30
)

// downloadGuard holds the buckets; its zero value is ready to use. Like
// the survey and sign-in limits it lives in this process.
type downloadGuard struct {
	mu      sync.Mutex
	repeats map[string]*rate.Limiter
	clients map[string]*rate.Limiter
}

// counts reports whether a download of item id by client at now is to
// be counted, and takes it from the buckets if so.
func (g *downloadGuard) counts(client string, id int64, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.repeats == nil {
		g.repeats, g.clients = map[string]*rate.Limiter{}, map[string]*rate.Limiter{}
	}
	again := bucket(g.repeats, client+" "+strconv.FormatInt(id, 10), rate.Every(downloadRepeatWindow), 1, now)
	if again.TokensAt(now) < 1 {
		return false
	}
	if !bucket(g.clients, client, downloadClientEvery, downloadClientBurst, now).AllowN(now, 1) {
		return false
	}
	return again.AllowN(now, 1)
}

// countsDownload reports whether this request's download of item id
// counts (see downloadGuard).
func (s *Server) countsDownload(r *http.Request, id int64) bool {
	return s.downloads.counts(s.clientAddress(r), id, s.clock.Now())
}

// bucket returns the limiter for key, making one when there is none. When
// the map is full it first forgets the buckets that are full again (their
// clients have been quiet long enough that forgetting them changes
// nothing); if that frees nothing, it starts over, as a bounded map must.
func bucket(m map[string]*rate.Limiter, key string, limit rate.Limit, burst int, now time.Time) *rate.Limiter {
	if l, ok := m[key]; ok {
		return l
	}
	if len(m) >= floodMax {
		for k, l := range m {
			if l.TokensAt(now) >= float64(l.Burst()) {
				delete(m, k)
			}
		}
		if len(m) >= floodMax {
			clear(m)
		}
	}
	l := rate.NewLimiter(limit, burst)
	m[key] = l
	return l
}
