package web

import (
	"fmt"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/user"
)

// TestAccountGuardKeepsVictims: flooding the reset limits with more
// e-mail addresses and clients than they hold gives neither a mail-bombed
// address nor a client past its limit their requests back, and the
// tables stay bounded.
func TestAccountGuardKeepsVictims(t *testing.T) {
	const size = 8
	g := accountGuard{size: size}
	at := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	for i := range user.ResetsPerAddress {
		if !g.admitReset(fmt.Sprintf("10.0.0.%d", i), "victim@example.se", at) {
			t.Fatalf("request %d for the address refused", i+1)
		}
	}
	if g.admitReset("10.0.0.99", "victim@example.se", at) {
		t.Fatal("a fourth link at once to one address")
	}
	for i := range user.ResetsPerClient {
		g.admitReset("10.0.1.1", fmt.Sprintf("many%d@example.se", i), at)
	}
	if g.admitReset("10.0.1.1", "one.more@example.se", at) {
		t.Fatal("a client past its limit asked once more")
	}
	// A flood of a thousand addresses from a thousand clients.
	for i := range 1000 {
		g.admitReset(fmt.Sprintf("10.1.%d.%d", i/256, i%256), fmt.Sprintf("flood%d@example.se", i), at)
	}
	for name, f := range map[string]*failures{"addresses": g.addresses, "clients": g.clients} {
		if len(f.keys) > size || len(f.order) != len(f.keys) {
			t.Errorf("%s holds %d keys (heap %d), want at most %d", name, len(f.keys), len(f.order), size)
		}
	}
	if g.admitReset("10.0.0.98", "victim@example.se", at) {
		t.Error("after the flood the address gets another link at once")
	}
	if g.admitReset("10.0.1.1", "after.flood@example.se", at) {
		t.Error("after the flood the spent client asks again")
	}
	// Twenty minutes later the address has one more.
	if !g.admitReset("10.0.0.97", "victim@example.se", at.Add(user.ResetAddressEvery)) {
		t.Error("the address gets no link after the wait")
	}
}

// TestAccountGuardChecks: wrong current passwords are counted per
// account, a right one gives its count back.
func TestAccountGuardChecks(t *testing.T) {
	var g accountGuard
	at := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	for i := range user.PasswordChecksMax * 3 {
		wait, checked := g.admitCheck(1, at)
		if wait > 0 {
			t.Fatalf("right password %d refused", i+1)
		}
		checked(true)
	}
	for i := range user.PasswordChecksMax {
		wait, checked := g.admitCheck(1, at)
		if wait > 0 {
			t.Fatalf("wrong password %d refused", i+1)
		}
		checked(false)
	}
	if wait, _ := g.admitCheck(1, at); wait <= 0 {
		t.Error("a sixth wrong password at once")
	}
	if wait, _ := g.admitCheck(2, at); wait > 0 {
		t.Error("another account is limited too")
	}
	if wait, _ := g.admitCheck(1, at.Add(user.PasswordChecksEvery)); wait > 0 {
		t.Error("no try after the wait")
	}
}
