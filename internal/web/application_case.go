package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// caseFile is an application with what every officer and reviewer page
// reads about it.
type caseFile struct {
	App         *application.Application
	Call        *call.Call
	Partnership *partnership.Partnership
	Org         *organisation.Organisation
	DocTitle    string // typed in the form to register a document (registry_case.go), kept after an error
}

func (s *Server) loadCase(ctx context.Context, id int64) (*caseFile, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Call(ctx, a.CallID)
	if err != nil {
		return nil, err
	}
	p, err := s.store.Partnership(ctx, a.PartnershipID)
	if err != nil {
		return nil, err
	}
	o, err := s.store.Organisation(ctx, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	return &caseFile{App: a, Call: c, Partnership: p, Org: o}, nil
}

// officerCase loads application id for an officer of its call's programme.
// A draft is the applicant's own until it is submitted: officers get 404.
func (s *Server) officerCase(r *http.Request, b *Base) (*caseFile, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	cf, err := s.loadCase(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := require(b, policy.ManageProgramme, cf.Call.ProgrammeID); err != nil {
		return nil, err
	}
	if cf.App.State == application.Draft {
		return nil, store.ErrNotFound
	}
	return cf, nil
}

// appLabel names an application in lists: its project title, or its number.
func appLabel(b *Base, a *application.Application) string {
	if t := strings.TrimSpace(a.Title()); t != "" {
		return t
	}
	return b.T("case.app_number", "ID", a.ID)
}

// submittedAnswers returns the latest submitted version's answers and
// amount requested, or the working copy's when there is no version.
func submittedAnswers(a *application.Application, versions []application.Snapshot) (*form.Answers, int64) {
	if n := len(versions); n > 0 {
		return &versions[n-1].Answers, versions[n-1].Requested
	}
	return &a.Answers, a.Requested
}

// scoreText writes a weighted score (0–100) with one decimal.
func scoreText(v float64, lang string) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// ---- The case page ----

type timelineRow struct {
	application.Change
	FromLabel, ToLabel, EventLabel string
}

type reviewerColumn struct {
	ID       int64
	Name     string
	Status   string // translated: not declared, conflict, draft, submitted
	Review   *review.Review
	Weighted string
}

type criterionRow struct {
	Title  string
	Weight int
	Cells  []reviewCell
}

type reviewCell struct{ Score, Comment string }

type eventButton struct {
	Event string
	Label string
}

type decideForm struct{ Outcome, Amount, Reason, Conditions string }

type casePage struct {
	*Base
	CF          *caseFile
	Blind       bool
	Sections    []answerSection
	Requested   string
	Files       []fileLink
	Versions    []application.Snapshot
	Changes     []fieldChange
	HasDiff     bool
	DiffFrom    int
	DiffTo      int
	Timeline    []timelineRow
	Columns     []reviewerColumn
	Criteria    []criterionRow
	Recommends  []string
	Comments    []string
	Mean        string
	Scored      int
	Scale       review.Scale
	Events      []eventButton
	CanComplete bool
	Note        string
	CanAssign   bool
	Reviewers   []option
	Reviewer    string
	CanDecide   bool
	Outcomes    []option
	Decide      decideForm
	Decision    *decision.Decision
	MaxPerGrant int64
	Documents   []registryRow // the case's documents in the registry, newest first
}

// officerEvents are the steps an officer takes with buttons; a completion
// request has its own form, with the note to the applicant.
var officerEvents = []application.Event{application.StartCheck, application.PassCheck, application.SendToReview, application.MarkReady}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, b *Base) error {
	cf, err := s.officerCase(r, b)
	if err != nil {
		return err
	}
	return s.renderCase(w, r, b, http.StatusOK, cf, decideForm{}, "", "")
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, b *Base, status int, cf *caseFile, df decideForm, note, reviewer string) error {
	ctx := r.Context()
	a, c := cf.App, cf.Call
	page := casePage{Base: b, CF: cf, Decide: df, Note: note, Reviewer: reviewer,
		Scale: c.Config.Assessment.Scale, MaxPerGrant: c.MaxPerGrant, Blind: c.Config.Steps.BlindReview}
	files, err := s.store.AttachmentList(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, f := range files {
		page.Files = append(page.Files, fileLink{Name: f.Filename, URL: b.URL("app.file", a.ID, f.ID), Size: sizeText(f.Size, b.Lang)})
	}
	if page.Versions, err = s.store.Snapshots(ctx, a.ID); err != nil {
		return err
	}
	// Officers read what was submitted: while the applicant completes the
	// application, the working copy holds edits not yet sent.
	answers, requested := submittedAnswers(a, page.Versions)
	page.Requested = b.Money(requested)
	page.Sections = answerSections(b, c, answers, files, a.ID)
	if n := len(page.Versions); n >= 2 {
		prev, last := page.Versions[n-2], page.Versions[n-1]
		page.HasDiff, page.DiffFrom, page.DiffTo = true, prev.Number, last.Number
		page.Changes = diffSections(answerSections(b, c, &prev.Answers, files, a.ID), answerSections(b, c, &last.Answers, files, a.ID))
	}
	changes, err := s.store.Timeline(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, ch := range changes {
		row := timelineRow{Change: ch, EventLabel: b.T("app.event." + string(ch.Event)), ToLabel: b.T("app.state." + string(ch.To))}
		if ch.From != "" {
			row.FromLabel = b.T("app.state." + string(ch.From))
		}
		page.Timeline = append(page.Timeline, row)
	}
	if err := s.reviewMatrix(ctx, b, &page); err != nil {
		return err
	}
	// Actions the state allows.
	for _, e := range officerEvents {
		if _, err := application.Next(a.State, e, c.Config.Steps); err == nil {
			page.Events = append(page.Events, eventButton{Event: string(e), Label: b.T("case.do." + string(e))})
		}
	}
	_, err = application.Next(a.State, application.RequestCompletion, c.Config.Steps)
	page.CanComplete = err == nil
	if a.State == application.InReview {
		page.CanAssign = true
		// The call's own reviewers (call_reviewer.go), not yet assigned.
		users, err := s.store.CallReviewers(ctx, c.ID)
		if err != nil {
			return err
		}
		page.Reviewers = []option{{Value: "", Label: b.T("case.assign.choose")}}
		for _, u := range users {
			if u.Disabled || !u.Has(user.Reviewer) || slices.ContainsFunc(page.Columns, func(col reviewerColumn) bool { return col.ID == u.ID }) {
				continue
			}
			page.Reviewers = append(page.Reviewers, option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " (" + u.Email + ")"})
		}
	}
	page.CanDecide = application.CanDecide(a.State)
	for _, o := range decision.Outcomes {
		page.Outcomes = append(page.Outcomes, option{Value: string(o), Label: b.T("case.outcome." + string(o))})
	}
	if a.State.Decided() {
		d, err := s.store.Decision(ctx, a.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		page.Decision = d
	}
	if page.Documents, err = s.caseDocuments(ctx, b, a.ID); err != nil {
		return err
	}
	b.Title = b.T("case.title", "Name", appLabel(b, a))
	return s.render(w, b, status, "case", page)
}

// reviewMatrix lays the reviews side by side: one column per assigned
// reviewer, one row per criterion. Only submitted reviews show scores.
func (s *Server) reviewMatrix(ctx context.Context, b *Base, page *casePage) error {
	a, setup := page.CF.App, page.CF.Call.Config.Assessment
	assignments, err := s.store.Assignments(ctx, a.ID)
	if err != nil {
		return err
	}
	reviews, err := s.store.Reviews(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, cr := range setup.Criteria {
		page.Criteria = append(page.Criteria, criterionRow{Title: cr.Title.In(b.Lang), Weight: cr.Weight})
	}
	var sum float64
	for _, as := range assignments {
		col := reviewerColumn{ID: as.ReviewerID, Name: b.T("case.reviewer_unknown")}
		if u, err := s.store.User(ctx, as.ReviewerID); err == nil {
			col.Name = u.Name
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		var rv *review.Review
		for i := range reviews {
			if reviews[i].ReviewerID == as.ReviewerID {
				rv = &reviews[i]
			}
		}
		switch {
		case !as.Declared:
			col.Status = b.T("case.review.status.undeclared")
		case as.Conflict:
			col.Status = b.T("case.review.status.conflict")
		case rv == nil:
			col.Status = b.T("case.review.status.none")
		case !rv.Submitted():
			col.Status = b.T("case.review.status.draft")
		default:
			col.Status = b.T("case.review.status.submitted", "When", b.DateTime(rv.SubmittedAt))
			col.Review = rv
			w := rv.Weighted(setup)
			col.Weighted = scoreText(w, b.Lang)
			sum += w
			page.Scored++
		}
		page.Columns = append(page.Columns, col)
		for i, cr := range setup.Criteria {
			cell := reviewCell{}
			if col.Review != nil {
				if sc, ok := col.Review.Scores[cr.Key]; ok {
					cell.Score = strconv.Itoa(sc)
				}
				cell.Comment = col.Review.Comments[cr.Key]
			}
			page.Criteria[i].Cells = append(page.Criteria[i].Cells, cell)
		}
		rec, comment := "", ""
		if col.Review != nil {
			rec = b.T("case.recommend." + string(col.Review.Recommendation))
			comment = col.Review.Comment
		}
		page.Recommends = append(page.Recommends, rec)
		page.Comments = append(page.Comments, comment)
	}
	if page.Scored > 0 {
		page.Mean = scoreText(sum/float64(page.Scored), b.Lang)
	}
	return nil
}

// caseEvent moves the application one step. A completion request needs a
// note, which is mailed to the applicant.
func (s *Server) caseEvent(w http.ResponseWriter, r *http.Request, b *Base) error {
	cf, err := s.officerCase(r, b)
	if err != nil {
		return err
	}
	e := application.Event(r.PostFormValue("event"))
	note := strings.TrimSpace(r.PostFormValue("note"))
	b.Errors = validate.Errors{}
	if !slices.Contains(officerEvents, e) && e != application.RequestCompletion {
		return validate.Errors{"event": "error.invalid_choice"}
	}
	var mails []mail.Message
	if e == application.RequestCompletion {
		b.Errors.Required("note", note)
		b.Errors.MaxLen("note", note, 5000)
		if len(b.Errors) > 0 {
			return s.renderCase(w, r, b, http.StatusUnprocessableEntity, cf, decideForm{}, note, "")
		}
		if mails, err = s.notify.CompletionRequested(r.Context(), cf.App, cf.Call, note, b.mailLink("app", cf.App.ID)); err != nil {
			return err
		}
	}
	err = s.store.Transition(r.Context(), actor(b.User), cf.App.ID, e, note, mails)
	if errors.Is(err, application.ErrTransition) {
		// Someone moved it meanwhile: show the page as it is now.
		b.Errors = validate.Errors{"form": "error.application.transition"}
		if cf, err = s.officerCase(r, b); err != nil {
			return err
		}
		return s.renderCase(w, r, b, http.StatusConflict, cf, decideForm{}, note, "")
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderCase(w, r, b, status, cf, decideForm{}, note, "")
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.case."+string(e))
	http.Redirect(w, r, b.URL("case", cf.App.ID), http.StatusSeeOther)
	return nil
}

// caseAssign gives the application to a reviewer.
func (s *Server) caseAssign(w http.ResponseWriter, r *http.Request, b *Base) error {
	cf, err := s.officerCase(r, b)
	if err != nil {
		return err
	}
	typed := r.PostFormValue("reviewer")
	b.Errors = validate.Errors{}
	id, _ := strconv.ParseInt(typed, 10, 64)
	var rv *user.User
	if id > 0 {
		u, err := s.store.User(r.Context(), id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err == nil && !u.Disabled && u.Has(user.Reviewer) {
			rv = u
		}
		// Only one of the call's reviewers (call_reviewer.go).
		members, err := s.store.CallReviewers(r.Context(), cf.Call.ID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(members))
		for i, m := range members {
			ids[i] = m.ID
		}
		if !call.MayAssign(ids, id) {
			rv = nil
		}
	}
	switch {
	case typed == "":
		b.Errors.Add("reviewer", "error.required")
	case rv == nil:
		b.Errors.Add("reviewer", "error.invalid_choice")
	}
	if len(b.Errors) == 0 {
		err = s.store.AssignReviewer(r.Context(), actor(b.User), cf.App.ID, rv.ID)
		if errors.Is(err, application.ErrTransition) {
			b.Errors.Add("form", "error.application.transition")
			err = nil
		} else if _, ok := formFailed(err, b); ok {
			err = nil
		}
		if err != nil {
			return err
		}
	}
	if len(b.Errors) > 0 {
		if cf, err = s.officerCase(r, b); err != nil {
			return err
		}
		return s.renderCase(w, r, b, http.StatusUnprocessableEntity, cf, decideForm{}, "", typed)
	}
	setFlash(w, "flash.case.assigned")
	http.Redirect(w, r, b.URL("case", cf.App.ID), http.StatusSeeOther)
	return nil
}

func parseDecideForm(r *http.Request) decideForm {
	return decideForm{Outcome: r.PostFormValue("outcome"), Amount: r.PostFormValue("amount"),
		Reason: r.PostFormValue("reason"), Conditions: r.PostFormValue("conditions")}
}

// decision reads the form: the amount as typed in kronor (empty means the
// amount requested for a full grant, and none for a rejection). Only what
// cannot be read is an error here: the rules are grant.Decide's, applied
// by the store.
func (f decideForm) decision(a *application.Application, by *user.User) (*decision.Decision, validate.Errors) {
	errs := validate.Errors{}
	d := &decision.Decision{ApplicationID: a.ID, Outcome: decision.Outcome(f.Outcome), Reason: f.Reason, Conditions: f.Conditions,
		DecidedBy: by.ID, DeciderName: by.Name}
	if typed := strings.TrimSpace(f.Amount); typed != "" {
		ore, err := money.Parse(typed)
		switch {
		case err != nil:
			errs.Add("amount", err.Error())
		case ore < 0:
			errs.Add("amount", money.ErrNegative.Error())
		default:
			d.Amount = ore
		}
	} else if d.Outcome == decision.PartlyGranted {
		errs.Add("amount", money.ErrEmpty.Error())
	}
	d.Normalize(a.Requested)
	return d, errs
}

// caseDecide records the officer's decision. The store keeps the call
// under its ceiling; a refusal comes back as a field error.
func (s *Server) caseDecide(w http.ResponseWriter, r *http.Request, b *Base) error {
	cf, err := s.officerCase(r, b)
	if err != nil {
		return err
	}
	f := parseDecideForm(r)
	d, errs := f.decision(cf.App, b.User)
	err = errs.Err()
	if err == nil {
		var mails []mail.Message
		if mails, err = s.notify.Decided(r.Context(), cf.App, cf.Call, d, b.mailLink("app", cf.App.ID)); err != nil {
			return err
		}
		err = s.store.Decide(r.Context(), actor(b.User), d, mails)
	}
	if errors.Is(err, grant.ErrNotReady) { // a refusal of the whole form, not of one field
		err = validate.Errors{"form": grant.ErrNotReady.Key}
	}
	if status, ok := formFailed(err, b); ok {
		// Show the page as it is now: someone may have decided meanwhile.
		if cf2, err := s.officerCase(r, b); err == nil {
			cf = cf2
		} else {
			return err
		}
		return s.renderCase(w, r, b, status, cf, f, "", "")
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.decided."+string(d.Outcome), "Number", d.RegNumber, "Amount", b.Money(d.Amount))
	http.Redirect(w, r, b.URL("case", cf.App.ID), http.StatusSeeOther)
	return nil
}
