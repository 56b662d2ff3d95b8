package web

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
	"github.com/icld/partnerskap/internal/validate"
)

// The grantee's survey page: create the grant's survey, hand out its links
// and QR codes, open and close its phases, add own questions, and read
// the results before and after. Applicants of the grant's organisation
// change it; officers of the programme read it; anyone else gets 404.

type surveyPage struct {
	*Base
	Grant       *grant.Grant
	Partnership string
	CanWrite    bool
	Survey      *survey.Survey
	Template    []string // the call's questions, before a survey exists
	Phases      []phaseView
	Questions   []questionView
	Own         ownForm
	Groups      []option
	Group       string // the target group the results are limited to; "" for all
	Counts      [2]int // responses before and after (in Group)
	Results     []resultView
	FreeText    []freeTextView
	Summary     errorSummary
}

// MinPublicAnswers is what the public pages need under each survey figure
// (survey.Public); this page, the grantee's and officers' own, shows the
// smaller numbers too, and says which the public won't see.
func (surveyPage) MinPublicAnswers() int { return survey.MinPublicAnswers }

// phaseView is one phase's links, QR codes and window.
type phaseView struct {
	Phase      survey.Phase
	Name       string
	Status     string
	Opens      string
	Closes     string // the last day answers are taken, as a date
	Link       string // absolute, in the page's language
	LinkOther  string // the same in the other language
	QRPNG      string
	QRSVG      string
	ClosesName string // the date field's name: baseline_closes, follow_up_closes
}

type questionView struct {
	Text string
	Kind string
	Own  bool
}

// ownForm is the add-a-question form as typed.
type ownForm struct {
	Kind, TextSV, TextEN, Options, Low, High string
}

// resultView is one question's results, ready to show.
type resultView struct {
	ID           string
	Text         string
	Rows         []resultRow
	N            [2]int
	Mean         [2]string // scale questions
	Change       string
	Pairs        int
	PairedChange string
	// NotPublic says the paired change is left off the public pages:
	// too few pairs (survey.Public). The grantee and the officers see it.
	NotPublic string
	Chart     template.HTML
}

type resultRow struct {
	Label  string
	Count  [2]int
	Share  [2]string
	shares [2]float64
}

type freeTextView struct {
	Text    string
	Answers [2][]string
}

// loadGrantForSurvey loads the grant {id} and the user's access to it.
func (s *Server) loadGrantForSurvey(r *http.Request, b *Base, write bool) (*grant.Grant, *call.Call, bool, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, false, err
	}
	g, err := s.store.Grant(r.Context(), id)
	if err != nil {
		return nil, nil, false, err
	}
	c, err := s.store.Call(r.Context(), g.CallID)
	if err != nil {
		return nil, nil, false, err
	}
	canWrite := policy.ApplicantFor(b.User, g.OrganisationID)
	if !canWrite {
		// Grant numbers can't be probed: a stranger sees no grant.
		if !policy.Can(b.User, policy.ManageProgramme, c.ProgrammeID) {
			return nil, nil, false, store.ErrNotFound
		}
		if write {
			return nil, nil, false, errForbidden
		}
	}
	return g, c, canWrite, nil
}

// grantSurvey shows the survey page.
func (s *Server) grantSurvey(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, c, canWrite, err := s.loadGrantForSurvey(r, b, false)
	if err != nil {
		return err
	}
	sv, err := s.store.Survey(r.Context(), g.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.renderSurveyPage(w, r, b, http.StatusOK, g, c, canWrite, sv, ownForm{Kind: string(survey.Scale)})
}

func (s *Server) renderSurveyPage(w http.ResponseWriter, r *http.Request, b *Base, status int, g *grant.Grant, c *call.Call, canWrite bool, sv *survey.Survey, own ownForm) error {
	p, err := s.store.Partnership(r.Context(), g.PartnershipID)
	if err != nil {
		return err
	}
	b.Title = b.T("survey.page.title", "Partnership", p.Name)
	pg := &surveyPage{Base: b, Grant: g, Partnership: p.Name, CanWrite: canWrite, Survey: sv, Own: own}
	pg.Summary = b.ErrorSummary("form", "baseline_closes=survey.phase.closes", "follow_up_closes=survey.phase.closes",
		"follow_up", "kind=survey.own.kind", "text_sv=survey.own.text_sv", "text_en=survey.own.text_en", "options=survey.own.options")
	if sv == nil {
		for _, q := range c.Config.SurveyTemplate() {
			pg.Template = append(pg.Template, q.Text.In(b.Lang))
		}
		return s.render(w, b, status, "survey", pg)
	}
	now := s.clock.Now()
	for _, ph := range survey.Phases {
		win := sv.Window(ph)
		word := phaseWord(b.Lang, ph)
		pv := phaseView{Phase: ph, Name: b.T("survey.phase." + string(ph)), Status: win.Status(now),
			Opens: b.DateTime(win.Opens), Closes: b.Date(win.LastDay()),
			Link:       absoluteURL(b, r, b.URL("survey.answer", sv.Token, word)),
			LinkOther:  absoluteURL(b, r, b.urlIn(b.Other(), "survey.answer", sv.Token, phaseWord(b.Other(), ph))),
			QRPNG:      b.URL("survey.qr.png", sv.Token, word),
			QRSVG:      b.URL("survey.qr.svg", sv.Token, word),
			ClosesName: string(ph) + "_closes"}
		if v := r.PostFormValue(pv.ClosesName); v != "" && b.Errors.Has(pv.ClosesName) {
			pv.Closes = v
		}
		pg.Phases = append(pg.Phases, pv)
	}
	fromTemplate := len(c.Config.SurveyTemplate())
	for i, q := range sv.Questions {
		pg.Questions = append(pg.Questions, questionView{Text: q.Text.In(b.Lang), Kind: b.T("survey.kind." + string(q.Kind)), Own: i >= fromTemplate})
	}

	responses, err := s.store.Responses(r.Context(), g.ID)
	if err != nil {
		return err
	}
	pg.Groups = append([]option{{Value: "", Label: b.T("survey.results.all_groups")}}, optionsIn(c.Config.Lists.TargetGroups, b.Lang)...)
	if grp := r.URL.Query().Get("grupp"); slices.ContainsFunc(c.Config.Lists.TargetGroups, func(o form.Option) bool { return o.Value == grp }) {
		pg.Group = grp
	}
	for _, resp := range responses {
		if pg.Group != "" && resp.TargetGroup != pg.Group {
			continue
		}
		if resp.Phase == survey.Baseline {
			pg.Counts[0]++
		} else {
			pg.Counts[1]++
		}
		for _, q := range sv.Questions {
			if v := strings.TrimSpace(resp.Answers[q.Key]); q.Kind == survey.FreeText && v != "" {
				i := slices.IndexFunc(pg.FreeText, func(f freeTextView) bool { return f.Text == q.Text.In(b.Lang) })
				if i < 0 {
					pg.FreeText = append(pg.FreeText, freeTextView{Text: q.Text.In(b.Lang)})
					i = len(pg.FreeText) - 1
				}
				k := 0
				if resp.Phase == survey.FollowUp {
					k = 1
				}
				pg.FreeText[i].Answers[k] = append(pg.FreeText[i].Answers[k], v)
			}
		}
	}
	for _, res := range survey.Results(sv.Questions, responses, pg.Group) {
		pg.Results = append(pg.Results, resultOf(b, res))
	}
	return s.render(w, b, status, "survey", pg)
}

// resultOf formats a question's results and draws its chart.
func resultOf(b *Base, res survey.QuestionResult) resultView {
	q := res.Question
	rv := resultView{ID: "q-" + q.Key, Text: q.Text.In(b.Lang), N: [2]int{res.Baseline.Answered, res.FollowUp.Answered}, Pairs: res.Pairs}
	label := func(v string) string {
		switch q.Kind {
		case survey.Scale:
			if v == "1" && q.Low.SV != "" {
				return v + " – " + q.Low.In(b.Lang)
			}
			if v == "5" && q.High.SV != "" {
				return v + " – " + q.High.In(b.Lang)
			}
			return v
		case survey.YesNo:
			return b.T("survey.answer." + v)
		}
		for _, o := range q.Options {
			if o.Value == v {
				return o.Label.In(b.Lang)
			}
		}
		return v
	}
	values := func(pr survey.PhaseResult) []survey.Share { return pr.Shares }
	var vals []string
	for _, sh := range append(values(res.Baseline), values(res.FollowUp)...) {
		if !slices.Contains(vals, sh.Value) {
			vals = append(vals, sh.Value)
		}
	}
	for _, v := range vals {
		row := resultRow{Label: label(v)}
		for i, pr := range []survey.PhaseResult{res.Baseline, res.FollowUp} {
			for _, sh := range pr.Shares {
				if sh.Value == v {
					row.Count[i], row.shares[i] = sh.Count, sh.Share
				}
			}
			if pr.Answered > 0 {
				row.Share[i] = percent(b.Lang, row.shares[i])
			}
		}
		rv.Rows = append(rv.Rows, row)
	}
	both := res.Baseline.Answered > 0 && res.FollowUp.Answered > 0
	switch q.Kind {
	case survey.Scale:
		for i, pr := range []survey.PhaseResult{res.Baseline, res.FollowUp} {
			if pr.Answered > 0 {
				rv.Mean[i] = decimal(b.Lang, pr.Mean, 2, false)
			}
		}
		if both {
			rv.Change = decimal(b.Lang, res.Change, 2, true)
		}
		if res.Pairs > 0 {
			rv.PairedChange = decimal(b.Lang, res.PairedChange, 2, true)
		}
	case survey.YesNo:
		if both {
			rv.Change = b.T("survey.results.points", "N", decimal(b.Lang, res.Change, 1, true))
		}
		if res.Pairs > 0 {
			rv.PairedChange = b.T("survey.results.points", "N", decimal(b.Lang, res.PairedChange, 1, true))
		}
	}
	if both && !res.Public().PairedChange {
		rv.NotPublic = b.T("surveypairs.not_public", "Min", survey.MinPublicAnswers)
	}
	rv.Chart = barChart(b, rv)
	return rv
}

// decimal formats v with n decimals in lang (decimal comma in Swedish),
// with a sign when signed, and a real minus sign.
func decimal(lang string, v float64, n int, signed bool) string {
	if math.Abs(v) < 0.5*math.Pow(10, -float64(n)) {
		v = 0 // no "-0,00"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', n, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	switch {
	case v < 0:
		s = "−" + s
	case signed && v > 0:
		s = "+" + s
	}
	return s
}

// percent formats a share (0–1) as whole percent.
func percent(lang string, share float64) string {
	return strconv.Itoa(int(math.Round(share*100))) + " %"
}

// Chart colours: both reach 3:1 against white and against each other's
// neighbour white gap (WCAG 1.4.11); each bar also carries its share as
// text, so the colour is never the only clue.
const (
	chartBefore = "#6b8fbf"
	chartAfter  = "#1b3a6b"
	chartText   = "#1a1a1a"
)

// barChart draws a question's shares before and after as horizontal bars,
// in SVG, with a title and a description that say the same in words.
func barChart(b *Base, rv resultView) template.HTML {
	const (
		width  = 640
		labelW = 200
		barMax = 360
		barH   = 14
		gap    = 4
		rowGap = 14
		top    = 28
	)
	esc := template.HTMLEscapeString
	height := top + len(rv.Rows)*(2*barH+gap+rowGap)
	names := [2]string{b.T("survey.phase.baseline"), b.T("survey.phase.follow_up")}
	var desc []string
	for i := range 2 {
		var parts []string
		for _, row := range rv.Rows {
			parts = append(parts, row.Label+": "+row.Share[i])
		}
		if rv.N[i] == 0 {
			parts = []string{b.T("survey.results.no_answers")}
		}
		desc = append(desc, fmt.Sprintf("%s (n = %d): %s", names[i], rv.N[i], strings.Join(parts, ", ")))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-title %s-desc">`, width, height, rv.ID, rv.ID)
	fmt.Fprintf(&sb, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, rv.ID, esc(b.T("survey.results.chart", "Question", rv.Text)), rv.ID, esc(strings.Join(desc, ". ")))
	// Legend.
	for i, c := range []string{chartBefore, chartAfter} {
		x := labelW + i*150
		fmt.Fprintf(&sb, `<rect x="%d" y="4" width="14" height="14" fill="%s"/><text x="%d" y="16" font-size="13" fill="%s">%s</text>`, x, c, x+20, chartText, esc(names[i]))
	}
	y := top
	for _, row := range rv.Rows {
		fmt.Fprintf(&sb, `<text x="0" y="%d" font-size="13" fill="%s">%s</text>`, y+barH+gap/2+4, chartText, esc(truncate(row.Label, 30)))
		for i, c := range []string{chartBefore, chartAfter} {
			by := y + i*(barH+gap)
			w := int(math.Round(row.shares[i] * barMax))
			fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, labelW, by, w, barH, c)
			if row.Share[i] != "" {
				fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="12" fill="%s">%s</text>`, labelW+w+6, by+barH-2, chartText, esc(row.Share[i]))
			}
		}
		y += 2*barH + gap + rowGap
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // every text above is escaped
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// grantSurveyPost creates the survey, changes a phase's window, or adds
// a question ("do": create, open, close, save, question).
func (s *Server) grantSurveyPost(w http.ResponseWriter, r *http.Request, b *Base) error {
	g, c, _, err := s.loadGrantForSurvey(r, b, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	now := s.clock.Now()
	if r.PostFormValue("do") == "create" {
		err := s.store.CreateSurvey(ctx, actor(b.User), survey.New(g.ID, c.Config.SurveyTemplate(), now))
		if errors.Is(err, grant.ErrClosed) {
			formFailed(err, b)
			current, rerr := s.store.Survey(ctx, g.ID)
			if errors.Is(rerr, store.ErrNotFound) {
				current, rerr = nil, nil
			}
			if rerr != nil {
				return rerr
			}
			return s.renderSurveyPage(w, r, b, http.StatusConflict, g, c, true, current, ownForm{Kind: string(survey.Scale)})
		}
		if err != nil && !errors.Is(err, store.ErrConflict) { // created already: show it
			return err
		}
		setFlash(w, "flash.survey.created")
		http.Redirect(w, r, b.URL("grant.survey", g.ID), http.StatusSeeOther)
		return nil
	}
	sv, err := s.store.Survey(ctx, g.ID)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	own := ownForm{Kind: string(survey.Scale)}
	errs := validate.Errors{}
	flash := "flash.saved"
	switch do := r.PostFormValue("do"); do {
	case "open", "close", "save":
		phase := survey.Phase(r.PostFormValue("phase"))
		if !slices.Contains(survey.Phases, phase) {
			return store.ErrNotFound
		}
		win := sv.Window(phase)
		name := string(phase) + "_closes"
		// The date typed is the last day answers are taken; empty is no end.
		var closes time.Time
		if v := strings.TrimSpace(r.PostFormValue(name)); v != "" {
			d, err := clock.ParseDate(v)
			if err != nil {
				errs.Add(name, "error.date")
			}
			closes = survey.EndOfDay(d)
		}
		switch do {
		case "open":
			// Opening a phase that has not opened starts it now; opening
			// a closed one again keeps its start and lifts a past end.
			if win.Opens.IsZero() || now.Before(win.Opens) {
				win.Opens = now
			}
			if !closes.IsZero() && !closes.After(now) {
				closes = time.Time{}
			}
			flash = "flash.survey.opened"
		case "close":
			closes = now
			flash = "flash.survey.closed"
		}
		win.Closes = closes
	case "question":
		own = ownForm{Kind: r.PostFormValue("kind"), TextSV: r.PostFormValue("text_sv"), TextEN: r.PostFormValue("text_en"),
			Options: r.PostFormValue("options"), Low: r.PostFormValue("low"), High: r.PostFormValue("high")}
		errs = sv.AddQuestion(survey.OwnQuestion(own))
		flash = "flash.survey.question_added"
	default:
		return store.ErrNotFound
	}
	sv.Version = version
	err = errs.Err()
	if err == nil {
		err = s.store.UpdateSurvey(ctx, actor(b.User), sv)
	}
	if status, ok := formFailed(err, b); ok {
		current, rerr := s.store.Survey(ctx, g.ID) // show the stored survey, with what was typed
		if rerr != nil {
			return rerr
		}
		return s.renderSurveyPage(w, r, b, status, g, c, true, current, own)
	}
	if err != nil {
		return err
	}
	setFlash(w, flash)
	http.Redirect(w, r, b.URL("grant.survey", g.ID), http.StatusSeeOther)
	return nil
}

// surveyKindOptions are the kinds of question a grantee may add.
func surveyKindOptions(b *Base) []option {
	out := make([]option, 0, len(survey.Kinds))
	for _, k := range survey.Kinds {
		out = append(out, option{Value: string(k), Label: b.T("survey.kind." + string(k))})
	}
	return out
}
