package storetest

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/store"
)

func testActivities(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	g := &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: 25_000_000, AwardedOn: clock.Date(2021, 2, 1)}
	must(t, s.CreateGrant(ctx(), officer, g))
	by := audit.Actor{Name: "Åsa Sökande"}

	// Created, with Swedish text kept as typed, and read back whole.
	a := &activity.Activity{GrantID: g.ID, Date: clock.Date(2021, 2, 24), Title: "Utställning om plast – Kalix bibliotek, Ö-vik & Masaka",
		TargetGroup: "citizens", Channel: "exhibition", Reach: map[string]int64{"citizens": 1250, "pupils": 310, "politicians": 0},
		Cost: "12 500,50 kr", Evidence: "https://www.kalix.se/nyheter/utställning-om-plast?år=2021", Targets: []string{"12.5", "4.7", "12.5"}}
	must(t, s.CreateActivity(ctx(), by, a))
	if a.ID == 0 || a.Version != 1 || !a.CreatedAt.Equal(Start) {
		t.Fatalf("created: %+v", a)
	}
	got, err := s.Activity(ctx(), a.ID)
	must(t, err)
	if !reflect.DeepEqual(got, a) {
		t.Errorf("round-trip:\n got %+v\nwant %+v", got, a)
	}
	if got.Title != "Utställning om plast – Kalix bibliotek, Ö-vik & Masaka" || got.Cost != "12 500,50 kr" || got.CostOre() != 1_250_050 ||
		!reflect.DeepEqual(got.Reach, map[string]int64{"citizens": 1250, "pupils": 310}) || !reflect.DeepEqual(got.Targets, []string{"4.7", "12.5"}) ||
		!got.Date.Equal(clock.Date(2021, 2, 24)) {
		t.Errorf("activity: %+v", got)
	}

	// A second activity, earlier: the list is by date.
	b := &activity.Activity{GrantID: g.ID, Date: clock.Date(2021, 1, 15), Title: "Seminarium för kommunfullmäktige", TargetGroup: "politicians",
		Channel: "seminar", Reach: map[string]int64{"politicians": 41}}
	must(t, s.CreateActivity(ctx(), by, b))
	list, err := s.ActivityList(ctx(), g.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("ActivityList: %+v", list)
	}
	if list[0].Reach["politicians"] != 41 || list[0].Cost != "" || list[0].Evidence != "" || list[0].Targets != nil {
		t.Errorf("second activity: %+v", list[0])
	}
	if sum := activity.Summarize(list, f.call.Config.Lists); sum.Reach != 1250+310+41 || sum.Cost != 1_250_050 || sum.Activities != 2 {
		t.Errorf("summary: %+v", sum)
	}
	if empty, err := s.ActivityList(ctx(), 999); err != nil || len(empty) != 0 {
		t.Errorf("activities of no grant: %v, %v", empty, err)
	}
	// Several grants in one read: each grant's list as ActivityList gives it.
	g2 := &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: 1_000_000, AwardedOn: clock.Date(2021, 3, 1)}
	must(t, s.CreateGrant(ctx(), officer, g2))
	c := &activity.Activity{GrantID: g2.ID, Date: clock.Date(2021, 2, 25), Title: "Radioinslag", TargetGroup: "citizens", Channel: "web",
		Reach: map[string]int64{"citizens": 5000}, Targets: []string{"16.7"}}
	must(t, s.CreateActivity(ctx(), by, c))
	quiet := &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: 1_000_000, AwardedOn: clock.Date(2021, 3, 1)}
	must(t, s.CreateGrant(ctx(), officer, quiet))
	of, err := s.ActivitiesOf(ctx(), []int64{g.ID, g2.ID, quiet.ID, 999})
	must(t, err)
	second, err := s.ActivityList(ctx(), g2.ID)
	must(t, err)
	if len(of) != 2 || !reflect.DeepEqual(of[g.ID], list) || !reflect.DeepEqual(of[g2.ID], second) || len(second) != 1 || second[0].Reach["citizens"] != 5000 {
		t.Errorf("ActivitiesOf: %d grants; first %+v, want %+v; second %+v", len(of), of[g.ID], list, of[g2.ID])
	}
	if only, err := s.ActivitiesOf(ctx(), []int64{g2.ID}); err != nil || len(only) != 1 || len(only[g2.ID]) != 1 {
		t.Errorf("ActivitiesOf one grant: %v, %v", only, err)
	}
	if none, err := s.ActivitiesOf(ctx(), nil); err != nil || len(none) != 0 {
		t.Errorf("ActivitiesOf no grants: %v, %v", none, err)
	}

	// Evidence as a file: its description is written and read back whole,
	// kept by an edit that keeps it, and gone when removed.
	file := &activity.EvidenceFile{Filename: "Seminariet i fullmäktige – bild åäö.png", ContentType: "image/png", Size: 1234,
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", StorageKey: "0123456789abcdef0123456789abcdef"}
	b.File = file
	must(t, s.UpdateActivity(ctx(), by, b))
	withFile, err := s.Activity(ctx(), b.ID)
	must(t, err)
	if !reflect.DeepEqual(withFile, b) || withFile.File == nil || *withFile.File != *file {
		t.Errorf("evidence file round-trip:\n got %+v (%+v)\nwant %+v", withFile, withFile.File, b)
	}
	if list, err := s.ActivityList(ctx(), g.ID); err != nil || len(list) != 2 || list[0].File == nil || *list[0].File != *file || list[1].File != nil {
		t.Errorf("evidence file in the list: %v %+v", err, list)
	}
	withFile.Title = "Seminarium för kommunfullmäktige (ändrat)"
	must(t, s.UpdateActivity(ctx(), by, withFile))
	if kept, err := s.Activity(ctx(), b.ID); err != nil || kept.File == nil || *kept.File != *file {
		t.Errorf("evidence file after an edit: %v %+v", err, kept)
	}
	withFile.File = nil
	must(t, s.UpdateActivity(ctx(), by, withFile))
	if removed, err := s.Activity(ctx(), b.ID); err != nil || removed.File != nil {
		t.Errorf("evidence file removed: %v %+v", err, removed)
	}

	// Updated at the stored version; a stale version is a conflict.
	clk.Set(Start.Add(time.Hour))
	stale := *got
	a.Title, a.Reach, a.Targets = "Utställning om plast i Kalix bibliotek", map[string]int64{"citizens": 1300}, nil
	must(t, s.UpdateActivity(ctx(), by, a))
	if a.Version != 2 || !a.UpdatedAt.Equal(Start.Add(time.Hour)) || !a.CreatedAt.Equal(Start) {
		t.Errorf("updated: %+v", a)
	}
	got, err = s.Activity(ctx(), a.ID)
	must(t, err)
	if !reflect.DeepEqual(got, a) || got.Targets != nil || len(got.Reach) != 1 {
		t.Errorf("after update:\n got %+v\nwant %+v", got, a)
	}
	stale.Title = "Någon annans ändring"
	if err := s.UpdateActivity(ctx(), by, &stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale version: %v, want ErrConflict", err)
	}
	// An activity does not move to another grant.
	other := &grant.Grant{CallID: f.call.ID, PartnershipID: f.arvikaUasin.ID, OrganisationID: f.arvika.ID, Amount: 100, AwardedOn: Start}
	must(t, s.CreateGrant(ctx(), officer, other))
	moved := *got
	moved.GrantID = other.ID
	if err := s.UpdateActivity(ctx(), by, &moved); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("moved to another grant: %v, want ErrNotFound", err)
	}

	// Refused: each saves nothing and leaves no audit entry.
	refusals := []struct {
		name  string
		edit  func(x *activity.Activity)
		field string
		key   string
	}{
		{"negative reach", func(x *activity.Activity) { x.Reach = map[string]int64{"pupils": -1} }, "reach.pupils", activity.ErrReachNegative},
		{"absurd reach", func(x *activity.Activity) { x.Reach = map[string]int64{"citizens": activity.MaxReach + 1} }, "reach.citizens", activity.ErrReachAbsurd},
		{"target group not in the call's list", func(x *activity.Activity) { x.TargetGroup = "kings" }, "target_group", "error.invalid_choice"},
		{"cost unreadable", func(x *activity.Activity) { x.Cost = "tolv tusen" }, "cost", "error.money.invalid"},
		{"evidence not a web link", func(x *activity.Activity) { x.Evidence = "javascript:alert(1)" }, "evidence", activity.ErrEvidenceURL},
		{"in the future", func(x *activity.Activity) { x.Date = clock.Date(2021, 3, 2) }, "date", activity.ErrDateFuture},
		{"evidence file without its key", func(x *activity.Activity) { x.File = &activity.EvidenceFile{Filename: "a.png"} }, "evidence_file", "error.required"},
		{"unknown SDG target", func(x *activity.Activity) { x.Targets = []string{"18.1"} }, "targets", "error.invalid_choice"},
	}
	for _, r := range refusals {
		x := &activity.Activity{GrantID: g.ID, Date: clock.Date(2021, 2, 1), Title: "Ny", TargetGroup: "media", Channel: "press"}
		r.edit(x)
		wantField(t, s.CreateActivity(ctx(), by, x), r.field, r.key)
		y := *got
		r.edit(&y)
		wantField(t, s.UpdateActivity(ctx(), by, &y), r.field, r.key)
	}
	if err := s.CreateActivity(ctx(), by, &activity.Activity{GrantID: 999, Date: clock.Date(2021, 2, 1), Title: "Ny", TargetGroup: "media", Channel: "press"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown grant: %v, want ErrNotFound", err)
	}
	list, err = s.ActivityList(ctx(), g.ID)
	must(t, err)
	if len(list) != 2 || !reflect.DeepEqual(list[1], a) {
		t.Errorf("after refusals: %+v", list)
	}

	// Deleted with its reach and targets; the audit log tells the story.
	must(t, s.DeleteActivity(ctx(), by, a.ID))
	if _, err := s.Activity(ctx(), a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := s.DeleteActivity(ctx(), by, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	if err := s.UpdateActivity(ctx(), by, got); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update after delete: %v, want ErrNotFound", err)
	}
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "activity", EntityID: a.ID})
	must(t, err)
	if len(entries) != 3 || entries[0].Action != "delete" || entries[1].Action != "update" || entries[2].Action != "create" || entries[0].Actor.Name != "Åsa Sökande" {
		t.Fatalf("audit of the activity: %+v", entries)
	}
	var before, after activity.Activity
	must(t, json.Unmarshal(entries[1].Before, &before))
	must(t, json.Unmarshal(entries[1].After, &after))
	if before.Reach["pupils"] != 310 || after.Title != "Utställning om plast i Kalix bibliotek" || string(entries[0].After) != "null" {
		t.Errorf("update entry: %s → %s", entries[1].Before, entries[1].After)
	}
	list, err = s.ActivityList(ctx(), g.ID)
	must(t, err)
	if len(list) != 1 || list[0].ID != b.ID {
		t.Errorf("after delete: %+v", list)
	}
}
