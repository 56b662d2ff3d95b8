package grant

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/validate"
)

var moneyAt = time.Date(2022, 2, 10, 9, 0, 0, 0, time.UTC)

func TestMoveMoney(t *testing.T) {
	// A grant of 300 000 kr with 240 000 kr (80 %) paid on acceptance.
	underWay := ledger.Balance{Granted: 30_000_000, Paid: 24_000_000}
	// Its final report approved: 200 000 kr spent, 40 000 kr to repay.
	toRepay := ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 20_000_000, ToRepay: 4_000_000}
	// Its final report approved: 270 000 kr spent, 30 000 kr still to pay.
	owed := ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 27_000_000}
	pay := func(ore int64) ledger.Entry {
		return ledger.Entry{GrantID: 5, Kind: ledger.Paid, Amount: ore, At: moneyAt, By: 2, Note: "Utbetalning 2"}
	}
	repay := func(ore int64) ledger.Entry {
		return ledger.Entry{GrantID: 5, Kind: ledger.Repaid, Amount: ore, At: moneyAt, By: 2, Note: "Återbetalning"}
	}
	withNote := func(e ledger.Entry, note string) ledger.Entry { e.Note = note; return e }
	tests := []struct {
		name          string
		b             ledger.Balance
		e             ledger.Entry
		finalApproved bool
		wantAfter     ledger.Balance
		wantCloses    bool
		wantErr       validate.Errors
	}{
		{"payment of the rest", underWay, pay(6_000_000), false,
			ledger.Balance{Granted: 30_000_000, Paid: 30_000_000}, false, nil},
		{"payment of one öre", underWay, pay(1), false,
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_001}, false, nil},
		{"payment over the grant by one öre", underWay, pay(6_000_001), false, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.over_granted"}},
		{"payment of nothing", underWay, pay(0), false, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.amount"}},
		{"negative payment", underWay, pay(-100), false, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.amount"}},
		{"repayment of nothing", toRepay, repay(0), true, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.amount"}},
		{"negative repayment", toRepay, repay(-1), true, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.amount"}},
		{"repayment over what is owed", toRepay, repay(4_000_001), true, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.repaid_over"}},
		{"repayment when nothing is owed", underWay, repay(1), false, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.repaid_over"}},
		{"payment before the grant", ledger.Balance{}, pay(1), false, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.not_granted"}},
		{"note of 1000 å", underWay, withNote(pay(1), strings.Repeat("å", MaxMoneyNote)), false,
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_001}, false, nil},
		{"note of 1001 ö", underWay, withNote(pay(1), strings.Repeat("ö", MaxMoneyNote+1)), false, ledger.Balance{}, false,
			validate.Errors{"note": "error.too_long"}},
		{"note too long and amount wrong: the note first", underWay, withNote(pay(0), strings.Repeat("ä", MaxMoneyNote+1)), false, ledger.Balance{}, false,
			validate.Errors{"note": "error.too_long"}},
		{"part of a repayment", toRepay, repay(3_999_999), true,
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 20_000_000, ToRepay: 4_000_000, Repaid: 3_999_999}, false, nil},
		{"the last repayment closes", toRepay, repay(4_000_000), true,
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 20_000_000, ToRepay: 4_000_000, Repaid: 4_000_000}, true, nil},
		{"the last repayment, final report not approved", toRepay, repay(4_000_000), false,
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 20_000_000, ToRepay: 4_000_000, Repaid: 4_000_000}, false, nil},
		{"the last payment meets the costs and closes", owed, pay(3_000_000), true,
			ledger.Balance{Granted: 30_000_000, Paid: 27_000_000, Spent: 27_000_000}, true, nil},
		{"a payment one öre short", owed, pay(2_999_999), true,
			ledger.Balance{Granted: 30_000_000, Paid: 26_999_999, Spent: 27_000_000}, false, nil},
		// Issue 10: after the final report no payment takes paid above
		// what was spent, even within the grant.
		{"a payment past the costs", owed, pay(3_000_001), true, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.over_spent"}},
		{"a payment after the costs are met", ledger.Balance{Granted: 30_000_000, Paid: 27_000_000, Spent: 27_000_000}, pay(1), true, ledger.Balance{}, false,
			validate.Errors{"amount": "error.ledger.over_spent"}},
		{"before the final report, up to the grant", owed, pay(6_000_000), false,
			ledger.Balance{Granted: 30_000_000, Paid: 30_000_000, Spent: 27_000_000}, false, nil},
	}
	for _, tt := range tests {
		got, err := MoveMoney(tt.b, tt.e, tt.finalApproved)
		if tt.wantErr != nil {
			var errs validate.Errors
			if !errors.As(err, &errs) || !maps.Equal(errs, tt.wantErr) {
				t.Errorf("%s: %v, want %v", tt.name, err, tt.wantErr)
			}
			if !isZeroMovement(got) {
				t.Errorf("%s: refused, but moved %+v", tt.name, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !slices.Equal(got.Entries, []ledger.Entry{tt.e}) {
			t.Errorf("%s: entries %+v, want [%+v]", tt.name, got.Entries, tt.e)
		}
		if got.Before != tt.b || got.After != tt.wantAfter || got.Closes != tt.wantCloses {
			t.Errorf("%s: %+v → %+v closes=%v; want %+v → %+v closes=%v", tt.name, got.Before, got.After, got.Closes, tt.b, tt.wantAfter, tt.wantCloses)
		}
	}
}

// A ledger left unsettled by the old rules (paid above what was spent
// after the final report, nothing claimed back) is reconciled by the
// next change: the repayment claims what is owed first and closes the
// grant; a payment is refused with nothing left to pay; the officer's
// closing claims it (issue 10).
func TestMoveMoneyReconcilesAnUnsettledLedger(t *testing.T) {
	broken := ledger.Balance{Granted: 15_000_000, Paid: 15_000_000, Spent: 14_300_000}
	claim := ledger.Entry{GrantID: 5, Kind: ledger.ToRepay, Amount: 700_000, At: moneyAt, By: 2}
	repay := ledger.Entry{GrantID: 5, Kind: ledger.Repaid, Amount: 700_000, At: moneyAt, By: 2}
	m, err := MoveMoney(broken, repay, true)
	if err != nil {
		t.Fatal(err)
	}
	want := ledger.Balance{Granted: 15_000_000, Paid: 15_000_000, Spent: 14_300_000, ToRepay: 700_000, Repaid: 700_000}
	if !slices.Equal(m.Entries, []ledger.Entry{claim, repay}) || m.After != want || !m.Closes {
		t.Errorf("repayment: %+v → %+v closes=%v", m.Entries, m.After, m.Closes)
	}
	if m.After.Paid-m.After.Repaid != m.After.Spent {
		t.Errorf("closed with paid %d − repaid %d ≠ spent %d", m.After.Paid, m.After.Repaid, m.After.Spent)
	}
	var errs validate.Errors
	if _, err := MoveMoney(broken, ledger.Entry{GrantID: 5, Kind: ledger.Paid, Amount: 1, At: moneyAt}, true); !errors.As(err, &errs) || errs["amount"] != ErrOverSpent.Error() {
		t.Errorf("payment on an overpaid grant: %v", err)
	}
	c, err := Close(broken, true, 5, 2, moneyAt)
	if err != nil || !slices.Equal(c.Entries, []ledger.Entry{claim}) || c.Closes || c.After.Outstanding() != 700_000 {
		t.Errorf("closing: %+v %v", c, err)
	}
	if c, err := Close(ledger.Balance{Granted: 100, Paid: 80, Spent: 80}, true, 5, 2, moneyAt); err != nil || len(c.Entries) != 0 || !c.Closes {
		t.Errorf("closing a settled grant: %+v %v", c, err)
	}
	if c, err := Close(broken, false, 5, 2, moneyAt); err != nil || len(c.Entries) != 0 || c.Closes {
		t.Errorf("closing before the final report: %+v %v", c, err)
	}
}

func TestMaxPaymentAndDueNow(t *testing.T) {
	plan := ledger.Plan{{Percent: 60, When: ledger.OnAcceptance}, {Percent: 40, When: ledger.OnFinalReportApproved}}
	b := ledger.Balance{Granted: 15_000_000, Paid: 9_000_000, Spent: 14_300_000}
	if got := MaxPayment(b, false); got != 6_000_000 {
		t.Errorf("before the final report: %d", got)
	}
	if got := MaxPayment(b, true); got != 5_300_000 {
		t.Errorf("after: %d", got)
	}
	happened := map[ledger.Trigger]bool{ledger.OnAcceptance: true, ledger.OnFinalReportApproved: true}
	if got, err := DueNow(plan, b, happened); err != nil || got != 5_300_000 {
		t.Errorf("due after the final report: %d %v", got, err)
	}
	if got, err := DueNow(plan, b, map[ledger.Trigger]bool{ledger.OnAcceptance: true}); err != nil || got != 0 {
		t.Errorf("due before: %d %v", got, err)
	}
	if got := MaxPayment(ledger.Balance{Granted: 100, Paid: 60, Spent: 50}, true); got != 0 {
		t.Errorf("overpaid: %d", got)
	}
}

func isZeroMovement(m Movement) bool {
	return m.Entries == nil && m.Before == (ledger.Balance{}) && m.After == (ledger.Balance{}) && !m.Closes
}

// finalReport is an approved final report of grant 5 with one line per
// amount spent, typed in kronor.
func finalReport(spent ...string) *report.Report {
	r := &report.Report{ID: 9, GrantID: 5, Kind: report.Final, State: report.Submitted, RegNumber: "KS 2022/17"}
	for _, s := range spent {
		r.Lines = append(r.Lines, report.Line{Category: "communicator", Spent: s})
	}
	return r
}

func TestSettle(t *testing.T) {
	const by = 2
	paid80 := ledger.Balance{Granted: 30_000_000, Paid: 24_000_000}
	spent := func(ore int64) ledger.Entry {
		return ledger.Entry{GrantID: 5, Kind: ledger.Spent, Amount: ore, At: moneyAt, By: by, Note: "KS 2022/17"}
	}
	toRepay := func(ore int64) ledger.Entry {
		return ledger.Entry{GrantID: 5, Kind: ledger.ToRepay, Amount: ore, At: moneyAt, By: by, Note: "KS 2022/17"}
	}
	tests := []struct {
		name        string
		r           *report.Report
		b           ledger.Balance
		wantEntries []ledger.Entry
		wantAfter   ledger.Balance
		wantCloses  bool
	}{
		{"spent what was paid: closes", finalReport("200 000", "40 000"), paid80,
			[]ledger.Entry{spent(24_000_000)},
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 24_000_000}, true},
		{"spent less: the rest to repay", finalReport("150 000,55", "49 999,12"), paid80,
			[]ledger.Entry{spent(19_999_967), toRepay(4_000_033)},
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 19_999_967, ToRepay: 4_000_033}, false},
		{"spent nothing: all to repay", finalReport(), paid80,
			[]ledger.Entry{toRepay(24_000_000)},
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, ToRepay: 24_000_000}, false},
		{"replaces spending recorded before", finalReport("199 999,67"), ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 10_000_000},
			[]ledger.Entry{spent(9_999_967), toRepay(4_000_033)},
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 19_999_967, ToRepay: 4_000_033}, false},
		{"corrects spending recorded too high", finalReport("200 000"), ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 22_000_000},
			[]ledger.Entry{spent(-2_000_000), toRepay(4_000_000)},
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 20_000_000, ToRepay: 4_000_000}, false},
		{"only what is not yet to be repaid", finalReport("200 000"), ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 20_000_000, ToRepay: 1_000_000},
			[]ledger.Entry{toRepay(3_000_000)},
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 20_000_000, ToRepay: 4_000_000}, false},
		{"nothing changes", finalReport("240 000"), ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 24_000_000},
			nil,
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 24_000_000}, true},
		{"spent more than paid: owed the rest, not closed", finalReport("270 000"), paid80,
			[]ledger.Entry{spent(27_000_000)},
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 27_000_000}, false},
		{"spent more than granted: capped", finalReport("350 000"), ledger.Balance{Granted: 30_000_000, Paid: 30_000_000},
			[]ledger.Entry{spent(30_000_000)},
			ledger.Balance{Granted: 30_000_000, Paid: 30_000_000, Spent: 30_000_000}, true},
		{"unreadable and negative lines count as nothing", finalReport("240 000", "mycket", "-5 000"), paid80,
			[]ledger.Entry{spent(24_000_000)},
			ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 24_000_000}, true},
	}
	for _, tt := range tests {
		got, err := Settle(tt.r, tt.b, by, moneyAt)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !slices.Equal(got.Entries, tt.wantEntries) {
			t.Errorf("%s: entries\n got %+v\nwant %+v", tt.name, got.Entries, tt.wantEntries)
		}
		if got.Before != tt.b || got.After != tt.wantAfter || got.Closes != tt.wantCloses {
			t.Errorf("%s: %+v → %+v closes=%v; want %+v → %+v closes=%v", tt.name, got.Before, got.After, got.Closes, tt.b, tt.wantAfter, tt.wantCloses)
		}
		// The entries replay onto the balance before to the balance after.
		replayed := tt.b
		for _, e := range got.Entries {
			if replayed, err = replayed.Apply(e); err != nil {
				t.Fatalf("%s: %+v does not apply: %v", tt.name, e, err)
			}
		}
		if replayed != got.After {
			t.Errorf("%s: the entries give %+v, After is %+v", tt.name, replayed, got.After)
		}
	}
	// A balance without its grant (the store always includes it) is
	// refused with the ledger's error.
	if got, err := Settle(finalReport("1"), ledger.Balance{Paid: 100}, by, moneyAt); !errors.Is(err, ledger.ErrNotGranted) || !isZeroMovement(got) {
		t.Errorf("no grant: %+v, %v; want ledger.ErrNotGranted", got, err)
	}
}

// TestMoneyToTheLastÖre follows two grants of 300 000 kr from the grant
// to closing: each öre paid and not spent comes back, and each öre spent
// beyond what was paid is paid.
func TestMoneyToTheLastÖre(t *testing.T) {
	t.Run("repaid", func(t *testing.T) {
		all := []ledger.Entry{{GrantID: 5, Kind: ledger.Granted, Amount: 30_000_000}}
		b, err := ledger.Sum(all)
		if err != nil {
			t.Fatal(err)
		}
		step := func(m Movement, err error) Movement {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			if m.Before != b {
				t.Fatalf("before %+v, want %+v", m.Before, b)
			}
			all, b = append(all, m.Entries...), m.After
			return m
		}
		// 80 % on acceptance.
		if m := step(MoveMoney(b, ledger.Entry{GrantID: 5, Kind: ledger.Paid, Amount: 24_000_000}, false)); m.Closes {
			t.Fatal("closed on the first payment")
		}
		// 199 999,67 kr spent: 40 000,33 kr to repay.
		if m := step(Settle(finalReport("150 000,55", "49 999,12"), b, 2, moneyAt)); m.Closes || b.Outstanding() != 4_000_033 {
			t.Fatalf("settled to %+v closes=%v, want 4 000 033 öre outstanding", b, m.Closes)
		}
		if m := step(MoveMoney(b, ledger.Entry{GrantID: 5, Kind: ledger.Repaid, Amount: 4_000_000, Note: "Första återbetalningen"}, true)); m.Closes {
			t.Fatal("closed with 33 öre owed")
		}
		if _, err := MoveMoney(b, ledger.Entry{GrantID: 5, Kind: ledger.Repaid, Amount: 34}, true); err == nil {
			t.Fatal("34 öre repaid where 33 were owed")
		}
		if m := step(MoveMoney(b, ledger.Entry{GrantID: 5, Kind: ledger.Repaid, Amount: 33, Note: "Öresavrundning"}, true)); !m.Closes {
			t.Fatalf("the last 33 öre did not close %+v", b)
		}
		want := ledger.Balance{Granted: 30_000_000, Paid: 24_000_000, Spent: 19_999_967, ToRepay: 4_000_033, Repaid: 4_000_033}
		if b != want {
			t.Errorf("closed at %+v, want %+v", b, want)
		}
		if b.Paid-b.Repaid != b.Spent {
			t.Errorf("paid %d − repaid %d = %d, spent %d", b.Paid, b.Repaid, b.Paid-b.Repaid, b.Spent)
		}
		if replayed, err := ledger.Sum(all); err != nil || replayed != b {
			t.Errorf("the %d entries replay to %+v, %v; want %+v", len(all), replayed, err, b)
		}
	})
	t.Run("paid", func(t *testing.T) {
		b := ledger.Balance{Granted: 30_000_000, Paid: 24_000_000}
		// 273 456,78 kr spent: 33 456,78 kr still to pay.
		m, err := Settle(finalReport("273 456,78"), b, 2, moneyAt)
		if err != nil || m.Closes {
			t.Fatalf("settle: %+v, %v", m, err)
		}
		m, err = MoveMoney(m.After, ledger.Entry{GrantID: 5, Kind: ledger.Paid, Amount: 3_345_678, Note: "Slututbetalning"}, true)
		if err != nil || !m.Closes {
			t.Fatalf("the last payment: %+v, %v; want it to close", m, err)
		}
		b = m.After
		if b.Paid-b.Repaid != b.Spent || b.Paid != 27_345_678 || b.Unpaid() != 2_654_322 {
			t.Errorf("closed at %+v: paid − repaid = %d, spent %d", b, b.Paid-b.Repaid, b.Spent)
		}
	})
}

func TestMoveMoneyOnlyPaymentsAndRepayments(t *testing.T) {
	b := ledger.Balance{Granted: 100}
	for _, k := range []ledger.Kind{ledger.Granted, ledger.Spent, ledger.ToRepay} {
		if _, err := MoveMoney(b, ledger.Entry{Kind: k, Amount: 10}, false); err == nil {
			t.Errorf("MoveMoney accepted a %s entry", k)
		}
	}
}
