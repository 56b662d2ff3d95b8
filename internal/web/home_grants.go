package web

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
)

// grantState is what the start pages know of a grant beyond its money:
// whether it is closed, its survey, its reports and their deadlines, and
// what the payment plan makes due now that its triggers have happened.
type grantState struct {
	*grantView
	Closed    bool
	Survey    *survey.Survey // nil until the grantee creates it
	Reports   map[report.Kind]report.State
	ReportIDs map[report.Kind]int64
	Deadlines []report.Deadline
	Due       int64 // instalments due and not paid, with the reports' triggers
}

// reportDone reports whether the report of kind k is in the officer's
// hands or approved: the grantee has nothing left to write.
func (g *grantState) reportDone(k report.Kind) bool {
	st, ok := g.Reports[k]
	return ok && (st == report.Submitted || st == report.Approved)
}

// grantStateOf loads what the start pages show about g.
func (s *Server) grantStateOf(ctx context.Context, g *grant.Grant) (*grantState, error) {
	v, err := s.grantViewOf(ctx, g)
	if err != nil {
		return nil, err
	}
	st := &grantState{grantView: v, Reports: map[report.Kind]report.State{}, ReportIDs: map[report.Kind]int64{}}
	if _, err := s.store.Closure(ctx, g.ID); err == nil {
		st.Closed = true
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if st.Survey, err = s.store.Survey(ctx, g.ID); errors.Is(err, store.ErrNotFound) {
		st.Survey = nil
	} else if err != nil {
		return nil, err
	}
	reports, err := s.store.Reports(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range reports {
		st.Reports[r.Kind], st.ReportIDs[r.Kind] = r.State, r.ID
	}
	st.Deadlines = v.Call.Config.Reports.Deadlines(g.AwardedOn, g.EndDate)
	st.Due = v.DueNow // after the final report, no more than the costs not yet paid
	return st, nil
}

// homeGrant is one grant on the grantee's start page: where it stands, its
// money, the next deadlines and what to do next.
type homeGrant struct {
	*grantState
	Status    string
	Deadlines []homeDeadline
	Steps     []homeStep
}

// homeDeadline is a date the grantee must keep, said in words.
type homeDeadline struct {
	Text    string
	Overdue bool
}

// homeStep is something for the grantee to do, and where.
type homeStep struct {
	Text, URL string
}

// grantStatus names where a grant stands: closed, or its stage.
func grantStatus(b *Base, st *grantState) string {
	if st.Closed {
		return b.T("home.grants.closed")
	}
	return b.T("money.stage."+string(st.Stage), "Amount", b.Money(st.StageAmount()))
}

// granteeGrants fills in the grants of the applicant's organisations.
func (s *Server) granteeGrants(ctx context.Context, b *Base, page *staffHomePage) error {
	now := s.clock.Now()
	for _, orgID := range policy.ApplicantOrganisations(b.User) {
		list, err := s.store.GrantList(ctx, grant.Filter{OrganisationID: orgID})
		if err != nil {
			return err
		}
		for _, g := range list {
			st, err := s.grantStateOf(ctx, g)
			if err != nil {
				return err
			}
			item := homeGrant{grantState: st, Status: grantStatus(b, st)}
			if !st.Closed {
				item.Deadlines = granteeDeadlines(b, st, now)
				item.Steps = granteeSteps(b, st, now)
			}
			page.MyGrants = append(page.MyGrants, item)
		}
	}
	// Those with something to do first, closed ones last.
	slices.SortStableFunc(page.MyGrants, func(x, y homeGrant) int {
		return cmp.Or(cmp.Compare(boolRank(x.Closed), boolRank(y.Closed)), cmp.Compare(boolRank(len(x.Steps) == 0), boolRank(len(y.Steps) == 0)))
	})
	return nil
}

func boolRank(v bool) int {
	if v {
		return 1
	}
	return 0
}

// granteeDeadlines are the dates ahead of an open grant: when the survey's
// phases close or the follow-up opens, and when each report is due (or
// that it is overdue), soonest first.
func granteeDeadlines(b *Base, st *grantState, now time.Time) []homeDeadline {
	type dated struct {
		at time.Time
		d  homeDeadline
	}
	var out []dated
	if sv := st.Survey; sv != nil && st.Acceptance != nil {
		for _, p := range survey.Phases {
			w := sv.Window(p)
			switch {
			case w.IsOpen(now) && !w.Closes.IsZero():
				out = append(out, dated{w.Closes, homeDeadline{Text: b.T("home.grants.deadline.closes."+string(p), "Date", b.Date(w.LastDay()))}})
			case !w.Opens.IsZero() && now.Before(w.Opens):
				out = append(out, dated{w.Opens, homeDeadline{Text: b.T("home.grants.deadline.opens."+string(p), "Date", b.Date(clock.Today(w.Opens)))}})
			}
		}
	}
	for _, d := range st.Deadlines {
		if st.reportDone(d.Kind) {
			continue
		}
		overdue := now.After(d.DueAt())
		key := "home.grants.deadline.report." + string(d.Kind)
		if overdue {
			key += ".overdue"
		}
		out = append(out, dated{d.DueAt(), homeDeadline{Text: b.T(key, "Date", b.Date(d.Due)), Overdue: overdue}})
	}
	slices.SortStableFunc(out, func(x, y dated) int { return x.at.Compare(y.at) })
	var list []homeDeadline
	for _, d := range out {
		list = append(list, d.d)
	}
	return list
}

// granteeSteps says what the grantee does next with an open grant, each a
// link: accept the terms first; then log activities, run the survey
// before and after, and write the reports.
func granteeSteps(b *Base, st *grantState, now time.Time) []homeStep {
	id := st.Grant.ID
	if st.Acceptance == nil {
		return []homeStep{{Text: b.T("home.grants.step.accept"), URL: b.URL("grant", id) + "#terms-heading"}}
	}
	if st.Stage == grant.Repayment {
		// The final report is approved and money paid was not spent:
		// paying it back is all that is left.
		return []homeStep{{Text: b.T("home.grants.step.repay", "Amount", b.Money(st.StageAmount())), URL: b.URL("grant", id) + "#money-heading"}}
	}
	steps := []homeStep{{Text: b.T("home.grants.step.activities"), URL: b.URL("grant.activities", id)}}
	surveyURL := b.URL("grant.survey", id)
	switch sv := st.Survey; {
	case sv == nil:
		steps = append(steps, homeStep{Text: b.T("home.grants.step.survey_create"), URL: surveyURL})
	case sv.IsOpen(survey.FollowUp, now):
		steps = append(steps, homeStep{Text: b.T("home.grants.step.survey_follow_up_open"), URL: surveyURL})
	case sv.IsOpen(survey.Baseline, now):
		steps = append(steps, homeStep{Text: b.T("home.grants.step.survey_baseline_open"), URL: surveyURL})
	case sv.FollowUp.Opens.IsZero():
		steps = append(steps, homeStep{Text: b.T("home.grants.step.survey_follow_up"), URL: surveyURL})
	}
	for _, d := range st.Deadlines {
		if !st.reportDone(d.Kind) {
			steps = append(steps, homeStep{Text: b.T("home.grants.step.report." + string(d.Kind)), URL: b.URL("grant.reports", id)})
		}
	}
	return steps
}

// grantTask is a grant waiting for an officer, or for its grantee.
type grantTask struct {
	Name, Org, Next, URL string
	Todo                 bool // the officer's turn
	rank                 int
}

// officerGrantTasks fills in, across the grants of the programmes the
// officer manages, the payments due, the money to claim back and the
// grants to close after the final report, the reports to approve, the
// change requests to decide, and what waits for the grantees: overdue
// reports and terms not yet accepted. A grant stays until it is closed.
func (s *Server) officerGrantTasks(ctx context.Context, b *Base, page *staffHomePage) error {
	now := s.clock.Now()
	list, err := s.store.GrantList(ctx, grant.Filter{})
	if err != nil {
		return err
	}
	for _, g := range list {
		st, err := s.grantStateOf(ctx, g)
		if err != nil {
			return err
		}
		if !policy.Can(b.User, policy.ManageProgramme, st.Call.ProgrammeID) || st.Closed {
			continue
		}
		task := func(rank int, todo bool, next, url string) {
			page.GrantTasks = append(page.GrantTasks, grantTask{Name: st.Name(b.Lang), Org: st.Org.Name, Next: next, URL: url, Todo: todo, rank: rank})
		}
		grantURL := b.URL("staff.grant", g.ID)
		if st.Due > 0 {
			task(0, true, b.T("home.officer.grants.pay", "Amount", b.Money(st.Due)), grantURL+"#ledger-heading")
		}
		if st.FinalApproved {
			// Until it closes, a grant whose final report is approved
			// waits for the officer: money to claim back, or closing.
			finalURL := b.URL("staff.report", g.ID, st.ReportIDs[report.Final])
			switch st.Stage {
			case grant.Repayment:
				task(0, true, b.T("home.officer.grants.repay", "Amount", b.Money(st.StageAmount())), finalURL+"#repay-heading")
			case grant.Settled:
				task(0, true, b.T("home.officer.grants.close"), finalURL)
			}
		}
		for _, d := range st.Deadlines {
			if st.Reports[d.Kind] == report.Submitted {
				task(1, true, b.T("home.officer.grants.report_submitted."+string(d.Kind)), b.URL("staff.report", g.ID, st.ReportIDs[d.Kind]))
			}
		}
		if n := st.Pending(); n > 0 {
			task(2, true, b.T("home.officer.grants.changes", "Count", n), grantURL+"#changes-heading")
		}
		for _, d := range st.Deadlines {
			if !st.reportDone(d.Kind) && now.After(d.DueAt()) {
				task(3, false, b.T("home.officer.grants.report_overdue."+string(d.Kind), "Date", b.Date(d.Due)), grantURL)
			}
		}
		if st.Acceptance == nil {
			task(4, false, b.T("home.officer.grants.awaiting_acceptance"), grantURL)
		}
	}
	slices.SortStableFunc(page.GrantTasks, func(x, y grantTask) int { return cmp.Compare(x.rank, y.rank) })
	return nil
}
