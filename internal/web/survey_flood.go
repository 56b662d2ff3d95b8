package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// The answer pages are public, so a script could fill a survey with junk
// answers and make its results worthless. floodGuard limits the answers
// posted from one client address and to one survey, with token buckets
// (golang.org/x/time/rate) that take the server's clock, so tests can
// drive them with a fixed one.
//
// A class answering together shares one school address: the client
// bucket lets 30 answers through at once, then one every 10 seconds. A
// survey takes 200 at once, then one a second, whoever sends them.
var (
	clientLimit = rate.Every(10 * time.Second)
	clientBurst = 30
	surveyLimit = rate.Limit(1)
	surveyBurst = 200
)

// floodMax bounds each map of buckets, so a flood from many addresses
// cannot exhaust memory.
const floodMax = 10_000

// floodGuard holds the buckets; its zero value is ready to use.
type floodGuard struct {
	mu      sync.Mutex
	clients map[string]*rate.Limiter
	surveys map[string]*rate.Limiter
}

// allow reports whether one more answer may be posted from client to the
// survey with token at now, and takes a token from both buckets if so.
func (g *floodGuard) allow(client, token string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.clients == nil {
		g.clients, g.surveys = map[string]*rate.Limiter{}, map[string]*rate.Limiter{}
	}
	c := bucket(g.clients, client, clientLimit, clientBurst, now)
	sv := bucket(g.surveys, token, surveyLimit, surveyBurst, now)
	// Ask the survey's bucket only when the client's has room, so one
	// flooding client does not use up a survey's allowance for others.
	return c.AllowN(now, 1) && sv.AllowN(now, 1)
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
