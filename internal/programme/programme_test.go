package programme

import (
	"maps"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/validate"
)

// pilot is the 2021 communication support: 1.8 MSEK, in öre.
func pilot() Programme {
	return Programme{
		NameSV:        "Informations- och kommunikationsstöd",
		NameEN:        "Information and communication support",
		Funder:        "Sida",
		Operator:      "ICLD",
		Currency:      "SEK",
		TotalBudget:   180_000_000,
		DescriptionSV: "Stöd till kommuner och regioner som berättar om sitt partnerskap.",
		DescriptionEN: "Support for municipalities and regions that tell about their partnership.",
	}
}

func TestNameAndDescription(t *testing.T) {
	full := pilot()
	svOnly := pilot()
	svOnly.NameEN, svOnly.DescriptionEN = "", ""
	tests := []struct {
		name     string
		p        Programme
		lang     string
		wantName string
		wantDesc string
	}{
		{"sv", full, "sv", full.NameSV, full.DescriptionSV},
		{"en", full, "en", full.NameEN, full.DescriptionEN},
		{"en without English", svOnly, "en", full.NameSV, full.DescriptionSV},
		{"no language", full, "", full.NameSV, full.DescriptionSV},
		{"other language", full, "de", full.NameSV, full.DescriptionSV},
		{"EN in capitals", full, "EN", full.NameSV, full.DescriptionSV}, // language codes are lower case
	}
	for _, tt := range tests {
		if got := tt.p.Name(tt.lang); got != tt.wantName {
			t.Errorf("%s: Name(%q) = %q, want %q", tt.name, tt.lang, got, tt.wantName)
		}
		if got := tt.p.Description(tt.lang); got != tt.wantDesc {
			t.Errorf("%s: Description(%q) = %q, want %q", tt.name, tt.lang, got, tt.wantDesc)
		}
	}
}

func TestNormalize(t *testing.T) {
	p := Programme{
		NameSV:        "  Informations- och kommunikationsstöd\n",
		NameEN:        "\tInformation support ",
		Funder:        " Sida ",
		Operator:      " ICLD\n",
		DescriptionSV: "\n\nFör kommuner och regioner.\n",
		DescriptionEN: "  For municipalities and regions.  ",
		TotalBudget:   180_000_000,
	}
	p.Normalize()
	want := Programme{
		NameSV:        "Informations- och kommunikationsstöd",
		NameEN:        "Information support",
		Funder:        "Sida",
		Operator:      "ICLD",
		Currency:      "SEK", // filled in when left out
		DescriptionSV: "För kommuner och regioner.",
		DescriptionEN: "For municipalities and regions.",
		TotalBudget:   180_000_000,
	}
	if p != want {
		t.Errorf("Normalize:\n got %+v\nwant %+v", p, want)
	}
	// A currency that was given is kept, so Validate can refuse it.
	p = Programme{Currency: "EUR"}
	p.Normalize()
	if p.Currency != "EUR" {
		t.Errorf("Normalize changed currency EUR to %q", p.Currency)
	}
}

// TestValidate changes one thing at a time in a valid programme and
// compares the whole set of field errors.
func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Programme)
		want   validate.Errors
	}{
		{"valid", func(p *Programme) {}, nil},
		{"no English", func(p *Programme) { p.NameEN, p.DescriptionEN = "", "" }, nil},
		{"one öre", func(p *Programme) { p.TotalBudget = 1 }, nil},
		{"no name", func(p *Programme) { p.NameSV = "" }, validate.Errors{"name_sv": "error.required"}},
		{"blank name", func(p *Programme) { p.NameSV = "   " }, validate.Errors{"name_sv": "error.required"}},
		{"name of 200 å", func(p *Programme) { p.NameSV = strings.Repeat("å", 200) }, nil},
		{"name of 201 å", func(p *Programme) { p.NameSV = strings.Repeat("å", 201) }, validate.Errors{"name_sv": "error.too_long"}},
		{"English name too long", func(p *Programme) { p.NameEN = strings.Repeat("a", 201) }, validate.Errors{"name_en": "error.too_long"}},
		{"no funder", func(p *Programme) { p.Funder = "" }, validate.Errors{"funder": "error.required"}},
		{"funder too long", func(p *Programme) { p.Funder = strings.Repeat("ö", 201) }, validate.Errors{"funder": "error.too_long"}},
		{"no operator", func(p *Programme) { p.Operator = " " }, validate.Errors{"operator": "error.required"}},
		{"operator too long", func(p *Programme) { p.Operator = strings.Repeat("ä", 201) }, validate.Errors{"operator": "error.too_long"}},
		{"description of 10000", func(p *Programme) { p.DescriptionSV = strings.Repeat("ä", 10000) }, nil},
		{"description too long", func(p *Programme) { p.DescriptionSV = strings.Repeat("ä", 10001) }, validate.Errors{"description_sv": "error.too_long"}},
		{"English description too long", func(p *Programme) { p.DescriptionEN = strings.Repeat("e", 10001) }, validate.Errors{"description_en": "error.too_long"}},
		{"euro", func(p *Programme) { p.Currency = "EUR" }, validate.Errors{"currency": "error.programme.currency"}},
		{"lower-case sek", func(p *Programme) { p.Currency = "sek" }, validate.Errors{"currency": "error.programme.currency"}},
		{"no currency, not normalized", func(p *Programme) { p.Currency = "" }, validate.Errors{"currency": "error.programme.currency"}},
		{"zero budget", func(p *Programme) { p.TotalBudget = 0 }, validate.Errors{"total_budget": "error.money.not_positive"}},
		{"negative budget", func(p *Programme) { p.TotalBudget = -1 }, validate.Errors{"total_budget": "error.money.not_positive"}},
		{"empty", func(p *Programme) { *p = Programme{} }, validate.Errors{
			"name_sv":      "error.required",
			"funder":       "error.required",
			"operator":     "error.required",
			"currency":     "error.programme.currency",
			"total_budget": "error.money.not_positive",
		}},
	}
	for _, tt := range tests {
		p := pilot()
		tt.change(&p)
		if got := p.Validate(); !maps.Equal(got, tt.want) {
			t.Errorf("%s: Validate = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestNormalizedEmptyCurrencyIsValid checks the path the form takes: a
// programme saved without a currency is run in SEK.
func TestNormalizedEmptyCurrencyIsValid(t *testing.T) {
	p := pilot()
	p.Currency = ""
	p.Normalize()
	if got := p.Validate(); len(got) > 0 {
		t.Errorf("Validate = %v", got)
	}
}

func TestCheckBudgetCoversCalls(t *testing.T) {
	spring := &call.Call{TitleSV: "Vår", Ceiling: 100_000_000}
	autumn := &call.Call{TitleSV: "Höst", Ceiling: 80_000_000}
	cancelled := &call.Call{TitleSV: "Inställd", Ceiling: 500_000_000, Cancelled: true}
	over := validate.Errors{"total_budget": "error.programme.below_calls"}
	tests := []struct {
		name  string
		total int64
		calls []*call.Call
		want  validate.Errors
	}{
		{"no calls", 1, nil, nil},
		{"no calls, no budget", 0, nil, nil},
		{"exactly the ceilings", 180_000_000, []*call.Call{spring, autumn}, nil},
		{"one öre short", 179_999_999, []*call.Call{spring, autumn}, over},
		{"more than enough", 200_000_000, []*call.Call{spring, autumn}, nil},
		{"cancelled call left out", 180_000_000, []*call.Call{spring, cancelled, autumn}, nil},
		{"only a cancelled call", 1, []*call.Call{cancelled}, nil},
		{"short without the cancelled call too", 100_000_000, []*call.Call{spring, cancelled, autumn}, over},
		{"zero-ceiling call", 0, []*call.Call{{Ceiling: 0}}, nil},
	}
	for _, tt := range tests {
		if got := CheckBudgetCoversCalls(tt.total, tt.calls); !maps.Equal(got, tt.want) {
			t.Errorf("%s: CheckBudgetCoversCalls(%d) = %v, want %v", tt.name, tt.total, got, tt.want)
		}
	}
}
