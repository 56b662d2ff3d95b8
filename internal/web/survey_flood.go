package web

import (
	"sync"
	"time"
)

// The answer pages are public, so a script could fill a survey with junk
// answers and make its results worthless. floodGuard limits the answers
// posted from one client address and to one survey, with the sign-in
// guard's bounded counters (failures, login_guard.go: so many at once,
// then one more every so often), which take the server's clock, so tests
// can drive them with a fixed one.
//
// A class answering together shares one school address: a client may
// post 30 answers at once, then one every 10 seconds. A survey takes 200
// at once, then one a second, whoever sends them.
var (
	clientEvery = 10 * time.Second
	clientBurst = 30
	surveyEvery = time.Second
	surveyBurst = 200
)

// floodMax bounds each table of counters, so a flood from many addresses
// cannot exhaust memory. A full table forgets the address whose count
// clears soonest, never all at once: a flood of new addresses pushes out
// only addresses that have posted less than the victim, so it cannot
// give back a victim's spent allowance.
const floodMax = 10_000

// floodGuard holds the counters; its zero value is ready to use.
type floodGuard struct {
	mu      sync.Mutex
	clients *failures
	surveys *failures
}

// allow reports whether one more answer may be posted from client to the
// survey with token at now, and counts it if so.
func (g *floodGuard) allow(client, token string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.clients == nil {
		g.clients = newFailures(clientBurst, clientEvery, floodMax)
		g.surveys = newFailures(surveyBurst, surveyEvery, floodMax)
	}
	// Count against the survey only when the client has room, so one
	// flooding client does not use up a survey's allowance for others.
	// The client's answer counts even when the survey is full.
	if g.clients.wait(client, now) > 0 {
		return false
	}
	g.clients.add(client, now)
	if g.surveys.wait(token, now) > 0 {
		return false
	}
	g.surveys.add(token, now)
	return true
}
