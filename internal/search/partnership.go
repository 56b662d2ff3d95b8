package search

import (
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/partnership"
)

// PartnershipTerms returns the index terms of a partnership: its name, its
// theme and description in Swedish and English, its members' names, and
// its partner countries' names in Swedish and English (so "Sydafrika" and
// "South Africa" both find it). The members must be loaded.
//
// The goals' titles are left out on purpose: the goal filter selects by
// goal, and the titles' general words ("hållbar", "sustainable") would make
// a text search find nearly every partnership.
func PartnershipTerms(p *partnership.Partnership) []string {
	texts := []string{p.Name, p.ThemeSV, p.ThemeEN, p.DescriptionSV, p.DescriptionEN}
	for _, o := range p.Swedish {
		texts = append(texts, o.Name)
	}
	for _, o := range p.Partners {
		texts = append(texts, o.Name)
	}
	for _, c := range p.Countries() {
		texts = append(texts, country.Name(c, "sv"), country.Name(c, "en"))
	}
	return Terms(texts...)
}
