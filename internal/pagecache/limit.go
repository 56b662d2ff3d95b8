package pagecache

import (
	"cmp"
	"context"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Renders are what cost: a page answered from memory takes microseconds,
// a render milliseconds to seconds (the statistics read every activity).
// One client may cause only so many: a token bucket of RenderBurst renders
// refilled at one per RenderEvery, on the source's clock, and at most
// RenderAtOnce under way at once. A render beyond the bucket is answered
// 429 with Retry-After, which costs nothing to send; one beyond
// RenderAtOnce waits for the client's earlier renders to end (a class
// behind one school address clicking at the same moment is served a few
// milliseconds later), up to queuePerClient waiting, and beyond that is
// refused too. Pages already kept are served to everyone without limit
// and take no tokens; nor do requests waiting for another's render of the
// same page.
//
// The defaults let a person click through filters freely, or a class
// behind one address browse together (most of their pages are kept), and
// hold one script to two renders a second, and to two cores' worth only
// while it spends its burst.
const (
	defaultRenderBurst  = 120
	defaultRenderEvery  = 500 * time.Millisecond
	defaultRenderAtOnce = 2
	// queuePerClient bounds the renders of one client waiting for a turn.
	queuePerClient = 8
	// maxClients bounds the clients remembered, so a flood from many
	// addresses cannot exhaust memory.
	maxClients = 10_000
)

// refusal is the body of a 429: plain text in both languages, so a
// refusal costs no template.
const refusal = "För många sidor på kort tid från din adress. Försök igen om en stund.\n" +
	"Too many pages in a short time from your address. Please try again shortly.\n"

// limiter holds each client's bucket and renders under way.
type limiter struct {
	burst  int
	every  time.Duration
	atOnce int

	mu      sync.Mutex
	clients map[string]*client
}

type client struct {
	tokens *rate.Limiter
	busy   int             // renders under way
	queue  []chan struct{} // renders waiting for a turn, oldest first: closed to hand one over
}

func newLimiter(cfg Config) *limiter {
	l := &limiter{burst: cfg.RenderBurst, every: cfg.RenderEvery, atOnce: cfg.RenderAtOnce, clients: map[string]*client{}}
	if l.burst <= 0 {
		l.burst = defaultRenderBurst
	}
	if l.every <= 0 {
		l.every = defaultRenderEvery
	}
	if l.atOnce <= 0 {
		l.atOnce = defaultRenderAtOnce
	}
	return l
}

// begin starts a render for who at now, waiting for a turn if the client
// has RenderAtOnce under way; or it says how long to wait before asking
// again. A started render must be ended with end. When ctx ends while
// waiting, begin returns false.
func (l *limiter) begin(ctx context.Context, who string, now time.Time) (wait time.Duration, ok bool) {
	l.mu.Lock()
	c := l.clients[who]
	if c == nil {
		l.makeRoom(now)
		c = &client{tokens: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.clients[who] = c
	}
	full := c.busy >= l.atOnce
	if full && len(c.queue) >= queuePerClient {
		l.mu.Unlock()
		return time.Second, false // a render takes milliseconds; ask again soon
	}
	if !c.tokens.AllowN(now, 1) {
		wait = time.Duration((1 - c.tokens.TokensAt(now)) * float64(l.every))
		l.mu.Unlock()
		return wait, false
	}
	if !full {
		c.busy++
		l.mu.Unlock()
		return 0, true
	}
	turn := make(chan struct{})
	c.queue = append(c.queue, turn)
	l.mu.Unlock()
	select {
	case <-turn:
		return 0, true // end handed its render over
	case <-ctx.Done():
	}
	l.mu.Lock()
	if i := slices.Index(c.queue, turn); i >= 0 {
		c.queue = slices.Delete(c.queue, i, i+1)
		l.mu.Unlock()
		return 0, false
	}
	l.mu.Unlock()
	l.end(who) // handed over meanwhile: pass it on
	return 0, false
}

// end ends a render of who, handing it to the oldest waiting, if any.
func (l *limiter) end(who string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.clients[who]
	if c == nil {
		return
	}
	if len(c.queue) > 0 {
		close(c.queue[0])
		c.queue = c.queue[1:]
		return
	}
	c.busy--
}

// waiting counts the renders waiting for a turn.
func (l *limiter) waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, c := range l.clients {
		n += len(c.queue)
	}
	return n
}

// makeRoom forgets clients when the map is full: first those idle with a
// full bucket (forgetting them changes nothing); if that frees nothing,
// the tenth of the idle clients whose buckets are fullest, the ones whose
// spent renders would come back soonest anyway. It never forgets all of
// them at once: a flood of new addresses, each having spent a render or
// two, pushes out only clients that have spent less than a client which
// has spent its burst, so the flood cannot give those renders back. A
// client with a render under way (or waiting) is never forgotten, so its
// count stays right.
func (l *limiter) makeRoom(now time.Time) {
	if len(l.clients) < maxClients {
		return
	}
	type idle struct {
		who    string
		tokens float64
	}
	var idles []idle
	for k, c := range l.clients {
		if c.busy != 0 {
			continue
		}
		t := c.tokens.TokensAt(now)
		if t >= float64(l.burst) {
			delete(l.clients, k)
			continue
		}
		idles = append(idles, idle{k, t})
	}
	if len(l.clients) < maxClients {
		return
	}
	slices.SortFunc(idles, func(a, b idle) int { return cmp.Compare(b.tokens, a.tokens) }) // fullest first
	for _, c := range idles[:min(len(idles), max(1, maxClients/10))] {
		delete(l.clients, c.who)
	}
}

// admit starts a render for r's client, or answers 429 and returns
// false. done ends the render.
func (c *Cache) admit(w http.ResponseWriter, r *http.Request) (done func(), ok bool) {
	if c.src.Client == nil {
		return func() {}, true
	}
	who := c.src.Client(r)
	wait, ok := c.limit.begin(r.Context(), who, c.src.Clock.Now())
	if !ok {
		if r.Context().Err() != nil {
			return nil, false // gone while waiting for a turn
		}
		c.refused.Add(1)
		h := w.Header()
		h.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusTooManyRequests)
		if r.Method != http.MethodHead {
			io.WriteString(w, refusal)
		}
		return nil, false
	}
	return func() { c.limit.end(who) }, true
}
