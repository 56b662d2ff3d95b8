package call

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/report"
)

func TestReportRules(t *testing.T) {
	var zero ReportRules
	if zero.Tolerance() != 0.10 || zero.DaysBefore() != 14 || !zero.Overdue() {
		t.Errorf("zero rules read as %v %v %v", zero.Tolerance(), zero.DaysBefore(), zero.Overdue())
	}
	ds := zero.Deadlines(clock.Date(2021, 6, 1), time.Time{})
	if len(ds) != 1 || ds[0].Kind != report.Final || !ds[0].Due.Equal(clock.Date(2022, 1, 31)) {
		t.Errorf("default deadlines %+v", ds)
	}
	// An approved extension into the next year moves the final report to
	// 31 January after the new end; one within the year moves nothing.
	for _, tc := range []struct{ end, due time.Time }{
		{clock.Date(2022, 6, 30), clock.Date(2023, 1, 31)},
		{clock.Date(2021, 12, 31), clock.Date(2022, 1, 31)},
		{clock.Date(2021, 9, 1), clock.Date(2022, 1, 31)},
	} {
		if d, ok := zero.Deadline(clock.Date(2021, 6, 1), tc.end, report.Final); !ok || !d.Due.Equal(tc.due) {
			t.Errorf("activities ending %s: final report due %s, want %s", tc.end.Format(time.DateOnly), d.Due.Format(time.DateOnly), tc.due.Format(time.DateOnly))
		}
	}
	// A fixed final date gives way to an extension past it, never earlier.
	fixed := ReportRules{FinalDue: "2022-02-15"}
	if d, _ := fixed.Deadline(clock.Date(2021, 6, 1), clock.Date(2021, 11, 30), report.Final); !d.Due.Equal(clock.Date(2022, 2, 15)) {
		t.Errorf("fixed date, extension within the year: due %s", d.Due.Format(time.DateOnly))
	}
	if d, _ := fixed.Deadline(clock.Date(2021, 6, 1), clock.Date(2022, 3, 31), report.Final); !d.Due.Equal(clock.Date(2023, 1, 31)) {
		t.Errorf("fixed date, extension past it: due %s", d.Due.Format(time.DateOnly))
	}
	// A call saved before calls had report rules reads as the default.
	var c Config
	if err := json.Unmarshal([]byte(`{"form":{}}`), &c); err != nil {
		t.Fatal(err)
	}
	if c.Reports.Tolerance() != 0.10 {
		t.Errorf("old config: %+v", c.Reports)
	}
	tol, days, overdue := 0.0, 30, false
	r := ReportRules{Interim: true, InterimDue: "2021-09-30", FinalDue: "2022-02-15", DeviationTolerance: &tol, RemindDaysBefore: &days, RemindOverdue: &overdue}
	if errs := r.Check(); len(errs) != 0 {
		t.Fatalf("valid rules: %v", errs)
	}
	ds = r.Deadlines(clock.Date(2021, 6, 1), time.Time{})
	if len(ds) != 2 || ds[0].Kind != report.Interim || !ds[0].Due.Equal(clock.Date(2021, 9, 30)) || !ds[1].Due.Equal(clock.Date(2022, 2, 15)) {
		t.Errorf("deadlines %+v", ds)
	}
	if r.Tolerance() != 0 || r.DaysBefore() != 30 || r.Overdue() {
		t.Errorf("set rules read as %v %v %v", r.Tolerance(), r.DaysBefore(), r.Overdue())
	}
	bad := []struct {
		rules ReportRules
		field string
	}{
		{ReportRules{Interim: true}, "reports.interim_due"},
		{ReportRules{FinalDue: "31/1"}, "reports.final_due"},
		{ReportRules{Interim: true, InterimDue: "2022-03-01", FinalDue: "2022-01-31"}, "reports.interim_due"},
	}
	for _, b := range bad {
		if errs := b.rules.Check(); !errs.Has(b.field) {
			t.Errorf("%+v: %v", b.rules, errs)
		}
	}
	neg := -0.5
	if errs := (ReportRules{DeviationTolerance: &neg}).Check(); !errs.Has("reports.deviation_tolerance") {
		t.Errorf("negative tolerance: %v", errs)
	}
	cl := &Call{Config: DefaultConfig()}
	cl.Config.Reports = ReportRules{Interim: true}
	if errs := cl.CheckConfig(); !errs.Has("reports.interim_due") {
		t.Errorf("CheckConfig: %v", errs)
	}
}
