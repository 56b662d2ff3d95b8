package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store"
)

// Reopener is a store that can open a second, independent store on the
// same database, as another process or instance would. Both engines
// implement it, so the suite can check that one sees the other's changes.
type Reopener interface {
	Reopen(ctx context.Context) (store.Store, error)
}

// versionWait bounds how long a change by another store may take to be
// seen; it is polled for, never slept.
const versionWait = 10 * time.Second

// dataVersion reads s's version, waiting while it can't be known yet
// (PostgreSQL's listener connecting).
func dataVersion(t *testing.T, s store.Store) uint64 {
	t.Helper()
	deadline := time.Now().Add(versionWait)
	for {
		v, err := s.DataVersion(ctx())
		if err == nil {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("DataVersion: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// testDataVersion checks what page caches rely on: a change moves the
// version at once; reads and a transaction that changes nothing don't;
// and a change made through a second store on the same database (another
// process) moves the first store's version too.
func testDataVersion(t *testing.T, s store.Store, clk *clock.Fixed) {
	v0 := dataVersion(t, s)
	if _, err := s.Setting(ctx(), "colour"); err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	if _, err := s.PartnershipList(ctx(), partnership.Filter{}); err != nil {
		t.Fatal(err)
	}
	// The mail worker claims every two seconds and usually finds nothing:
	// that must not count as a change, or every cache would be emptied
	// every two seconds.
	if _, err := s.ClaimMail(ctx(), clk.Now(), time.Minute, 10); err != nil {
		t.Fatal(err)
	}
	if v := dataVersion(t, s); v != v0 {
		t.Errorf("after reads and an empty claim: version %d, want %d (unchanged)", v, v0)
	}

	must(t, s.SetSetting(ctx(), officer, "colour", "blå"))
	v1 := dataVersion(t, s)
	if v1 <= v0 {
		t.Fatalf("after a change: version %d, want more than %d", v1, v0)
	}
	must(t, s.SetSetting(ctx(), officer, "colour", "grön"))
	v2 := dataVersion(t, s)
	if v2 <= v1 {
		t.Fatalf("after a second change: version %d, want more than %d", v2, v1)
	}

	ro, ok := s.(Reopener)
	if !ok {
		t.Fatalf("%T does not implement storetest.Reopener", s)
	}
	other, err := ro.Reopen(ctx())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	o0 := dataVersion(t, other)
	before := dataVersion(t, s)
	must(t, other.SetSetting(ctx(), officer, "colour", "gul"))
	if o1 := dataVersion(t, other); o1 <= o0 {
		t.Errorf("the other store after its own change: version %d, want more than %d", o1, o0)
	}
	deadline := time.Now().Add(versionWait)
	for dataVersion(t, s) == before {
		if time.Now().After(deadline) {
			t.Fatalf("a change by another store was not seen within %s (version still %d)", versionWait, before)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got, err := s.Setting(ctx(), "colour"); err != nil || got != "gul" {
		t.Errorf("setting after the other store's change: %q, %v", got, err)
	}

	// And the other way round.
	before = dataVersion(t, other)
	must(t, s.SetSetting(ctx(), officer, "colour", "röd"))
	deadline = time.Now().Add(versionWait)
	for dataVersion(t, other) == before {
		if time.Now().After(deadline) {
			t.Fatalf("the other store did not see this store's change within %s", versionWait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
