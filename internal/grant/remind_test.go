package grant

import (
	"slices"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/report"
)

// reportKey and sentKey index a test's reminder log.
type reportKey struct {
	grantID int64
	kind    report.Kind
}

type sentKey struct {
	grantID int64
	kind    report.Kind
	when    report.When
}

// reminderLog builds a ReminderLog from what the test says happened.
func reminderLog(closed []int64, reports map[reportKey]report.State, sent []sentKey) ReminderLog {
	log := ReminderLog{
		Closed: map[int64]bool{},
		Report: func(id int64, k report.Kind) report.State {
			if s, ok := reports[reportKey{id, k}]; ok {
				return s
			}
			return report.Draft
		},
		Sent: func(id int64, k report.Kind, w report.When) bool { return slices.Contains(sent, sentKey{id, k, w}) },
	}
	for _, id := range closed {
		log.Closed[id] = true
	}
	return log
}

func TestRemindersDue(t *testing.T) {
	// Call 1 follows the communication support's rule: the final report
	// on 31 January after the award, reminders 14 days before and when
	// overdue.
	defaults := &call.Call{ID: 1, Config: call.DefaultConfig()}
	// Call 2 asks for an interim report on 30 November and the final one
	// on 15 February, reminds 30 days before and never when overdue.
	days, overdue := 30, false
	interim := &call.Call{ID: 2, Config: call.DefaultConfig()}
	interim.Config.Reports = call.ReportRules{Interim: true, InterimDue: "2021-11-30", FinalDue: "2022-02-15", RemindDaysBefore: &days, RemindOverdue: &overdue}
	calls := map[int64]*call.Call{1: defaults, 2: interim}

	awarded := clock.Date(2021, time.June, 1)
	g1 := &Grant{ID: 1, CallID: 1, OrganisationID: 11, AwardedOn: awarded}
	g2 := &Grant{ID: 2, CallID: 2, OrganisationID: 12, AwardedOn: awarded}
	// g3's activities were extended into 2022: its final report is due on
	// 31 January 2023.
	g3 := &Grant{ID: 3, CallID: 1, OrganisationID: 13, AwardedOn: awarded, EndDate: clock.Date(2022, time.June, 30)}
	// g4's end moved within 2021: its final report stays due on 31 January 2022.
	g4 := &Grant{ID: 4, CallID: 1, OrganisationID: 14, AwardedOn: awarded, EndDate: clock.Date(2021, time.November, 30)}
	// g5's call is not among the calls.
	g5 := &Grant{ID: 5, CallID: 99, OrganisationID: 15, AwardedOn: awarded}

	final2022 := report.Deadline{Kind: report.Final, Due: clock.Date(2022, time.January, 31)}
	final2023 := report.Deadline{Kind: report.Final, Due: clock.Date(2023, time.January, 31)}
	interimDue := report.Deadline{Kind: report.Interim, Due: clock.Date(2021, time.November, 30)}
	fixedFinal := report.Deadline{Kind: report.Final, Due: clock.Date(2022, time.February, 15)}
	rem := func(g *Grant, w report.When, d report.Deadline) report.Reminder {
		return report.Reminder{GrantID: g.ID, OrganisationID: g.OrganisationID, Kind: d.Kind, When: w, Deadline: d}
	}

	// The final report of 2022 is due at the end of 31 January in
	// Stockholm, 23:00 UTC; its reminder goes out from the start of 17
	// January there, 23:00 UTC on the 16th.
	windowOpens := time.Date(2022, 1, 16, 23, 0, 0, 0, time.UTC)
	dueAt := time.Date(2022, 1, 31, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		now     time.Time
		grants  []*Grant
		closed  []int64
		reports map[reportKey]report.State
		sent    []sentKey
		want    []report.Reminder
	}{
		{"long before", time.Date(2021, 12, 1, 12, 0, 0, 0, time.UTC), []*Grant{g1}, nil, nil, nil, nil},
		{"just before the 14 days", windowOpens.Add(-time.Second), []*Grant{g1}, nil, nil, nil, nil},
		{"14 days before the last day", windowOpens, []*Grant{g1}, nil, nil, nil,
			[]report.Reminder{rem(g1, report.Before, final2022)}},
		{"the last second of the last day", dueAt.Add(-time.Second), []*Grant{g1}, nil, nil, nil,
			[]report.Reminder{rem(g1, report.Before, final2022)}},
		{"overdue", dueAt, []*Grant{g1}, nil, nil, nil,
			[]report.Reminder{rem(g1, report.Overdue, final2022)}},
		{"a report being written still needs it", windowOpens, []*Grant{g1}, nil,
			map[reportKey]report.State{{1, report.Final}: report.Draft}, nil,
			[]report.Reminder{rem(g1, report.Before, final2022)}},
		{"a submitted report needs none", dueAt, []*Grant{g1}, nil,
			map[reportKey]report.State{{1, report.Final}: report.Submitted}, nil, nil},
		{"an approved report needs none", dueAt, []*Grant{g1}, nil,
			map[reportKey]report.State{{1, report.Final}: report.Approved}, nil, nil},
		{"sent before: not repeated", windowOpens.Add(48 * time.Hour), []*Grant{g1}, nil, nil,
			[]sentKey{{1, report.Final, report.Before}}, nil},
		{"sent before, now overdue", dueAt, []*Grant{g1}, nil, nil,
			[]sentKey{{1, report.Final, report.Before}},
			[]report.Reminder{rem(g1, report.Overdue, final2022)}},
		{"overdue sent: not repeated", dueAt.Add(30 * 24 * time.Hour), []*Grant{g1}, nil, nil,
			[]sentKey{{1, report.Final, report.Before}, {1, report.Final, report.Overdue}}, nil},
		{"another grant's reminder sent", windowOpens, []*Grant{g1, g4}, nil, nil,
			[]sentKey{{4, report.Final, report.Before}},
			[]report.Reminder{rem(g1, report.Before, final2022)}},
		{"closed grant", dueAt, []*Grant{g1, g4}, []int64{1}, nil, nil,
			[]report.Reminder{rem(g4, report.Overdue, final2022)}},
		{"call missing", dueAt, []*Grant{g5, g1}, nil, nil, nil,
			[]report.Reminder{rem(g1, report.Overdue, final2022)}},
		{"end moved into the next year: not yet", dueAt, []*Grant{g3}, nil, nil, nil, nil},
		{"end moved into the next year: a year later", time.Date(2023, 1, 20, 12, 0, 0, 0, time.UTC), []*Grant{g3}, nil, nil, nil,
			[]report.Reminder{rem(g3, report.Before, final2023)}},
		{"end moved into the next year: overdue", time.Date(2023, 1, 31, 23, 0, 0, 0, time.UTC), []*Grant{g3}, nil, nil, nil,
			[]report.Reminder{rem(g3, report.Overdue, final2023)}},
		{"end moved within the year", windowOpens, []*Grant{g4}, nil, nil, nil,
			[]report.Reminder{rem(g4, report.Before, final2022)}},
		// 30 days before 30 November is 31 October, the night summer
		// time ends: 00:00 there is still 22:00 UTC on the 30th.
		{"interim: before the 30 days", time.Date(2021, 10, 30, 21, 59, 59, 0, time.UTC), []*Grant{g2}, nil, nil, nil, nil},
		{"interim: 30 days before", time.Date(2021, 10, 30, 22, 0, 0, 0, time.UTC), []*Grant{g2}, nil, nil, nil,
			[]report.Reminder{rem(g2, report.Before, interimDue)}},
		{"interim: submitted", time.Date(2021, 11, 15, 12, 0, 0, 0, time.UTC), []*Grant{g2}, nil,
			map[reportKey]report.State{{2, report.Interim}: report.Submitted}, nil, nil},
		{"interim overdue: the call does not remind", time.Date(2021, 12, 10, 12, 0, 0, 0, time.UTC), []*Grant{g2}, nil, nil, nil, nil},
		{"interim overdue (the call does not remind), final 30 days before", time.Date(2022, 1, 15, 23, 0, 0, 0, time.UTC), []*Grant{g2}, nil, nil, nil,
			[]report.Reminder{rem(g2, report.Before, fixedFinal)}},
		{"interim due, the other grant's final not yet", time.Date(2021, 11, 1, 12, 0, 0, 0, time.UTC), []*Grant{g2, g1}, nil, nil, nil,
			[]report.Reminder{rem(g2, report.Before, interimDue)}},
		{"every grant at once", time.Date(2022, 1, 20, 12, 0, 0, 0, time.UTC), []*Grant{g1, g2, g3, g4, g5}, nil,
			map[reportKey]report.State{{4, report.Final}: report.Submitted}, nil,
			[]report.Reminder{rem(g1, report.Before, final2022), rem(g2, report.Before, fixedFinal)}},
		{"no grants", dueAt, nil, nil, nil, nil, nil},
	}
	for _, tt := range tests {
		got := RemindersDue(tt.now, tt.grants, calls, reminderLog(tt.closed, tt.reports, tt.sent))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// TestRemindersDueBothReports checks a call with an interim report
// reminds of both when both are due, interim first.
func TestRemindersDueBothReports(t *testing.T) {
	days := 100
	c := &call.Call{ID: 1, Config: call.DefaultConfig()}
	c.Config.Reports = call.ReportRules{Interim: true, InterimDue: "2021-11-30", RemindDaysBefore: &days}
	g := &Grant{ID: 7, CallID: 1, OrganisationID: 11, AwardedOn: clock.Date(2021, time.June, 1)}
	now := time.Date(2021, 12, 1, 12, 0, 0, 0, time.UTC) // interim overdue, final within 100 days
	got := RemindersDue(now, []*Grant{g}, map[int64]*call.Call{1: c}, reminderLog(nil, nil, nil))
	want := []report.Reminder{
		{GrantID: 7, OrganisationID: 11, Kind: report.Interim, When: report.Overdue, Deadline: report.Deadline{Kind: report.Interim, Due: clock.Date(2021, 11, 30)}},
		{GrantID: 7, OrganisationID: 11, Kind: report.Final, When: report.Before, Deadline: report.Deadline{Kind: report.Final, Due: clock.Date(2022, 1, 31)}},
	}
	if !slices.Equal(got, want) {
		t.Errorf("\n got %+v\nwant %+v", got, want)
	}
}
