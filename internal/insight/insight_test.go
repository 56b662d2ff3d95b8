package insight

import (
	"reflect"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
)

func partners(countries ...string) []organisation.Organisation {
	var out []organisation.Organisation
	for _, c := range countries {
		out = append(out, organisation.Organisation{Kind: organisation.Partner, Country: c})
	}
	return out
}

var ps = map[int64]*partnership.Partnership{
	1: {ID: 1, Name: "Kalix – Masaka", Goals: []int{4, 12, 14}, Partners: partners("UG")},
	2: {ID: 2, Name: "Arvika – Uasin Gishu", Goals: []int{6, 16}, Partners: partners("KE")},
	3: {ID: 3, Name: "Två länder", Goals: []int{16, 16, 99}, Partners: partners("KE", "UG", "KE")},
}

func grants() []*grant.Grant {
	return []*grant.Grant{
		{ID: 1, PartnershipID: 1, Amount: 30_000_000, AwardedOn: clock.Date(2021, 6, 15)},
		{ID: 2, PartnershipID: 2, Amount: 30_000_000, AwardedOn: clock.Date(2021, 6, 15)},
		{ID: 3, PartnershipID: 3, Amount: 10_000_000, AwardedOn: clock.Date(2026, 3, 1)},
		{ID: 4, PartnershipID: 1, Amount: 5_000_000, AwardedOn: clock.Date(2026, 11, 2)},
		// Decided late on New Year's Eve in UTC: already the next year in Stockholm.
		{ID: 5, PartnershipID: 2, Amount: 100, AwardedOn: time.Date(2022, 12, 31, 23, 30, 0, 0, time.UTC)},
		{ID: 6, PartnershipID: 404, Amount: 7, AwardedOn: clock.Date(2021, 1, 1)}, // partnership unknown
	}
}

func TestMoneyPerGoal(t *testing.T) {
	got := MoneyPerGoal(grants(), ps)
	want := []GoalMoney{
		{Goal: 4, Amount: 35_000_000, Grants: 2},
		{Goal: 6, Amount: 30_000_100, Grants: 2},
		{Goal: 12, Amount: 35_000_000, Grants: 2},
		{Goal: 14, Amount: 35_000_000, Grants: 2},
		// A goal listed twice counts a grant once; goal 99 does not exist.
		{Goal: 16, Amount: 40_000_100, Grants: 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MoneyPerGoal\n got %+v\nwant %+v", got, want)
	}
	if MoneyPerGoal(nil, ps) == nil || len(MoneyPerGoal(nil, ps)) != 0 {
		t.Error("no grants: want an empty list")
	}
}

func TestMoneyPerCountry(t *testing.T) {
	got := MoneyPerCountry(grants(), ps)
	want := []CountryMoney{
		{Country: "KE", Amount: 40_000_100, Grants: 3},
		{Country: "UG", Amount: 45_000_000, Grants: 3},
	}
	// Largest first.
	want[0], want[1] = want[1], want[0]
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MoneyPerCountry\n got %+v\nwant %+v", got, want)
	}
}

func TestMoneyPerYear(t *testing.T) {
	got := MoneyPerYear(grants())
	want := []YearMoney{
		{Year: 2021, Amount: 60_000_007, Grants: 3},
		{Year: 2023, Amount: 100, Grants: 1},
		{Year: 2026, Amount: 15_000_000, Grants: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MoneyPerYear\n got %+v\nwant %+v", got, want)
	}
	var sum int64
	for _, y := range got {
		sum += y.Amount
	}
	if sum != Total(grants()) {
		t.Errorf("the years add up to %d, the total is %d", sum, Total(grants()))
	}
}

func TestMergeLists(t *testing.T) {
	a := form.Lists{TargetGroups: []form.Option{{Value: "citizens", Label: form.Text{SV: "Medborgare", EN: "Citizens"}}},
		Channels: []form.Option{{Value: "web", Label: form.Text{SV: "Webb", EN: "Web"}}}}
	b := form.Lists{TargetGroups: []form.Option{{Value: "citizens", Label: form.Text{SV: "Invånare"}}, {Value: "farmers", Label: form.Text{SV: "Bönder", EN: "Farmers"}}}}
	got := MergeLists(a, b)
	if len(got.TargetGroups) != 2 || got.TargetGroups[0].Label.SV != "Medborgare" || got.TargetGroups[1].Value != "farmers" || len(got.Channels) != 1 {
		t.Errorf("MergeLists: %+v", got)
	}
}

func TestReach(t *testing.T) {
	lists := form.DefaultLists()
	acts := []*activity.Activity{
		{Channel: "exhibition", Reach: map[string]int64{"pupils": 410, "citizens": 230}},
		{Channel: "seminar", Reach: map[string]int64{"decision_makers": 34, "politicians": 18}},
		{Channel: "school_visit", Reach: map[string]int64{"pupils": 260}},
		{Channel: "pigeon", Reach: nil}, // a channel no longer in the lists, reaching nobody
	}
	s := Reach(acts, lists)
	var groups []string
	for _, g := range s.Groups {
		groups = append(groups, g.Group)
	}
	if want := []string{"pupils", "citizens", "decision_makers", "politicians"}; !reflect.DeepEqual(groups, want) {
		t.Errorf("groups %v, want %v (most reached first, none without reach)", groups, want)
	}
	if s.Groups[0].Reach != 670 {
		t.Errorf("pupils reached %d, want 670", s.Groups[0].Reach)
	}
	var channels []string
	for _, c := range s.Channels {
		channels = append(channels, c.Channel)
	}
	if want := []string{"exhibition", "school_visit", "seminar", "pigeon"}; !reflect.DeepEqual(channels, want) {
		t.Errorf("channels %v, want %v (used channels only, most reached first)", channels, want)
	}
	if s.Reach != 952 || TotalReach(acts) != 952 || s.Activities != 4 {
		t.Errorf("reach %d / %d, activities %d; want 952, 952, 4", s.Reach, TotalReach(acts), s.Activities)
	}
	if empty := Reach(nil, lists); len(empty.Groups) != 0 || len(empty.Channels) != 0 || empty.Reach != 0 {
		t.Errorf("no activities: %+v", empty)
	}
}
