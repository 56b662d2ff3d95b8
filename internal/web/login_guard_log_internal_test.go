package web

import (
	"fmt"
	"testing"
	"time"
)

// TestLoginGuardLogsBounded: the failed sign-ins the guard lets into the
// audit log are bounded per account (many addresses at one account), per
// address (one address at many accounts) and in all (many addresses at
// many accounts), and the next entry written counts those left out.
func TestLoginGuardLogsBounded(t *testing.T) {
	at := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	count := func(g *loginGuard, n int, client, account func(i int) string) (written, lastUnlogged int) {
		for i := range n {
			if ok, u := g.logFailure(client(i), account(i), at); ok {
				written++
				lastUnlogged = u
			}
		}
		return written, lastUnlogged
	}
	many := func(prefix string) func(int) string {
		return func(i int) string { return fmt.Sprintf("%s%d", prefix, i) }
	}
	one := func(s string) func(int) string { return func(int) string { return s } }

	g := &loginGuard{}
	if w, _ := count(g, 1000, many("10.0.0."), one("Victim@example.se")); w != loginLogMax {
		t.Errorf("1,000 addresses at one account: %d entries, want %d", w, loginLogMax)
	}
	if ok, _ := g.logFailure("10.9.9.9", "victim@EXAMPLE.se", at); ok {
		t.Error("the account's case counts: another spelling got an entry")
	}
	g = &loginGuard{}
	if w, _ := count(g, 1000, one("10.0.0.1"), many("made-up-")); w != loginLogMax {
		t.Errorf("one address at 1,000 accounts: %d entries, want %d", w, loginLogMax)
	}
	g = &loginGuard{}
	if w, _ := count(g, 1000, many("10.1.0."), many("spray-")); w != loginLogAllMax {
		t.Errorf("1,000 addresses at 1,000 accounts: %d entries, want %d", w, loginLogAllMax)
	}
	// A second on, one more in all: it counts the 900 left out.
	at = at.Add(loginLogAllEvery)
	if ok, u := g.logFailure("10.2.0.1", "new@example.se", at); !ok || u != 900 {
		t.Errorf("the next entry: written %v, counting %d left out, want 900", ok, u)
	}
	if ok, u := g.logFailure("10.2.0.2", "new2@example.se", at.Add(loginLogAllEvery)); !ok || u != 0 {
		t.Errorf("the entry after: written %v, counting %d, want 0", ok, u)
	}
}
