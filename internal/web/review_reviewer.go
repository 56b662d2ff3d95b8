package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

// reviewRow is an assigned application in the reviewer's list.
type reviewRow struct {
	App         *application.Application
	Label       string
	Call        string
	Partnership string // empty under blind review
	Declaration string
	Status      string
	Next        string // the reviewer's next step, when Todo
	Todo        bool   // something waits for the reviewer
}

type reviewListPage struct {
	*Base
	Rows []reviewRow
}

// reviewList shows the applications assigned to the signed-in reviewer,
// those waiting for them first.
func (s *Server) reviewList(w http.ResponseWriter, r *http.Request, b *Base) error {
	if err := require(b, policy.Review, 0); err != nil {
		return err
	}
	rows, err := s.reviewRows(r.Context(), b)
	if err != nil {
		return err
	}
	slices.SortStableFunc(rows, func(x, y reviewRow) int {
		switch {
		case x.Todo == y.Todo:
			return 0
		case x.Todo:
			return -1
		}
		return 1
	})
	b.Title = b.T("review.list_title")
	return s.render(w, b, http.StatusOK, "reviews", reviewListPage{Base: b, Rows: rows})
}

// reviewRows lists the applications assigned to the signed-in reviewer,
// with their declaration, the state of their review and what is next.
func (s *Server) reviewRows(ctx context.Context, b *Base) ([]reviewRow, error) {
	apps, err := s.store.ApplicationList(ctx, application.Filter{ReviewerID: b.User.ID})
	if err != nil {
		return nil, err
	}
	var rows []reviewRow
	for _, a := range apps {
		cf, err := s.loadCase(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		as, err := s.store.Assignment(ctx, a.ID, b.User.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		own, err := s.reviewBy(ctx, a.ID, b.User.ID)
		if err != nil {
			return nil, err
		}
		row := reviewRow{App: a, Label: appLabel(b, a), Call: cf.Call.Title(b.Lang)}
		if policy.ReviewerSeesApplicant(cf.Call.Config.Steps) {
			row.Partnership = cf.Partnership.Name + " (" + cf.Org.Name + ")"
		}
		switch {
		case !as.Declared:
			row.Declaration = b.T("review.declaration.pending")
		case as.Conflict:
			row.Declaration = b.T("review.declaration.conflict")
		default:
			row.Declaration = b.T("review.declaration.none")
		}
		switch {
		case as.Conflict:
			row.Status = "–"
		case own == nil:
			row.Status = b.T("review.status.not_started")
		case own.Submitted():
			row.Status = b.T("review.status.submitted", "When", b.DateTime(own.SubmittedAt))
		default:
			row.Status = b.T("review.status.draft")
		}
		// Only an application in review can be scored; a reviewer may
		// still declare on one that has moved on.
		switch {
		case as.Conflict || (own != nil && own.Submitted()):
		case !as.Declared:
			row.Next, row.Todo = b.T("review.next.declare"), true
		case a.State != application.InReview:
		case own == nil:
			row.Next, row.Todo = b.T("review.next.score"), true
		default:
			row.Next, row.Todo = b.T("review.next.finish"), true
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// ownReview returns the reviewer's review of an application, or nil.
func (s *Server) ownReview(r *http.Request, appID, reviewerID int64) (*review.Review, error) {
	return s.reviewBy(r.Context(), appID, reviewerID)
}

// reviewBy returns a reviewer's review of an application, or nil.
func (s *Server) reviewBy(ctx context.Context, appID, reviewerID int64) (*review.Review, error) {
	reviews, err := s.store.Reviews(ctx, appID)
	if err != nil {
		return nil, err
	}
	for i := range reviews {
		if reviews[i].ReviewerID == reviewerID {
			return &reviews[i], nil
		}
	}
	return nil, nil
}

// assignedCase loads the application in the path for the signed-in
// reviewer; an application not assigned to them does not exist for them.
func (s *Server) assignedCase(r *http.Request, b *Base) (*caseFile, *review.Assignment, error) {
	if err := require(b, policy.Review, 0); err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	as, err := s.store.Assignment(r.Context(), id, b.User.ID)
	if err != nil {
		return nil, nil, err // ErrNotFound: 404
	}
	cf, err := s.loadCase(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	return cf, as, nil
}

// criterionInput is one criterion of the review form.
type criterionInput struct {
	Title   string
	Help    string
	Weight  int
	Score   field
	Comment field
	Shown   string // the submitted score, read-only
	Said    string // the submitted comment, read-only
}

// reviewForm is the review as typed.
type reviewForm struct {
	Scores         map[string]string
	Comments       map[string]string
	Recommendation string
	Comment        string
}

type reviewPage struct {
	*Base
	CF          *caseFile
	Assignment  *review.Assignment
	Blind       bool
	Sections    []answerSection
	Requested   string
	Files       []fileLink
	Declare     bool // the declaration comes first
	Conflict    bool // declared: the application is no longer shown
	Open        bool // in review: the form can be saved
	Submitted   *review.Review
	Criteria    []criterionInput
	Recommend   field
	Comment     field
	ConflictF   field
	NoteF       field
	Summary     errorSummary
	Scale       review.Scale
	Recommended string
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, b *Base) error {
	cf, as, err := s.assignedCase(r, b)
	if err != nil {
		return err
	}
	return s.renderReview(w, r, b, http.StatusOK, cf, as, nil, "", "")
}

// renderReview shows the declaration form, the conflict message, or the
// application with the review form (typed, when given, else the saved
// draft).
func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, b *Base, status int, cf *caseFile, as *review.Assignment, typed *reviewForm, conflict, note string) error {
	ctx := r.Context()
	c, a := cf.Call, cf.App
	page := reviewPage{Base: b, CF: cf, Assignment: as, Blind: !policy.ReviewerSeesApplicant(c.Config.Steps), Scale: c.Config.Assessment.Scale}
	if page.Blind {
		b.Title = b.T("review.title_blind", "ID", a.ID)
	} else {
		b.Title = b.T("review.title", "Name", cf.Partnership.Name)
	}
	switch {
	case !as.Declared:
		page.Declare = true
		page.ConflictF = b.Choice("conflict", "review.conflict", "radios", conflict,
			[]option{{Value: "no", Label: b.T("review.conflict.no")}, {Value: "yes", Label: b.T("review.conflict.yes")}}, "required", "hint")
		page.NoteF = b.Field("conflict_note", "review.conflict_note", "textarea", note, "hint", "rows=3")
		page.Summary = b.ErrorSummary("form", "conflict=review.conflict", "conflict_note=review.conflict_note")
		return s.render(w, b, status, "review", page)
	case as.Conflict:
		page.Conflict = true
		return s.render(w, b, status, "review", page)
	}
	files, err := s.store.AttachmentList(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, f := range files {
		page.Files = append(page.Files, fileLink{Name: f.Filename, URL: b.URL("app.file", a.ID, f.ID), Size: sizeText(f.Size, b.Lang)})
	}
	versions, err := s.store.Snapshots(ctx, a.ID)
	if err != nil {
		return err
	}
	answers, requested := submittedAnswers(a, versions)
	page.Sections = answerSections(b, c, answers, files, a.ID)
	page.Requested = b.Money(requested)
	own, err := s.ownReview(r, a.ID, b.User.ID)
	if err != nil {
		return err
	}
	if own != nil && own.Submitted() {
		page.Submitted = own
		page.Recommended = b.T("case.recommend." + string(own.Recommendation))
	}
	page.Open = a.State == application.InReview && page.Submitted == nil
	if typed == nil {
		typed = &reviewForm{Scores: map[string]string{}, Comments: map[string]string{}}
		if own != nil {
			for k, v := range own.Scores {
				typed.Scores[k] = strconv.Itoa(v)
			}
			typed.Comments = own.Comments
			typed.Recommendation, typed.Comment = string(own.Recommendation), own.Comment
		}
	}
	setup := c.Config.Assessment
	var scale []option
	for n := setup.Scale.Min; n <= setup.Scale.Max; n++ {
		scale = append(scale, option{Value: strconv.Itoa(n), Label: strconv.Itoa(n)})
	}
	order := []string{"form"}
	labels := map[string]string{}
	for _, cr := range setup.Criteria {
		ci := criterionInput{Title: cr.Title.In(b.Lang), Help: cr.Help.In(b.Lang), Weight: cr.Weight}
		ci.Score = field{Name: "score_" + cr.Key, Label: b.T("review.score", "Criterion", ci.Title), Type: "radios", Value: typed.Scores[cr.Key],
			Options: scale, Required: true, Hint: b.T("review.score.hint", "Min", setup.Scale.Min, "Max", setup.Scale.Max)}
		ci.Comment = field{Name: "comment_" + cr.Key, Label: b.T("review.criterion_comment", "Criterion", ci.Title), Type: "textarea",
			Value: typed.Comments[cr.Key], Required: true, Size: 4}
		for _, f := range []*field{&ci.Score, &ci.Comment} {
			if key, ok := b.Errors[f.Name]; ok {
				f.Error = b.T(key)
			}
			order = append(order, f.Name)
			labels[f.Name] = f.Label
		}
		if page.Submitted != nil {
			if sc, ok := page.Submitted.Scores[cr.Key]; ok {
				ci.Shown = strconv.Itoa(sc)
			}
			ci.Said = page.Submitted.Comments[cr.Key]
		}
		page.Criteria = append(page.Criteria, ci)
	}
	var recs []option
	for _, rc := range review.Recommendations {
		recs = append(recs, option{Value: string(rc), Label: b.T("case.recommend." + string(rc))})
	}
	page.Recommend = b.Choice("recommendation", "review.recommendation", "radios", typed.Recommendation, recs, "required")
	page.Comment = b.Field("comment", "review.comment", "textarea", typed.Comment, "hint", "rows=5")
	labels["recommendation"], labels["comment"] = page.Recommend.Label, page.Comment.Label
	page.Summary = b.labelledSummary(append(order, "scores", "recommendation", "comment", "conflict", "reviewer"), labels)
	return s.render(w, b, status, "review", page)
}

// reviewDeclare records the reviewer's conflict-of-interest declaration.
func (s *Server) reviewDeclare(w http.ResponseWriter, r *http.Request, b *Base) error {
	cf, as, err := s.assignedCase(r, b)
	if err != nil {
		return err
	}
	conflict := r.PostFormValue("conflict")
	note := strings.TrimSpace(r.PostFormValue("conflict_note"))
	b.Errors = validate.Errors{}
	if as.Declared {
		b.Errors.Add("form", "error.review.declared")
		return s.renderReview(w, r, b, http.StatusConflict, cf, as, nil, conflict, note)
	}
	switch conflict {
	case "yes", "no":
	case "":
		b.Errors.Add("conflict", "error.required")
	default:
		b.Errors.Add("conflict", "error.invalid_choice")
	}
	if conflict == "yes" {
		b.Errors.Required("conflict_note", note)
	}
	b.Errors.MaxLen("conflict_note", note, 5000)
	if len(b.Errors) == 0 {
		err = s.store.DeclareConflict(r.Context(), actor(b.User), cf.App.ID, b.User.ID, conflict == "yes", note)
		if errors.Is(err, application.ErrTransition) {
			b.Errors.Add("form", "error.review.submitted")
		} else if _, ok := formFailed(err, b); !ok && err != nil {
			return err
		}
	}
	if len(b.Errors) > 0 {
		return s.renderReview(w, r, b, http.StatusUnprocessableEntity, cf, as, nil, conflict, note)
	}
	if conflict == "yes" {
		setFlash(w, "flash.review.conflict")
	} else {
		setFlash(w, "flash.review.no_conflict")
	}
	http.Redirect(w, r, b.URL("review", cf.App.ID), http.StatusSeeOther)
	return nil
}

func parseReviewForm(r *http.Request, setup review.Setup) reviewForm {
	f := reviewForm{Scores: map[string]string{}, Comments: map[string]string{},
		Recommendation: r.PostFormValue("recommendation"), Comment: r.PostFormValue("comment")}
	for _, c := range setup.Criteria {
		f.Scores[c.Key] = strings.TrimSpace(r.PostFormValue("score_" + c.Key))
		f.Comments[c.Key] = r.PostFormValue("comment_" + c.Key)
	}
	return f
}

// review converts the form. A score that is not a whole number within the
// scale is an error even on a draft, so nothing outside the scale is kept;
// submitting checks the rest (review.Check).
func (f reviewForm) review(appID, reviewerID int64, setup review.Setup, submit bool) (*review.Review, validate.Errors) {
	rv := &review.Review{ApplicationID: appID, ReviewerID: reviewerID, Scores: map[string]int{}, Comments: map[string]string{},
		Recommendation: review.Recommendation(f.Recommendation), Comment: strings.TrimSpace(f.Comment)}
	errs := validate.Errors{}
	for _, c := range setup.Criteria {
		name := "score_" + c.Key
		if v := f.Scores[c.Key]; v != "" {
			n, err := strconv.Atoi(v)
			switch {
			case err != nil:
				errs.Add(name, "error.review.out_of_scale")
			case n < setup.Scale.Min || n > setup.Scale.Max:
				errs.Add(name, "error.review.out_of_scale")
			default:
				rv.Scores[c.Key] = n
			}
		}
		if t := strings.TrimSpace(f.Comments[c.Key]); t != "" {
			rv.Comments[c.Key] = t
		}
		errs.MaxLen("comment_"+c.Key, rv.Comments[c.Key], 5000)
	}
	if f.Recommendation != "" {
		valid := false
		for _, rc := range review.Recommendations {
			valid = valid || rc == rv.Recommendation
		}
		if !valid {
			errs.Add("recommendation", "error.invalid_choice")
		}
	}
	errs.MaxLen("comment", rv.Comment, 10000)
	if submit {
		for k, v := range rv.Check(setup) {
			errs.Add(k, v)
		}
	}
	return rv, errs
}

// reviewSave saves the review as a draft or submits it (action=submit).
func (s *Server) reviewSave(w http.ResponseWriter, r *http.Request, b *Base) error {
	cf, as, err := s.assignedCase(r, b)
	if err != nil {
		return err
	}
	if !as.Declared || as.Conflict {
		return errForbidden
	}
	setup := cf.Call.Config.Assessment
	f := parseReviewForm(r, setup)
	submit := r.PostFormValue("action") == "submit"
	rv, errs := f.review(cf.App.ID, b.User.ID, setup, submit)
	b.Errors = errs
	status := http.StatusUnprocessableEntity
	if len(errs) == 0 {
		err = s.store.SaveReview(r.Context(), actor(b.User), rv, submit)
		switch {
		case errors.Is(err, application.ErrTransition): // no longer in review
			b.Errors, status = validate.Errors{"form": "error.review.closed"}, http.StatusConflict
		case err != nil:
			if _, ok := formFailed(err, b); !ok {
				return err
			}
		}
	}
	if len(b.Errors) > 0 {
		return s.renderReview(w, r, b, status, cf, as, &f, "", "")
	}
	if submit {
		setFlash(w, "flash.review.submitted")
	} else {
		setFlash(w, "flash.review.saved")
	}
	http.Redirect(w, r, b.URL("review", cf.App.ID), http.StatusSeeOther)
	return nil
}
