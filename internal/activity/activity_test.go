package activity

import (
	"reflect"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
)

var today = clock.Date(2021, 6, 1)

func valid() *Activity {
	return &Activity{GrantID: 1, Date: clock.Date(2021, 5, 20), Title: "Seminarium för fullmäktige i Forshaga",
		TargetGroup: "politicians", Channel: "seminar", Reach: map[string]int64{"politicians": 41, "civil_servants": 12},
		Cost: "12 500 kr", Evidence: "https://forshaga.se/nyheter/lundazi", Targets: []string{"13.3", "17.17"}}
}

func TestValidate(t *testing.T) {
	lists := form.DefaultLists()
	if errs := valid().Validate(lists, today); len(errs) != 0 {
		t.Fatalf("valid activity: %v", errs)
	}
	tests := []struct {
		name  string
		edit  func(a *Activity)
		field string
		key   string
	}{
		{"no title", func(a *Activity) { a.Title = "" }, "title", "error.required"},
		{"no date", func(a *Activity) { a.Date = time.Time{} }, "date", "error.required"},
		{"future", func(a *Activity) { a.Date = today.AddDate(0, 0, 1) }, "date", ErrDateFuture},
		{"group not in list", func(a *Activity) { a.TargetGroup = "kings" }, "target_group", "error.invalid_choice"},
		{"no channel", func(a *Activity) { a.Channel = "" }, "channel", "error.required"},
		{"channel not in list", func(a *Activity) { a.Channel = "pigeon" }, "channel", "error.invalid_choice"},
		{"negative reach", func(a *Activity) { a.Reach["pupils"] = -1 }, "reach.pupils", ErrReachNegative},
		{"absurd reach", func(a *Activity) { a.Reach["citizens"] = MaxReach + 1 }, "reach.citizens", ErrReachAbsurd},
		{"reach of a group not in list", func(a *Activity) { a.Reach["kings"] = 3 }, "reach.kings", "error.invalid_choice"},
		{"cost unreadable", func(a *Activity) { a.Cost = "tolv" }, "cost", "error.money.invalid"},
		{"cost negative", func(a *Activity) { a.Cost = "-5" }, "cost", "error.money.negative"},
		{"javascript link", func(a *Activity) { a.Evidence = "javascript:alert(1)" }, "evidence", ErrEvidenceURL},
		{"file link", func(a *Activity) { a.Evidence = "file:///etc/passwd" }, "evidence", ErrEvidenceURL},
		{"no host", func(a *Activity) { a.Evidence = "https://" }, "evidence", ErrEvidenceURL},
		{"words", func(a *Activity) { a.Evidence = "se bifogad bild" }, "evidence", ErrEvidenceURL},
		{"unknown target", func(a *Activity) { a.Targets = []string{"18.1"} }, "targets", "error.invalid_choice"},
	}
	for _, tt := range tests {
		a := valid()
		tt.edit(a)
		errs := a.Validate(lists, today)
		if errs[tt.field] != tt.key {
			t.Errorf("%s: got %v, want %s=%s", tt.name, errs, tt.field, tt.key)
		}
	}
	// The lists are data: a call with its own groups accepts them.
	own := form.Lists{TargetGroups: []form.Option{{Value: "youth"}}, Channels: []form.Option{{Value: "podcast"}}}
	a := valid()
	a.TargetGroup, a.Channel, a.Reach = "youth", "podcast", map[string]int64{"youth": 300}
	if errs := a.Validate(own, today); len(errs) != 0 {
		t.Errorf("own lists: %v", errs)
	}
	if errs := valid().Validate(own, today); errs["target_group"] == "" || errs["reach.politicians"] == "" {
		t.Errorf("default groups against own lists: %v", errs)
	}
}

func TestNormalize(t *testing.T) {
	a := &Activity{Title: "  Utställning ", Reach: map[string]int64{"pupils": 0, "citizens": 5},
		Targets: []string{"17.17", "13.3", "13.3", " 4.7 "}}
	a.Normalize()
	if a.Title != "Utställning" || !reflect.DeepEqual(a.Reach, map[string]int64{"citizens": 5}) ||
		!reflect.DeepEqual(a.Targets, []string{"4.7", "13.3", "17.17"}) {
		t.Errorf("normalized: %+v", a)
	}
	b := &Activity{Reach: map[string]int64{"pupils": 0}}
	b.Normalize()
	if b.Reach != nil {
		t.Errorf("all zero reach: %v", b.Reach)
	}
}

func TestParseReach(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		key  string
	}{
		{"", 0, ""},
		{"0", 0, ""},
		{"1 200", 1200, ""},
		{"10\u00a0600\u00a0000", MaxReach, ""},
		{"10600001", 0, ErrReachAbsurd},
		{"99999999999999999999999", 0, ErrReachAbsurd},
		{"-3", 0, ErrReachNegative},
		{"−3", 0, ErrReachNegative},
		{"12,5", 0, ErrReachNumber},
		{"många", 0, ErrReachNumber},
	}
	for _, tt := range tests {
		got, key := ParseReach(tt.in)
		if key != tt.key || (key == "" && got != tt.want) {
			t.Errorf("ParseReach(%q) = %d, %q; want %d, %q", tt.in, got, key, tt.want, tt.key)
		}
	}
}

func TestSummarize(t *testing.T) {
	lists := form.DefaultLists()
	list := []*Activity{
		{Channel: "seminar", Reach: map[string]int64{"politicians": 41, "civil_servants": 12}, Cost: "12 500"},
		{Channel: "social_media", Reach: map[string]int64{"citizens": 3200}, Cost: "2 000,50 kr"},
		{Channel: "seminar", Reach: map[string]int64{"politicians": 9}},
		{Channel: "podcast", Reach: map[string]int64{"youth": 7}, Cost: "oläsligt"},
	}
	s := Summarize(list, lists)
	if s.Activities != 4 || s.Reach != 41+12+3200+9+7 || s.Cost != 1_450_050 {
		t.Errorf("totals: %+v", s)
	}
	if len(s.Groups) != len(lists.TargetGroups)+1 || s.Groups[0] != (GroupReach{"politicians", 50}) ||
		s.Groups[len(s.Groups)-1] != (GroupReach{"youth", 7}) {
		t.Errorf("groups: %+v", s.Groups)
	}
	var seminar, press, podcast ChannelReach
	for _, c := range s.Channels {
		switch c.Channel {
		case "seminar":
			seminar = c
		case "press":
			press = c
		case "podcast":
			podcast = c
		}
	}
	if seminar != (ChannelReach{"seminar", 2, 62, 1_250_000}) || press != (ChannelReach{Channel: "press"}) || podcast.Reach != 7 {
		t.Errorf("channels: seminar %+v press %+v podcast %+v", seminar, press, podcast)
	}
	if s.Channels[len(s.Channels)-1].Channel != "podcast" {
		t.Errorf("a channel outside the list comes last: %+v", s.Channels)
	}
}
