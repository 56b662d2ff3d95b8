package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
	"github.com/icld/partnerskap/internal/validate"
)

// The public answer page of a grant's survey: anonymous, no sign-in, one
// link per phase. The phase's word in the path is "fore"/"efter" in
// Swedish links and "before"/"after" in English ones; both pairs are
// accepted under either prefix, so the language switch, which keeps the
// path's values, lands on a working page.

// phaseOf reads a phase's word in a path.
func phaseOf(word string) (survey.Phase, bool) {
	switch word {
	case "fore", "before":
		return survey.Baseline, true
	case "efter", "after":
		return survey.FollowUp, true
	}
	return "", false
}

// phaseWord is a phase's word in links of lang.
func phaseWord(lang string, p survey.Phase) string {
	switch {
	case lang == "en" && p == survey.FollowUp:
		return "after"
	case lang == "en":
		return "before"
	case p == survey.FollowUp:
		return "efter"
	}
	return "fore"
}

// surveyAnswerPage is the answer form, the thank-you note, or the notice
// that the phase is closed or that too many answers came too fast (State:
// "form", "thanks", "closed", "busy").
type surveyAnswerPage struct {
	*Base
	State       string
	Token       string
	PhaseWord   string
	Phase       survey.Phase
	Partnership string
	Questions   []answerQuestion
	Group       field
	Code        field
	Summary     errorSummary
}

// answerQuestion is one question as the respondent sees it. Name is the
// form field ("q_" + key), which is also the id the error summary links to.
type answerQuestion struct {
	Name    string
	Kind    survey.Kind
	Text    string
	Value   string
	Error   string
	Options []option
}

// surveyContext is what the answer pages load for a token and phase.
type surveyContext struct {
	sv          *survey.Survey
	call        *call.Call
	phase       survey.Phase
	partnership string
}

func (s *Server) loadSurveyContext(r *http.Request) (*surveyContext, error) {
	phase, ok := phaseOf(r.PathValue("phase"))
	if !ok {
		return nil, store.ErrNotFound
	}
	ctx := r.Context()
	sv, err := s.store.SurveyByToken(ctx, r.PathValue("token"))
	if err != nil {
		return nil, err
	}
	g, err := s.store.Grant(ctx, sv.GrantID)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Call(ctx, g.CallID)
	if err != nil {
		return nil, err
	}
	p, err := s.store.Partnership(ctx, g.PartnershipID)
	if err != nil {
		return nil, err
	}
	return &surveyContext{sv: sv, call: c, phase: phase, partnership: p.Name}, nil
}

func (s *Server) newAnswerPage(b *Base, sc *surveyContext, state string) *surveyAnswerPage {
	b.Title = b.T("survey.answer.title", "Partnership", sc.partnership)
	return &surveyAnswerPage{Base: b, State: state, Token: sc.sv.Token, PhaseWord: phaseWord(b.Lang, sc.phase),
		Phase: sc.phase, Partnership: sc.partnership}
}

// renderAnswer renders the page uncached: it changes when the phase opens
// or closes, and a form page must never be served from a shared cache.
func (s *Server) renderAnswer(w http.ResponseWriter, b *Base, status int, pg *surveyAnswerPage) error {
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, b, status, "survey_answer", pg)
}

// fill sets the form's questions and fields from what was typed.
func (pg *surveyAnswerPage) fill(sc *surveyContext, typed map[string]string, group, code string) {
	b := pg.Base
	order := []string{"target_group"}
	labels := map[string]string{"target_group": b.T("survey.answer.group"), "code": b.T("survey.answer.code")}
	for _, q := range sc.sv.Questions {
		aq := answerQuestion{Name: "q_" + q.Key, Kind: q.Kind, Text: q.Text.In(b.Lang), Value: typed[q.Key]}
		if key, ok := b.Errors[aq.Name]; ok {
			aq.Error = b.T(key)
		}
		switch q.Kind {
		case survey.Scale:
			for n := 1; n <= 5; n++ {
				label := strconv.Itoa(n)
				if n == 1 && q.Low.SV != "" {
					label += " – " + q.Low.In(b.Lang)
				}
				if n == 5 && q.High.SV != "" {
					label += " – " + q.High.In(b.Lang)
				}
				aq.Options = append(aq.Options, option{Value: strconv.Itoa(n), Label: label})
			}
		case survey.YesNo:
			for _, v := range []string{survey.Yes, survey.No, survey.DontKnow} {
				aq.Options = append(aq.Options, option{Value: v, Label: b.T("survey.answer." + v)})
			}
		case survey.SingleChoice:
			for _, o := range q.Options {
				aq.Options = append(aq.Options, option{Value: o.Value, Label: o.Label.In(b.Lang)})
			}
		}
		pg.Questions = append(pg.Questions, aq)
		order = append(order, aq.Name)
		labels[aq.Name] = aq.Text
	}
	order = append(order, "code")
	groups := []option{{Value: "", Label: b.T("form.choose")}}
	groups = append(groups, optionsIn(sc.call.Config.Lists.TargetGroups, b.Lang)...)
	pg.Group = b.Choice("target_group", "survey.answer.group", "select", group, groups, "required", "hint")
	pg.Code = b.Field("code", "survey.answer.code", "text", code, "hint", "autocomplete=off")
	pg.Summary = b.labelledSummary(order, labels)
}

// optionsIn translates a configured list for a select.
func optionsIn(opts []form.Option, lang string) []option {
	out := make([]option, 0, len(opts))
	for _, o := range opts {
		out = append(out, option{Value: o.Value, Label: o.Label.In(lang)})
	}
	return out
}

// surveyAnswer shows the answer form, or that the phase is closed (410).
func (s *Server) surveyAnswer(w http.ResponseWriter, r *http.Request, b *Base) error {
	sc, err := s.loadSurveyContext(r)
	if err != nil {
		return err
	}
	if !sc.sv.IsOpen(sc.phase, s.clock.Now()) {
		return s.renderAnswer(w, b, http.StatusGone, s.newAnswerPage(b, sc, "closed"))
	}
	pg := s.newAnswerPage(b, sc, "form")
	pg.fill(sc, nil, "", "")
	return s.renderAnswer(w, b, http.StatusOK, pg)
}

// surveySubmit saves an anonymous answer. Unanswered questions are left
// out (a respondent may skip one); a wrong answer re-shows the form with
// what was chosen (422); a closed phase gives 410 and too many answers
// too fast 429, before anything is read from the form.
func (s *Server) surveySubmit(w http.ResponseWriter, r *http.Request, b *Base) error {
	sc, err := s.loadSurveyContext(r)
	if err != nil {
		return err
	}
	if !s.flood.allow(s.clientAddress(r), sc.sv.Token, s.clock.Now()) {
		w.Header().Set("Retry-After", strconv.Itoa(int((10 * time.Second).Seconds())))
		return s.renderAnswer(w, b, http.StatusTooManyRequests, s.newAnswerPage(b, sc, "busy"))
	}
	if err := r.ParseForm(); err != nil {
		return validate.Errors{"form": "error.invalid_choice"}
	}
	resp := &survey.Response{GrantID: sc.sv.GrantID, Phase: sc.phase, TargetGroup: r.PostForm.Get("target_group"),
		Code: r.PostForm.Get("code"), Answers: map[string]string{}}
	for _, q := range sc.sv.Questions {
		if v := r.PostForm.Get("q_" + q.Key); v != "" {
			resp.Answers[q.Key] = v
		}
	}
	err = s.store.AddResponse(r.Context(), resp)
	if errors.Is(err, survey.ErrClosed) || errors.Is(err, grant.ErrClosed) {
		return s.renderAnswer(w, b, http.StatusGone, s.newAnswerPage(b, sc, "closed"))
	}
	if status, ok := formFailed(err, b); ok && status != http.StatusConflict {
		// Field errors, or a database that could not take the answer:
		// the form comes back with what was answered.
		pg := s.newAnswerPage(b, sc, "form")
		pg.fill(sc, resp.Answers, resp.TargetGroup, r.PostForm.Get("code"))
		return s.renderAnswer(w, b, status, pg)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, b.URL("survey.thanks", sc.sv.Token, phaseWord(b.Lang, sc.phase)), http.StatusSeeOther)
	return nil
}

// surveyThanks thanks the respondent.
func (s *Server) surveyThanks(w http.ResponseWriter, r *http.Request, b *Base) error {
	sc, err := s.loadSurveyContext(r)
	if err != nil {
		return err
	}
	return s.renderAnswer(w, b, http.StatusOK, s.newAnswerPage(b, sc, "thanks"))
}
