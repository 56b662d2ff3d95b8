package web

import (
	"fmt"
	"testing"
	"time"
)

// TestDownloadGuard: a repeat within the window counts once; one client
// counts at most downloadClientBurst items at once, then one every
// downloadClientEvery; other clients are not affected.
func TestDownloadGuard(t *testing.T) {
	var g downloadGuard
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	if !g.counts("10.0.0.1", 1, now) || g.counts("10.0.0.1", 1, now.Add(time.Minute)) {
		t.Error("a repeat within the window counted, or the first did not")
	}
	if !g.counts("10.0.0.1", 1, now.Add(downloadRepeatWindow+time.Second)) {
		t.Error("a repeat after the window did not count")
	}
	counted := 0
	for id := int64(2); id < 100; id++ {
		if g.counts("10.0.0.1", id, now.Add(downloadRepeatWindow+time.Second)) {
			counted++
		}
	}
	// The bucket refilled during the window; the repeat just counted took one.
	if counted != downloadClientBurst-1 {
		t.Errorf("one client counted %d items at once, want %d", counted, downloadClientBurst-1)
	}
	if !g.counts("10.0.0.2", 5, now) {
		t.Error("another client's download did not count")
	}
	if !g.counts("10.0.0.1", 500, now.Add(downloadRepeatWindow+21*time.Second)) {
		t.Error("after the client's interval, one more did not count")
	}
}

// A flood of downloads from more addresses than the guard holds does not
// give back a client's spent counts (the old guard emptied its whole
// table when full).
func TestDownloadGuardKeepsVictims(t *testing.T) {
	var g downloadGuard
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for id := range int64(downloadClientBurst) {
		g.counts("10.0.0.1", id, now)
	}
	if g.counts("10.0.0.1", 100, now) {
		t.Fatal("client over its burst counted")
	}
	for i := range floodMax + 100 {
		g.counts(fmt.Sprintf("10.2.%d.%d", i/250, i%250), 1, now.Add(time.Second))
	}
	if g.counts("10.0.0.1", 101, now.Add(2*time.Second)) {
		t.Error("the flood gave the client its counts back")
	}
	if len(g.clients.keys) > floodMax || len(g.repeats.keys) > floodMax {
		t.Errorf("tables grew to %d and %d", len(g.clients.keys), len(g.repeats.keys))
	}
}
