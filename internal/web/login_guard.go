package web

import (
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Failed sign-ins are limited, per client address and per account, so a
// script can neither guess passwords nor keep the server busy hashing
// them (argon2id is deliberately costly). Only failures take tokens: a
// person who signs in at the first try is never slowed, and an attacker
// hammering someone's account locks it for at most a minute at a time.
//
// An office behind one address may mistype often, so the client bucket
// is larger than the account's.
var (
	loginClientLimit = rate.Every(10 * time.Second)
	loginClientBurst = 30
	loginAccountRate = rate.Every(time.Minute)
	loginAccountMax  = 10
)

// loginGuard holds the buckets; its zero value is ready to use. The
// buckets live in this process: with several instances each limits on its
// own, which multiplies the allowance by the number of instances but
// keeps the guard free of database writes on every attempt.
type loginGuard struct {
	mu       sync.Mutex
	clients  map[string]*rate.Limiter
	accounts map[string]*rate.Limiter
}

// blocked reports whether a sign-in from client to the account email must
// wait: one of their buckets is empty.
func (g *loginGuard) blocked(client, email string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	return bucket(g.clients, client, loginClientLimit, loginClientBurst, now).TokensAt(now) < 1 ||
		bucket(g.accounts, strings.ToLower(email), loginAccountRate, loginAccountMax, now).TokensAt(now) < 1
}

// failed takes a token from both buckets after a failed sign-in.
func (g *loginGuard) failed(client, email string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	bucket(g.clients, client, loginClientLimit, loginClientBurst, now).AllowN(now, 1)
	bucket(g.accounts, strings.ToLower(email), loginAccountRate, loginAccountMax, now).AllowN(now, 1)
}

func (g *loginGuard) init() {
	if g.clients == nil {
		g.clients, g.accounts = map[string]*rate.Limiter{}, map[string]*rate.Limiter{}
	}
}
