package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
	"github.com/icld/partnerskap/internal/validate"
)

// reportRow is one report a grant owes: its deadline and, once started,
// the report.
type reportRow struct {
	Deadline report.Deadline
	Report   *report.Report // nil until the grantee starts it
	Overdue  bool
}

// State is the report's state, "not_started" before it exists.
func (r reportRow) State() string {
	if r.Report == nil {
		return "not_started"
	}
	return string(r.Report.State)
}

// reportRows lists the reports g owes under its call's rules.
func (s *Server) reportRows(ctx context.Context, ga *grantAccess) ([]reportRow, error) {
	list, err := s.store.Reports(ctx, ga.Grant.ID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var out []reportRow
	for _, d := range ga.Call.Config.Reports.Deadlines(ga.Grant.AwardedOn, ga.Grant.EndDate) {
		row := reportRow{Deadline: d}
		state := report.Draft
		for i := range list {
			if list[i].Kind == d.Kind {
				row.Report, state = &list[i], list[i].State
			}
		}
		row.Overdue = report.IsOverdue(d, state, now)
		out = append(out, row)
	}
	return out, nil
}

// closureOf returns the grant's closing, nil while it is open.
func (s *Server) closureOf(ctx context.Context, grantID int64) (*grant.Closure, error) {
	c, err := s.store.Closure(ctx, grantID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return c, err
}

type reportsPage struct {
	*Base
	G       *grantAccess
	Rows    []reportRow
	Closure *grant.Closure
}

// grantReports lists the reports a grant owes with their deadlines; the
// grantee opens each, an officer of the programme reads them.
func (s *Server) grantReports(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, err := s.loadGrantActivities(r, b, false)
	if err != nil {
		return err
	}
	page := reportsPage{Base: b, G: ga}
	if page.Rows, err = s.reportRows(r.Context(), ga); err != nil {
		return err
	}
	if page.Closure, err = s.closureOf(r.Context(), ga.Grant.ID); err != nil {
		return err
	}
	b.Title = b.T("report.list.title", "Name", ga.Partnership.Name)
	return s.render(w, b, http.StatusOK, "reports", page)
}

// reportLineForm is one financial line as shown and typed.
type reportLineForm struct {
	Category, Label string
	Budgeted        int64
	Spent           string
	Explanation     string
}

type reportPage struct {
	*Base
	G        *grantAccess
	Row      reportRow
	Report   *report.Report // what is stored; nil before the first save
	Done     string
	Results  string
	Lessons  string
	Version  string
	Lines    []reportLineForm
	Reach    activity.Summary
	Survey   []survey.QuestionResult
	Closure  *grant.Closure
	Editable bool
	Summary  errorSummary
	// Moves are the approved requests to move money between budget
	// lines: spending that follows them is no unexplained deviation.
	Moves []grant.ChangeRequest
}

// approvedMoves returns a grant's approved requests that moved money
// between budget lines, oldest first.
func (s *Server) approvedMoves(ctx context.Context, grantID int64) ([]grant.ChangeRequest, error) {
	all, err := s.store.ChangeRequests(ctx, grantID)
	if err != nil {
		return nil, err
	}
	var out []grant.ChangeRequest
	for _, c := range all {
		if c.State == grant.ChangeApproved && c.MovesMoney() {
			out = append(out, c)
		}
	}
	return out, nil
}

// GroupLabel and ChannelLabel name a value of the call's lists.
func (p reportPage) GroupLabel(v string) string {
	return formOptionLabel(p.G.Call.Config.Lists.TargetGroups, v, p.Lang)
}
func (p reportPage) ChannelLabel(v string) string {
	return formOptionLabel(p.G.Call.Config.Lists.Channels, v, p.Lang)
}

// SpentTotal is the sum of the spending that reads as money.
func (p reportPage) SpentTotal() int64 {
	r := report.Report{}
	for _, l := range p.Lines {
		r.Lines = append(r.Lines, report.Line{Spent: l.Spent})
	}
	return r.Spent()
}

// BudgetTotal is the sum of the lines' budgets.
func (p reportPage) BudgetTotal() int64 {
	var sum int64
	for _, l := range p.Lines {
		sum += l.Budgeted
	}
	return sum
}

// SpentName and ExplanationName name line i's controls.
func (p reportPage) SpentName(i int) string       { return "lines." + strconv.Itoa(i) + ".spent" }
func (p reportPage) ExplanationName(i int) string { return "lines." + strconv.Itoa(i) + ".explanation" }

// Tolerance is the call's deviation tolerance in whole percent.
func (p reportPage) Tolerance() int {
	return int(p.G.Call.Config.Reports.Tolerance()*100 + 0.5)
}

// loadReportKind reads {kind} from the path and the deadline the call
// sets for it; a kind the call does not ask for is 404.
func (s *Server) loadReportKind(r *http.Request, ga *grantAccess) (report.Deadline, error) {
	kind := report.Kind(r.PathValue("kind"))
	d, ok := ga.Call.Config.Reports.Deadline(ga.Grant.AwardedOn, ga.Grant.EndDate, kind)
	if !ok {
		return d, store.ErrNotFound
	}
	return d, nil
}

// budgetLines are the lines of the financial report before the grantee
// has saved one: the application's budget lines (category, description
// and amount), or the call's cost categories without a budget when the
// grant came without an application.
func (s *Server) budgetLines(ctx context.Context, ga *grantAccess, lang string) ([]report.Line, error) {
	var out []report.Line
	if ga.Grant.ApplicationID != 0 {
		a, err := s.store.Application(ctx, ga.Grant.ApplicationID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if a != nil {
			for _, l := range a.Answers.Budget {
				ore, _ := money.Parse(l.Amount)
				cat := formOptionLabel(ga.Call.Config.Lists.BudgetCategories, l.Category, lang)
				if d := strings.TrimSpace(l.Description); d != "" {
					cat += ": " + d
				}
				out = append(out, report.Line{Category: cat, Budgeted: max(ore, 0)})
			}
		}
	}
	if len(out) == 0 {
		for _, o := range ga.Call.Config.Lists.BudgetCategories {
			out = append(out, report.Line{Category: o.Label.In(lang)})
		}
	}
	return out, nil
}

// renderReport shows the report page with what was typed (or stored).
func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, b *Base, status int, ga *grantAccess, d report.Deadline, typed *report.Report) error {
	ctx := r.Context()
	page := reportPage{Base: b, G: ga}
	rows, err := s.reportRows(ctx, ga)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if row.Deadline.Kind == d.Kind {
			page.Row, page.Report = row, row.Report
		}
	}
	if page.Moves, err = s.approvedMoves(ctx, ga.Grant.ID); err != nil {
		return err
	}
	if page.Closure, err = s.closureOf(ctx, ga.Grant.ID); err != nil {
		return err
	}
	shown := typed
	if shown == nil {
		shown = page.Report
	}
	if shown == nil {
		lines, err := s.budgetLines(ctx, ga, b.Lang)
		if err != nil {
			return err
		}
		shown = &report.Report{Lines: lines}
	}
	page.Done, page.Results, page.Lessons = shown.Done, shown.Results, shown.Lessons
	if page.Report != nil {
		page.Version = strconv.Itoa(page.Report.Version)
	}
	for _, l := range shown.Lines {
		page.Lines = append(page.Lines, reportLineForm{Category: l.Category, Label: l.Category, Budgeted: l.Budgeted, Spent: l.Spent, Explanation: l.Explanation})
	}
	page.Editable = ga.CanWrite && page.Closure == nil && (page.Report == nil || page.Report.Editable())
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
	order := []string{"form", "done=report.done", "results=report.results", "lessons=report.lessons", "lines"}
	for i := range page.Lines {
		order = append(order, page.SpentName(i)+"=report.spent", page.ExplanationName(i)+"=report.explanation")
	}
	page.Summary = b.ErrorSummary(order...)
	b.Title = b.T("report.kind."+string(d.Kind)) + " – " + ga.Partnership.Name
	return s.render(w, b, status, "report", page)
}

func (s *Server) grantReport(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, err := s.loadGrantActivities(r, b, false)
	if err != nil {
		return err
	}
	d, err := s.loadReportKind(r, ga)
	if err != nil {
		return err
	}
	return s.renderReport(w, r, b, http.StatusOK, ga, d, nil)
}

// grantReportPost saves the grantee's report, and submits it when the
// submit button was pressed. The draft is saved first either way, so
// what was typed is kept even when the submission is refused.
func (s *Server) grantReportPost(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, err := s.loadGrantActivities(r, b, true)
	if err != nil {
		return err
	}
	d, err := s.loadReportKind(r, ga)
	if err != nil {
		return err
	}
	ctx := r.Context()
	rows, err := s.reportRows(ctx, ga)
	if err != nil {
		return err
	}
	var stored *report.Report
	for _, row := range rows {
		if row.Deadline.Kind == d.Kind {
			stored = row.Report
		}
	}
	// The lines' categories and budgets are the stored report's, or the
	// application's: only spending and explanations come from the form.
	var base []report.Line
	if stored != nil {
		base = stored.Lines
	} else if base, err = s.budgetLines(ctx, ga, b.Lang); err != nil {
		return err
	}
	rep := &report.Report{GrantID: ga.Grant.ID, Kind: d.Kind, Done: r.PostFormValue("done"), Results: r.PostFormValue("results"),
		Lessons: r.PostFormValue("lessons")}
	if stored != nil {
		rep.ID = stored.ID
		rep.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	}
	for i, l := range base {
		l.Spent = r.PostFormValue("lines." + strconv.Itoa(i) + ".spent")
		l.Explanation = r.PostFormValue("lines." + strconv.Itoa(i) + ".explanation")
		rep.Lines = append(rep.Lines, l)
	}
	typed := *rep
	typed.Lines = append([]report.Line(nil), rep.Lines...)
	err = s.store.SaveReport(ctx, actor(b.User), rep)
	submit := r.PostFormValue("action") == "submit"
	number := ""
	if err == nil && submit {
		var mails []mail.Message
		if mails, err = s.notify.ReportSubmitted(ctx, ga.mailed(), d.Kind); err == nil {
			var entry *registry.Entry
			if entry, err = s.store.SubmitReport(ctx, actor(b.User), rep.ID, rep.Version, mails); err == nil {
				number = entry.Number
			}
		}
	}
	switch {
	case errors.Is(err, grant.ErrClosed):
		b.Errors = validate.Errors{"form": "error.grant.closed"}
		return s.renderReport(w, r, b, http.StatusConflict, ga, d, &typed)
	case errors.Is(err, report.ErrTransition):
		b.Errors = validate.Errors{"form": "error.report.not_editable"}
		return s.renderReport(w, r, b, http.StatusConflict, ga, d, &typed)
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderReport(w, r, b, status, ga, d, &typed)
	}
	if err != nil {
		return err
	}
	if submit {
		setFlash(w, "flash.report.submitted."+string(d.Kind), "Number", number)
	} else {
		setFlash(w, "flash.report.saved")
	}
	http.Redirect(w, r, b.URL("grant.report", ga.Grant.ID, string(d.Kind)), http.StatusSeeOther)
	return nil
}

// surveyRow is one survey question's result, formatted for the report.
type surveyRow struct {
	Question           string
	Before, After      int // answered
	MeanBefore         string
	MeanAfter          string
	Change             string
	Pairs              int
	PairedChange       string
	IsScale, HasChange bool
}

// SurveyRows formats the survey results for reading.
func (p reportPage) SurveyRows() []surveyRow {
	var out []surveyRow
	for _, q := range p.Survey {
		row := surveyRow{Question: q.Question.Text.In(p.Lang), Before: q.Baseline.Answered, After: q.FollowUp.Answered, Pairs: q.Pairs,
			IsScale: q.Question.Kind == survey.Scale, HasChange: q.Baseline.Answered > 0 && q.FollowUp.Answered > 0}
		row.MeanBefore = strconv.FormatFloat(q.Baseline.Mean, 'f', 1, 64)
		row.MeanAfter = strconv.FormatFloat(q.FollowUp.Mean, 'f', 1, 64)
		row.Change = strconv.FormatFloat(q.Change, 'f', 1, 64)
		row.PairedChange = strconv.FormatFloat(q.PairedChange, 'f', 1, 64)
		if p.Lang != "en" {
			for _, s := range []*string{&row.MeanBefore, &row.MeanAfter, &row.Change, &row.PairedChange} {
				*s = strings.Replace(strings.Replace(*s, ".", ",", 1), "-", "−", 1)
			}
		}
		out = append(out, row)
	}
	return out
}
