package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/user"
)

// configEditor drives the page "Frågor och bedömning" of one call as one
// signed-in user.
type configEditor struct {
	t  *testing.T
	e  *env
	cl *http.Client
	id int64
}

func newConfigEditor(t *testing.T, e *env, cl *http.Client, id int64) *configEditor {
	return &configEditor{t: t, e: e, cl: cl, id: id}
}

func (x *configEditor) base(lang string) string {
	if lang == "en" {
		return "/en/staff/calls/" + strconv.FormatInt(x.id, 10) + "/form"
	}
	return "/personal/utlysningar/" + strconv.FormatInt(x.id, 10) + "/formular"
}

func (x *configEditor) call() *call.Call {
	x.t.Helper()
	c, err := x.e.store.Call(context.Background(), x.id)
	if err != nil {
		x.t.Fatal(err)
	}
	return c
}

// post sends a change to path (under the page's address in lang), with
// the stored version unless v has one.
func (x *configEditor) post(lang, path string, v url.Values) response {
	x.t.Helper()
	if v.Get("version") == "" {
		v.Set("version", strconv.Itoa(x.call().Version))
	}
	return x.e.post(x.cl, x.base(lang)+path, v)
}

// ok posts a change that must be saved, and checks where it lands.
func (x *configEditor) ok(path string, v url.Values, anchor string) call.Config {
	x.t.Helper()
	before := x.call().Version
	res := x.post("sv", path, v)
	if res.status != http.StatusSeeOther {
		x.t.Fatalf("POST %s: %d, want 303\n%s", path, res.status, errorsIn(res.body))
	}
	if got, want := res.header.Get("Location"), x.base("sv")+anchor; got != want {
		x.t.Errorf("POST %s: to %s, want %s", path, got, want)
	}
	c := x.call()
	if c.Version != before+1 {
		x.t.Errorf("POST %s: version %d, want %d", path, c.Version, before+1)
	}
	return c.Config
}

// refused posts a change that must be refused with status, showing each
// of want, and checks that nothing was saved.
func (x *configEditor) refused(lang, path string, v url.Values, status int, want ...string) string {
	x.t.Helper()
	before := x.call()
	res := x.post(lang, path, v)
	if res.status != status {
		x.t.Errorf("POST %s: %d, want %d\n%s", path, res.status, status, errorsIn(res.body))
	}
	wantContains(x.t, "POST "+path, res.body, want...)
	after := x.call()
	if after.Version != before.Version || configText(after.Config) != configText(before.Config) {
		x.t.Errorf("POST %s: a refused change was saved", path)
	}
	return res.body
}

func configText(c call.Config) string {
	b, _ := json.Marshal(c)
	return string(b)
}

// errorsIn returns the error summary of a page, for failure messages.
func errorsIn(body string) string {
	if i := strings.Index(body, `class="error-summary"`); i >= 0 {
		return body[i:min(len(body), i+1500)]
	}
	return body[:min(len(body), 500)]
}

func keys(s form.Section) []string {
	var out []string
	for _, f := range s.Fields {
		out = append(out, f.Key)
	}
	return out
}

func sectionKeys(f form.Form) []string {
	var out []string
	for _, s := range f.Sections {
		out = append(out, s.Key)
	}
	return out
}

func TestCallConfigPage(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	x := newConfigEditor(t, e, e.login(officer), c.ID)

	// The call's page leads to the editor and the preview; the JSON stays
	// as the advanced way.
	res := e.get(x.cl, "/personal/utlysningar/"+strconv.FormatInt(c.ID, 10))
	wantContains(t, "call page", res.body, `href="`+x.base("sv")+`"`, `href="`+x.base("sv")+`/forhandsgranska"`,
		"Förhandsgranska formuläret", "avancerat: JSON", `name="config"`)

	res = e.get(x.cl, x.base("sv"))
	if res.status != http.StatusOK {
		t.Fatalf("page: %d", res.status)
	}
	wantContains(t, "page", res.body, "<h1>Frågor och bedömning: Höstens utlysning</h1>",
		"Avsnitt 1: Projektet", "Avsnitt 4: Budget", "Projektets namn", "Project title",
		"Lång text (med valfri ordgräns)", "300 ord", "Block: budgetrader (summan är det sökta beloppet)", "Bilagor (filer)",
		// Every kind is offered, in words.
		`<option value="sdg_targets">Block: delmål i Agenda 2030</option>`, `<option value="multi_choice">Val av flera alternativ</option>`,
		// The lists, the criteria and the steps, in their forms.
		"communicator | Kommunikatörs tid | Communicator&#39;s time", `value="relevance"`, `id="steps-review" name="steps-review" checked`,
		// Labelled inputs with their hints, unique per form.
		`<label for="s1-f2-label_sv">Fråga på svenska`, `aria-describedby="s1-f2-key-hint"`, `id="s2-nf-kind"`,
		`<legend>Kriterium 1</legend>`, `<legend>Nytt kriterium</legend>`,
		// Moving and deleting, named for a screen reader.
		`Flytta ned<span class="visually-hidden"> – Projektets namn</span>`, "Förhandsgranska formuläret")
	wantNotContains(t, "page", res.body, "callconfig.", "error-summary", "Utlysningen har 1 ansökan")
	wantUniqueIDs(t, "page", res.body)

	res = e.get(x.cl, x.base("en"))
	wantContains(t, "English page", res.body, "Questions and assessment: Autumn call", "Section 1: The project",
		"Long text (with an optional word limit)", "300 words", "Question in Swedish", "Move down", "Save the lists")
	wantNotContains(t, "English page", res.body, "callconfig.")
}

// wantUniqueIDs checks that no id is used twice on a page, so every
// label, hint and summary link points at one element.
func wantUniqueIDs(t *testing.T, what, body string) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if seen[m[1]] {
			t.Errorf("%s: id %q is used twice", what, m[1])
		}
		seen[m[1]] = true
	}
	if len(seen) < 100 {
		t.Errorf("%s: only %d ids", what, len(seen))
	}
}

func TestCallConfigPreview(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	x := newConfigEditor(t, e, e.login(officer), c.ID)
	res := e.get(x.cl, x.base("sv")+"/forhandsgranska")
	if res.status != http.StatusOK {
		t.Fatalf("preview: %d", res.status)
	}
	wantContains(t, "preview", res.body, "Förhandsgranskning: Höstens utlysning", "Inget du skriver här sparas",
		"Projektets namn", `name="title"`, `name="budget.0.category"`, "Kommunikatörs tid", "Högst 300 ord (nu 0).",
		`href="`+x.base("en")+`/preview"`,
		// A word limit's hint is tied to its field even without help text.
		`<textarea id="objectives" name="objectives" rows="6" aria-describedby="objectives-hint">`)
	wantNotContains(t, "preview", res.body, "callconfig.")
	wantUniqueIDs(t, "preview", res.body)
	// The form itself has no button and posts nothing.
	i := strings.Index(res.body, `class="form wide preview"`)
	j := strings.Index(res.body[max(i, 0):], "</form>")
	if i < 0 || j < 0 {
		t.Fatal("preview: no form")
	}
	wantNotContains(t, "preview form", res.body[i:i+j], `type="submit"`, "<button", `method="post"`)
	res = e.get(x.cl, x.base("en")+"/preview")
	wantContains(t, "English preview", res.body, "Preview: Autumn call", "Project title", "Communicator&#39;s time")
}

func TestCallConfigEdits(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	x := newConfigEditor(t, e, e.login(officer), c.ID)

	// A section at the end.
	cfg := x.ok("/avsnitt", url.Values{"ns-key": {"extra"}, "ns-title_sv": {"Övriga frågor"}, "ns-title_en": {"Other questions"},
		"ns-help_sv": {"Frivilligt att svara på."}}, "#section-6")
	if got := cfg.Form.Sections[5]; got.Key != "extra" || got.Title != (form.Text{SV: "Övriga frågor", EN: "Other questions"}) ||
		got.Help.SV != "Frivilligt att svara på." || len(got.Fields) != 0 {
		t.Fatalf("new section: %+v", got)
	}
	res := e.get(x.cl, x.base("sv"))
	wantContains(t, "after adding", res.body, "Ändringarna är sparade.", "Avsnitt 6: Övriga frågor", "Avsnittet har inga frågor ännu.")

	// Free the blocks the default form has, so each can be added again.
	x.ok("/avsnitt/5/fragor/1", url.Values{"action": {"delete"}}, "#section-5") // targets
	x.ok("/avsnitt/3/fragor/1", url.Values{"action": {"delete"}}, "#section-3") // activities
	cfg = x.ok("/avsnitt/2/fragor/1", url.Values{"action": {"delete"}}, "#section-2")
	if cfg.Form.Field("targets") != nil || cfg.Form.Field("activities") != nil || len(cfg.Form.Sections[1].Fields) != 0 {
		t.Fatalf("deleted blocks remain: %v", sectionKeys(cfg.Form))
	}

	// One question of each kind.
	type add struct {
		kind  form.Kind
		extra url.Values
	}
	adds := []add{
		{form.ShortText, nil},
		{form.LongText, url.Values{"word_limit": {"150"}, "required": {"on"}}},
		{form.Number, nil}, {form.Money, nil}, {form.Date, nil},
		{form.SingleChoice, url.Values{"options": {"yes | Ja | Yes\r\nno | Nej\r\n\r\n"}}},
		{form.MultiChoice, url.Values{"options": {"print | Trycksak | Print\nweb | Webb | Web"}}},
		{form.File, nil}, {form.TargetGroups, nil}, {form.Activities, nil}, {form.SDGTargets, nil},
	}
	for i, a := range adds {
		key := "q_" + string(a.kind)
		v := url.Values{"s6-nf-kind": {string(a.kind)}, "s6-nf-key": {key}, "s6-nf-label_sv": {"Fråga " + strconv.Itoa(i+1)},
			"s6-nf-label_en": {"Question " + strconv.Itoa(i+1)}, "s6-nf-help_sv": {"Hjälp"}, "action": {"add"}}
		for k, vals := range a.extra {
			v["s6-nf-"+k] = vals
		}
		cfg = x.ok("/avsnitt/6/fragor", v, "#field-6-"+strconv.Itoa(i+1))
		got := cfg.Form.Sections[5].Fields[i]
		if got.Key != key || got.Kind != a.kind || got.Label != (form.Text{SV: "Fråga " + strconv.Itoa(i+1), EN: "Question " + strconv.Itoa(i+1)}) || got.Help.SV != "Hjälp" {
			t.Errorf("added %s: %+v", a.kind, got)
		}
	}
	extra := cfg.Form.Sections[5]
	if lt := extra.Fields[1]; lt.WordLimit != 150 || !lt.Required {
		t.Errorf("long text: %+v", lt)
	}
	wantOpts := []form.Option{{Value: "yes", Label: form.Text{SV: "Ja", EN: "Yes"}}, {Value: "no", Label: form.Text{SV: "Nej"}}}
	if got := extra.Fields[5].Options; !slices.Equal(got, wantOpts) {
		t.Errorf("single choice options: %+v", got)
	}
	if got := len(extra.Fields[6].Options); got != 2 {
		t.Errorf("multiple choice has %d options", got)
	}

	// Labels, help and options edited: an option added, one relabelled.
	cfg = x.ok("/avsnitt/6/fragor/6", url.Values{"s6-f6-kind": {"single_choice"}, "s6-f6-key": {"q_single_choice"},
		"s6-f6-label_sv": {"Har ni gjort detta förut?"}, "s6-f6-label_en": {"Have you done this before?"},
		"s6-f6-help_en": {"Pick one."}, "s6-f6-required": {"on"},
		"s6-f6-options": {"yes | Ja, en gång | Yes, once\nno | Nej | No\nmany | Flera gånger | Several times"}}, "#field-6-6")
	got := *cfg.Form.Field("q_single_choice")
	want := form.Field{Key: "q_single_choice", Kind: form.SingleChoice, Label: form.Text{SV: "Har ni gjort detta förut?", EN: "Have you done this before?"},
		Help: form.Text{EN: "Pick one."}, Required: true, Options: []form.Option{{Value: "yes", Label: form.Text{SV: "Ja, en gång", EN: "Yes, once"}},
			{Value: "no", Label: form.Text{SV: "Nej", EN: "No"}}, {Value: "many", Label: form.Text{SV: "Flera gånger", EN: "Several times"}}}}
	if configText(call.Config{Form: form.Form{Sections: []form.Section{{Fields: []form.Field{got}}}}}) !=
		configText(call.Config{Form: form.Form{Sections: []form.Section{{Fields: []form.Field{want}}}}}) {
		t.Errorf("edited field:\n got %+v\nwant %+v", got, want)
	}
	res = e.get(x.cl, x.base("sv"))
	wantContains(t, "edited field shown", res.body, "<h4 id=\"field-6-6-heading\">Har ni gjort detta förut?</h4>",
		`<code>many</code> <span lang="sv">Flera gånger</span> / <span lang="en">Several times</span>`,
		"many | Flera gånger | Several times")

	// A section's key and texts.
	cfg = x.ok("/avsnitt/6", url.Values{"s6-key": {"more"}, "s6-title_sv": {"Fler frågor"}, "s6-title_en": {"More questions"}}, "#section-6")
	if s := cfg.Form.Sections[5]; s.Key != "more" || s.Title.SV != "Fler frågor" || s.Help.SV != "" || len(s.Fields) != len(adds) {
		t.Errorf("edited section: %+v", s)
	}

	// Moving questions within a section and across its ends.
	cfg = x.ok("/avsnitt/6/fragor/2", url.Values{"action": {"up"}}, "#field-6-1")
	if got := keys(cfg.Form.Sections[5])[:3]; !slices.Equal(got, []string{"q_long_text", "q_short_text", "q_number"}) {
		t.Errorf("after up: %v", got)
	}
	cfg = x.ok("/avsnitt/6/fragor/1", url.Values{"action": {"down"}}, "#field-6-2")
	if got := keys(cfg.Form.Sections[5])[:2]; !slices.Equal(got, []string{"q_short_text", "q_long_text"}) {
		t.Errorf("after down: %v", got)
	}
	cfg = x.ok("/avsnitt/5/fragor/1", url.Values{"action": {"down"}}, "#field-6-1") // attachments, into the next section
	if got := keys(cfg.Form.Sections[5])[0]; got != "attachments" || len(cfg.Form.Sections[4].Fields) != 0 {
		t.Errorf("moved across: section 6 starts with %s, section 5 has %v", got, keys(cfg.Form.Sections[4]))
	}
	cfg = x.ok("/avsnitt/6/fragor/1", url.Values{"action": {"up"}}, "#field-5-1")
	if got := keys(cfg.Form.Sections[4]); !slices.Equal(got, []string{"attachments"}) {
		t.Errorf("moved back: %v", got)
	}
	// Past the very first place there is nowhere to go: nothing is saved.
	v := x.call().Version
	if res := x.post("sv", "/avsnitt/1/fragor/1", url.Values{"action": {"up"}}); res.status != http.StatusSeeOther || x.call().Version != v {
		t.Errorf("moving the first question up: %d, version %d → %d", res.status, v, x.call().Version)
	}

	// Moving sections.
	cfg = x.ok("/avsnitt/6", url.Values{"action": {"up"}}, "#section-5")
	if got := sectionKeys(cfg.Form); !slices.Equal(got, []string{"project", "audience", "plan", "money", "more", "goals"}) {
		t.Errorf("sections after up: %v", got)
	}
	cfg = x.ok("/avsnitt/1", url.Values{"action": {"down"}}, "#section-2")
	if got := sectionKeys(cfg.Form)[:2]; !slices.Equal(got, []string{"audience", "project"}) {
		t.Errorf("sections after down: %v", got)
	}

	// Deleting a question, an empty section, and a section with its
	// questions once the officer confirms.
	cfg = x.ok("/avsnitt/5/fragor/3", url.Values{"action": {"delete"}}, "#section-5")
	if cfg.Form.Field("q_number") != nil || len(cfg.Form.Sections[4].Fields) != len(adds)-1 {
		t.Errorf("q_number not deleted: %v", keys(cfg.Form.Sections[4]))
	}
	cfg = x.ok("/avsnitt/1", url.Values{"action": {"delete"}}, "#questions") // audience, empty
	if got := sectionKeys(cfg.Form); !slices.Equal(got, []string{"project", "plan", "money", "more", "goals"}) {
		t.Errorf("after deleting an empty section: %v", got)
	}
	cfg = x.ok("/avsnitt/5", url.Values{"action": {"delete"}, "s5-confirm": {"on"}}, "#questions") // goals, with attachments
	if got := sectionKeys(cfg.Form); !slices.Equal(got, []string{"project", "plan", "money", "more"}) || cfg.Form.Field("attachments") != nil {
		t.Errorf("after deleting a section with questions: %v", got)
	}

	// The lists.
	cfg = x.ok("/listor", url.Values{
		"lists-target_groups":     {"pupils | Skolelever | School pupils\npoliticians | Politiker | Politicians"},
		"lists-channels":          {"meeting | Möte | Meeting\r\nfilm | Film"},
		"lists-budget_categories": {"communicator | Kommunikatörens tid | Communicator's time\nconsultant | Konsult | Consultant\nprint | Tryck | Printing"},
	}, "#lists")
	wantLists := form.Lists{
		TargetGroups:     []form.Option{{Value: "pupils", Label: form.Text{SV: "Skolelever", EN: "School pupils"}}, {Value: "politicians", Label: form.Text{SV: "Politiker", EN: "Politicians"}}},
		Channels:         []form.Option{{Value: "meeting", Label: form.Text{SV: "Möte", EN: "Meeting"}}, {Value: "film", Label: form.Text{SV: "Film"}}},
		BudgetCategories: []form.Option{{Value: "communicator", Label: form.Text{SV: "Kommunikatörens tid", EN: "Communicator's time"}}, {Value: "consultant", Label: form.Text{SV: "Konsult", EN: "Consultant"}}, {Value: "print", Label: form.Text{SV: "Tryck", EN: "Printing"}}},
	}
	if configText(call.Config{Lists: cfg.Lists}) != configText(call.Config{Lists: wantLists}) {
		t.Errorf("lists: %+v", cfg.Lists)
	}

	// The assessment: one criterion reweighted, one removed, one added in
	// the blank row, and a new scale.
	cfg = x.ok("/bedomning", url.Values{
		"assess-c1-key": {"relevance"}, "assess-c1-title_sv": {"Relevans"}, "assess-c1-title_en": {"Relevance"}, "assess-c1-weight": {"60"},
		"assess-c2-key": {"feasibility"}, "assess-c2-title_sv": {"Genomförbarhet"}, "assess-c2-weight": {"50"}, "assess-c2-remove": {"on"},
		"assess-c3-key": {"reach"}, "assess-c3-title_sv": {"Räckvidd"}, "assess-c3-title_en": {"Reach"}, "assess-c3-help_sv": {"Hur många nås?"}, "assess-c3-weight": {"40"},
		"assess-min": {"0"}, "assess-max": {"10"},
	}, "#assessment")
	wantSetup := review.Setup{Scale: review.Scale{Min: 0, Max: 10}, Criteria: []review.Criterion{
		{Key: "relevance", Title: form.Text{SV: "Relevans", EN: "Relevance"}, Weight: 60},
		{Key: "reach", Title: form.Text{SV: "Räckvidd", EN: "Reach"}, Help: form.Text{SV: "Hur många nås?"}, Weight: 40},
	}}
	if configText(call.Config{Assessment: cfg.Assessment}) != configText(call.Config{Assessment: wantSetup}) {
		t.Errorf("assessment: %+v", cfg.Assessment)
	}

	// The steps.
	cfg = x.ok("/steg", url.Values{"steps-review": {"on"}, "steps-blind_review": {"on"}}, "#steps")
	if cfg.Steps != (application.Steps{Review: true, BlindReview: true}) {
		t.Errorf("steps: %+v", cfg.Steps)
	}

	// The English pages save the same way and land on the English page.
	res = x.post("en", "/steps", url.Values{"steps-formal_check": {"on"}, "steps-review": {"on"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != x.base("en")+"#steps" {
		t.Errorf("English steps: %d to %q", res.status, res.header.Get("Location"))
	}
	if got := x.call().Config.Steps; got != (application.Steps{FormalCheck: true, Review: true}) {
		t.Errorf("English steps saved: %+v", got)
	}
	// The preview follows the changes.
	res = e.get(x.cl, x.base("sv")+"/forhandsgranska")
	wantContains(t, "preview after edits", res.body, "Fler frågor", "Har ni gjort detta förut?", "Flera gånger")
	wantNotContains(t, "preview after edits", res.body, `id="section-goals"`, `name="targets"`)
}

func TestCallConfigBadInput(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	x := newConfigEditor(t, e, e.login(officer), c.ID)
	field := func(p string, kv ...string) url.Values {
		v := url.Values{p + "-kind": {"short_text"}, p + "-key": {"title"}, p + "-label_sv": {"Projektets namn"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(p+"-"+kv[i], kv[i+1])
		}
		return v
	}
	newField := func(kv ...string) url.Values {
		return field("s1-nf", append([]string{"key", "new_question"}, kv...)...)
	}
	criteria := func(kv ...string) url.Values {
		v := url.Values{"assess-c1-key": {"relevance"}, "assess-c1-title_sv": {"Relevans"}, "assess-c1-weight": {"50"},
			"assess-c2-key": {""}, "assess-min": {"1"}, "assess-max": {"5"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name string
		lang string
		path string
		form url.Values
		want []string
	}{
		{"empty Swedish label", "sv", "/avsnitt/1/fragor/1", field("s1-f1", "label_sv", " ", "label_en", "Name typed in English"),
			[]string{`<a href="#s1-f1-label_sv">Fråga på svenska: Fältet måste fyllas i.</a>`, `value="Name typed in English"`, `id="s1-f1-label_sv-error"`,
				`aria-describedby=" s1-f1-label_sv-error"`, `aria-invalid="true"`, "<details open>"}},
		{"bad key", "sv", "/avsnitt/1/fragor", newField("key", "Projekt titel"),
			[]string{"Använd små bokstäver a–z, siffror och understreck", `value="Projekt titel"`, `href="#s1-nf-key"`}},
		{"bad key in English", "en", "/sections/1/questions", newField("key", "9lives"),
			[]string{"Use lower-case letters a–z, digits and underscores", `value="9lives"`}},
		{"duplicate question key", "sv", "/avsnitt/1/fragor", newField("key", "summary", "label_sv", "Kort sammanfattning"),
			[]string{"Nyckeln används redan. Välj en annan.", `value="summary"`, `value="Kort sammanfattning"`}},
		{"duplicate section key", "sv", "/avsnitt", url.Values{"ns-key": {"project"}, "ns-title_sv": {"Projektet igen"}},
			[]string{"Nyckeln används redan.", `value="Projektet igen"`, `href="#ns-key"`}},
		{"section without a Swedish title", "sv", "/avsnitt/2", url.Values{"s2-key": {"audience"}, "s2-title_en": {"Audience"}},
			[]string{"Fältet måste fyllas i.", `href="#s2-title_sv"`, `value="Audience"`}},
		{"option line without a value", "sv", "/avsnitt/1/fragor", newField("kind", "single_choice", "options", "yes | Ja | Yes\n | Nej | No"),
			[]string{"Rad 2 saknar ett värde.", "yes | Ja | Yes\n | Nej | No</textarea>", `href="#s1-nf-options"`}},
		{"option without a Swedish label", "sv", "/avsnitt/1/fragor", newField("kind", "multi_choice", "options", "yes"),
			[]string{"Rad 1 saknar en svensk etikett."}},
		{"option value twice", "sv", "/avsnitt/1/fragor", newField("kind", "multi_choice", "options", "a | A\na | B"),
			[]string{"Värdet på rad 2 finns redan på en tidigare rad."}},
		{"choice without options", "sv", "/avsnitt/1/fragor", newField("kind", "single_choice"),
			[]string{"Ett val behöver minst ett svarsalternativ."}},
		{"options on a text", "sv", "/avsnitt/1/fragor/1", field("s1-f1", "options", "a | A"),
			[]string{"Svarsalternativ används bara för val."}},
		{"word limit on a short text", "sv", "/avsnitt/1/fragor/1", field("s1-f1", "word_limit", "50"),
			[]string{"En ordgräns gäller bara lång text.", `value="50"`}},
		{"word limit not a number", "sv", "/avsnitt/1/fragor/2", field("s1-f2", "key", "summary", "kind", "long_text", "word_limit", "trehundra"),
			[]string{"Skriv ordgränsen som ett heltal", `value="trehundra"`}},
		{"a second budget block", "sv", "/avsnitt/1/fragor", newField("kind", "budget", "key", "budget_two", "label_sv", "Budget igen"),
			[]string{"Formuläret har redan ett sådant block.", `<option value="budget" selected>`, `value="Budget igen"`}},
		{"weight 0", "sv", "/bedomning", criteria("assess-c1-weight", "0", "assess-c1-title_en", "Relevance typed"),
			[]string{"Varje kriteriums vikt måste vara större än noll.", `href="#assess-c1-weight"`, `value="Relevance typed"`}},
		{"weight not a number", "sv", "/bedomning", criteria("assess-c1-weight", "mycket"),
			[]string{"Skriv ett heltal.", `value="mycket"`}},
		{"criterion key twice", "sv", "/bedomning", criteria("assess-c2-key", "relevance", "assess-c2-title_sv", "Igen", "assess-c2-weight", "5"),
			[]string{"Nyckeln används redan.", `href="#assess-c2-key"`, `value="Igen"`}},
		{"no criteria", "sv", "/bedomning", criteria("assess-c1-remove", "on"),
			[]string{"Ange minst ett bedömningskriterium."}},
		{"scale min ≥ max", "sv", "/bedomning", criteria("assess-min", "5", "assess-max", "5"),
			[]string{"Skalan måste gå från ett lägre till ett högre tal", `href="#assess-max"`}},
		{"blind review without review", "sv", "/steg", url.Values{"steps-formal_check": {"on"}, "steps-blind_review": {"on"}},
			[]string{"Blind bedömning kräver att utlysningen har bedömning.", `id="steps-blind_review" name="steps-blind_review" checked`}},
		{"an empty list a block uses", "sv", "/listor", url.Values{"lists-target_groups": {"pupils | Skolelever"}, "lists-channels": {" \n"},
			"lists-budget_categories": {"material | Material"}}, []string{"Listan används av ett block i formuläret", `href="#lists-channels"`}},
		{"a section with questions, unconfirmed", "sv", "/avsnitt/1", url.Values{"action": {"delete"}},
			[]string{"Kryssa i att avsnittets frågor också ska tas bort", `href="#s1-confirm"`, "Ta också bort avsnittets 6 frågor"}},
		{"the budget deleted", "sv", "/avsnitt/4/fragor/1", url.Values{"action": {"delete"}},
			[]string{"Formuläret måste ha ett budgetblock", `href="#field-4-1"`}},
		{"the budget changed in kind", "sv", "/avsnitt/4/fragor/1", field("s4-f1", "key", "budget", "kind", "money", "label_sv", "Budget typed"),
			[]string{"Formuläret måste ha ett budgetblock", `value="Budget typed"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x.t = t
			body := x.refused(tt.lang, tt.path, tt.form, http.StatusUnprocessableEntity, tt.want...)
			wantContains(t, tt.name, body, `class="error-summary"`)
			wantUniqueIDs(t, tt.name, body)
		})
	}
}

func TestCallConfigWithApplications(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	startApplication(t, e, e.login(applicant), c.ID)
	x := newConfigEditor(t, e, e.login(officer), c.ID)
	const refusal = "Utlysningen har ansökningar: frågor, deras typ och svarsalternativ kan inte tas bort"

	res := e.get(x.cl, x.base("sv"))
	wantContains(t, "page", res.body, "Utlysningen har 1 ansökan.")
	// Deleting a question would lose answers.
	body := x.refused("sv", "/avsnitt/1/fragor/2", url.Values{"action": {"delete"}}, http.StatusUnprocessableEntity,
		refusal, `href="#field-1-2"`)
	if i, j := strings.Index(body, `id="field-1-2"`), strings.LastIndex(body, refusal); i < 0 || j < i {
		t.Errorf("the refusal is not shown at the question")
	}
	// So would changing a question's kind or key, a section with its
	// questions, or an option of the lists.
	x.refused("sv", "/avsnitt/1/fragor/1", url.Values{"s1-f1-kind": {"long_text"}, "s1-f1-key": {"title"}, "s1-f1-label_sv": {"Projektets namn"}},
		http.StatusUnprocessableEntity, refusal, `<option value="long_text" selected>`)
	x.refused("sv", "/avsnitt/1/fragor/1", url.Values{"s1-f1-kind": {"short_text"}, "s1-f1-key": {"project_title"}, "s1-f1-label_sv": {"Projektets namn"}},
		http.StatusUnprocessableEntity, refusal, `value="project_title"`)
	x.refused("sv", "/avsnitt/5", url.Values{"action": {"delete"}, "s5-confirm": {"on"}}, http.StatusUnprocessableEntity, refusal)
	x.refused("sv", "/listor", url.Values{"lists-target_groups": {optionText(form.DefaultLists().TargetGroups)},
		"lists-channels": {"meeting | Möte"}, "lists-budget_categories": {optionText(form.DefaultLists().BudgetCategories)}},
		http.StatusUnprocessableEntity, refusal)

	// Adding a question, rewording one and moving them are fine.
	cfg := x.ok("/avsnitt/1/fragor", url.Values{"s1-nf-kind": {"long_text"}, "s1-nf-key": {"lessons"}, "s1-nf-label_sv": {"Lärdomar"},
		"s1-nf-word_limit": {"100"}}, "#field-1-7")
	if f := cfg.Form.Field("lessons"); f == nil || f.Kind != form.LongText || f.WordLimit != 100 {
		t.Errorf("added question: %+v", f)
	}
	cfg = x.ok("/avsnitt/1/fragor/1", url.Values{"s1-f1-kind": {"short_text"}, "s1-f1-key": {"title"}, "s1-f1-label_sv": {"Projektets titel"}}, "#field-1-1")
	if cfg.Form.Field("title").Label.SV != "Projektets titel" {
		t.Errorf("reworded: %+v", cfg.Form.Field("title"))
	}
	x.ok("/avsnitt/1/fragor/4", url.Values{"action": {"up"}}, "#field-1-3")
}

func optionText(opts []form.Option) string {
	var lines []string
	for _, o := range opts {
		lines = append(lines, o.Value+" | "+o.Label.SV+" | "+o.Label.EN)
	}
	return strings.Join(lines, "\n")
}

func TestCallConfigConflict(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	x := newConfigEditor(t, e, e.login(officer), c.ID)
	stale := strconv.Itoa(c.Version)
	x.ok("/steg", url.Values{"steps-review": {"on"}}, "#steps") // someone else saves first

	// What was typed comes back in its form, with the new version.
	body := x.refused("sv", "/avsnitt/1/fragor/1", url.Values{"version": {stale}, "was": {"title"}, "s1-f1-kind": {"short_text"},
		"s1-f1-key": {"title"}, "s1-f1-label_sv": {"Min nya rubrik"}}, http.StatusConflict,
		"Någon annan sparade de här uppgifterna", `value="Min nya rubrik"`, `name="version" value="`+strconv.Itoa(c.Version+1)+`"`)
	wantNotContains(t, "conflict", body, `href="#form"`)

	// When the question has moved meanwhile, the typed text is not put
	// into another question's form.
	stale = strconv.Itoa(x.call().Version)
	x.ok("/avsnitt/1/fragor/2", url.Values{"action": {"up"}}, "#field-1-1")
	body = x.refused("sv", "/avsnitt/1/fragor/1", url.Values{"version": {stale}, "was": {"title"}, "s1-f1-kind": {"short_text"},
		"s1-f1-key": {"title"}, "s1-f1-label_sv": {"Min nya rubrik"}}, http.StatusConflict, "Någon annan sparade")
	wantNotContains(t, "moved", body, "Min nya rubrik")
}

func TestCallConfigPermissions(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	other := openCall(t, e) // another programme
	scoped := &user.User{Email: "handlaggare@annat.program.se", Name: "Per Programme", PasswordHash: e.hash(t),
		Roles: []user.Role{{Kind: user.Officer, ProgrammeID: other.ProgrammeID}}}
	if err := e.store.CreateUser(context.Background(), audit.System("test"), scoped); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{applicant, "bedomare@demo.partnerskap.se", scoped.Email} {
		x := newConfigEditor(t, e, e.login(who), c.ID)
		for _, path := range []string{"", "/forhandsgranska"} {
			if res := e.get(x.cl, x.base("sv")+path); res.status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who, path, res.status)
			}
		}
		for _, path := range []string{"/avsnitt", "/avsnitt/1", "/avsnitt/1/fragor", "/avsnitt/1/fragor/1", "/listor", "/bedomning", "/steg"} {
			x.refused("sv", path, url.Values{"action": {"delete"}, "ns-key": {"x"}, "ns-title_sv": {"X"}}, http.StatusForbidden)
		}
	}
	// The scoped officer may edit their own programme's call.
	x := newConfigEditor(t, e, e.login(scoped.Email), other.ID)
	x.ok("/steg", url.Values{"steps-review": {"on"}}, "#steps")
	// Signed out: to the login page.
	res := e.get(e.client(), "/personal/utlysningar/"+strconv.FormatInt(c.ID, 10)+"/formular")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/logga-in") {
		t.Errorf("signed out: %d to %s", res.status, res.header.Get("Location"))
	}
	// A position past the end is not found.
	x.refused("sv", "/avsnitt/9/fragor/1", url.Values{"action": {"delete"}}, http.StatusNotFound)
	x.refused("sv", "/avsnitt/1/fragor/9", url.Values{"action": {"up"}}, http.StatusNotFound)
}

func TestCallConfigPaymentPlan(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	x := newConfigEditor(t, e, e.login(officer), c.ID)

	res := e.get(x.cl, x.base("sv"))
	wantContains(t, "page", res.body, `id="payment-plan"`, `id="plan-r1-percent" name="plan-r1-percent" type="text" value="100"`,
		`<option value="acceptance" selected>När villkoren godkänts</option>`, `<legend>Delbetalning 3</legend>`)

	cfg := x.ok("/utbetalning", url.Values{"plan-r1-percent": {"80"}, "plan-r1-when": {"acceptance"},
		"plan-r2-percent": {"20"}, "plan-r2-when": {"final_report_approved"}, "plan-r3-percent": {""}, "plan-r3-when": {""}}, "#payment-plan")
	want := ledger.Plan{{Percent: 80, When: ledger.OnAcceptance}, {Percent: 20, When: ledger.OnFinalReportApproved}}
	if !slices.Equal(cfg.PaymentPlan, want) {
		t.Errorf("plan %v, want %v", cfg.PaymentPlan, want)
	}

	body := x.refused("sv", "/utbetalning", url.Values{"plan-r1-percent": {"70"}, "plan-r1-when": {"acceptance"},
		"plan-r2-percent": {"20"}, "plan-r2-when": {"interim_report_approved"}}, http.StatusUnprocessableEntity,
		"Delbetalningarna måste tillsammans bli 100 %.", `href="#payment-plan"`,
		`name="plan-r1-percent" type="text" value="70"`, `name="plan-r2-percent" type="text" value="20"`,
		`<option value="interim_report_approved" selected>`)
	wantNotContains(t, "refused plan", body, `value="80"`)

	x.refused("en", "/payment-plan", url.Values{"plan-r1-percent": {"all"}, "plan-r1-when": {"acceptance"}}, http.StatusUnprocessableEntity,
		"Share in percent: Write a whole number.", `value="all"`)
}

// A call's grants keep the terms they were decided with: once it has one,
// its payment plan and report rules can't change, in either language,
// and the plan typed stays in the form.
func TestCallConfigTermsFixedOnceGranted(t *testing.T) {
	e := newEnv(t, "http://localhost")
	own, _ := demoGrants(t, e)
	x := newConfigEditor(t, e, e.login(officer), own.CallID)
	plan := url.Values{"plan-r1-percent": {"60"}, "plan-r1-when": {"acceptance"},
		"plan-r2-percent": {"40"}, "plan-r2-when": {"final_report_approved"}}
	x.refused("sv", "/utbetalning", plan, http.StatusUnprocessableEntity,
		"Utlysningen har beviljade bidrag", `name="plan-r1-percent" type="text" value="60"`)
	x.refused("en", "/payment-plan", plan, http.StatusUnprocessableEntity, "The call has grants")
	x.refused("sv", "/rapporter", url.Values{"reports-interim": {"on"}, "reports-interim_due": {"2031-06-30"},
		"reports-deviation_tolerance": {"10"}, "reports-remind_days_before": {"14"}, "reports-remind_overdue": {"on"}},
		http.StatusUnprocessableEntity, "Utlysningen har beviljade bidrag")
}

func TestCallConfigReportRules(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	x := newConfigEditor(t, e, e.login(officer), c.ID)

	res := e.get(x.cl, x.base("sv"))
	wantContains(t, "page", res.body, `id="report-rules"`, `name="reports-deviation_tolerance" type="text" value="10"`,
		`name="reports-remind_days_before" type="text" value="14"`, `id="reports-remind_overdue" name="reports-remind_overdue" checked`)

	cfg := x.ok("/rapporter", url.Values{"reports-interim": {"on"}, "reports-interim_due": {"2031-06-30"},
		"reports-final_due": {"2032-01-31"}, "reports-deviation_tolerance": {"15"}, "reports-remind_days_before": {"7"}}, "#report-rules")
	r := cfg.Reports
	if !r.Interim || r.InterimDue != "2031-06-30" || r.FinalDue != "2032-01-31" || r.Tolerance() != 0.15 || r.DaysBefore() != 7 || r.Overdue() {
		t.Errorf("rules %+v", r)
	}

	x.refused("sv", "/rapporter", url.Values{"reports-deviation_tolerance": {"150"}, "reports-remind_days_before": {"7"}},
		http.StatusUnprocessableEntity, "Tillåten avvikelse måste vara mellan 0 och 100 %.", `value="150"`, `href="#reports-deviation_tolerance"`)
	x.refused("en", "/reports", url.Values{"reports-deviation_tolerance": {"ten"}, "reports-remind_days_before": {"7"}},
		http.StatusUnprocessableEntity, "Write a number in percent, for example 10.", `value="ten"`)
	x.refused("sv", "/rapporter", url.Values{"reports-interim": {"on"}, "reports-deviation_tolerance": {"10"}, "reports-remind_days_before": {"7"}},
		http.StatusUnprocessableEntity, "Skriv datumet som ÅÅÅÅ-MM-DD")
}

func TestCallConfigPlanConflict(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	x := newConfigEditor(t, e, e.login(officer), c.ID)
	stale := strconv.Itoa(c.Version)
	x.ok("/steg", url.Values{"steps-review": {"on"}}, "#steps")
	x.refused("sv", "/utbetalning", url.Values{"version": {stale}, "plan-r1-percent": {"100"}, "plan-r1-when": {"final_report_approved"}},
		http.StatusConflict, "Någon annan sparade")
}
