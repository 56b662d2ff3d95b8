package storetest

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/material"
	"github.com/icld/partnerskap/internal/store"
)

// testMaterials covers the material bank: a round-trip with å/ä/ö and the
// lists in their order, drafts kept from the public, the filters one by
// one and combined, pagination, optimistic locking, the state changes and
// their audit entries.
func testMaterials(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	by := audit.Actor{Name: "Åsa Sökande"}
	file := &material.File{Filename: "Utställningsskärmar – plast i Kalix & Masaka.pdf", ContentType: "application/pdf", Size: 123_456,
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", StorageKey: "0123456789abcdef0123456789abcdef"}
	panels := &material.Item{PartnershipID: f.kalixMasaka.ID, Kind: material.Exhibition,
		TitleSV: "Utställningsskärmar: Plasten i Kalixälven", DescriptionSV: "Tio skärmar om plast – från Kalix till Masaka.",
		TitleEN: "Exhibition panels: Plastic in the Kalix river", DescriptionEN: "Ten panels on plastic.",
		Languages: []string{"en", "sv", "en"}, Licence: "CC-BY-4.0", Author: "Kalix kommun, kommunikationsenheten",
		TargetGroups: []string{"pupils", "citizens"}, Goals: []int{14, 12, 12}, File: file}
	must(t, s.CreateMaterial(ctx(), by, panels))
	if panels.ID == 0 || panels.Version != 1 || panels.State != material.Draft || !panels.CreatedAt.Equal(Start) || !panels.PublishedAt.IsZero() {
		t.Fatalf("created: %+v", panels)
	}
	got, err := s.Material(ctx(), panels.ID)
	must(t, err)
	if !reflect.DeepEqual(got, panels) {
		t.Errorf("round-trip:\n got %+v\nwant %+v", got, panels)
	}
	if !reflect.DeepEqual(got.Languages, []string{"sv", "en"}) || !reflect.DeepEqual(got.TargetGroups, []string{"citizens", "pupils"}) ||
		!reflect.DeepEqual(got.Goals, []int{12, 14}) || got.File == nil || *got.File != *file || got.TitleSV != "Utställningsskärmar: Plasten i Kalixälven" {
		t.Errorf("lists or file: %+v %+v", got, got.File)
	}

	// A draft is not public.
	if list, total, err := s.MaterialList(ctx(), material.Filter{}); err != nil || total != 0 || len(list) != 0 {
		t.Errorf("public list with a draft: %v %d %v", list, total, err)
	}
	if _, err := s.CountMaterialDownload(ctx(), panels.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("download of a draft counted: %v", err)
	}

	// Invalid items save nothing; an unknown partnership is not found.
	bad := &material.Item{PartnershipID: f.kalixMasaka.ID, Kind: "poster", TitleSV: "x", DescriptionSV: "y", Languages: []string{"sv"},
		Licence: "CC-BY-4.0", TargetGroups: []string{"citizens"}, Link: "http://example.org/film"}
	wantField(t, s.CreateMaterial(ctx(), by, bad), "kind", "error.invalid_choice")
	bad.Kind = material.Film
	wantField(t, s.CreateMaterial(ctx(), by, bad), "link", material.ErrLinkHTTPS)
	bad.Link, bad.PartnershipID = "https://video.example.org/film", 999
	if err := s.CreateMaterial(ctx(), by, bad); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown partnership: %v", err)
	}

	// Publishing sets the time; a stale version is a conflict.
	clk.Set(Start.Add(time.Hour))
	if _, err := s.ChangeMaterialState(ctx(), by, panels.ID, 7, material.Publish, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("publish at a stale version: %v", err)
	}
	pub, err := s.ChangeMaterialState(ctx(), by, panels.ID, 1, material.Publish, "")
	must(t, err)
	if pub.State != material.Published || !pub.PublishedAt.Equal(Start.Add(time.Hour)) || pub.Version != 2 {
		t.Errorf("published: %+v", pub)
	}
	if again, err := s.Material(ctx(), panels.ID); err != nil || !reflect.DeepEqual(again, pub) {
		t.Errorf("published read back: %v\n got %+v\nwant %+v", err, again, pub)
	}
	if _, err := s.ChangeMaterialState(ctx(), by, panels.ID, 2, material.Publish, ""); !errors.Is(err, material.ErrTransition) {
		t.Errorf("publish twice: %v", err)
	}

	// More items for the filters: a film link from Arvika, published
	// later; a lesson kit from Kalix left as a draft.
	clk.Set(Start.Add(2 * time.Hour))
	film := &material.Item{PartnershipID: f.arvikaUasin.ID, Kind: material.Film, TitleEN: "Water for Uasin Gishu", DescriptionEN: "A short film.",
		Languages: []string{"en", "sw"}, Licence: "CC-BY-SA-4.0", TargetGroups: []string{"politicians"}, Goals: []int{6},
		Link: "https://video.example.org/watch?v=vatten&lang=sv"}
	must(t, s.CreateMaterial(ctx(), by, film))
	_, err = s.ChangeMaterialState(ctx(), by, film.ID, 1, material.Publish, "")
	must(t, err)
	kit := &material.Item{PartnershipID: f.kalixMasaka.ID, Kind: material.LessonKit, TitleSV: "Lektionsmaterial om ÅTERVINNING", DescriptionSV: "För årskurs 4–6.",
		Languages: []string{"sv"}, Licence: "CC0-1.0", TargetGroups: []string{"pupils"}, Link: "https://www.kalix.se/skola"}
	must(t, s.CreateMaterial(ctx(), by, kit))

	ids := func(list []*material.Item) []int64 {
		var out []int64
		for _, it := range list {
			out = append(out, it.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		f    material.Filter
		want []int64
	}{
		{"public, newest first", material.Filter{}, []int64{film.ID, panels.ID}},
		{"kind", material.Filter{Kind: material.Exhibition}, []int64{panels.ID}},
		{"language", material.Filter{Language: "sw"}, []int64{film.ID}},
		{"licence", material.Filter{Licence: "CC-BY-4.0"}, []int64{panels.ID}},
		{"target group", material.Filter{TargetGroup: "citizens"}, []int64{panels.ID}},
		{"goal", material.Filter{Goal: 6}, []int64{film.ID}},
		{"partnership", material.Filter{PartnershipID: f.kalixMasaka.ID}, []int64{panels.ID}},
		{"text, any case, å ä ö", material.Filter{Query: "  KALIXÄLVEN "}, []int64{panels.ID}},
		{"text in English title", material.Filter{Query: "water"}, []int64{film.ID}},
		{"text with LIKE characters", material.Filter{Query: "100%_"}, nil},
		{"combined", material.Filter{Kind: material.Exhibition, Language: "sv", Goal: 14, TargetGroup: "pupils"}, []int64{panels.ID}},
		{"combined, no match", material.Filter{Kind: material.Exhibition, Language: "sw"}, nil},
		{"with drafts", material.Filter{Unpublished: true}, []int64{kit.ID, film.ID, panels.ID}},
		{"drafts, text, å", material.Filter{Unpublished: true, Query: "återvinning"}, []int64{kit.ID}},
		{"own partnerships", material.Filter{Unpublished: true, PartnershipIDs: []int64{f.kalixMasaka.ID}}, []int64{kit.ID, panels.ID}},
		{"no partnerships", material.Filter{Unpublished: true, PartnershipIDs: []int64{}}, nil},
	} {
		list, total, err := s.MaterialList(ctx(), tt.f)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := ids(list); !reflect.DeepEqual(got, tt.want) || total != len(tt.want) {
			t.Errorf("%s: got %v (total %d), want %v", tt.name, got, total, tt.want)
		}
	}
	// Pagination: a page of one, with the total of all.
	for i, want := range []int64{kit.ID, film.ID, panels.ID} {
		list, total, err := s.MaterialList(ctx(), material.Filter{Unpublished: true, Limit: 1, Offset: i})
		if err != nil || total != 3 || len(list) != 1 || list[0].ID != want {
			t.Errorf("page %d: %v %d %v, want %d", i, ids(list), total, err, want)
		}
	}
	if list, total, err := s.MaterialList(ctx(), material.Filter{Unpublished: true, Limit: 2, Offset: 10}); err != nil || total != 3 || len(list) != 0 {
		t.Errorf("page past the end: %v %d %v", ids(list), total, err)
	}

	// An edit keeps the state and the downloads, replaces the lists and
	// can turn a file into a link; a stale version is a conflict.
	if n, err := s.CountMaterialDownload(ctx(), panels.ID); err != nil || n != 1 {
		t.Fatalf("count: %d %v", n, err)
	}
	edit, err := s.Material(ctx(), panels.ID)
	must(t, err)
	edit.TitleSV, edit.Languages, edit.Goals, edit.File, edit.Link = "Utställning (ny version)", []string{"sv"}, nil, nil, "https://www.kalix.se/utställning"
	must(t, s.UpdateMaterial(ctx(), by, edit))
	after, err := s.Material(ctx(), panels.ID)
	must(t, err)
	if !reflect.DeepEqual(after, edit) || after.State != material.Published || after.Downloads != 1 || after.Version != 3 ||
		after.File != nil || after.Goals != nil || !reflect.DeepEqual(after.Languages, []string{"sv"}) {
		t.Errorf("after an edit:\n got %+v\nwant %+v", after, edit)
	}
	stale := *after
	stale.Version = 2
	if err := s.UpdateMaterial(ctx(), by, &stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale edit: %v", err)
	}
	moved := *after
	moved.PartnershipID = f.arvikaUasin.ID
	if err := s.UpdateMaterial(ctx(), by, &moved); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("moved to another partnership: %v", err)
	}

	// An officer removes it with a reason (required); the publisher
	// cannot publish it again, the officer can restore it.
	if _, err := s.ChangeMaterialState(ctx(), officer, panels.ID, 3, material.Remove, "  "); err == nil {
		t.Error("removed without a reason")
	} else {
		wantField(t, err, "reason", "error.required")
	}
	removed, err := s.ChangeMaterialState(ctx(), officer, panels.ID, 3, material.Remove, "Bilderna saknar samtycke från eleverna.")
	must(t, err)
	if removed.State != material.Removed || removed.RemovedReason != "Bilderna saknar samtycke från eleverna." {
		t.Errorf("removed: %+v", removed)
	}
	if _, err := s.CountMaterialDownload(ctx(), panels.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("download of a removed item: %v", err)
	}
	if _, err := s.ChangeMaterialState(ctx(), by, panels.ID, 4, material.Publish, ""); !errors.Is(err, material.ErrTransition) {
		t.Errorf("publisher republishes a removed item: %v", err)
	}
	restored, err := s.ChangeMaterialState(ctx(), officer, panels.ID, 4, material.Restore, "")
	must(t, err)
	if restored.State != material.Published || restored.RemovedReason != "" {
		t.Errorf("restored: %+v", restored)
	}
	if _, err := s.Material(ctx(), 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown item: %v", err)
	}
	if _, err := s.ChangeMaterialState(ctx(), by, 999, 1, material.Publish, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("state of an unknown item: %v", err)
	}

	// Every change left an audit entry.
	log, err := s.AuditLog(ctx(), audit.Filter{Entity: "material", EntityID: panels.ID})
	must(t, err)
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"create", "publish", "update", "remove", "restore"} {
		found := false
		for _, a := range actions {
			found = found || a == want
		}
		if !found {
			t.Errorf("audit log of the item: %v, missing %q", actions, want)
		}
	}
}

// testConcurrentMaterialDownloads counts N downloads made at once: the
// count ends at exactly N.
func testConcurrentMaterialDownloads(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	it := &material.Item{PartnershipID: f.kalixMasaka.ID, Kind: material.Strategy, TitleSV: "Kommunikationsstrategi", DescriptionSV: "Så berättar vi.",
		Languages: []string{"sv"}, Licence: "CC-BY-4.0", TargetGroups: []string{"civil_servants"}, Link: "https://www.kalix.se/strategi"}
	must(t, s.CreateMaterial(ctx(), officer, it))
	_, err := s.ChangeMaterialState(ctx(), officer, it.ID, 1, material.Publish, "")
	must(t, err)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	seen := make(chan int64, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.CountMaterialDownload(ctx(), it.ID)
			errs <- err
			seen <- c
		}()
	}
	wg.Wait()
	close(errs)
	close(seen)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	counts := map[int64]bool{}
	for c := range seen {
		counts[c] = true
	}
	got, err := s.Material(ctx(), it.ID)
	must(t, err)
	if got.Downloads != n || len(counts) != n {
		t.Errorf("after %d concurrent downloads: count %d, %d distinct results", n, got.Downloads, len(counts))
	}
}
