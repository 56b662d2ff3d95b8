package web

import (
	"fmt"
	"testing"
	"time"
)

func TestFloodGuard(t *testing.T) {
	var g floodGuard
	at := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	// One client: its burst, then nothing until the bucket refills.
	for i := range clientBurst {
		if !g.allow("10.0.0.1", "survey-a", at) {
			t.Fatalf("client refused after %d answers", i)
		}
	}
	if g.allow("10.0.0.1", "survey-a", at) || g.allow("10.0.0.1", "survey-b", at) {
		t.Error("client over its burst allowed")
	}
	if !g.allow("10.0.0.1", "survey-a", at.Add(10*time.Second)) {
		t.Error("client not allowed again after 10 s")
	}
	// One survey from many addresses: the survey's burst, then nothing.
	for i := range surveyBurst {
		if !g.allow(fmt.Sprintf("10.1.%d.%d", i/200, i%200), "survey-c", at) {
			t.Fatalf("survey refused after %d answers", i)
		}
	}
	if g.allow("10.9.9.9", "survey-c", at) {
		t.Error("survey over its burst allowed")
	}
	if !g.allow("10.9.9.9", "survey-d", at) {
		t.Error("another survey refused")
	}
	// The maps stay bounded.
	for i := range floodMax + 10 {
		g.allow(fmt.Sprintf("client-%d", i), fmt.Sprintf("survey-%d", i), at.Add(time.Hour))
	}
	if len(g.clients.keys) > floodMax || len(g.surveys.keys) > floodMax {
		t.Errorf("tables grew to %d and %d", len(g.clients.keys), len(g.surveys.keys))
	}
}

// A flood of answers from more addresses than the guard holds does not
// give back the allowance a client has spent: the full table forgets the
// flooders, who have posted one answer each, before the client that has
// posted its 30 (the old guard emptied its whole table and let the client
// post 30 more).
func TestFloodGuardKeepsVictims(t *testing.T) {
	var g floodGuard
	at := time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)
	for range clientBurst {
		g.allow("10.0.0.1", "survey-a", at)
	}
	if g.allow("10.0.0.1", "survey-a", at) {
		t.Fatal("client over its burst allowed")
	}
	for i := range floodMax + 100 {
		g.allow(fmt.Sprintf("10.2.%d.%d", i/250, i%250), "survey-b", at.Add(time.Second))
	}
	if g.allow("10.0.0.1", "survey-a", at.Add(2*time.Second)) {
		t.Error("the flood gave the client its allowance back")
	}
	if len(g.clients.keys) > floodMax {
		t.Errorf("table grew to %d", len(g.clients.keys))
	}
	if !g.allow("10.0.0.1", "survey-a", at.Add(10*time.Second)) {
		t.Error("client not allowed again after 10 s")
	}
}
