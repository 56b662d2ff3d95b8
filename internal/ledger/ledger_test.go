package ledger

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestApplyRules(t *testing.T) {
	b, err := Sum([]Entry{{Kind: Granted, Amount: 30_000_000}, {Kind: Paid, Amount: 24_000_000}, {Kind: Spent, Amount: 20_000_000}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		e    Entry
		want error
	}{
		{Entry{Kind: Granted, Amount: 1}, ErrGrantedTwice},
		{Entry{Kind: Paid, Amount: 6_000_001}, ErrOverGranted},
		{Entry{Kind: Paid, Amount: 0}, ErrAmount},
		{Entry{Kind: Paid, Amount: -5}, ErrAmount},
		{Entry{Kind: Spent, Amount: 10_000_001}, ErrSpentOver},
		{Entry{Kind: Spent, Amount: -20_000_001}, ErrSpentNegative},
		{Entry{Kind: ToRepay, Amount: 4_000_001}, ErrRepayOver},
		{Entry{Kind: Repaid, Amount: 1}, ErrRepaidOver},
		{Entry{Kind: "gift", Amount: 1}, nil}, // any error
	}
	for _, tt := range tests {
		got, err := b.Apply(tt.e)
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s %d: %v, want %v", tt.e.Kind, tt.e.Amount, err, tt.want)
		}
		if got != b {
			t.Errorf("%s %d: a refused entry changed the balance", tt.e.Kind, tt.e.Amount)
		}
	}
	if _, err := (Balance{}).Apply(Entry{Kind: Paid, Amount: 1}); !errors.Is(err, ErrNotGranted) {
		t.Errorf("payment before the grant: %v", err)
	}
	// Closing: 4 000 000 öre unspent is to be repaid, then repaid.
	b, _ = b.Apply(Entry{Kind: ToRepay, Amount: 4_000_000})
	if b.Settled() {
		t.Error("settled before the repayment")
	}
	b, _ = b.Apply(Entry{Kind: Repaid, Amount: 4_000_000})
	if !b.Settled() || b.Outstanding() != 0 {
		t.Errorf("after repaying: %+v settled=%v", b, b.Settled())
	}
}

// TestRandomSequences applies thousands of random operations, valid and
// not, and checks after each that the invariants hold, that a refused
// operation changed nothing, and that replaying the accepted entries gives
// the same balance.
func TestRandomSequences(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for run := 0; run < 500; run++ {
		var b Balance
		var accepted []Entry
		for step := 0; step < 60; step++ {
			e := Entry{Kind: Kinds[r.IntN(len(Kinds))], Amount: r.Int64N(40_000_000) - 5_000_000}
			if r.IntN(4) == 0 && b.Granted > 0 {
				// Aim near the limits, where mistakes hide.
				switch e.Kind {
				case Paid:
					e.Amount = b.Unpaid() + r.Int64N(3) - 1
				case Spent:
					e.Amount = b.Granted - b.Spent + r.Int64N(3) - 1
				case ToRepay:
					e.Amount = b.Unspent() - b.ToRepay + r.Int64N(3) - 1
				case Repaid:
					e.Amount = b.Outstanding() + r.Int64N(3) - 1
				}
			}
			next, err := b.Apply(e)
			if err != nil {
				if next != b {
					t.Fatalf("run %d: refused %+v changed %+v to %+v", run, e, b, next)
				}
				continue
			}
			if err := next.Check(); err != nil {
				t.Fatalf("run %d: after %+v: %v (%+v)", run, e, err, next)
			}
			b = next
			accepted = append(accepted, e)
		}
		replayed, err := Sum(accepted)
		if err != nil || replayed != b {
			t.Fatalf("run %d: replay %+v, %v; want %+v", run, replayed, err, b)
		}
	}
}

func TestPlan(t *testing.T) {
	eighty := Plan{{Percent: 80, When: OnAcceptance}, {Percent: 20, When: OnFinalReportApproved}}
	for _, granted := range []int64{30_000_000, 33_333_333, 1, 0, 99} {
		amounts, err := eighty.Amounts(granted)
		if err != nil {
			t.Fatal(err)
		}
		if amounts[0]+amounts[1] != granted || amounts[0] != granted*80/100 {
			t.Errorf("%d split as %v", granted, amounts)
		}
	}
	due, _ := eighty.Due(30_000_000, 0, map[Trigger]bool{OnAcceptance: true})
	if due != 24_000_000 {
		t.Errorf("due on acceptance: %d", due)
	}
	due, _ = eighty.Due(30_000_000, 24_000_000, map[Trigger]bool{OnAcceptance: true, OnFinalReportApproved: true})
	if due != 6_000_000 {
		t.Errorf("due after the final report: %d", due)
	}
	for _, bad := range []Plan{{}, {{Percent: 50, When: OnAcceptance}}, {{Percent: 100, When: "birthday"}},
		{{Percent: 50, When: OnAcceptance}, {Percent: 50, When: OnAcceptance}}, {{Percent: 0, When: OnAcceptance}, {Percent: 100, When: OnFinalReportApproved}}} {
		if bad.Check() == nil {
			t.Errorf("plan %v accepted", bad)
		}
	}
	if FullOnAcceptance.Check() != nil {
		t.Error("the default plan is refused")
	}
}
