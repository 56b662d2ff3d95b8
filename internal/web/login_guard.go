package web

import (
	"container/heap"
	"strings"
	"sync"
	"time"

	"github.com/icld/partnerskap/internal/user"
)

// Failed sign-ins are limited so that a script can neither guess
// passwords nor keep the server busy hashing them (argon2id is
// deliberately costly), and so that nobody can lock a person out of her
// account by guessing at it. Four counters, each "so many failures at
// once, then one more every so often":
//
//   - per client address, to any accounts: 30, then one every 10 s. A
//     refused address is not even hashed for. An office behind one
//     address may mistype often, so this is the largest.
//   - per account: 10, then one a minute. This counter never refuses a
//     sign-in by itself, since whoever guesses would then lock the owner
//     out. An account past it is under attack, and there
//   - per client address at an account under attack: 3, then one every
//     5 minutes. The owner, at her own address, still has her tries and
//     her right password signs her in; a guesser needs a new address for
//     every three guesses, where without the account's counter each
//     address would give him 30 and then six a minute.
//   - per known browser (one that has signed in to the account before,
//     shown by a cookie signed with the account's secret, login_device.go):
//     10, then one a minute. A known browser skips the three counters
//     above, so the owner signs in from her usual browser even at an
//     address an attacker has spent; a stolen cookie gives no more than
//     this counter's tries.
//
// Each attempt is counted as a failure before the password is checked,
// so parallel guesses cannot all pass the check before any is counted;
// a success gives the count back, so signing in at the first try never
// slows anyone.
//
// With a second factor the sign-in has two steps. The password's attempt
// stays counted while the second step is pending (held, below) and is
// given back only when the code, or the enrolment, completes the
// sign-in; a password alone never clears the counters. Wrong codes have a
// counter of their own per account, 5 then one every 5 minutes: only who
// knows the password reaches the code form, so it cannot lock out the
// owner on behalf of a stranger, and it bounds a guesser of six-digit
// codes (three valid at a time) to about one chance in 3,000 a week.
//
// Failed sign-ins are written to the audit log at a bounded rate, by the
// same kind of counter, so a flood of guesses cannot fill the log (or
// the disk): an entry is written only while the account tried, the
// client address and the whole process each have one to spend (5 per
// account and per address, then one every 10 minutes; 100 in all, then
// one a second), and the next entry written tells how many were left
// out since the one before (loginGuard.logFailure).
//
// The counters live in this process: with several instances each counts
// on its own, which multiplies the allowance by the number of instances
// but keeps the guard free of database writes on every attempt.
const (
	loginClientMax    = 30
	loginClientEvery  = 10 * time.Second
	loginAccountMax   = 10
	loginAccountEvery = time.Minute
	loginPairMax      = 3
	loginPairEvery    = 5 * time.Minute
	loginDeviceMax    = 10
	loginDeviceEvery  = time.Minute
	loginCodeMax      = 5
	loginCodeEvery    = 5 * time.Minute
	loginLogMax       = 5
	loginLogEvery     = 10 * time.Minute
	loginLogAllMax    = 100
	loginLogAllEvery  = time.Second
)

// loginGuardSize bounds each of the guard's counters, so a flood of
// addresses or made-up accounts cannot exhaust memory (four tables of
// 10,000 short entries, a few megabytes). A full table forgets the key
// with the fewest recent failures, never all of them (failures.add).
const loginGuardSize = 10_000

// loginGuard holds the counters; its zero value is ready to use.
type loginGuard struct {
	size int // entries per counter; 0 means loginGuardSize (tests make it small)

	mu                                       sync.Mutex
	clients, accounts, pairs, devices, codes *failures
	held                                     map[string]heldTry

	// The audit log's share of failures (logFailure): per account, per
	// client address and in all, and how many were not logged since the
	// last entry.
	logAccounts, logClients, logAll *failures
	unlogged                        int
}

// heldTry is a password attempt waiting for the sign-in's second step.
type heldTry struct {
	try   *loginTry
	until time.Time
}

// loginRefusal says why and for how long an attempt is refused.
type loginRefusal struct {
	wait    time.Duration
	account bool // the address has used its tries at an account under attack
}

// loginTry is an admitted attempt, already counted as failed.
type loginTry struct {
	g    *loginGuard
	keys []counted
}

type counted struct {
	f   *failures
	key string
}

// admit decides whether a sign-in from client to the account email may
// be tried. device is the known browser's id for this account (""
// when the browser is not known for it). A refused attempt counts
// nothing; an admitted one counts as failed until succeeded is called.
func (g *loginGuard) admit(client, email, device string, now time.Time) (*loginTry, *loginRefusal) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	if device != "" {
		if w := g.devices.wait(device, now); w > 0 {
			return nil, &loginRefusal{wait: w}
		}
		return g.count(now, counted{g.devices, device}), nil
	}
	account := strings.ToLower(email)
	pair := client + " " + account
	if w := g.clients.wait(client, now); w > 0 {
		return nil, &loginRefusal{wait: w}
	}
	if aw := g.accounts.wait(account, now); aw > 0 {
		if w := g.pairs.wait(pair, now); w > 0 {
			// The address may try again when it has a try, or when
			// the account is no longer under attack.
			return nil, &loginRefusal{wait: min(w, aw), account: true}
		}
	}
	return g.count(now, counted{g.clients, client}, counted{g.accounts, account}, counted{g.pairs, pair}), nil
}

func (g *loginGuard) count(now time.Time, keys ...counted) *loginTry {
	for _, k := range keys {
		k.f.add(k.key, now)
	}
	return &loginTry{g: g, keys: keys}
}

// succeeded gives back what the attempt counted: it was no failure.
func (t *loginTry) succeeded(now time.Time) {
	t.g.mu.Lock()
	defer t.g.mu.Unlock()
	for _, k := range t.keys {
		k.f.refund(k.key, now)
	}
}

func (g *loginGuard) init() {
	if g.clients != nil {
		return
	}
	size := g.size
	if size <= 0 {
		size = loginGuardSize
	}
	g.clients = newFailures(loginClientMax, loginClientEvery, size)
	g.accounts = newFailures(loginAccountMax, loginAccountEvery, size)
	g.pairs = newFailures(loginPairMax, loginPairEvery, size)
	g.devices = newFailures(loginDeviceMax, loginDeviceEvery, size)
	g.codes = newFailures(loginCodeMax, loginCodeEvery, size)
	g.held = map[string]heldTry{}
	g.logAccounts = newFailures(loginLogMax, loginLogEvery, size)
	g.logClients = newFailures(loginLogMax, loginLogEvery, size)
	g.logAll = newFailures(loginLogAllMax, loginLogAllEvery, 1)
}

// logFailure decides whether a failed sign-in at account from client is
// written to the audit log: when the account, the address and the whole
// process each have an entry to spend, and then it spends one of each.
// unlogged is how many failures were left out since the last entry
// written, which that entry reports; a failure left out only counts.
func (g *loginGuard) logFailure(client, account string, now time.Time) (write bool, unlogged int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	account = strings.ToLower(account)
	if g.logAccounts.wait(account, now) > 0 || g.logClients.wait(client, now) > 0 || g.logAll.wait("", now) > 0 {
		g.unlogged++
		return false, 0
	}
	g.logAccounts.add(account, now)
	g.logClients.add(client, now)
	g.logAll.add("", now)
	unlogged, g.unlogged = g.unlogged, 0
	return true, unlogged
}

// admitCode decides whether the account (its id) may try a second-factor
// code; an admitted try counts as failed until succeeded is called.
func (g *loginGuard) admitCode(account string, now time.Time) (*loginTry, *loginRefusal) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	if w := g.codes.wait(account, now); w > 0 {
		return nil, &loginRefusal{wait: w, account: true}
	}
	return g.count(now, counted{g.codes, account}), nil
}

// hold keeps the password's attempt t until the sign-in's second step
// (key: its pending session) completes or until. A full table drops the
// expired entries; if none has expired, t is not held and stays counted,
// which errs on the side of the guard.
func (g *loginGuard) hold(key string, t *loginTry, until time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	size := g.size
	if size <= 0 {
		size = loginGuardSize
	}
	if len(g.held) >= size {
		for k, h := range g.held {
			if !until.Before(h.until.Add(user.PendingSignIn)) {
				delete(g.held, k)
			}
		}
	}
	if len(g.held) < size {
		g.held[key] = heldTry{try: t, until: until}
	}
}

// release returns the attempt held for key, if it has not expired, and
// forgets it.
func (g *loginGuard) release(key string, now time.Time) *loginTry {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	h, ok := g.held[key]
	delete(g.held, key)
	if !ok || !now.Before(h.until) {
		return nil
	}
	return h.try
}

// failures counts each key's recent failures: max at once, then one
// more every `every` (a token bucket). A key's whole state is the time
// its count is back to zero, clearAt: each failure moves it `every`
// later (from now, if it had passed), and the key is spent while clearAt
// lies more than (max-1)·every ahead.
//
// The table holds at most size keys, in a heap by clearAt. A full table
// forgets the key that clears first: one whose count is back to zero if
// there is any (forgetting it changes nothing), else the one with the
// fewest failures outstanding. An account under attack carries the most,
// so a flood of new keys with a failure or two each pushes out only keys
// cleaner than it; to make the table forget it, every other key must
// carry as many failures, size times its count, which the address
// counter makes slow. The table is never emptied at once.
type failures struct {
	max   int
	every time.Duration
	size  int
	keys  map[string]*failure
	order failureHeap
}

type failure struct {
	key     string
	clearAt time.Time
	i       int // index in the heap
}

func newFailures(max int, every time.Duration, size int) *failures {
	return &failures{max: max, every: every, size: size, keys: map[string]*failure{}}
}

// wait is how long key must wait for one more try: 0 when it may try.
func (f *failures) wait(key string, now time.Time) time.Duration {
	e, ok := f.keys[key]
	if !ok {
		return 0
	}
	return max(0, e.clearAt.Sub(now)-time.Duration(f.max-1)*f.every)
}

// add counts a failure of key.
func (f *failures) add(key string, now time.Time) {
	e, ok := f.keys[key]
	if !ok {
		if len(f.keys) >= f.size {
			delete(f.keys, heap.Pop(&f.order).(*failure).key)
		}
		e = &failure{key: key, clearAt: now}
		f.keys[key] = e
		heap.Push(&f.order, e)
	}
	if e.clearAt.Before(now) {
		e.clearAt = now
	}
	e.clearAt = e.clearAt.Add(f.every)
	heap.Fix(&f.order, e.i)
}

// refund takes back a failure counted for key; a key back to zero is
// forgotten.
func (f *failures) refund(key string, now time.Time) {
	e, ok := f.keys[key]
	if !ok {
		return
	}
	e.clearAt = e.clearAt.Add(-f.every)
	if !e.clearAt.After(now) {
		heap.Remove(&f.order, e.i)
		delete(f.keys, key)
		return
	}
	heap.Fix(&f.order, e.i)
}

// failureHeap orders keys by clearAt, the first to clear on top.
type failureHeap []*failure

func (h failureHeap) Len() int           { return len(h) }
func (h failureHeap) Less(i, j int) bool { return h[i].clearAt.Before(h[j].clearAt) }
func (h failureHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].i, h[j].i = i, j
}
func (h *failureHeap) Push(x any) {
	e := x.(*failure)
	e.i = len(*h)
	*h = append(*h, e)
}
func (h *failureHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}
