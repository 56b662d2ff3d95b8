// Package country is the list of countries (ISO 3166-1 alpha-2, plus XK for
// Kosovo as the IATI codelist has it) with Swedish and English names.
// Source: npm i18n-iso-countries 7.14.0 (MIT); see README.md here.
package country

import (
	_ "embed"
	"encoding/csv"
	"strings"

	"github.com/icld/partnerskap/internal/swedish"
)

//go:embed countries.csv
var countriesCSV string

// Country is one entry of the list.
type Country struct {
	Code   string // alpha-2, e.g. "UG"
	NameSV string
	NameEN string
}

// Name returns the country's name in lang.
func (c Country) Name(lang string) string {
	if lang == "en" {
		return c.NameEN
	}
	return c.NameSV
}

// Swedish government usage differs from the package's sv locale for these
// (Sida and UD write Myanmar and Palestina); short English forms read better.
var overrides = map[string][2]string{
	"MM": {"Myanmar", "Myanmar"},
	"PS": {"Palestina", "Palestine"},
	"TZ": {"Tanzania", "Tanzania"},
}

var byCode = load()

func load() map[string]Country {
	rows, err := csv.NewReader(strings.NewReader(countriesCSV)).ReadAll()
	if err != nil {
		panic("country: " + err.Error())
	}
	m := make(map[string]Country, len(rows))
	for _, r := range rows[1:] {
		c := Country{Code: r[0], NameEN: r[2], NameSV: r[3]}
		if o, ok := overrides[c.Code]; ok {
			c.NameSV, c.NameEN = o[0], o[1]
		}
		m[c.Code] = c
	}
	return m
}

// ByCode returns the country with the alpha-2 code and whether it exists.
func ByCode(code string) (Country, bool) {
	c, ok := byCode[strings.ToUpper(code)]
	return c, ok
}

// Name returns the name of the country with code in lang, or the code.
func Name(code, lang string) string {
	if c, ok := byCode[code]; ok {
		return c.Name(lang)
	}
	return code
}

// All returns every country, sorted by name in lang in Swedish order.
func All(lang string) []Country {
	out := make([]Country, 0, len(byCode))
	for _, c := range byCode {
		out = append(out, c)
	}
	swedish.Sort(out, func(c Country) string { return c.Name(lang) })
	return out
}
