package material

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/validate"
)

func valid() *Item {
	return &Item{PartnershipID: 1, Kind: Exhibition, TitleSV: "Plast i havet", DescriptionSV: "Tio skärmar.",
		Languages: []string{"sv"}, Licence: "CC-BY-4.0", TargetGroups: []string{"pupils"},
		File: &File{Filename: "skärmar.pdf", ContentType: "application/pdf", Size: 1000, SHA256: "x", StorageKey: "k"}}
}

func TestValidate(t *testing.T) {
	if errs := valid().Validate(); len(errs) != 0 {
		t.Fatalf("valid item: %v", errs)
	}
	tests := []struct {
		name         string
		change       func(it *Item)
		field, error string
	}{
		{"no kind", func(it *Item) { it.Kind = "" }, "kind", ErrRequired},
		{"unknown kind", func(it *Item) { it.Kind = "poster" }, "kind", ErrChoice},
		{"no text at all", func(it *Item) { it.TitleSV, it.DescriptionSV = "", "" }, "title_sv", ErrNeedsLanguage},
		{"Swedish title only", func(it *Item) { it.DescriptionSV = "" }, "description_sv", ErrLanguageHalf},
		{"English description only", func(it *Item) { it.DescriptionEN = "Ten panels." }, "title_en", ErrLanguageHalf},
		{"long title", func(it *Item) { it.TitleSV = string(make([]rune, 201)) }, "title_sv", "error.too_long"},
		{"no language", func(it *Item) { it.Languages = nil }, "languages", ErrRequired},
		{"unknown language", func(it *Item) { it.Languages = []string{"sv", "xx"} }, "languages", ErrChoice},
		{"no licence", func(it *Item) { it.Licence = "" }, "licence", ErrRequired},
		{"unknown licence", func(it *Item) { it.Licence = "GPL-3.0" }, "licence", ErrChoice},
		{"no target group", func(it *Item) { it.TargetGroups = nil }, "target_groups", ErrRequired},
		{"unknown target group", func(it *Item) { it.TargetGroups = []string{"kings"} }, "target_groups", ErrChoice},
		{"goal 18", func(it *Item) { it.Goals = []int{18} }, "goals", ErrGoal},
		{"neither file nor link", func(it *Item) { it.File = nil }, "file", ErrFileOrLink},
		{"file and link", func(it *Item) { it.Link = "https://example.org" }, "link", ErrBothFileLink},
		{"http link", func(it *Item) { it.File, it.Link = nil, "http://example.org/film" }, "link", ErrLinkHTTPS},
		{"javascript link", func(it *Item) { it.File, it.Link = nil, "javascript:alert(1)" }, "link", ErrLinkHTTPS},
		{"file type", func(it *Item) { it.File.ContentType = "application/msword" }, "file", ErrFileType},
		{"file too large", func(it *Item) { it.File.Size = MaxSize + 1 }, "file", ErrFileTooLarge},
	}
	for _, tt := range tests {
		it := valid()
		tt.change(it)
		it.Normalize()
		if got := it.Validate()[tt.field]; got != tt.error {
			t.Errorf("%s: %s = %q, want %q (%v)", tt.name, tt.field, got, tt.error, it.Validate())
		}
	}
	// English only is enough.
	it := valid()
	it.TitleSV, it.DescriptionSV, it.TitleEN, it.DescriptionEN = "", "", "Plastic", "Ten panels."
	if errs := it.Validate(); len(errs) != 0 {
		t.Errorf("English only: %v", errs)
	}
	if it.Title("sv") != "Plastic" || it.TextLang("sv") != "en" || it.Description("sv") != "Ten panels." {
		t.Errorf("fallback to English: %q %q", it.Title("sv"), it.TextLang("sv"))
	}
}

func TestIsHTTPS(t *testing.T) {
	for link, want := range map[string]bool{
		"https://www.youtube.com/watch?v=abc":   true,
		"https://sv.wikipedia.org/wiki/Kalix":   true,
		"https://www.kalix.se/utställning":      true,
		"http://www.kalix.se":                   false,
		"//www.kalix.se":                        false,
		"https://":                              false,
		"https://user:pw@example.org/":          false,
		"javascript:alert(1)":                   false,
		"data:text/html,<script>":               false,
		"https://example.org/a b":               false,
		"https://example.org\\@evil.example/":   false,
		"ftp://example.org/file":                false,
		"HTTPS://EXAMPLE.ORG/upper-case-scheme": true,
	} {
		if got := IsHTTPS(link); got != want {
			t.Errorf("IsHTTPS(%q) = %v, want %v", link, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	it := &Item{TitleSV: "  Titel ", Languages: []string{"en", "sv", "en", "xx"}, TargetGroups: []string{"pupils", "politicians"}, Goals: []int{12, 4, 12}}
	it.Normalize()
	if it.TitleSV != "Titel" || !reflect.DeepEqual(it.Languages, []string{"sv", "en", "xx"}) ||
		!reflect.DeepEqual(it.TargetGroups, []string{"politicians", "pupils"}) || !reflect.DeepEqual(it.Goals, []int{4, 12}) {
		t.Errorf("normalized: %+v", it)
	}
}

func TestApply(t *testing.T) {
	now := time.Date(2021, 5, 1, 8, 0, 0, 0, time.UTC)
	it := valid()
	it.State = Draft
	if err := it.Apply(Withdraw, "", now); !errors.Is(err, ErrTransition) {
		t.Errorf("withdraw a draft: %v", err)
	}
	// A draft is private already: an officer cannot "remove" it, and so
	// can never publish it by restoring it.
	if err := it.Apply(Remove, "Fel", now); !errors.Is(err, ErrTransition) || it.State != Draft {
		t.Errorf("remove a draft: %v, %s", err, it.State)
	}
	if err := it.Apply(Publish, "", now); err != nil || it.State != Published || !it.PublishedAt.Equal(now) {
		t.Errorf("publish: %v %+v", err, it)
	}
	var verr validate.Errors
	if err := it.Apply(Remove, " ", now); !errors.As(err, &verr) || verr["reason"] != "error.required" || it.State != Published {
		t.Errorf("remove without a reason: %v", err)
	}
	if err := it.Apply(Remove, "Upphovsrätt", now); err != nil || it.State != Removed || it.RemovedReason != "Upphovsrätt" {
		t.Errorf("remove: %v %+v", err, it)
	}
	if err := it.Apply(Publish, "", now); !errors.Is(err, ErrTransition) {
		t.Errorf("publisher publishes a removed item: %v", err)
	}
	if err := it.Apply(Restore, "", now); err != nil || it.State != Published || it.RemovedReason != "" {
		t.Errorf("restore: %v %+v", err, it)
	}
	if err := it.Apply(Withdraw, "", now); err != nil || it.State != Draft {
		t.Errorf("withdraw: %v %+v", err, it)
	}
}

func TestQueryPatternAndLicences(t *testing.T) {
	if got := (Filter{Query: "  Plast   I HAVET "}).QueryPattern(); got != "%plast i havet%" {
		t.Errorf("pattern %q", got)
	}
	if got := (Filter{Query: `50%_\`}).QueryPattern(); got != `%50\%\_\\%` {
		t.Errorf("escaped pattern %q", got)
	}
	if (Filter{Query: "  "}).QueryPattern() != "" {
		t.Error("blank query has a pattern")
	}
	by := LicenceByCode("CC-BY-4.0")
	if by == nil || by.DeedURL("sv") != "https://creativecommons.org/licenses/by/4.0/deed.sv" || by.DeedURL("en") != "https://creativecommons.org/licenses/by/4.0/deed.en" {
		t.Errorf("CC BY deed: %+v", by)
	}
	if arr := LicenceByCode(AllRightsReserved); arr == nil || arr.Open || arr.DeedURL("sv") != "" {
		t.Errorf("all rights reserved: %+v", arr)
	}
	if LicenceByCode("nope") != nil {
		t.Error("unknown licence found")
	}
}
