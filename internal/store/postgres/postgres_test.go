package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/store/storetest"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

func TestStore(t *testing.T) {
	pgtest.URL(t) // skip (or fail on CI) once, not in every subtest
	storetest.Run(t, func(t *testing.T, clk clock.Clock) store.Store {
		return storetest.OpenPostgres(t, clk)
	})
}

func TestEngine(t *testing.T) {
	if got := storetest.OpenPostgres(t, clock.System{}).Engine(); got != "postgres" {
		t.Errorf("Engine() = %q, want postgres", got)
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewSchema(t)
	s, err := postgres.Open(ctx, u, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, storetest.Officer, "k", "å"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = postgres.Open(ctx, u, clock.System{}) // migrations run again, as a no-op
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.Setting(ctx, "k"); err != nil || v != "å" {
		t.Errorf("after reopen: %q, %v", v, err)
	}
}

// TestOpenUnreachable needs no database: nothing listens on port 1.
func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=5", clock.System{})
	if err == nil {
		s.Close()
		t.Fatal("Open on a closed port succeeded")
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "postgres: connect to 127.0.0.1:1/test: ") {
		t.Errorf("error %q does not say which database could not be reached", msg)
	}
	if _, err := postgres.Open(ctx, "postgres://[::1", clock.System{}); err == nil || !strings.HasPrefix(err.Error(), "postgres: open: ") {
		t.Errorf("bad URL: got %v", err)
	}
}

// TestConcurrentCallsStayWithinBudget creates ten calls of 30 öre at once
// in a programme of 100: the programme's row lock lets exactly three in.
func TestConcurrentCallsStayWithinBudget(t *testing.T) {
	ctx := context.Background()
	s := storetest.OpenPostgres(t, clock.NewFixed(storetest.Start))
	p := &programme.Programme{NameSV: "Kommunala partnerskap", Funder: "Sida", Operator: "ICLD", TotalBudget: 100}
	if err := s.CreateProgramme(ctx, storetest.Officer, p); err != nil {
		t.Fatal(err)
	}
	const n = 10
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.CreateCall(ctx, storetest.Officer, &call.Call{ProgrammeID: p.ID, TitleSV: "Utlysning", OpensAt: storetest.Start,
				ClosesAt: storetest.Start.Add(time.Hour), Ceiling: 30, MaxPerGrant: 30})
		}()
	}
	wg.Wait()
	ok, over := 0, 0
	for _, err := range errs {
		var v validate.Errors
		switch {
		case err == nil:
			ok++
		case errors.As(err, &v) && v["ceiling"] == "error.call.over_programme_budget":
			over++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	calls, err := s.CallList(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 3 || over != n-3 || len(calls) != 3 {
		t.Errorf("%d created, %d refused, %d stored; want 3, %d, 3", ok, over, len(calls), n-3)
	}
}

// TestConcurrentUsersSameEmail creates one e-mail address from eight
// goroutines at once: one succeeds, and every other gets the field error
// the SQLite store gives, whether its check saw the winner's row or the
// unique index caught it.
func TestConcurrentUsersSameEmail(t *testing.T) {
	ctx := context.Background()
	s := storetest.OpenPostgres(t, clock.NewFixed(storetest.Start))
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.CreateUser(ctx, audit.Actor{Name: "test"}, &user.User{Email: "åsa.öberg@kalix.se", Name: "Åsa Öberg"})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		var v validate.Errors
		switch {
		case err == nil:
			ok++
		case errors.As(err, &v) && v["email"] == "error.user.email_taken":
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d users created, want 1", ok)
	}
}

// TestChangedSignalsOtherInstance: a change committed by another instance
// on the same database closes Changed once its notification arrives, and
// DataVersion has moved by then.
func TestChangedSignalsOtherInstance(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewSchema(t)
	a, err := postgres.Open(ctx, u, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.Open(ctx, u, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	before, err := a.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	changed := a.Changed()
	select {
	case <-changed:
		t.Fatal("Changed closed before anything changed")
	default:
	}
	if err := b.SetSetting(ctx, storetest.Officer, "k", "v"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(10 * time.Second):
		t.Fatal("another instance's change not signalled within 10 s")
	}
	if after, err := a.DataVersion(ctx); err != nil || after <= before {
		t.Errorf("DataVersion %d → %d (%v), want it moved", before, after, err)
	}
}
