package form

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/sdg"
)

// fuzzForm is the communication support's form with a field of every
// other kind beside it.
func fuzzForm() *Form {
	f := CommunicationForm()
	f.Sections = append(f.Sections, Section{Key: "more", Title: Text{"Mer", "More"}, Fields: []Field{
		{Key: "own_money", Kind: Money, Label: Text{"Egen insats", "Own contribution"}},
		{Key: "people", Kind: Number, Label: Text{"Antal", "Number"}},
		{Key: "starts", Kind: Date, Label: Text{"Start", "Start"}},
		{Key: "kind", Kind: SingleChoice, Label: Text{"Typ", "Kind"}, Options: []Option{{Value: "a"}, {Value: "b"}}},
		{Key: "where", Kind: MultiChoice, Label: Text{"Var", "Where"}, Options: []Option{{Value: "web"}, {Value: "print"}}},
	}})
	return &f
}

// FuzzAnswersCheck: whatever answers a form stores (JSON, as the draft
// is kept), Check never panics, and answers it finds complete are what
// the call offers: every choice one of its options, every date a date
// and every activity ending on or after its start, every amount one
// money reads and not negative, and the amount requested the sum of the
// budget lines, above zero. Storing and reading the answers again gives
// the same verdict. The corpus is in testdata/fuzz/FuzzAnswersCheck.
func FuzzAnswersCheck(f *testing.F) {
	f.Add([]byte(`{"values":{"title":"Plast i älven","summary":"Vi berättar.","objectives":"Fler vet.","survey_plan":"Enkät.","own_money":"10 000 kr","people":"12","starts":"2021-03-01","kind":"a"},` +
		`"multi":{"where":["web"]},"target_groups":[{"group":"politicians","message":"Budskap"}],` +
		`"activities":[{"title":"Seminarium","target_group":"politicians","channel":"seminar","start":"2021-05-01","end":"2021-05-02","cost":"5 000"}],` +
		`"budget":[{"category":"communicator","description":"Tid","amount":"100 000"}],"targets":["12.5"]}`))
	f.Add([]byte(`{"budget":[{"category":"communicator","amount":"-5"},{"category":"x","amount":"1,505"}]}`))
	f.Add([]byte(`{"activities":[{"start":"2021-05-02","end":"2021-05-01","cost":"−1"}],"values":{"own_money":"-0,01","kind":"c"}}`))
	f.Add([]byte(`{"values":{"people":"1e400","starts":"2021-02-30"},"multi":{"where":["web","web","radio"]}}`))
	form := fuzzForm()
	lists := DefaultLists()
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Answers
		if json.Unmarshal(data, &a) != nil {
			return
		}
		errs := Check(form, lists, &a)
		stored, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var again Answers
		if err := json.Unmarshal(stored, &again); err != nil {
			t.Fatalf("stored answers do not read back: %v", err)
		}
		if e2 := Check(form, lists, &again); len(e2) != len(errs) && utf8.Valid(data) {
			t.Fatalf("stored and read again, the answers have %d errors, not %d", len(e2), len(errs))
		}
		if a.Requested() < 0 {
			t.Fatalf("requested %d", a.Requested())
		}
		if len(errs) > 0 {
			return
		}
		var sum int64
		for _, l := range a.Budget {
			ore, err := money.ParsePositive(l.Amount)
			if err != nil || !has(lists.BudgetCategories, l.Category) {
				t.Fatalf("accepted budget line %+v", l)
			}
			sum += ore
		}
		if sum != a.Requested() || sum <= 0 {
			t.Fatalf("requested %d, lines sum to %d", a.Requested(), sum)
		}
		for _, tg := range a.TargetGroups {
			if !has(lists.TargetGroups, tg.Group) || strings.TrimSpace(tg.Message) == "" {
				t.Fatalf("accepted target group %+v", tg)
			}
		}
		for _, act := range a.Activities {
			start, err1 := time.Parse("2006-01-02", strings.TrimSpace(act.Start))
			end, err2 := time.Parse("2006-01-02", strings.TrimSpace(act.End))
			if err1 != nil || err2 != nil || end.Before(start) || !has(lists.TargetGroups, act.TargetGroup) || !has(lists.Channels, act.Channel) {
				t.Fatalf("accepted activity %+v", act)
			}
			if c := strings.TrimSpace(act.Cost); c != "" {
				if ore, err := money.Parse(c); err != nil || ore < 0 {
					t.Fatalf("accepted activity cost %q", act.Cost)
				}
			}
		}
		if v := strings.TrimSpace(a.Values["own_money"]); v != "" {
			if ore, err := money.Parse(v); err != nil || ore < 0 {
				t.Fatalf("accepted amount %q", v)
			}
		}
		if v := strings.TrimSpace(a.Values["starts"]); v != "" {
			if _, err := time.Parse("2006-01-02", v); err != nil {
				t.Fatalf("accepted date %q", v)
			}
		}
		if v := strings.TrimSpace(a.Values["kind"]); v != "" && v != "a" && v != "b" {
			t.Fatalf("accepted choice %q", v)
		}
		for _, v := range a.Multi["where"] {
			if !slices.Contains([]string{"web", "print"}, v) {
				t.Fatalf("accepted choice %q", v)
			}
		}
		for _, code := range a.Targets {
			if sdg.TargetByCode(code) == nil {
				t.Fatalf("accepted target %q", code)
			}
		}
	})
}
