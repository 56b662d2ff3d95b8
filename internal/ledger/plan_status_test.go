package ledger

import "testing"

// Issue 10, item 2: each instalment says whether it is paid, partly
// paid, to be paid or not yet due, from what was paid (covering the
// instalments in order) and the triggers that happened.
func TestPlanStatus(t *testing.T) {
	plan := Plan{{Percent: 60, When: OnAcceptance}, {Percent: 40, When: OnFinalReportApproved}}
	accepted := map[Trigger]bool{OnAcceptance: true}
	final := map[Trigger]bool{OnAcceptance: true, OnFinalReportApproved: true}
	type row struct {
		state   InstalmentState
		payable int64
		paid    int64
	}
	for _, tt := range []struct {
		name          string
		payable, paid int64
		happened      map[Trigger]bool
		want0, want1  row
	}{
		{"nothing accepted", 100_000, 0, nil, row{InstalmentNotYetDue, 60_000, 0}, row{InstalmentNotYetDue, 40_000, 0}},
		{"accepted, unpaid", 100_000, 0, accepted, row{InstalmentToBePaid, 60_000, 0}, row{InstalmentNotYetDue, 40_000, 0}},
		{"first partly paid", 100_000, 20_000, accepted, row{InstalmentPartlyPaid, 60_000, 20_000}, row{InstalmentNotYetDue, 40_000, 0}},
		{"first paid", 100_000, 60_000, accepted, row{InstalmentPaid, 60_000, 60_000}, row{InstalmentNotYetDue, 40_000, 0}},
		{"final due", 100_000, 60_000, final, row{InstalmentPaid, 60_000, 60_000}, row{InstalmentToBePaid, 40_000, 0}},
		{"all paid", 100_000, 100_000, final, row{InstalmentPaid, 60_000, 60_000}, row{InstalmentPaid, 40_000, 40_000}},
		{"spent 80 %: the last shrinks", 80_000, 60_000, final, row{InstalmentPaid, 60_000, 60_000}, row{InstalmentToBePaid, 20_000, 0}},
		{"spent 80 %, paid", 80_000, 80_000, final, row{InstalmentPaid, 60_000, 60_000}, row{InstalmentPaid, 20_000, 20_000}},
		{"spent 80 %, partly", 80_000, 70_000, final, row{InstalmentPaid, 60_000, 60_000}, row{InstalmentPartlyPaid, 20_000, 10_000}},
		{"spent 50 %, paid 60 %", 50_000, 60_000, final, row{InstalmentPaid, 50_000, 50_000}, row{InstalmentNotPayable, 0, 0}},
	} {
		got, err := plan.Status(100_000, tt.payable, tt.paid, tt.happened)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []row{tt.want0, tt.want1} {
			g := row{got[i].State, got[i].Payable, got[i].Paid}
			if g != want || got[i].Planned != []int64{60_000, 40_000}[i] {
				t.Errorf("%s: instalment %d %+v, want %+v", tt.name, i, got[i], want)
			}
		}
	}
	if _, err := (Plan{{Percent: 50, When: OnAcceptance}}).Status(100, 100, 0, nil); err == nil {
		t.Error("a plan not adding up to 100 %")
	}
}
