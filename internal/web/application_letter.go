package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/letter"
	"github.com/icld/partnerskap/internal/store"
)

// appLetter serves the decision letter as PDF, in the page's language, to
// those who may read the application and know who applied: the
// applicants, the programme's officers, and reviewers unless the review
// was blind (the letter names the applicant and the partnership). Anyone
// else gets 404, as for an application they may not read.
func (s *Server) appLetter(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return err
	}
	_, identity, err := s.mayRead(ctx, b, a)
	if err != nil {
		return err
	}
	if !identity || !a.State.Decided() {
		return store.ErrNotFound
	}
	d, err := s.store.Decision(ctx, id)
	if err != nil {
		return err
	}
	row, err := s.appRowOf(ctx, a)
	if err != nil {
		return err
	}
	prog, err := s.store.Programme(ctx, row.Call.ProgrammeID)
	if err != nil {
		return err
	}
	// The letter states the terms as decided: the call's payment plan and
	// its report deadlines for a grant awarded on the decision's date (as
	// grant.Decide awards it), not moved by later extensions.
	rules := row.Call.Config.Reports
	pdf, err := letter.Render(letter.Letter{
		Lang: b.Lang, Operator: prog.Operator, Programme: prog.Name(b.Lang), Call: row.Call.Title(b.Lang),
		RegNumber: d.RegNumber, ApplicationReg: a.RegNumber, Date: d.DecidedAt, Organisation: row.Org.Name,
		Partnership: row.Partnership.Name, Project: a.Title(), Outcome: string(d.Outcome), Requested: a.Requested,
		Amount: d.Amount, Reason: d.Reason, Conditions: d.Conditions, DecidedBy: b.ActorName(d.DeciderName), Contact: "partnership@icld.se",
		Plan: row.Call.Config.Plan(), Reports: rules.Deadlines(clock.Today(d.DecidedAt), time.Time{}), Tolerance: rules.Tolerance(),
	})
	if err != nil {
		return err
	}
	name := "beslut-" + strconv.FormatInt(a.ID, 10) + ".pdf"
	if b.Lang == "en" {
		name = "decision-" + strconv.FormatInt(a.ID, 10) + ".pdf"
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "private, no-store")
	_, err = w.Write(pdf)
	return err
}
