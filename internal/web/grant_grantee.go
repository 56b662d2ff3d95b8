package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strings"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

// grantView is a grant with everything its pages show: whose it is, its
// money, its terms and acceptance, its payment plan and change requests.
type grantView struct {
	Grant       *grant.Grant
	Call        *call.Call
	Partnership *partnership.Partnership
	Org         *organisation.Organisation
	Decision    *decision.Decision // nil for a grant recorded without an application
	Acceptance  *grant.Acceptance  // nil until the terms are accepted
	Closure     *grant.Closure     // nil while the grant is open
	Stage       grant.Stage
	Balance     ledger.Balance
	Entries     []ledger.Entry
	Plan        []ledger.InstalmentStatus // each instalment and where it stands
	DueNow      int64                     // what the plan makes due and is not yet paid (grant.DueNow)
	MaxPayment  int64                     // the most a payment may be now (grant.MaxPayment)
	// FinalApproved: the final report is approved; from then the grant
	// settles to what it spent.
	FinalApproved bool
	Changes       []grant.ChangeRequest
}

// Payments are the ledger's payments, oldest first.
func (v grantView) Payments() []ledger.Entry {
	var out []ledger.Entry
	for _, e := range v.Entries {
		if e.Kind == ledger.Paid {
			out = append(out, e)
		}
	}
	return out
}

// StageAmount is what the grant's stage says is owed, either way.
func (v grantView) StageAmount() int64 { return v.Stage.Amount(v.Balance) }

// NetPaid is what the grantee kept: paid less repaid. A closed grant has
// it equal to what was spent.
func (v grantView) NetPaid() int64 { return v.Balance.Paid - v.Balance.Repaid }

// Left is what is granted and not yet reported as spent.
func (v grantView) Left() int64 { return v.Balance.Granted - v.Balance.Spent }

// Pending counts the change requests waiting for a decision.
func (v grantView) Pending() int {
	n := 0
	for _, c := range v.Changes {
		if c.State == grant.ChangePending {
			n++
		}
	}
	return n
}

// Name is how the grant is named: its partnership and call.
func (v grantView) Name(lang string) string {
	return v.Partnership.Name + " – " + v.Call.Title(lang)
}

// grantViewOf loads what the pages show about g.
func (s *Server) grantViewOf(ctx context.Context, g *grant.Grant) (*grantView, error) {
	v := &grantView{Grant: g}
	var err error
	if v.Call, err = s.store.Call(ctx, g.CallID); err != nil {
		return nil, err
	}
	if v.Partnership, err = s.store.Partnership(ctx, g.PartnershipID); err != nil {
		return nil, err
	}
	if v.Org, err = s.store.Organisation(ctx, g.OrganisationID); err != nil {
		return nil, err
	}
	if g.ApplicationID != 0 {
		if v.Decision, err = s.store.Decision(ctx, g.ApplicationID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	if v.Acceptance, err = s.store.Acceptance(ctx, g.ID); errors.Is(err, store.ErrNotFound) {
		v.Acceptance = nil
	} else if err != nil {
		return nil, err
	}
	if v.Entries, err = s.store.LedgerEntries(ctx, g.ID); err != nil {
		return nil, err
	}
	if v.Balance, err = ledger.Sum(v.Entries); err != nil {
		return nil, err
	}
	if v.Closure, err = s.store.Closure(ctx, g.ID); errors.Is(err, store.ErrNotFound) {
		v.Closure = nil
	} else if err != nil {
		return nil, err
	}
	plan := v.Call.Config.Plan()
	// The approved reports set off their instalments, as acceptance does.
	happened, err := s.store.ReportTriggers(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	happened = maps.Clone(happened)
	if happened == nil {
		happened = map[ledger.Trigger]bool{}
	}
	happened[ledger.OnAcceptance] = v.Acceptance != nil
	v.FinalApproved = happened[ledger.OnFinalReportApproved]
	// Shown reconciled: a grant paid above what it spent shows what is
	// owed back even before the next change records it.
	v.Balance = grant.Reconciled(v.Balance, v.FinalApproved)
	v.Stage = grant.StageOf(v.Closure != nil, v.Acceptance != nil, v.FinalApproved, v.Balance)
	if v.Plan, err = plan.Status(g.Amount, grant.Payable(v.Balance, v.FinalApproved), v.Balance.Paid, happened); err != nil {
		return nil, err
	}
	if v.DueNow, err = grant.DueNow(plan, v.Balance, happened); err != nil {
		return nil, err
	}
	v.MaxPayment = grant.MaxPayment(v.Balance, v.FinalApproved)
	if v.Changes, err = s.store.ChangeRequests(ctx, g.ID); err != nil {
		return nil, err
	}
	return v, nil
}

type grantsPage struct {
	*Base
	Grants []*grantView
}

// grants lists the grants of the organisations the user applies for.
func (s *Server) grants(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.Apply, 0); err != nil {
		return err
	}
	ctx := r.Context()
	page := grantsPage{Base: b}
	for _, orgID := range policy.ApplicantOrganisations(b.User) {
		list, err := s.store.GrantList(ctx, grant.Filter{OrganisationID: orgID})
		if err != nil {
			return err
		}
		for _, g := range list {
			v, err := s.grantViewOf(ctx, g)
			if err != nil {
				return err
			}
			page.Grants = append(page.Grants, v)
		}
	}
	b.Title = b.T("money.grants.title")
	return s.render(w, b, http.StatusOK, "grants", page)
}

// changeForm is a change request as typed.
type changeForm struct {
	EndDate, FromLine, ToLine, Amount, Reason string
}

type grantPage struct {
	*Base
	*grantView
	Lines   []option // budget lines for the change request form
	Change  changeForm
	Summary errorSummary
}

// loadOwnGrant loads the grant in the path for an applicant of its
// organisation; anyone else gets 404, as if it did not exist.
func (s *Server) loadOwnGrant(r *http.Request, b *Base) (*grant.Grant, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	g, err := s.store.Grant(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !policy.ApplicantFor(b.User, g.OrganisationID) {
		return nil, store.ErrNotFound
	}
	return g, nil
}

func (s *Server) grantPage(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, err := s.loadOwnGrant(r, b)
	if err != nil {
		return err
	}
	return s.renderGrant(w, r, b, http.StatusOK, g, changeForm{})
}

func (s *Server) renderGrant(w http.ResponseWriter, r *http.Request, b *Base, status int, g *grant.Grant, f changeForm) error {
	v, err := s.grantViewOf(r.Context(), g)
	if err != nil {
		return err
	}
	page := grantPage{Base: b, grantView: v, Change: f,
		Summary: b.ErrorSummary("confirm=money.accept.confirm", "end_date=money.change.end_date", "from_line=money.change.from_line",
			"to_line=money.change.to_line", "amount=money.change.amount", "reason=money.change.reason")}
	page.Lines = []option{{Value: "", Label: b.T("money.change.no_line")}}
	for _, o := range v.Call.Config.Lists.BudgetCategories {
		page.Lines = append(page.Lines, option{Value: o.Label.In(b.Lang), Label: o.Label.In(b.Lang)})
	}
	b.Title = v.Name(b.Lang)
	return s.render(w, b, status, "grant", page)
}

// grantAccept records that the grantee accepts the terms. Accepting twice
// (a double click, or a colleague first) shows who accepted, with 409.
func (s *Server) grantAccept(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, err := s.loadOwnGrant(r, b)
	if err != nil {
		return err
	}
	if r.PostFormValue("confirm") != "yes" {
		b.Errors = validate.Errors{"confirm": "error.grant.confirm_terms"}
		return s.renderGrant(w, r, b, http.StatusUnprocessableEntity, g, changeForm{})
	}
	_, err = s.store.AcceptGrant(r.Context(), actor(b.User), g.ID)
	if errors.Is(err, store.ErrConflict) {
		b.Errors = validate.Errors{"form": "error.grant.already_accepted"}
		return s.renderGrant(w, r, b, http.StatusConflict, g, changeForm{})
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderGrant(w, r, b, status, g, changeForm{})
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.grant.terms_accepted")
	http.Redirect(w, r, b.URL("grant", g.ID), http.StatusSeeOther)
	return nil
}

// grantChange files a change request: a new end date, money moved
// between budget lines, or both, and why.
func (s *Server) grantChange(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, err := s.loadOwnGrant(r, b)
	if err != nil {
		return err
	}
	f := changeForm{EndDate: strings.TrimSpace(r.PostFormValue("end_date")), FromLine: r.PostFormValue("from_line"),
		ToLine: r.PostFormValue("to_line"), Amount: strings.TrimSpace(r.PostFormValue("amount")), Reason: r.PostFormValue("reason")}
	cr := &grant.ChangeRequest{GrantID: g.ID, FromLine: f.FromLine, ToLine: f.ToLine, Reason: f.Reason}
	errs := validate.Errors{}
	if f.EndDate != "" {
		if cr.NewEndDate, err = clock.ParseDate(f.EndDate); err != nil {
			errs.Add("end_date", "error.date")
		}
	}
	if f.Amount != "" {
		if cr.Amount, err = money.ParsePositive(f.Amount); err != nil {
			errs.Add("amount", err.Error())
		}
	}
	if len(errs) == 0 {
		err = s.store.RequestChange(r.Context(), actor(b.User), cr)
	} else {
		// Report the rest of the form's problems too, in one go.
		cr.Normalize()
		// The typing errors stay first on their fields; "nothing to
		// change" would be wrong when a value was typed but unreadable.
		for k, v := range cr.Validate(g) {
			if k != "form" {
				errs.Add(k, v)
			}
		}
		err = errs
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderGrant(w, r, b, status, g, f)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.grant.change_requested")
	http.Redirect(w, r, b.URL("grant", g.ID)+"#changes-heading", http.StatusSeeOther)
	return nil
}

// HasRoute reports whether a page of that name exists, so a page links
// to the parts of a grant that are there.
func (b *Base) HasRoute(name string) bool {
	_, ok := b.srv.routeByName(name)
	return ok
}

// acceptOptions is the one box a grantee ticks to accept the terms.
func acceptOptions(pg pager) []option {
	return []option{{Value: "yes", Label: pg.base().T("money.accept.confirm_label")}}
}
