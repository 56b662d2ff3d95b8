package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

type staffGrantsPage struct {
	*Base
	Grants []*grantView
}

// staffGrants lists the grants of the programmes the officer sees, with
// their money, what is due and the change requests waiting.
func (s *Server) staffGrants(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.ViewStaffArea, 0); err != nil {
		return err
	}
	ctx := r.Context()
	list, err := s.store.GrantList(ctx, grant.Filter{Scope: policy.ProgrammeScope(b.User)})
	if err != nil {
		return err
	}
	page := staffGrantsPage{Base: b}
	for i := len(list) - 1; i >= 0; i-- { // newest first
		v, err := s.grantViewOf(ctx, list[i])
		if err != nil {
			return err
		}
		page.Grants = append(page.Grants, v)
	}
	b.Title = b.T("money.staff.title")
	return s.render(w, b, http.StatusOK, "staff_grants", page)
}

// paymentForm is a payment as the officer typed it.
type paymentForm struct{ Amount, Note string }

// changeDecisionForm is a decision on a change request as typed.
type changeDecisionForm struct {
	ID       int64
	Decision string // approve or reject
	Note     string
}

type staffGrantPage struct {
	*Base
	*grantView
	CanManage bool
	Payment   paymentForm
	Decide    changeDecisionForm
	Summary   errorSummary
}

// loadStaffGrant loads the grant in the path, with its call, for an
// officer who sees its programme; managing it (paying, deciding) needs
// the programme's officer role.
func (s *Server) loadStaffGrant(r *http.Request, b *Base) (*grant.Grant, *call.Call, error) {
	if err := require(b, policy.ViewStaffArea, 0); err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	g, err := s.store.Grant(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.Call(r.Context(), g.CallID)
	if err != nil {
		return nil, nil, err
	}
	if !policy.SeesProgramme(b.User, c.ProgrammeID) {
		return nil, nil, errForbidden
	}
	return g, c, nil
}

func (s *Server) staffGrant(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, _, err := s.loadStaffGrant(r, b)
	if err != nil {
		return err
	}
	return s.renderStaffGrant(w, r, b, http.StatusOK, g, paymentForm{}, changeDecisionForm{})
}

func (s *Server) renderStaffGrant(w http.ResponseWriter, r *http.Request, b *Base, status int, g *grant.Grant, p paymentForm, d changeDecisionForm) error {
	v, err := s.grantViewOf(r.Context(), g)
	if err != nil {
		return err
	}
	switch key := b.Errors["amount"]; key {
	case grant.ErrOverSpent.Error(), ledger.ErrOverGranted.Error():
		// Say the most that may be paid (grant.MaxPayment), in the page's language.
		b.Errors["amount"] = b.T(key+".max", "Max", b.Money(v.MaxPayment))
	}
	page := staffGrantPage{Base: b, grantView: v, Payment: p, Decide: d, CanManage: policy.Can(b.User, policy.ManageProgramme, v.Call.ProgrammeID)}
	page.Summary = b.ErrorSummary("amount=money.pay.amount", "note=money.pay.note",
		decisionField(d.ID)+"=money.decide.decision", noteField(d.ID)+"=money.decide.note")
	b.Title = v.Name(b.Lang)
	return s.render(w, b, status, "staff_grant", page)
}

// decisionField and noteField name the controls of one request's
// decision form, so the error summary links to the right one.
func decisionField(id int64) string { return "decision-" + strconv.FormatInt(id, 10) }
func noteField(id int64) string     { return "note-" + strconv.FormatInt(id, 10) }

// staffGrantPay records a payment. The amount is read as people type
// kronor; a payment above what may be paid now (the grant, and after the
// final report what was spent: grant.MaxPayment) is refused with the
// most allowed, and what was typed stays in the form.
func (s *Server) staffGrantPay(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, c, err := s.loadStaffGrant(r, b)
	if err != nil {
		return err
	}
	if err := require(b, policy.ManageProgramme, c.ProgrammeID); err != nil {
		return err
	}
	f := paymentForm{Amount: strings.TrimSpace(r.PostFormValue("amount")), Note: r.PostFormValue("note")}
	amount, err := money.ParsePositive(f.Amount)
	if err != nil {
		err = validate.Errors{"amount": err.Error()}
	} else {
		_, err = s.store.RecordPayment(r.Context(), actor(b.User), g.ID, amount, f.Note)
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderStaffGrant(w, r, b, status, g, f, changeDecisionForm{})
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.grant.payment_recorded", "Amount", b.Money(amount))
	http.Redirect(w, r, b.URL("staff.grant", g.ID)+"#ledger-heading", http.StatusSeeOther)
	return nil
}

// staffGrantDecide approves or rejects a change request.
func (s *Server) staffGrantDecide(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, c, err := s.loadStaffGrant(r, b)
	if err != nil {
		return err
	}
	if err := require(b, policy.ManageProgramme, c.ProgrammeID); err != nil {
		return err
	}
	crID, err := pathID(r, "change")
	if err != nil {
		return err
	}
	cr, err := s.store.ChangeRequest(r.Context(), crID)
	if err != nil {
		return err
	}
	if cr.GrantID != g.ID {
		return store.ErrNotFound // a request of another grant
	}
	d := changeDecisionForm{ID: crID, Decision: r.PostFormValue(decisionField(crID)), Note: r.PostFormValue(noteField(crID))}
	if d.Decision != "approve" && d.Decision != "reject" {
		err = validate.Errors{"decision": "error.required"}
	} else {
		_, err = s.store.DecideChange(r.Context(), actor(b.User), crID, d.Decision == "approve", d.Note)
	}
	var verr validate.Errors
	if errors.As(err, &verr) {
		// Name the fields after the request, so the summary links to them.
		named := validate.Errors{}
		for k, v := range verr {
			switch k {
			case "decision":
				k = decisionField(crID)
			case "note":
				k = noteField(crID)
			}
			named.Add(k, v)
		}
		err = named
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderStaffGrant(w, r, b, status, g, paymentForm{}, d)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.grant.change_decided")
	http.Redirect(w, r, b.URL("staff.grant", g.ID)+"#changes-heading", http.StatusSeeOther)
	return nil
}

// decisionControls is what one request's decision form shows: its
// control names and, after an error in that form, what was chosen.
type decisionControls struct {
	DecisionName, NoteName string
	Decision, Note         string
}

// decideFormFor gives the controls of change request id's decision form,
// with what was chosen if that form was the one refused.
func decideFormFor(p staffGrantPage, id int64) decisionControls {
	c := decisionControls{DecisionName: decisionField(id), NoteName: noteField(id)}
	if p.Decide.ID == id {
		c.Decision, c.Note = p.Decide.Decision, p.Decide.Note
	}
	return c
}

func decideOptions(pg pager) []option {
	b := pg.base()
	return []option{{Value: "approve", Label: b.T("money.decide.approve")}, {Value: "reject", Label: b.T("money.decide.reject")}}
}
