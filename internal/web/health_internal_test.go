package web

import (
	"context"
	"errors"
	"testing"
)

// TestWriteCheckOneAtATime: while a write probe runs, another health
// check waits for it instead of starting a second; after it, the next
// check probes afresh.
func TestWriteCheckOneAtATime(t *testing.T) {
	var c writeCheck
	started, release := make(chan struct{}), make(chan struct{})
	probes := 0
	probe := func(context.Context) error {
		probes++
		close(started)
		<-release
		return errors.New("read-only")
	}
	first := make(chan error)
	go func() { first <- c.do(context.Background(), probe) }()
	<-started
	// A second check while the first runs: it does not probe (it would
	// close started twice and panic); given up by its client, it returns.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.do(ctx, probe); !errors.Is(err, context.Canceled) {
		t.Errorf("second check while one runs: %v", err)
	}
	close(release)
	if err := <-first; err == nil || err.Error() != "read-only" {
		t.Errorf("first check: %v", err)
	}
	if err := c.do(context.Background(), func(context.Context) error { probes++; return nil }); err != nil || probes != 2 {
		t.Errorf("next check: %v after %d probes", err, probes)
	}
}
