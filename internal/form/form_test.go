package form

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckDefinition(t *testing.T) {
	f := CommunicationForm()
	if err := f.Check(); err != nil {
		t.Fatalf("the default form: %v", err)
	}
	for name, edit := range map[string]func(f *Form){
		"duplicate section":      func(f *Form) { f.Sections[1].Key = f.Sections[0].Key },
		"duplicate field":        func(f *Form) { f.Sections[1].Fields[0].Key = "title" },
		"bad key":                func(f *Form) { f.Sections[0].Fields[0].Key = "Titel med mellanslag" },
		"unknown kind":           func(f *Form) { f.Sections[0].Fields[0].Kind = "essay" },
		"no Swedish label":       func(f *Form) { f.Sections[0].Fields[0].Label.SV = " " },
		"choice without options": func(f *Form) { f.Sections[0].Fields[0].Kind = SingleChoice },
		"two budgets": func(f *Form) {
			f.Sections[0].Fields = append(f.Sections[0].Fields, Field{Key: "budget2", Kind: Budget, Label: Text{SV: "Budget igen"}})
		},
		"no sections": func(f *Form) { f.Sections = nil },
	} {
		g := CommunicationForm()
		edit(&g)
		var def *DefinitionError
		if err := g.Check(); !errors.As(err, &def) {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCheckChange(t *testing.T) {
	old := CommunicationForm()
	added := CommunicationForm()
	added.Sections[0].Fields = append(added.Sections[0].Fields, Field{Key: "extra", Kind: ShortText, Label: Text{SV: "Extra"}})
	if err := CheckChange(&old, &added); err != nil {
		t.Errorf("adding a field: %v", err)
	}
	changed := CommunicationForm()
	changed.Sections[0].Fields[1].Kind = ShortText
	if err := CheckChange(&old, &changed); err == nil || !strings.Contains(err.Error(), `"summary" cannot change kind`) {
		t.Errorf("changing a kind: %v", err)
	}
}

func TestCheckAnswers(t *testing.T) {
	f := CommunicationForm()
	lists := DefaultLists()
	a := Answers{
		Values:       map[string]string{"title": "Utställning", "summary": strings.Repeat("ord ", 301), "objectives": "Kunskap", "survey_plan": "Före och efter"},
		TargetGroups: []TargetGroup{{Group: "pupils", Message: ""}},
		Activities:   []Activity{{Title: "Visning", TargetGroup: "pupils", Channel: "tv", Start: "2027-02-01", End: "2027-01-01", Cost: "1.000.000,5,0"}},
		Budget:       []BudgetLine{{Category: "communicator", Amount: "100 000"}, {Category: "travel", Amount: "-5"}},
	}
	errs := Check(&f, lists, &a)
	want := map[string]string{
		"summary":                 "error.form.word_limit",
		"target_groups.0.message": "error.required",
		"activities.0.channel":    "error.invalid_choice",
		"activities.0.end":        "error.partnership.end_before_start",
		"activities.0.cost":       "error.money.invalid",
		"budget.1.category":       "error.invalid_choice",
		"budget.1.amount":         "error.money.negative",
		"targets":                 "error.required",
	}
	for k, v := range want {
		if errs[k] != v {
			t.Errorf("%s: %q, want %q", k, errs[k], v)
		}
	}
	if len(errs) != len(want) {
		t.Errorf("errors %v, want exactly %v", errs, want)
	}
	// The amount requested counts the lines that can be read.
	if got := a.Requested(); got != 10_000_000 {
		t.Errorf("requested %d, want 10 000 000 öre", got)
	}
}
