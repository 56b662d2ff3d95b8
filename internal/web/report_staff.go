package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
	"github.com/icld/partnerskap/internal/validate"
)

// staffReportPage is the officer's view of one report.
type staffReportPage struct {
	reportPage
	CanManage bool
	Balance   ledger.Balance
	DueNow    int64 // what the plan makes due now and is not paid
	CanClose  bool
	Note      string
	Repay     paymentForm
}

// loadStaffReport loads the grant {id} and its report {rid} for an
// officer; a report of another grant is 404.
func (s *Server) loadStaffReport(r *http.Request, b *Base) (*grantAccess, *report.Report, error) {
	if err := require(b, policy.ViewStaffArea, 0); err != nil {
		return nil, nil, err
	}
	ga, err := s.loadGrantActivities(r, b, false)
	if err != nil {
		return nil, nil, err
	}
	rid, err := pathID(r, "rid")
	if err != nil {
		return nil, nil, err
	}
	rep, err := s.store.Report(r.Context(), rid)
	if err != nil {
		return nil, nil, err
	}
	if rep.GrantID != ga.Grant.ID {
		return nil, nil, store.ErrNotFound
	}
	return ga, rep, nil
}

func (s *Server) staffReport(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, rep, err := s.loadStaffReport(r, b)
	if err != nil {
		return err
	}
	return s.renderStaffReport(w, r, b, http.StatusOK, ga, rep, "", paymentForm{})
}

func (s *Server) renderStaffReport(w http.ResponseWriter, r *http.Request, b *Base, status int, ga *grantAccess, rep *report.Report, note string, repay paymentForm) error {
	ctx := r.Context()
	d, _ := ga.Call.Config.Reports.Deadline(ga.Grant.AwardedOn, ga.Grant.EndDate, rep.Kind)
	page := staffReportPage{reportPage: reportPage{Base: b, G: ga, Report: rep, Done: rep.Done, Results: rep.Results, Lessons: rep.Lessons},
		CanManage: policy.Can(b.User, policy.ManageProgramme, ga.Call.ProgrammeID), Note: note, Repay: repay}
	page.Row = reportRow{Deadline: d, Report: rep, Overdue: report.IsOverdue(d, rep.State, s.clock.Now())}
	for _, l := range rep.Lines {
		page.Lines = append(page.Lines, reportLineForm{Category: l.Category, Label: l.Category, Budgeted: l.Budgeted, Spent: l.Spent, Explanation: l.Explanation})
	}
	var err error
	if page.Moves, err = s.approvedMoves(ctx, ga.Grant.ID); err != nil {
		return err
	}
	if page.Closure, err = s.closureOf(ctx, ga.Grant.ID); err != nil {
		return err
	}
	acts, err := s.store.ActivityList(ctx, ga.Grant.ID)
	if err != nil {
		return err
	}
	page.Reach = activity.Summarize(acts, ga.Call.Config.Lists)
	if sv, err := s.store.Survey(ctx, ga.Grant.ID); err == nil {
		responses, err := s.store.Responses(ctx, ga.Grant.ID)
		if err != nil {
			return err
		}
		page.Survey = survey.Results(sv.Questions, responses, "")
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if page.Balance, err = s.store.Balance(ctx, ga.Grant.ID); err != nil {
		return err
	}
	happened, err := s.store.ReportTriggers(ctx, ga.Grant.ID)
	if err != nil {
		return err
	}
	if _, err := s.store.Acceptance(ctx, ga.Grant.ID); err == nil {
		happened[ledger.OnAcceptance] = true
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	final := happened[ledger.OnFinalReportApproved]
	page.Balance = grant.Reconciled(page.Balance, final) // shows what is owed back before it is recorded
	if page.DueNow, err = grant.DueNow(ga.Call.Config.Plan(), page.Balance, happened); err != nil {
		return err
	}
	page.CanClose = page.Closure == nil && rep.Kind == report.Final && rep.State == report.Approved && grant.CanClose(true, page.Balance)
	page.Summary = b.ErrorSummary("form", "note=report.staff.note", "amount=report.repay.amount", "repay_note=report.repay.note")
	b.Title = b.T("report.kind."+string(rep.Kind)) + " – " + ga.Partnership.Name
	return s.render(w, b, status, "staff_report", page)
}

// staffReportPost approves a report, asks for completion, records a
// repayment or closes the grant, by the button pressed ("action").
func (s *Server) staffReportPost(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, rep, err := s.loadStaffReport(r, b)
	if err != nil {
		return err
	}
	if err := require(b, policy.ManageProgramme, ga.Call.ProgrammeID); err != nil {
		return err
	}
	ctx := r.Context()
	note := r.PostFormValue("note")
	repay := paymentForm{Amount: strings.TrimSpace(r.PostFormValue("amount")), Note: r.PostFormValue("repay_note")}
	flash, amountText := "", ""
	switch r.PostFormValue("action") {
	case "approve":
		var mails []mail.Message
		if mails, err = s.notify.ReportApproved(ctx, ga.mailed(), rep.Kind); err == nil {
			_, err = s.store.ApproveReport(ctx, actor(b.User), rep.ID, note, mails)
		}
		flash = "flash.report.approved." + string(rep.Kind)
	case "complete":
		var mails []mail.Message
		if mails, err = s.notify.ReportCompletionRequested(ctx, ga.mailed(), rep.Kind); err == nil {
			err = s.store.RequestReportCompletion(ctx, actor(b.User), rep.ID, note, mails)
		}
		flash = "flash.report.completion_requested"
	case "repay":
		amount, perr := money.ParsePositive(repay.Amount)
		if perr != nil {
			err = validate.Errors{"amount": perr.Error()}
		} else {
			_, err = s.store.RecordRepayment(ctx, actor(b.User), ga.Grant.ID, amount, repay.Note)
			amountText = b.Money(amount)
		}
		var verr validate.Errors
		if errors.As(err, &verr) && verr.Has("note") {
			verr["repay_note"] = verr["note"]
			delete(verr, "note")
		}
		flash = "flash.report.repaid"
	case "close":
		err = s.store.CloseGrant(ctx, actor(b.User), ga.Grant.ID)
		flash = "flash.report.closed"
	default:
		err = validate.Errors{"form": "error.required"}
	}
	if rep2, rerr := s.store.Report(ctx, rep.ID); rerr == nil {
		rep = rep2
	}
	switch {
	case errors.Is(err, grant.ErrClosed):
		b.Errors = validate.Errors{"form": "error.grant.closed"}
		return s.renderStaffReport(w, r, b, http.StatusConflict, ga, rep, note, repay)
	case errors.Is(err, report.ErrTransition):
		b.Errors = validate.Errors{"form": "error.report.already_decided"}
		return s.renderStaffReport(w, r, b, http.StatusConflict, ga, rep, note, repay)
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderStaffReport(w, r, b, status, ga, rep, note, repay)
	}
	if err != nil {
		return err
	}
	setFlash(w, flash, "Amount", amountText)
	http.Redirect(w, r, b.URL("staff.report", ga.Grant.ID, rep.ID), http.StatusSeeOther)
	return nil
}
