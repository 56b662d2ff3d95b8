package web

import (
	"fmt"
	"testing"
	"time"
)

// TestLoginGuardKeepsVictims: filling the guard with more accounts and
// addresses than it holds does not forget an account under attack, nor
// an address that has used its tries at it; the guard stays bounded.
func TestLoginGuardKeepsVictims(t *testing.T) {
	const size = 8
	g := loginGuard{size: size}
	at := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	fail := func(client, email string, at time.Time) bool {
		_, refused := g.admit(client, email, "", at)
		return refused == nil
	}
	// An old, forgotten failure: the first to go when the table fills.
	fail("10.9.9.9", "old@example.se", at.Add(-time.Hour))
	for i := range loginAccountMax {
		if !fail(fmt.Sprintf("10.0.0.%d", i), "victim@example.se", at) {
			t.Fatalf("failure %d refused", i+1)
		}
	}
	for i := range loginPairMax {
		if !fail("10.0.1.1", "victim@example.se", at) {
			t.Fatalf("try %d from a new address refused", i+1)
		}
	}
	if fail("10.0.1.1", "victim@example.se", at) {
		t.Fatal("an address guesses on past its tries at an account under attack")
	}
	// A flood of a thousand accounts from a thousand addresses.
	for i := range 1000 {
		fail(fmt.Sprintf("10.1.%d.%d", i/256, i%256), fmt.Sprintf("flood%d@example.se", i), at)
	}
	for name, f := range map[string]*failures{"clients": g.clients, "accounts": g.accounts, "pairs": g.pairs, "devices": g.devices} {
		if len(f.keys) > size || len(f.order) != len(f.keys) {
			t.Errorf("%s holds %d keys (heap %d), want at most %d", name, len(f.keys), len(f.order), size)
		}
	}
	if _, ok := g.accounts.keys["old@example.se"]; ok {
		t.Error("the old failure was kept before the flood's")
	}
	if fail("10.0.1.1", "victim@example.se", at) {
		t.Error("after the flood the spent address guesses again")
	}
	for i := range loginPairMax {
		if !fail("10.0.2.2", "victim@example.se", at) {
			t.Fatalf("try %d from another new address refused", i+1)
		}
	}
	if fail("10.0.2.2", "victim@example.se", at) {
		t.Error("after the flood the account is no longer under attack: a new address guesses on")
	}
}

// TestLoginGuardCounts: each counter lets its failures through at once,
// then one more each period; a success takes nothing; a known browser
// is counted on its own.
func TestLoginGuardCounts(t *testing.T) {
	var g loginGuard
	at := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	for i := range loginClientMax {
		if _, r := g.admit("10.0.0.1", fmt.Sprintf("a%d@example.se", i), "", at); r != nil {
			t.Fatalf("failure %d refused", i+1)
		}
	}
	_, r := g.admit("10.0.0.1", "b@example.se", "", at)
	if r == nil || r.wait != loginClientEvery || r.account {
		t.Fatalf("address past its failures: %+v, want a wait of %v", r, loginClientEvery)
	}
	if _, r := g.admit("10.0.0.1", "b@example.se", "", at.Add(loginClientEvery)); r != nil {
		t.Errorf("one more try %v later refused: %+v", loginClientEvery, r)
	}
	// Successes give back what they counted.
	for i := range 3 * loginDeviceMax {
		try, r := g.admit("10.0.0.2", "c@example.se", "browser-1", at)
		if r != nil {
			t.Fatalf("success %d refused", i+1)
		}
		try.succeeded(at)
	}
	if len(g.devices.keys) != 0 {
		t.Errorf("successes left %d keys", len(g.devices.keys))
	}
	for range loginDeviceMax {
		g.admit("10.0.0.1", "c@example.se", "browser-1", at) // a known browser skips the spent address
	}
	if _, r := g.admit("10.0.0.3", "c@example.se", "browser-1", at); r == nil || r.wait != loginDeviceEvery {
		t.Errorf("a known browser past its failures: %+v", r)
	}
	if _, r := g.admit("10.0.0.3", "c@example.se", "browser-2", at); r != nil {
		t.Errorf("another known browser refused: %+v", r)
	}
}
