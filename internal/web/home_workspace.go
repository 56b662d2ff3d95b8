package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/user"
)

type callSummary struct {
	Call    *call.Call
	Status  call.Status
	Granted int64
}

type staffProgramme struct {
	programmeSummary
	Calls []callSummary
}

// workItem is one application on the workspace home with the next step
// for the signed-in user: Next says what to do (or that nothing is
// expected of them), Todo marks the ones waiting for them.
type workItem struct {
	App   *application.Application
	Label string
	Call  *call.Call
	Org   string
	Next  string
	Todo  bool
	URL   string
}

// openCall is a call an applicant can apply to now.
type openCall struct {
	Call *call.Call
}

type staffHomePage struct {
	*Base
	// Officers and administrators: the applications waiting for a step,
	// those waiting for the applicant, then the programmes and calls.
	CanStaff       bool
	Waiting        []workItem
	WithApplicants int // completion requested: the applicant's turn
	// … and, across the grants they manage, what waits for them (payments
	// due, reports to approve, change requests) or for the grantees.
	GrantTasks []grantTask
	Programmes []staffProgramme
	// Reviewers: assigned applications to declare on or score.
	IsReviewer bool
	ToReview   []workItem
	Reviewed   int // assignments with nothing left to do
	// Applicants: their organisations' applications and the open calls.
	IsApplicant bool
	MyApps      []workItem
	MyGrants    []homeGrant
	OpenCalls   []openCall
	// Partners abroad: their organisation's partnerships.
	IsPartner    bool
	Partnerships []*partnership.Partnership
}

// NoRole reports whether the account has nothing to do here yet.
func (p staffHomePage) NoRole() bool {
	return !p.CanStaff && !p.IsReviewer && !p.IsApplicant && !p.IsPartner
}

// staffHome is the workspace start: for each role the user holds, what
// waits for them and where to go next.
func (s *Server) staffHome(w http.ResponseWriter, r *http.Request, b *Base) error {
	ctx := r.Context()
	page := staffHomePage{Base: b, CanStaff: policy.Can(b.User, policy.ViewStaffArea, 0),
		IsReviewer: b.User.Has(user.Reviewer), IsApplicant: len(policy.ApplicantOrganisations(b.User)) > 0,
		IsPartner: b.User.Has(user.PartnerRole)}
	b.Title = b.T("staff.title")
	if page.CanStaff {
		if err := s.officerHome(ctx, b, &page); err != nil {
			return err
		}
		if err := s.officerGrantTasks(ctx, b, &page); err != nil {
			return err
		}
	}
	if page.IsReviewer {
		rows, err := s.reviewRows(ctx, b)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if !row.Todo {
				page.Reviewed++
				continue
			}
			page.ToReview = append(page.ToReview, workItem{App: row.App, Label: row.Label, Next: row.Next, Todo: true,
				URL: b.URL("review", row.App.ID), Org: row.Partnership})
		}
	}
	if page.IsApplicant {
		if err := s.granteeGrants(ctx, b, &page); err != nil {
			return err
		}
		if err := s.applicantHome(ctx, b, &page); err != nil {
			return err
		}
	}
	if page.IsPartner {
		for _, r := range b.User.Roles {
			if r.Kind != user.PartnerRole || r.OrganisationID == 0 {
				continue
			}
			ps, err := s.store.PartnershipList(ctx, partnership.Filter{OrganisationID: r.OrganisationID})
			if err != nil {
				return err
			}
			for _, p := range ps {
				if !slices.ContainsFunc(page.Partnerships, func(q *partnership.Partnership) bool { return q.ID == p.ID }) {
					page.Partnerships = append(page.Partnerships, p)
				}
			}
		}
	}
	return s.render(w, b, http.StatusOK, "staff", page)
}

// officerSteps orders the states that wait for an officer, most urgent
// first: a decision, then a new submission, a formal check under way, and
// the review.
var officerSteps = []application.State{application.Ready, application.Submitted, application.FormalCheck, application.InReview}

// officerHome fills in the applications waiting for the officer, in the
// programmes they manage, and the programmes with their calls.
func (s *Server) officerHome(ctx context.Context, b *Base, page *staffHomePage) error {
	apps, err := s.store.ApplicationList(ctx, application.Filter{States: append(slices.Clone(officerSteps), application.CompletionRequested)})
	if err != nil {
		return err
	}
	calls := map[int64]*call.Call{}
	orgs := map[int64]string{}
	for _, a := range apps {
		c, ok := calls[a.CallID]
		if !ok {
			if c, err = s.store.Call(ctx, a.CallID); err != nil {
				return err
			}
			calls[a.CallID] = c
		}
		if !policy.Can(b.User, policy.ManageProgramme, c.ProgrammeID) {
			continue
		}
		if a.State == application.CompletionRequested {
			page.WithApplicants++
			continue
		}
		org, ok := orgs[a.OrganisationID]
		if !ok {
			o, err := s.store.Organisation(ctx, a.OrganisationID)
			if err != nil {
				return err
			}
			org, orgs[a.OrganisationID] = o.Name, o.Name
		}
		item := workItem{App: a, Label: appLabel(b, a), Call: c, Org: org, Todo: true, URL: b.URL("case", a.ID)}
		switch a.State {
		case application.InReview:
			// The review is the reviewers' turn until every reviewer
			// without a conflict has submitted.
			item.Next, item.Todo, err = s.reviewProgress(ctx, b, a.ID)
			if err != nil {
				return err
			}
		default:
			item.Next = b.T("home.officer.next." + string(a.State))
		}
		page.Waiting = append(page.Waiting, item)
	}
	slices.SortStableFunc(page.Waiting, func(x, y workItem) int {
		if x.Todo != y.Todo {
			if x.Todo {
				return -1
			}
			return 1
		}
		return cmp.Compare(slices.Index(officerSteps, x.App.State), slices.Index(officerSteps, y.App.State))
	})

	progs, err := s.store.ProgrammeList(ctx)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	for _, p := range progs {
		if !policy.SeesProgramme(b.User, p.ID) {
			continue // another programme's officer's
		}
		calls, err := s.store.CallList(ctx, p.ID)
		if err != nil {
			return err
		}
		sp := staffProgramme{programmeSummary: programmeSummary{Programme: p, Calls: len(calls)}}
		for _, c := range calls {
			g, err := s.store.GrantedInCall(ctx, c.ID)
			if err != nil {
				return err
			}
			sp.Calls = append(sp.Calls, callSummary{Call: c, Status: c.Status(now), Granted: g})
			sp.Granted += g
		}
		page.Programmes = append(page.Programmes, sp)
	}
	return nil
}

// reviewProgress says where the review of an application in review
// stands, and whether the officer's step is next: assigning a reviewer,
// or deciding once every review is in.
func (s *Server) reviewProgress(ctx context.Context, b *Base, appID int64) (string, bool, error) {
	assignments, err := s.store.Assignments(ctx, appID)
	if err != nil {
		return "", false, err
	}
	reviews, err := s.store.Reviews(ctx, appID)
	if err != nil {
		return "", false, err
	}
	submitted := map[int64]bool{}
	for _, rv := range reviews {
		if rv.Submitted() {
			submitted[rv.ReviewerID] = true
		}
	}
	expected, done := 0, 0
	for _, as := range assignments {
		if as.Declared && as.Conflict {
			continue
		}
		expected++
		if submitted[as.ReviewerID] {
			done++
		}
	}
	switch {
	case expected == 0:
		return b.T("home.officer.next.assign"), true, nil
	case done == expected:
		return b.T("home.officer.next.reviewed"), true, nil
	}
	return b.T("home.officer.next.reviewing", "Done", done, "Total", expected), false, nil
}

// applicantTodo orders an applicant's applications: those waiting for
// them first, then those being handled, then the closed ones.
func applicantTodo(st application.State) int {
	switch {
	case st.Editable():
		return 0
	case !st.Final():
		return 1
	case st.Decided():
		return 2
	}
	return 3
}

// applicantHome fills in the applications of the applicant's
// organisations, with what to do next, and the calls open now.
func (s *Server) applicantHome(ctx context.Context, b *Base, page *staffHomePage) error {
	now := s.clock.Now()
	for _, orgID := range policy.ApplicantOrganisations(b.User) {
		apps, err := s.store.ApplicationList(ctx, application.Filter{OrganisationID: orgID})
		if err != nil {
			return err
		}
		for _, a := range apps {
			row, err := s.appRowOf(ctx, a)
			if err != nil {
				return err
			}
			item := workItem{App: a, Label: appLabel(b, a), Call: row.Call, Org: row.Partnership.Name, URL: b.URL("app", a.ID),
				Todo: a.State.Editable()}
			switch {
			case a.State == application.Draft && row.Call.Status(now) != call.Open:
				item.Next, item.Todo = b.T("home.applicant.next.closed"), false
			case a.State == application.Draft:
				item.Next = b.T("home.applicant.next.draft", "When", b.DateTime(row.Call.ClosesAt))
			default:
				item.Next = b.T("home.applicant.next." + string(a.State))
			}
			page.MyApps = append(page.MyApps, item)
		}
	}
	slices.SortStableFunc(page.MyApps, func(x, y workItem) int {
		return cmp.Compare(applicantTodo(x.App.State), applicantTodo(y.App.State))
	})
	calls, err := s.store.CallList(ctx, 0)
	if err != nil {
		return err
	}
	for _, c := range calls {
		if c.Status(now) == call.Open {
			page.OpenCalls = append(page.OpenCalls, openCall{Call: c})
		}
	}
	return nil
}
