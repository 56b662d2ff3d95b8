package survey

import (
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
)

func TestWindow(t *testing.T) {
	opens := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	// Closing after 10 March takes answers until midnight in Stockholm
	// (23:00 UTC in winter).
	w := Window{Opens: opens, Closes: EndOfDay(clock.Date(2021, 3, 10))}
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{opens.Add(-time.Second), "not_opened"},
		{opens, "open"},
		{time.Date(2021, 3, 10, 22, 59, 59, 0, time.UTC), "open"},
		{time.Date(2021, 3, 10, 23, 0, 0, 0, time.UTC), "closed"},
	} {
		if got := w.Status(tt.at); got != tt.want {
			t.Errorf("at %v: %s, want %s", tt.at, got, tt.want)
		}
	}
	if !w.LastDay().Equal(clock.Date(2021, 3, 10)) {
		t.Errorf("last day %v", w.LastDay())
	}
	if (Window{}).IsOpen(opens) || !(Window{Opens: opens}).IsOpen(opens.AddDate(5, 0, 0)) {
		t.Error("unopened or open-ended window wrong")
	}
}

func TestSurveyQuestionsOnlyGrow(t *testing.T) {
	sv := New(1, DefaultQuestions(), time.Now())
	if len(sv.Token) != 26 || sv.Token == New(1, nil, time.Now()).Token {
		t.Errorf("token %q", sv.Token)
	}
	if errs := sv.AddQuestion(OwnQuestion{Kind: "single_choice", TextSV: "Var?", Options: "Skolan | School\n\nBiblioteket"}); len(errs) != 0 {
		t.Fatal(errs)
	}
	q := sv.Questions[len(sv.Questions)-1]
	if q.Key != "own_5" || len(q.Options) != 2 || q.Options[0].Label.EN != "School" || q.Options[1].Value != "o3" {
		t.Errorf("own question %+v", q)
	}
	if errs := sv.AddQuestion(OwnQuestion{Kind: "scale"}); !errs.Has("text_sv") {
		t.Errorf("no text: %v", errs)
	}
	if errs := sv.AddQuestion(OwnQuestion{Kind: "single_choice", TextSV: "Ett?", Options: "Bara"}); !errs.Has("options") {
		t.Errorf("one option: %v", errs)
	}
	if err := sv.Check().Err(); err != nil {
		t.Fatal(err)
	}
	if CheckChange(DefaultQuestions(), sv.Questions) != nil {
		t.Error("adding a question refused")
	}
	if CheckChange(sv.Questions, DefaultQuestions()) == nil {
		t.Error("removing a question allowed")
	}
	changed := DefaultQuestions()
	changed[0].Kind = YesNo
	if CheckChange(DefaultQuestions(), changed) == nil {
		t.Error("changing a kind allowed")
	}
}
