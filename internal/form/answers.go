package form

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/validate"
)

// Answers are what an applicant typed, kept exactly as typed (money too),
// so a draft is never lost, even when something in it is not yet valid.
// Check tells what is missing or wrong.
type Answers struct {
	Values       map[string]string   `json:"values,omitempty"` // simple fields, as typed
	Multi        map[string][]string `json:"multi,omitempty"`  // multiple choice
	Files        map[string][]int64  `json:"files,omitempty"`  // attachment ids per file field
	TargetGroups []TargetGroup       `json:"target_groups,omitempty"`
	Activities   []Activity          `json:"activities,omitempty"`
	Budget       []BudgetLine        `json:"budget,omitempty"`
	Targets      []string            `json:"targets,omitempty"`
}

// TargetGroup is a group the communication addresses and its key message.
type TargetGroup struct {
	Group   string `json:"group"`
	Message string `json:"message"`
}

// Activity is a planned activity.
type Activity struct {
	Title       string `json:"title"`
	TargetGroup string `json:"target_group"`
	Channel     string `json:"channel"`
	Start       string `json:"start"` // ISO date as typed
	End         string `json:"end"`
	Cost        string `json:"cost"` // kronor as typed
}

// BudgetLine is one line of the budget.
type BudgetLine struct {
	Category    string `json:"category"`
	Description string `json:"description"`
	Amount      string `json:"amount"` // kronor as typed
}

// Lists are the choices the built-in blocks offer; a call configures them.
type Lists struct {
	TargetGroups     []Option `json:"target_groups"`
	Channels         []Option `json:"channels"`
	BudgetCategories []Option `json:"budget_categories"`
}

// Has reports whether value is one of the options.
func has(opts []Option, value string) bool {
	return slices.ContainsFunc(opts, func(o Option) bool { return o.Value == value })
}

// Limits on what one application may hold, so no form can grow without bound.
const (
	maxRows      = 100
	maxShortText = 300
	maxLongText  = 20000
)

// Requested returns the amount requested: the sum of the budget lines that
// can be read, in öre.
func (a *Answers) Requested() int64 {
	var sum int64
	for _, l := range a.Budget {
		if ore, err := money.ParsePositive(l.Amount); err == nil {
			sum += ore
		}
	}
	return sum
}

// Check returns what is missing or wrong, as field errors keyed by field
// key (or key.row.column for the blocks, e.g. "budget.2.amount"). A draft
// shows them as "still missing"; submission requires none.
func Check(f *Form, lists Lists, a *Answers) validate.Errors {
	e := validate.Errors{}
	for _, fl := range f.Fields() {
		checkField(e, fl, lists, a)
	}
	return e
}

func checkField(e validate.Errors, fl Field, lists Lists, a *Answers) {
	v := strings.TrimSpace(a.Values[fl.Key])
	switch fl.Kind {
	case ShortText, LongText, Number, Money, Date, SingleChoice:
		if v == "" {
			if fl.Required {
				e.Add(fl.Key, "error.required")
			}
			return
		}
		switch fl.Kind {
		case ShortText:
			e.MaxLen(fl.Key, v, maxShortText)
		case LongText:
			e.MaxLen(fl.Key, v, maxLongText)
			if fl.WordLimit > 0 && len(strings.Fields(v)) > fl.WordLimit {
				e.Add(fl.Key, "error.form.word_limit")
			}
		case Number:
			if _, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), ",", "."), 64); err != nil {
				e.Add(fl.Key, "error.form.number")
			}
		case Money:
			if _, err := money.Parse(v); err != nil {
				e.Add(fl.Key, err.Error())
			} else if ore, _ := money.Parse(v); ore < 0 {
				e.Add(fl.Key, money.ErrNegative.Error())
			}
		case Date:
			if _, err := time.Parse("2006-01-02", v); err != nil {
				e.Add(fl.Key, "error.date")
			}
		case SingleChoice:
			if !has(fl.Options, v) {
				e.Add(fl.Key, "error.invalid_choice")
			}
		}
	case MultiChoice:
		vals := a.Multi[fl.Key]
		if len(vals) == 0 && fl.Required {
			e.Add(fl.Key, "error.required")
		}
		for _, x := range vals {
			if !has(fl.Options, x) {
				e.Add(fl.Key, "error.invalid_choice")
			}
		}
	case File:
		if len(a.Files[fl.Key]) == 0 && fl.Required {
			e.Add(fl.Key, "error.required")
		}
	case TargetGroups:
		if len(a.TargetGroups) == 0 && fl.Required {
			e.Add(fl.Key, "error.form.rows_required")
		}
		if len(a.TargetGroups) > maxRows {
			e.Add(fl.Key, "error.form.too_many_rows")
		}
		for i, tg := range a.TargetGroups {
			p := rowKey(fl.Key, i)
			if !has(lists.TargetGroups, tg.Group) {
				e.Add(p+"group", "error.invalid_choice")
			}
			e.Required(p+"message", tg.Message)
			e.MaxLen(p+"message", tg.Message, maxShortText*3)
		}
	case Activities:
		if len(a.Activities) == 0 && fl.Required {
			e.Add(fl.Key, "error.form.rows_required")
		}
		if len(a.Activities) > maxRows {
			e.Add(fl.Key, "error.form.too_many_rows")
		}
		for i, act := range a.Activities {
			p := rowKey(fl.Key, i)
			e.Required(p+"title", act.Title)
			e.MaxLen(p+"title", act.Title, maxShortText)
			if !has(lists.TargetGroups, act.TargetGroup) {
				e.Add(p+"target_group", "error.invalid_choice")
			}
			if !has(lists.Channels, act.Channel) {
				e.Add(p+"channel", "error.invalid_choice")
			}
			start, err1 := time.Parse("2006-01-02", strings.TrimSpace(act.Start))
			if err1 != nil {
				e.Add(p+"start", "error.date")
			}
			end, err2 := time.Parse("2006-01-02", strings.TrimSpace(act.End))
			if err2 != nil {
				e.Add(p+"end", "error.date")
			}
			if err1 == nil && err2 == nil && end.Before(start) {
				e.Add(p+"end", "error.partnership.end_before_start")
			}
			if strings.TrimSpace(act.Cost) != "" {
				if ore, err := money.Parse(act.Cost); err != nil {
					e.Add(p+"cost", err.Error())
				} else if ore < 0 {
					e.Add(p+"cost", money.ErrNegative.Error())
				}
			}
		}
	case Budget:
		if len(a.Budget) == 0 && fl.Required {
			e.Add(fl.Key, "error.form.rows_required")
		}
		if len(a.Budget) > maxRows {
			e.Add(fl.Key, "error.form.too_many_rows")
		}
		for i, l := range a.Budget {
			p := rowKey(fl.Key, i)
			if !has(lists.BudgetCategories, l.Category) {
				e.Add(p+"category", "error.invalid_choice")
			}
			e.MaxLen(p+"description", l.Description, maxShortText)
			if _, err := money.ParsePositive(l.Amount); err != nil {
				e.Add(p+"amount", err.Error())
			}
		}
	case SDGTargets:
		if len(a.Targets) == 0 && fl.Required {
			e.Add(fl.Key, "error.required")
		}
		for _, t := range a.Targets {
			if sdg.TargetByCode(t) == nil {
				e.Add(fl.Key, "error.invalid_choice")
			}
		}
	}
}

func rowKey(key string, i int) string { return fmt.Sprintf("%s.%d.", key, i) }

// DefaultLists are the target groups, channels and cost categories of the
// communication support, for new calls.
func DefaultLists() Lists {
	return Lists{
		TargetGroups: []Option{
			{"politicians", Text{"Politiker", "Politicians"}},
			{"civil_servants", Text{"Tjänstepersoner", "Civil servants"}},
			{"citizens", Text{"Medborgare", "Citizens"}},
			{"pupils", Text{"Skolelever", "School pupils"}},
			{"decision_makers", Text{"Beslutsfattare", "Decision makers"}},
			{"media", Text{"Media", "Media"}},
			{"other", Text{"Annan", "Other"}},
		},
		Channels: []Option{
			{"meeting", Text{"Möte", "Meeting"}},
			{"seminar", Text{"Seminarium", "Seminar"}},
			{"school_visit", Text{"Skolbesök", "School visit"}},
			{"exhibition", Text{"Utställning", "Exhibition"}},
			{"social_media", Text{"Sociala medier", "Social media"}},
			{"press", Text{"Press", "Press"}},
			{"web", Text{"Webb", "Web"}},
			{"print", Text{"Trycksak", "Printed material"}},
			{"film", Text{"Film", "Film"}},
			{"other", Text{"Annat", "Other"}},
		},
		BudgetCategories: []Option{
			{"communicator", Text{"Kommunikatörs tid", "Communicator's time"}},
			{"consultant", Text{"Konsult", "Consultant"}},
			{"material", Text{"Material", "Material"}},
		},
	}
}

// CommunicationForm is the form of the information and communication
// support, as a starting point an officer edits.
func CommunicationForm() Form {
	return Form{Sections: []Section{
		{Key: "project", Title: Text{"Projektet", "The project"}, Fields: []Field{
			{Key: "title", Kind: ShortText, Label: Text{"Projektets namn", "Project title"}, Required: true},
			{Key: "summary", Kind: LongText, Label: Text{"Sammanfattning", "Summary"}, Help: Text{"Vad vill ni uppnå med kommunikationen?", "What do you want the communication to achieve?"}, Required: true, WordLimit: 300},
			{Key: "objectives", Kind: LongText, Label: Text{"Mål", "Objectives"}, Required: true, WordLimit: 300},
			{Key: "contact_name", Kind: ShortText, Label: Text{"Kontaktperson", "Contact person"}, Personal: true},
			{Key: "contact_email", Kind: ShortText, Label: Text{"Kontaktpersonens e-postadress", "Contact person's e-mail address"}, Personal: true},
			{Key: "contact_phone", Kind: ShortText, Label: Text{"Kontaktpersonens telefonnummer", "Contact person's telephone number"}, Personal: true},
		}},
		{Key: "audience", Title: Text{"Målgrupper och budskap", "Target groups and messages"}, Fields: []Field{
			{Key: "target_groups", Kind: TargetGroups, Label: Text{"Målgrupper", "Target groups"}, Help: Text{"Ange nyckelbudskapet för varje målgrupp.", "Give the key message for each target group."}, Required: true},
		}},
		{Key: "plan", Title: Text{"Planerade aktiviteter", "Planned activities"}, Fields: []Field{
			{Key: "activities", Kind: Activities, Label: Text{"Aktiviteter", "Activities"}, Required: true},
			{Key: "survey_plan", Kind: LongText, Label: Text{"Nollmätning och uppföljning", "Baseline and follow-up survey"}, Help: Text{"Hur når ni samma personer före och efter?", "How will you reach the same people before and after?"}, Required: true, WordLimit: 200},
		}},
		{Key: "money", Title: Text{"Budget", "Budget"}, Fields: []Field{
			{Key: "budget", Kind: Budget, Label: Text{"Budgetrader", "Budget lines"}, Help: Text{"Det sökta beloppet är summan av raderna.", "The amount requested is the sum of the lines."}, Required: true},
		}},
		{Key: "goals", Title: Text{"Agenda 2030", "Agenda 2030"}, Fields: []Field{
			{Key: "targets", Kind: SDGTargets, Label: Text{"Delmål som kommunikationen berör", "Targets the communication addresses"}, Required: true},
			{Key: "attachments", Kind: File, Label: Text{"Bilagor", "Attachments"}, Help: Text{"PDF, Office-dokument eller bilder, högst 10 MB per fil.", "PDF, Office documents or images, at most 10 MB each."}},
		}},
	}}
}
