package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

// The page "Questions and assessment" edits a call's configuration one
// change at a time, with plain forms: add, edit, move or delete a section
// or a question, and edit the lists, the assessment and the steps. Each
// change is applied to a copy of the stored configuration and saved with
// UpdateCall, so the store's checks (CheckConfig, and CheckConfigChange
// once the call has applications) and its version check hold here as they
// do for the JSON on the call's page.
//
// Sections and questions are addressed by their position, counted from 1
// (/avsnitt/2/fragor/3). Every form carries the version it was shown at,
// and a change to a version that is no longer the stored one is refused as
// a conflict before positions are read, so a position always means what
// the officer saw.
//
// Each form's inputs are named after the form ("s2-f3-label_sv"), which
// makes every id on the long page unique and lets a refused change come
// back with what was typed in its own form, and its errors linked from the
// summary at the top.

// problem is what is wrong with one input: a message key, and the line of
// a list for the messages that name one.
type problem struct {
	Key  string
	Line int
}

// problems maps an input's id to its problem; the first problem found
// for an input is kept.
type problems map[string]problem

func (p problems) add(id, key string) { p.addLine(id, key, 0) }

func (p problems) addLine(id, key string, line int) {
	if _, ok := p[id]; !ok {
		p[id] = problem{Key: key, Line: line}
	}
}

// cfgState is what a refused change leaves for the page: which form was
// posted (its prefix) and with which action, what was typed, and what
// was wrong, per input (probs) or about the change as a whole (general).
type cfgState struct {
	prefix   string
	action   string
	typed    url.Values
	probs    problems
	general  []string // message keys
	conflict bool
	details  []string // a form definition's problems, as the form package words them
}

// keeps reports whether the form with prefix shows what was typed.
func (st cfgState) keeps(prefix string) bool { return st.typed != nil && st.prefix == prefix }

// opens reports whether the form with prefix is shown open: it was
// posted to save or add something, and refused.
func (st cfgState) opens(prefix string) bool {
	return st.keeps(prefix) && st.action != "up" && st.action != "down" && st.action != "delete"
}

// cfgForm is one form on the page.
type cfgForm struct {
	ID      string // the prefix of its inputs; the form's id is ID-form
	Action  string
	Version int    // the call's version the form was shown at
	Was     string // the key of the item it changes, to recognise it after a conflict
	Legend  string
	Button  string
	Verb    string   // the action its button posts: save or add
	Open    bool     // the form was posted and refused: shown open, with what was typed
	Errors  []string // why the change as a whole was refused, translated
	Inputs  []field
	Groups  []cfgGroup
}

// cfgGroup is a fieldset inside a form: one criterion, or the scale.
type cfgGroup struct {
	ID     string
	Legend string
	Inputs []field
}

type cfgSection struct {
	N        int // position, from 1
	Anchor   string
	Key      string
	Title    form.Text
	Help     form.Text
	Up, Down bool     // whether it can move
	Errors   []string // a refused move or deletion, translated
	Fields   []cfgField
	Edit     cfgForm
	Delete   cfgForm // with a confirmation when the section has questions
	AddField cfgForm
}

type cfgField struct {
	N        int // position in its section, from 1
	Anchor   string
	F        form.Field
	KindName string
	Up, Down bool
	Errors   []string
	Edit     cfgForm
}

type cfgPage struct {
	*Base
	Call         *call.Call
	Programme    *programme.Programme
	Version      int
	Applications int // how many the call has: then questions and options can only be added
	Sections     []cfgSection
	AddSection   cfgForm
	Lists        cfgForm
	Assessment   cfgForm
	Steps        cfgForm
	Plan         cfgForm
	Reports      cfgForm
	Summary      errorSummary
	Details      []string
	PreviewURL   string
}

// cfgBuilder builds the page's inputs, taking what was typed and the
// errors for the form that was posted, and collects the summary.
type cfgBuilder struct {
	b       *Base
	st      cfgState
	items   []fieldError // the summary, in the order of the page
	general string       // where the change-wide errors link to
}

// input builds one input of the form with prefix. opts are "required",
// "hint" (labelKey + ".hint"), "rows=N" and "inputmode=…", as for Field,
// and "count=N" for a label that counts. The summary names the input's
// label with its error: the page has many inputs of the same kind.
func (cb *cfgBuilder) input(prefix, name, labelKey, typ, stored string, opts ...string) field {
	id := prefix + "-" + name
	f := field{Name: id, Label: cb.b.T(labelKey), Type: typ, Value: stored}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			f.Required = true
		case "hint":
			f.Hint = cb.b.T(labelKey + ".hint")
		case "inputmode":
			f.InputMode = v
		case "rows":
			f.Size, _ = strconv.Atoi(v)
		case "count":
			n, _ := strconv.Atoi(v)
			f.Label = cb.b.T(labelKey, "Count", n)
		}
	}
	if cb.st.keeps(prefix) {
		f.Value = cb.st.typed.Get(id)
	}
	if p, ok := cb.st.probs[id]; ok {
		f.Error = cb.b.T(p.Key, "Line", p.Line)
		cb.items = append(cb.items, fieldError{Name: id, Message: f.Label + ": " + f.Error})
	}
	return f
}

// check builds a checkbox; its Value is "on" when checked.
func (cb *cfgBuilder) check(prefix, name, labelKey string, stored bool, opts ...string) field {
	v := ""
	if stored {
		v = "on"
	}
	f := cb.input(prefix, name, labelKey, "checkbox", v, opts...)
	if f.Value != "" {
		f.Value = "on"
	}
	return f
}

// generalFor returns the change-wide errors when prefix is the posted form,
// and makes the summary link to anchor for them.
func (cb *cfgBuilder) generalFor(prefix, anchor string) []string {
	if cb.st.prefix != prefix || cb.st.conflict || len(cb.st.general) == 0 {
		return nil
	}
	cb.general = anchor
	out := make([]string, len(cb.st.general))
	for i, k := range cb.st.general {
		out[i] = cb.b.T(k)
	}
	return out
}

func (cb *cfgBuilder) sectionInputs(p string, s form.Section) []field {
	return []field{
		cb.input(p, "key", "callconfig.key", "text", s.Key, "required", "hint"),
		cb.input(p, "title_sv", "callconfig.title_sv", "text", s.Title.SV, "required"),
		cb.input(p, "title_en", "callconfig.title_en", "text", s.Title.EN),
		cb.input(p, "help_sv", "callconfig.help_sv", "textarea", s.Help.SV, "rows=2"),
		cb.input(p, "help_en", "callconfig.help_en", "textarea", s.Help.EN, "rows=2"),
	}
}

func (cb *cfgBuilder) fieldInputs(p string, f form.Field) []field {
	limit := ""
	if f.WordLimit > 0 {
		limit = strconv.Itoa(f.WordLimit)
	}
	kind := cb.input(p, "kind", "callconfig.kind", "select", string(f.Kind), "required", "hint")
	for _, k := range form.Kinds {
		kind.Options = append(kind.Options, option{Value: string(k), Label: cb.b.T("callconfig.kind." + string(k))})
	}
	return []field{
		kind,
		cb.input(p, "key", "callconfig.field_key", "text", f.Key, "required", "hint"),
		cb.input(p, "label_sv", "callconfig.label_sv", "text", f.Label.SV, "required"),
		cb.input(p, "label_en", "callconfig.label_en", "text", f.Label.EN),
		cb.input(p, "help_sv", "callconfig.help_sv", "textarea", f.Help.SV, "rows=2"),
		cb.input(p, "help_en", "callconfig.help_en", "textarea", f.Help.EN, "rows=2"),
		cb.check(p, "required", "callconfig.required", f.Required),
		cb.check(p, "personal", "privacy.field_personal", f.Personal),
		cb.input(p, "word_limit", "callconfig.word_limit", "text", limit, "hint", "inputmode=numeric"),
		cb.input(p, "options", "callconfig.options", "textarea", optionLines(f.Options), "hint", "rows=4"),
	}
}

// optionLines writes options one a line as "value | Swedish | English",
// the format parseOptions reads.
func optionLines(opts []form.Option) string {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(o.Value + " | " + o.Label.SV)
		if o.Label.EN != "" {
			b.WriteString(" | " + o.Label.EN)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// loadConfigCall loads the call of the request and checks that the user
// may change it.
func (s *Server) loadConfigCall(r *http.Request, b *Base) (*call.Call, error) {
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

func (s *Server) callConfig(w http.ResponseWriter, r *http.Request, b *Base) error {
	c, err := s.loadConfigCall(r, b)
	if err != nil {
		return err
	}
	return s.renderCallConfig(w, r, b, http.StatusOK, c, cfgState{})
}

func (s *Server) renderCallConfig(w http.ResponseWriter, r *http.Request, b *Base, status int, c *call.Call, st cfgState) error {
	ctx := r.Context()
	prog, err := s.store.Programme(ctx, c.ProgrammeID)
	if err != nil {
		return err
	}
	apps, err := s.store.ApplicationList(ctx, application.Filter{CallID: c.ID})
	if err != nil {
		return err
	}
	cb := &cfgBuilder{b: b, st: st}
	cfg := c.Config
	page := cfgPage{Base: b, Call: c, Programme: prog, Version: c.Version, Applications: len(apps),
		PreviewURL: b.URL("call.preview", c.ID), Details: st.details}
	// complete gives a form what every form has.
	complete := func(f cfgForm, legend, button, verb string) cfgForm {
		f.Version, f.Legend, f.Button, f.Verb = c.Version, legend, button, verb
		f.Open = st.opens(f.ID)
		return f
	}

	secs := cfg.Form.Sections
	for si, sec := range secs {
		p := sectionPrefix(si)
		title := sec.Title.In(b.Lang)
		sv := cfgSection{N: si + 1, Anchor: sectionAnchor(si), Key: sec.Key, Title: sec.Title, Help: sec.Help,
			Up: si > 0, Down: si < len(secs)-1}
		sv.Errors = cb.generalFor(p, sv.Anchor)
		action := b.URL("call.config.section", c.ID, si+1)
		sv.Edit = complete(cfgForm{ID: p, Action: action, Was: sec.Key, Inputs: cb.sectionInputs(p, sec)},
			b.T("callconfig.section_legend", "Name", title), b.T("callconfig.section_save"), "save")
		sv.Delete = cfgForm{ID: p + "-delete", Action: action, Version: c.Version, Was: sec.Key}
		if len(sec.Fields) > 0 {
			sv.Delete.Inputs = []field{cb.check(p, "confirm", "callconfig.confirm_delete", false, "count="+strconv.Itoa(len(sec.Fields)))}
		}
		for fi, fl := range sec.Fields {
			fp := fieldPrefix(si, fi)
			label := fl.Label.In(b.Lang)
			fv := cfgField{N: fi + 1, Anchor: fieldAnchor(si, fi), F: fl, KindName: b.T("callconfig.kind." + string(fl.Kind)),
				Up: si > 0 || fi > 0, Down: si < len(secs)-1 || fi < len(sec.Fields)-1}
			fv.Errors = cb.generalFor(fp, fv.Anchor)
			fv.Edit = complete(cfgForm{ID: fp, Action: b.URL("call.config.field", c.ID, si+1, fi+1), Was: fl.Key, Inputs: cb.fieldInputs(fp, fl)},
				b.T("callconfig.field_legend", "Name", label), b.T("callconfig.field_save"), "save")
			sv.Fields = append(sv.Fields, fv)
		}
		np := newFieldPrefix(si)
		sv.AddField = complete(cfgForm{ID: np, Action: b.URL("call.config.field.add", c.ID, si+1), Was: sec.Key,
			Errors: cb.generalFor(np, np+"-form"), Inputs: cb.fieldInputs(np, form.Field{Kind: form.ShortText})},
			b.T("callconfig.field_new_legend", "Name", title), b.T("callconfig.field_add"), "add")
		page.Sections = append(page.Sections, sv)
	}
	page.AddSection = complete(cfgForm{ID: "ns", Action: b.URL("call.config.section.add", c.ID),
		Errors: cb.generalFor("ns", "ns-form"), Inputs: cb.sectionInputs("ns", form.Section{})},
		b.T("callconfig.section_new"), b.T("callconfig.section_add"), "add")

	lists := cfg.Lists
	page.Lists = complete(cfgForm{ID: "lists", Action: b.URL("call.config.lists", c.ID), Errors: cb.generalFor("lists", "lists"), Inputs: []field{
		cb.input("lists", "target_groups", "callconfig.list.target_groups", "textarea", optionLines(lists.TargetGroups), "hint", "rows=8"),
		cb.input("lists", "channels", "callconfig.list.channels", "textarea", optionLines(lists.Channels), "hint", "rows=8"),
		cb.input("lists", "budget_categories", "callconfig.list.budget_categories", "textarea", optionLines(lists.BudgetCategories), "hint", "rows=5"),
	}}, b.T("callconfig.lists"), b.T("callconfig.lists_save"), "save")

	// The assessment: a fieldset per criterion, and a blank one to add
	// one with, as an application's rows are added without JavaScript.
	setup := cfg.Assessment
	assess := cfgForm{ID: "assess", Action: b.URL("call.config.assessment", c.ID), Errors: cb.generalFor("assess", "assessment")}
	rows := len(setup.Criteria) + 1
	if st.keeps("assess") {
		rows = max(criterionRows(st.typed), 1)
	}
	for i := 1; i <= rows; i++ {
		var cr review.Criterion
		if i <= len(setup.Criteria) {
			cr = setup.Criteria[i-1]
		}
		row := "c" + strconv.Itoa(i) + "-"
		weight := ""
		if cr.Weight != 0 {
			weight = strconv.Itoa(cr.Weight)
		}
		g := cfgGroup{ID: "assess-c" + strconv.Itoa(i), Legend: b.T("callconfig.criterion", "Number", i), Inputs: []field{
			cb.input("assess", row+"key", "callconfig.criterion_key", "text", cr.Key, "hint"),
			cb.input("assess", row+"title_sv", "callconfig.title_sv", "text", cr.Title.SV),
			cb.input("assess", row+"title_en", "callconfig.title_en", "text", cr.Title.EN),
			cb.input("assess", row+"help_sv", "callconfig.help_sv", "textarea", cr.Help.SV, "rows=2"),
			cb.input("assess", row+"help_en", "callconfig.help_en", "textarea", cr.Help.EN, "rows=2"),
			cb.input("assess", row+"weight", "callconfig.weight", "text", weight, "hint", "inputmode=numeric"),
		}}
		if i == rows {
			g.Legend = b.T("callconfig.criterion_new")
		} else {
			g.Inputs = append(g.Inputs, cb.check("assess", row+"remove", "callconfig.criterion_remove", false))
		}
		assess.Groups = append(assess.Groups, g)
	}
	assess.Groups = append(assess.Groups, cfgGroup{ID: "assess-scale", Legend: b.T("callconfig.scale"), Inputs: []field{
		cb.input("assess", "min", "callconfig.scale_min", "text", strconv.Itoa(setup.Scale.Min), "required", "inputmode=numeric"),
		cb.input("assess", "max", "callconfig.scale_max", "text", strconv.Itoa(setup.Scale.Max), "required", "hint", "inputmode=numeric"),
	}})
	page.Assessment = complete(assess, b.T("callconfig.assessment"), b.T("callconfig.assessment_save"), "save")

	steps := cfg.Steps
	page.Steps = complete(cfgForm{ID: "steps", Action: b.URL("call.config.steps", c.ID), Errors: cb.generalFor("steps", "steps"), Inputs: []field{
		cb.check("steps", "formal_check", "callconfig.step.formal_check", steps.FormalCheck, "hint"),
		cb.check("steps", "review", "callconfig.step.review", steps.Review, "hint"),
		cb.check("steps", "blind_review", "callconfig.step.blind_review", steps.BlindReview, "hint"),
	}}, b.T("callconfig.steps"), b.T("callconfig.steps_save"), "save")

	// The payment plan: planRows rows of a percent and a trigger; a row
	// left blank is left out.
	plan := cfgForm{ID: "plan", Action: b.URL("call.config.plan", c.ID), Errors: cb.generalFor("plan", "payment-plan")}
	stored := cfg.Plan()
	for i := 1; i <= planRows; i++ {
		var in ledger.Instalment
		if i <= len(stored) {
			in = stored[i-1]
		}
		row := "r" + strconv.Itoa(i) + "-"
		percent := ""
		if in.Percent != 0 {
			percent = strconv.Itoa(in.Percent)
		}
		when := cb.input("plan", row+"when", "callconfig.plan_when", "select", string(in.When))
		when.Options = []option{{Value: "", Label: b.T("callconfig.plan_when_none")}}
		for _, t := range ledger.Triggers {
			when.Options = append(when.Options, option{Value: string(t), Label: b.T("money.trigger." + string(t))})
		}
		plan.Groups = append(plan.Groups, cfgGroup{ID: "plan-r" + strconv.Itoa(i), Legend: b.T("callconfig.plan_row", "Number", i), Inputs: []field{
			cb.input("plan", row+"percent", "callconfig.plan_percent", "text", percent, "inputmode=numeric"),
			when,
		}})
	}
	page.Plan = complete(plan, b.T("callconfig.plan"), b.T("callconfig.plan_save"), "save")

	rules := cfg.Reports
	days := strconv.Itoa(rules.DaysBefore())
	page.Reports = complete(cfgForm{ID: "reports", Action: b.URL("call.config.reports", c.ID), Errors: cb.generalFor("reports", "report-rules"), Inputs: []field{
		cb.check("reports", "interim", "callconfig.report.interim", rules.Interim, "hint"),
		cb.input("reports", "interim_due", "callconfig.report.interim_due", "date", rules.InterimDue, "hint"),
		cb.input("reports", "final_due", "callconfig.report.final_due", "date", rules.FinalDue, "hint"),
		cb.input("reports", "deviation_tolerance", "callconfig.report.deviation_tolerance", "text", percentText(rules.Tolerance()), "required", "hint", "inputmode=decimal"),
		cb.input("reports", "remind_days_before", "callconfig.report.remind_days_before", "text", days, "required", "hint", "inputmode=numeric"),
		cb.check("reports", "remind_overdue", "callconfig.report.remind_overdue", rules.Overdue(), "hint"),
	}}, b.T("callconfig.reports"), b.T("callconfig.reports_save"), "save")

	var items []fieldError
	if st.conflict {
		items = append(items, fieldError{Name: "form", Message: b.T("error.conflict")})
	}
	if cb.general != "" {
		for _, k := range st.general {
			items = append(items, fieldError{Name: cb.general, Message: b.T(k)})
		}
	}
	items = append(items, cb.items...)
	if len(items) > 0 {
		page.Summary = errorSummary{Heading: b.T("form.errors", "Count", len(items)), Items: items}
	}
	b.Title = b.T("callconfig.title", "Name", c.Title(b.Lang))
	return s.render(w, b, status, "call_config", page)
}

// planRows is how many instalments the payment plan's form offers.
const planRows = 3

// percentText writes a share (0.1) as a percent ("10").
func percentText(share float64) string {
	return strconv.FormatFloat(math.Round(share*1e4)/100, 'f', -1, 64)
}

// criterionRows counts the criterion rows that were posted.
func criterionRows(v url.Values) int {
	n := 0
	for {
		if _, ok := v["assess-c"+strconv.Itoa(n+1)+"-key"]; !ok {
			return n
		}
		n++
	}
}

// --- Changes -----------------------------------------------------------------

// errUnchanged is what a change returns when there is nothing to do, as
// when a section already first is moved up.
var errUnchanged = errors.New("web: nothing to change")

// change applies one edit to cfg from the posted form v. It returns the
// anchor to land on afterwards and what was wrong with the input (then
// nothing is saved); or errUnchanged, or store.ErrNotFound for a position
// past the end.
type change func(cfg *call.Config, v url.Values) (anchor string, probs problems, err error)

// applyChange is the path of every change: load the call, check the
// permission and the version, apply the change to a copy of the
// configuration, save it with UpdateCall, and go back to the page; or
// show the page again with what was typed and what was wrong.
func (s *Server) applyChange(w http.ResponseWriter, r *http.Request, b *Base, prefix string, ch change) error {
	c, err := s.loadConfigCall(r, b)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	st := cfgState{prefix: prefix, action: r.PostForm.Get("action"), typed: r.PostForm}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if version != c.Version {
		return s.configConflict(w, r, b, c.ID, st)
	}
	cfg, err := cloneConfig(c.Config)
	if err != nil {
		return err
	}
	anchor, probs, err := ch(&cfg, r.PostForm)
	if len(probs) > 0 {
		st.probs = probs
		b.Errors = validate.Errors{}
		for id, p := range probs {
			b.Errors[id] = p.Key
		}
		return s.renderCallConfig(w, r, b, http.StatusUnprocessableEntity, c, st)
	}
	if err == nil {
		upd := *c
		upd.Config, upd.Version = cfg, version
		if err = s.store.UpdateCall(r.Context(), actor(b.User), &upd); err == nil {
			setFlash(w, "flash.saved")
		}
	}
	var verr validate.Errors
	var def *form.DefinitionError
	switch {
	case errors.Is(err, errUnchanged):
	case errors.Is(err, store.ErrConflict):
		return s.configConflict(w, r, b, c.ID, st)
	case errors.As(err, &verr):
		// The store reports the configuration's problems under "config".
		b.Errors = verr
		fields := slices.Sorted(maps.Keys(verr))
		for _, f := range fields {
			st.general = append(st.general, verr[f])
		}
		if errors.As(cfg.Form.Check(), &def) {
			st.details = def.Problems
		}
		return s.renderCallConfig(w, r, b, http.StatusUnprocessableEntity, c, st)
	case errors.As(err, &def):
		b.Errors = validate.Errors{"config": "error.call.form"}
		st.general, st.details = []string{"error.call.form"}, def.Problems
		return s.renderCallConfig(w, r, b, http.StatusUnprocessableEntity, c, st)
	case err != nil:
		return err
	}
	http.Redirect(w, r, b.URL("call.config", c.ID)+"#"+anchor, http.StatusSeeOther)
	return nil
}

// configConflict shows the page as it is now with the conflict message.
// What was typed stays in its form when that form still changes the same
// item: the hidden "was" is the key the item had when the form was shown.
func (s *Server) configConflict(w http.ResponseWriter, r *http.Request, b *Base, id int64, st cfgState) error {
	c, err := s.store.Call(r.Context(), id)
	if err != nil {
		return err
	}
	st.conflict = true
	if was := st.typed.Get("was"); was != "" && itemKey(c.Config, r) != was {
		st.typed = nil
	}
	b.Errors = validate.Errors{"form": "error.conflict"}
	return s.renderCallConfig(w, r, b, http.StatusConflict, c, st)
}

// itemKey returns the key of the section or question the request's path
// names, or "".
func itemKey(cfg call.Config, r *http.Request) string {
	si, fi := position(r, "s"), position(r, "f")
	if si < 0 || si >= len(cfg.Form.Sections) {
		return ""
	}
	sec := cfg.Form.Sections[si]
	if r.PathValue("f") == "" {
		return sec.Key
	}
	if fi < 0 || fi >= len(sec.Fields) {
		return ""
	}
	return sec.Fields[fi].Key
}

// cloneConfig copies a configuration deeply, so a change never touches
// the loaded call's.
func cloneConfig(c call.Config) (call.Config, error) {
	var out call.Config
	b, err := json.Marshal(c)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	return out, err
}

func sectionAnchor(si int) string   { return "section-" + strconv.Itoa(si+1) }
func fieldAnchor(si, fi int) string { return fmt.Sprintf("field-%d-%d", si+1, fi+1) }
func sectionPrefix(si int) string   { return "s" + strconv.Itoa(si+1) }
func fieldPrefix(si, fi int) string { return sectionPrefix(si) + "-f" + strconv.Itoa(fi+1) }
func newFieldPrefix(si int) string  { return sectionPrefix(si) + "-nf" }

func (s *Server) cfgSectionAdd(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.applyChange(w, r, b, "ns", func(cfg *call.Config, v url.Values) (string, problems, error) {
		sec, probs := parseSection(v, "ns", cfg, -1)
		cfg.Form.Sections = append(cfg.Form.Sections, sec)
		return sectionAnchor(len(cfg.Form.Sections) - 1), probs, nil
	})
}

// cfgSection saves, moves or deletes a section, as the button pressed
// says (action save, up, down or delete). A section with questions is
// deleted only when the officer ticked that its questions go too.
func (s *Server) cfgSection(w http.ResponseWriter, r *http.Request, b *Base) error {
	si := position(r, "s")
	p := sectionPrefix(si)
	return s.applyChange(w, r, b, p, func(cfg *call.Config, v url.Values) (string, problems, error) {
		secs := cfg.Form.Sections
		if si < 0 || si >= len(secs) {
			return "", nil, store.ErrNotFound
		}
		switch v.Get("action") {
		case "up", "down":
			to := si - 1
			if v.Get("action") == "down" {
				to = si + 1
			}
			if to < 0 || to >= len(secs) {
				return sectionAnchor(si), nil, errUnchanged
			}
			secs[si], secs[to] = secs[to], secs[si]
			return sectionAnchor(to), nil, nil
		case "delete":
			if len(secs[si].Fields) > 0 && v.Get(p+"-confirm") == "" {
				return "", problems{p + "-confirm": {Key: "callconfig.error.confirm"}}, nil
			}
			cfg.Form.Sections = slices.Delete(secs, si, si+1)
			return "questions", nil, nil
		default:
			sec, probs := parseSection(v, p, cfg, si)
			sec.Fields = secs[si].Fields
			secs[si] = sec
			return sectionAnchor(si), probs, nil
		}
	})
}

func (s *Server) cfgFieldAdd(w http.ResponseWriter, r *http.Request, b *Base) error {
	si := position(r, "s")
	p := newFieldPrefix(si)
	return s.applyChange(w, r, b, p, func(cfg *call.Config, v url.Values) (string, problems, error) {
		if si < 0 || si >= len(cfg.Form.Sections) {
			return "", nil, store.ErrNotFound
		}
		fl, probs := parseField(v, p, cfg, si, -1)
		sec := &cfg.Form.Sections[si]
		sec.Fields = append(sec.Fields, fl)
		return fieldAnchor(si, len(sec.Fields)-1), probs, nil
	})
}

// cfgField saves, moves or deletes a question. Moving the first or last
// question of a section further moves it into the section before or
// after, so a question changes section without being deleted (which a
// call with applications refuses).
func (s *Server) cfgField(w http.ResponseWriter, r *http.Request, b *Base) error {
	si, fi := position(r, "s"), position(r, "f")
	p := fieldPrefix(si, fi)
	return s.applyChange(w, r, b, p, func(cfg *call.Config, v url.Values) (string, problems, error) {
		secs := cfg.Form.Sections
		if si < 0 || si >= len(secs) || fi < 0 || fi >= len(secs[si].Fields) {
			return "", nil, store.ErrNotFound
		}
		fields := secs[si].Fields
		switch v.Get("action") {
		case "up":
			switch {
			case fi > 0:
				fields[fi-1], fields[fi] = fields[fi], fields[fi-1]
				return fieldAnchor(si, fi-1), nil, nil
			case si > 0:
				fl := fields[fi]
				secs[si].Fields = slices.Delete(fields, fi, fi+1)
				secs[si-1].Fields = append(secs[si-1].Fields, fl)
				return fieldAnchor(si-1, len(secs[si-1].Fields)-1), nil, nil
			}
			return fieldAnchor(si, fi), nil, errUnchanged
		case "down":
			switch {
			case fi < len(fields)-1:
				fields[fi+1], fields[fi] = fields[fi], fields[fi+1]
				return fieldAnchor(si, fi+1), nil, nil
			case si < len(secs)-1:
				fl := fields[fi]
				secs[si].Fields = slices.Delete(fields, fi, fi+1)
				secs[si+1].Fields = slices.Insert(secs[si+1].Fields, 0, fl)
				return fieldAnchor(si+1, 0), nil, nil
			}
			return fieldAnchor(si, fi), nil, errUnchanged
		case "delete":
			secs[si].Fields = slices.Delete(fields, fi, fi+1)
			return sectionAnchor(si), nil, nil
		default:
			fl, probs := parseField(v, p, cfg, si, fi)
			fields[fi] = fl
			return fieldAnchor(si, fi), probs, nil
		}
	})
}

// cfgLists saves the target groups, channels and cost categories the
// blocks offer. A list a block of the form uses may not be empty.
func (s *Server) cfgLists(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.applyChange(w, r, b, "lists", func(cfg *call.Config, v url.Values) (string, problems, error) {
		probs := problems{}
		read := func(name string, used bool) []form.Option {
			id := "lists-" + name
			opts, p := parseOptions(v.Get(id))
			if p != nil {
				probs.addLine(id, p.Key, p.Line)
			} else if used && len(opts) == 0 {
				probs.add(id, "callconfig.error.list_empty")
			}
			return opts
		}
		has := func(k form.Kind) bool { return cfg.Form.FieldOfKind(k) != nil }
		cfg.Lists = form.Lists{
			TargetGroups:     read("target_groups", has(form.TargetGroups) || has(form.Activities)),
			Channels:         read("channels", has(form.Activities)),
			BudgetCategories: read("budget_categories", has(form.Budget)),
		}
		return "lists", probs, nil
	})
}

// cfgAssessment saves the criteria and the scale. A criterion row left
// blank, or ticked for removal, is left out.
func (s *Server) cfgAssessment(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.applyChange(w, r, b, "assess", func(cfg *call.Config, v url.Values) (string, problems, error) {
		probs := problems{}
		var setup review.Setup
		seen := map[string]bool{}
		for i := 1; i <= criterionRows(v); i++ {
			p := "assess-c" + strconv.Itoa(i) + "-"
			get := func(name string) string { return strings.TrimSpace(v.Get(p + name)) }
			cr := review.Criterion{Key: get("key"), Title: form.Text{SV: get("title_sv"), EN: get("title_en")},
				Help: form.Text{SV: get("help_sv"), EN: get("help_en")}}
			weight := get("weight")
			if get("remove") != "" || (cr.Key == "" && cr.Title == (form.Text{}) && cr.Help == (form.Text{}) && weight == "") {
				continue
			}
			checkKey(probs, p+"key", cr.Key, seen)
			checkText(probs, p+"title_sv", cr.Title.SV, 200, true)
			checkText(probs, p+"title_en", cr.Title.EN, 200, false)
			checkText(probs, p+"help_sv", cr.Help.SV, 2000, false)
			checkText(probs, p+"help_en", cr.Help.EN, 2000, false)
			n, err := strconv.Atoi(weight)
			switch {
			case weight == "":
				probs.add(p+"weight", "error.required")
			case err != nil:
				probs.add(p+"weight", "callconfig.error.whole_number")
			case n <= 0:
				probs.add(p+"weight", "error.review.weight")
			}
			cr.Weight = n
			setup.Criteria = append(setup.Criteria, cr)
		}
		if len(setup.Criteria) == 0 {
			probs.add("assess-c1-key", "error.review.no_criteria")
		}
		var errMin, errMax error
		setup.Scale.Min, errMin = strconv.Atoi(strings.TrimSpace(v.Get("assess-min")))
		setup.Scale.Max, errMax = strconv.Atoi(strings.TrimSpace(v.Get("assess-max")))
		switch {
		case errMin != nil:
			probs.add("assess-min", "callconfig.error.whole_number")
		case errMax != nil:
			probs.add("assess-max", "callconfig.error.whole_number")
		case setup.Scale.Min < 0 || setup.Scale.Max <= setup.Scale.Min || setup.Scale.Max > 100:
			probs.add("assess-max", "error.review.scale")
		}
		cfg.Assessment = setup
		return "assessment", probs, nil
	})
}

func (s *Server) cfgSteps(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.applyChange(w, r, b, "steps", func(cfg *call.Config, v url.Values) (string, problems, error) {
		on := func(name string) bool { return v.Get("steps-"+name) != "" }
		cfg.Steps = application.Steps{FormalCheck: on("formal_check"), Review: on("review"), BlindReview: on("blind_review")}
		probs := problems{}
		if cfg.Steps.BlindReview && !cfg.Steps.Review {
			probs.add("steps-blind_review", "error.call.blind_without_review")
		}
		return "steps", probs, nil
	})
}

// cfgPlan saves the payment plan. A row with neither a percent nor a
// trigger is left out; the rest must make a plan Plan.Check accepts,
// whose complaint is shown on the whole form.
func (s *Server) cfgPlan(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.applyChange(w, r, b, "plan", func(cfg *call.Config, v url.Values) (string, problems, error) {
		probs := problems{}
		var plan ledger.Plan
		for i := 1; i <= planRows; i++ {
			p := "plan-r" + strconv.Itoa(i) + "-"
			percent, when := strings.TrimSpace(v.Get(p+"percent")), strings.TrimSpace(v.Get(p+"when"))
			if percent == "" && when == "" {
				continue
			}
			n, err := strconv.Atoi(percent)
			switch {
			case percent == "":
				probs.add(p+"percent", "error.required")
			case err != nil:
				probs.add(p+"percent", "callconfig.error.whole_number")
			}
			if when == "" {
				probs.add(p+"when", "error.required")
			}
			plan = append(plan, ledger.Instalment{Percent: n, When: ledger.Trigger(when)})
		}
		if len(probs) > 0 {
			return "payment-plan", probs, nil
		}
		if err := plan.Check(); err != nil {
			return "payment-plan", nil, validate.Errors{"payment_plan": err.Error()}
		}
		cfg.PaymentPlan = plan
		return "payment-plan", nil, nil
	})
}

// cfgReports saves the report rules: the tolerance is typed in percent,
// the reminder days as a whole number; ReportRules.Check's problems are
// shown at their inputs.
func (s *Server) cfgReports(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.applyChange(w, r, b, "reports", func(cfg *call.Config, v url.Values) (string, problems, error) {
		get := func(name string) string { return strings.TrimSpace(v.Get("reports-" + name)) }
		probs := problems{}
		overdue := get("remind_overdue") != ""
		rules := call.ReportRules{Interim: get("interim") != "", InterimDue: get("interim_due"), FinalDue: get("final_due"),
			RemindOverdue: &overdue}
		if t := get("deviation_tolerance"); t == "" {
			probs.add("reports-deviation_tolerance", "error.required")
		} else if f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(strings.ReplaceAll(t, ",", ".")), "%"), 64); err != nil || math.IsNaN(f) {
			probs.add("reports-deviation_tolerance", "callconfig.error.percent")
		} else {
			share := f / 100
			rules.DeviationTolerance = &share
		}
		if d := get("remind_days_before"); d == "" {
			probs.add("reports-remind_days_before", "error.required")
		} else if n, err := strconv.Atoi(d); err != nil {
			probs.add("reports-remind_days_before", "callconfig.error.whole_number")
		} else {
			rules.RemindDaysBefore = &n
		}
		for k, key := range rules.Check() {
			id := "reports-" + strings.TrimPrefix(k, "reports.")
			if _, bad := probs[id]; !bad {
				probs.add(id, key)
			}
		}
		cfg.Reports = rules
		return "report-rules", probs, nil
	})
}

// --- Reading the forms -------------------------------------------------------

// validKey reports whether k may name a section, question, option or
// criterion. It asks the form package, so the rule is written once.
func validKey(k string) bool {
	f := form.Form{Sections: []form.Section{{Key: k, Title: form.Text{SV: "x"}}}}
	return f.Check() == nil
}

// checkKey adds a problem for a key that is missing, breaks the rule, or
// is in seen; it adds the key to seen.
func checkKey(probs problems, id, key string, seen map[string]bool) {
	switch {
	case key == "":
		probs.add(id, "error.required")
	case !validKey(key):
		probs.add(id, "callconfig.error.key")
	case seen[key]:
		probs.add(id, "callconfig.error.key_taken")
	}
	seen[key] = true
}

func checkText(probs problems, id, s string, max int, required bool) {
	if required && s == "" {
		probs.add(id, "error.required")
	}
	if len([]rune(s)) > max {
		probs.add(id, "error.too_long")
	}
}

// parseSection reads a section's form; self is its index, or -1 for a new
// one, so its own key does not count as taken.
func parseSection(v url.Values, p string, cfg *call.Config, self int) (form.Section, problems) {
	get := func(name string) string { return strings.TrimSpace(v.Get(p + "-" + name)) }
	sec := form.Section{Key: get("key"), Title: form.Text{SV: get("title_sv"), EN: get("title_en")},
		Help: form.Text{SV: get("help_sv"), EN: get("help_en")}}
	probs := problems{}
	seen := map[string]bool{}
	for i, o := range cfg.Form.Sections {
		if i != self {
			seen[o.Key] = true
		}
	}
	checkKey(probs, p+"-key", sec.Key, seen)
	checkText(probs, p+"-title_sv", sec.Title.SV, 200, true)
	checkText(probs, p+"-title_en", sec.Title.EN, 200, false)
	checkText(probs, p+"-help_sv", sec.Help.SV, 2000, false)
	checkText(probs, p+"-help_en", sec.Help.EN, 2000, false)
	return sec, probs
}

// isBlock reports whether k is one of the built-in blocks, which a form
// may hold only once.
func isBlock(k form.Kind) bool {
	return k == form.TargetGroups || k == form.Activities || k == form.Budget || k == form.SDGTargets
}

func isChoice(k form.Kind) bool { return k == form.SingleChoice || k == form.MultiChoice }

// parseField reads a question's form. (si, fi) is its place, fi -1 for a
// new one, so its own key and kind do not count against it.
func parseField(v url.Values, p string, cfg *call.Config, si, fi int) (form.Field, problems) {
	get := func(name string) string { return strings.TrimSpace(v.Get(p + "-" + name)) }
	fl := form.Field{Key: get("key"), Kind: form.Kind(get("kind")), Label: form.Text{SV: get("label_sv"), EN: get("label_en")},
		Help: form.Text{SV: get("help_sv"), EN: get("help_en")}, Required: get("required") != "", Personal: get("personal") != ""}
	probs := problems{}
	seen := map[string]bool{}
	blockTaken := false
	for i, sec := range cfg.Form.Sections {
		for j, o := range sec.Fields {
			if i == si && j == fi {
				continue
			}
			seen[o.Key] = true
			blockTaken = blockTaken || (isBlock(fl.Kind) && o.Kind == fl.Kind)
		}
	}
	switch {
	case !slices.Contains(form.Kinds, fl.Kind):
		probs.add(p+"-kind", "error.invalid_choice")
	case blockTaken:
		probs.add(p+"-kind", "callconfig.error.block_once")
	}
	checkKey(probs, p+"-key", fl.Key, seen)
	checkText(probs, p+"-label_sv", fl.Label.SV, 300, true)
	checkText(probs, p+"-label_en", fl.Label.EN, 300, false)
	checkText(probs, p+"-help_sv", fl.Help.SV, 2000, false)
	checkText(probs, p+"-help_en", fl.Help.EN, 2000, false)
	if limit := get("word_limit"); limit != "" {
		n, err := strconv.Atoi(limit)
		switch {
		case err != nil || n < 0:
			probs.add(p+"-word_limit", "callconfig.error.word_limit")
		case n > 0 && fl.Kind != form.LongText:
			probs.add(p+"-word_limit", "callconfig.error.word_limit_kind")
		}
		fl.WordLimit = max(n, 0)
	}
	opts, op := parseOptions(v.Get(p + "-options"))
	switch {
	case op != nil:
		probs.addLine(p+"-options", op.Key, op.Line)
	case isChoice(fl.Kind) && len(opts) == 0:
		probs.add(p+"-options", "callconfig.error.options_required")
	case !isChoice(fl.Kind) && len(opts) > 0:
		probs.add(p+"-options", "callconfig.error.options_kind")
	}
	fl.Options = opts
	return fl, probs
}

// parseOptions reads options one a line, "value | Svensk etikett |
// English label"; blank lines are skipped. The first wrong line is
// reported with its number.
func parseOptions(text string) ([]form.Option, *problem) {
	var out []form.Option
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		n := i + 1
		switch {
		case len(parts) > 3:
			return nil, &problem{"callconfig.error.option_parts", n}
		case parts[0] == "":
			return nil, &problem{"callconfig.error.option_value", n}
		case !validKey(parts[0]):
			return nil, &problem{"callconfig.error.option_key", n}
		case seen[parts[0]]:
			return nil, &problem{"callconfig.error.option_twice", n}
		case parts[1] == "":
			return nil, &problem{"callconfig.error.option_label", n}
		case len([]rune(parts[1])) > 300 || len([]rune(parts[2])) > 300:
			return nil, &problem{"callconfig.error.option_long", n}
		}
		seen[parts[0]] = true
		out = append(out, form.Option{Value: parts[0], Label: form.Text{SV: parts[1], EN: parts[2]}})
	}
	return out, nil
}

// --- Preview -----------------------------------------------------------------

type cfgPreviewPage struct {
	*Base
	Call      *call.Call
	Programme *programme.Programme
	Sections  []sectionView
	OtherURL  string // the preview in the other language
}

// callPreview shows the call's form as an applicant sees it, empty, in a
// form that saves nothing.
func (s *Server) callPreview(w http.ResponseWriter, r *http.Request, b *Base) error {
	c, err := s.loadConfigCall(r, b)
	if err != nil {
		return err
	}
	prog, err := s.store.Programme(r.Context(), c.ProgrammeID)
	if err != nil {
		return err
	}
	page := cfgPreviewPage{Base: b, Call: c, Programme: prog, OtherURL: b.urlIn(b.Other(), "call.preview", c.ID),
		Sections: b.formView(c, &form.Answers{}, nil, nil, true)}
	b.Title = b.T("callconfig.preview_title", "Name", c.Title(b.Lang))
	return s.render(w, b, http.StatusOK, "call_preview", page)
}
