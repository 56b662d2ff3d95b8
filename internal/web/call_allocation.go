package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

// callAppRow is one application in the call's list.
type callAppRow struct {
	App         *application.Application
	Label       string
	Applicant   string
	Partnership string
	Score       string // mean weighted score, "" before any submitted review
	Reviews     int
}

// proposalRow is one line of the allocation proposal, in rank order.
type proposalRow struct {
	Rank     int
	Row      callAppRow
	Amount   int64
	Partly   bool
	AboveCut bool
	CutAfter bool // the money runs out after this line
}

// allocResult is what adopting the proposal did for one application.
type allocResult struct {
	Label  string
	AppID  int64
	Amount int64
	OK     bool
	Error  string // translated reason for a refusal
}

type callAppsPage struct {
	*Base
	Call      *call.Call
	Programme *programme.Programme
	Rows      []callAppRow
	Proposal  []proposalRow
	Lines     []string // the proposal to adopt, "application:öre"
	Granted   int64    // granted so far in the call
	Available int64    // ceiling − granted
	Requested int64    // what the ranked candidates ask for
	Proposed  int64
	Left      int64 // what the proposal leaves of Available
	RunsOut   bool  // the money does not reach every reviewed application
	CutAtTop  bool  // nothing is left to share: the line goes above all
	Results   []allocResult
}

// candidate reports whether an application still competes for money:
// submitted and neither decided nor withdrawn.
func candidate(s application.State) bool {
	return s != application.Draft && !s.Final()
}

// callForOfficer loads the call in the path for an officer of its programme.
func (s *Server) callForOfficer(r *http.Request, b *Base) (*call.Call, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, err := s.store.Call(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := require(b, policy.ManageProgramme, c.ProgrammeID); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Server) callApps(w http.ResponseWriter, r *http.Request, b *Base) error {
	c, err := s.callForOfficer(r, b)
	if err != nil {
		return err
	}
	return s.renderCallApps(w, r, b, http.StatusOK, c, nil)
}

// callOverview reads the call's applications, scores and proposal.
func (s *Server) callOverview(ctx context.Context, b *Base, c *call.Call) (*callAppsPage, error) {
	page := &callAppsPage{Base: b, Call: c}
	apps, err := s.store.ApplicationList(ctx, application.Filter{CallID: c.ID})
	if err != nil {
		return nil, err
	}
	reviews, err := s.store.ReviewsInCall(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if page.Granted, err = s.store.GrantedInCall(ctx, c.ID); err != nil {
		return nil, err
	}
	page.Available = max(c.Ceiling-page.Granted, 0)
	setup := c.Config.Assessment
	all, open := map[int64]int64{}, map[int64]int64{}
	rows := map[int64]callAppRow{}
	orgs := map[int64]*organisation.Organisation{}
	pships := map[int64]*partnership.Partnership{}
	for _, a := range apps {
		if a.State == application.Draft {
			continue
		}
		o, ok := orgs[a.OrganisationID]
		if !ok {
			if o, err = s.store.Organisation(ctx, a.OrganisationID); err != nil {
				return nil, err
			}
			orgs[a.OrganisationID] = o
		}
		p, ok := pships[a.PartnershipID]
		if !ok {
			if p, err = s.store.Partnership(ctx, a.PartnershipID); err != nil {
				return nil, err
			}
			pships[a.PartnershipID] = p
		}
		all[a.ID] = a.Requested
		if candidate(a.State) {
			open[a.ID] = a.Requested
		}
		rows[a.ID] = callAppRow{App: a, Label: appLabel(b, a), Applicant: o.Name, Partnership: p.Name}
	}
	for _, rk := range review.Rank(setup, all, reviews) {
		row := rows[rk.ApplicationID]
		row.Reviews = rk.Reviews
		if rk.Reviews > 0 {
			row.Score = scoreText(rk.Score, b.Lang)
		}
		rows[rk.ApplicationID] = row
	}
	for _, a := range apps {
		if row, ok := rows[a.ID]; ok {
			page.Rows = append(page.Rows, row)
		}
	}
	proposal := review.Allocate(review.Rank(setup, open, reviews), page.Available, c.MaxPerGrant)
	lastAbove := -1
	for i, p := range proposal {
		pr := proposalRow{Rank: i + 1, Row: rows[p.ApplicationID], Amount: p.Amount, Partly: p.Partly, AboveCut: p.AboveCut}
		page.Requested += p.Requested
		if p.AboveCut {
			lastAbove = i
			page.Proposed += p.Amount
			if application.CanDecide(pr.Row.App.State) {
				page.Lines = append(page.Lines, strconv.FormatInt(p.ApplicationID, 10)+":"+strconv.FormatInt(p.Amount, 10))
			}
		} else if p.Reviews > 0 {
			page.RunsOut = true
		}
		page.Proposal = append(page.Proposal, pr)
	}
	page.Left = page.Available - page.Proposed
	if page.Left == 0 && len(proposal) > 0 {
		page.RunsOut = true
	}
	if page.RunsOut {
		// The cut line goes under the last line that gets money (or above
		// every line when there is none left to share).
		if lastAbove >= 0 {
			page.Proposal[lastAbove].CutAfter = true
		} else {
			page.CutAtTop = true
		}
	}
	return page, nil
}

func (s *Server) renderCallApps(w http.ResponseWriter, r *http.Request, b *Base, status int, c *call.Call, results []allocResult) error {
	page, err := s.callOverview(r.Context(), b, c)
	if err != nil {
		return err
	}
	page.Results = results
	if page.Programme, err = s.store.Programme(r.Context(), c.ProgrammeID); err != nil {
		return err
	}
	b.Title = b.T("callapps.title", "Call", c.Title(b.Lang))
	return s.render(w, b, status, "call_apps", page)
}

// callAllocate adopts the proposal the officer saw: each line above the
// cut is decided for the amount shown, granted in full or partly. The
// store keeps the ceiling, so a line refused because someone decided
// meanwhile is reported, and the rest still go through.
func (s *Server) callAllocate(w http.ResponseWriter, r *http.Request, b *Base) error {
	c, err := s.callForOfficer(r, b)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return validate.Errors{"line": "error.invalid_choice"}
	}
	var results []allocResult
	for _, line := range r.PostForm["line"] {
		appID, amount, ok := cutInts(line)
		if !ok || appID <= 0 || amount <= 0 {
			return validate.Errors{"line": "error.invalid_choice"}
		}
		a, err := s.store.Application(ctx, appID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && a.CallID != c.ID) {
			return validate.Errors{"line": "error.invalid_choice"}
		}
		if err != nil {
			return err
		}
		cf, err := s.loadCase(ctx, appID)
		if err != nil {
			return err
		}
		res := allocResult{Label: appLabel(b, a) + " – " + cf.Org.Name, AppID: a.ID, Amount: amount}
		d := &decision.Decision{ApplicationID: a.ID, Outcome: decision.Granted, Amount: amount, DecidedBy: b.User.ID, DeciderName: b.User.Name}
		if amount < a.Requested {
			d.Outcome, d.Reason = decision.PartlyGranted, b.T("callapps.reason")
		}
		d.Normalize(a.Requested)
		mails, err := s.notify.Decided(ctx, cf.App, cf.Call, d, b.mailLink("app", cf.App.ID))
		if err != nil {
			return err
		}
		err = s.store.Decide(ctx, actor(b.User), d, mails) // grant.Decide's rules
		var verr validate.Errors
		switch {
		case err == nil:
			res.OK = true
		case errors.As(err, &verr): // grant.ErrNotReady reads as one too
			res.Error = b.T(firstError(verr))
		case errors.Is(err, store.ErrConflict):
			res.Error = b.T("error.conflict")
		default:
			return err
		}
		results = append(results, res)
	}
	if len(results) == 0 {
		results = append(results, allocResult{Error: b.T("callapps.nothing")})
	}
	return s.renderCallApps(w, r, b, http.StatusOK, c, results)
}
