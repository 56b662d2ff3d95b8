// Package organisation describes the organisations of the programme: the
// Swedish municipalities and regions that hold partnerships, and their
// partner organisations abroad.
package organisation

import (
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/validate"
)

// Kind says what sort of organisation it is.
type Kind string

const (
	Municipality Kind = "municipality" // kommun
	Region       Kind = "region"       // region
	Partner      Kind = "partner"      // partner organisation abroad
)

// Kinds lists every kind, in the order forms offer them.
var Kinds = []Kind{Municipality, Region, Partner}

// Swedish reports whether the kind is a Swedish municipality or region.
func (k Kind) Swedish() bool { return k == Municipality || k == Region }

// Organisation is a municipality, a region or a partner abroad.
type Organisation struct {
	ID        int64
	Kind      Kind
	Code      string // SCB kommunkod or länskod; the key of a Swedish organisation
	OrgNumber string // organisationsnummer, "212000-2502", when known
	Name      string
	Country   string // ISO 3166-1 alpha-2; "SE" for Swedish organisations
	County    string // län, for Swedish organisations
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Filter selects organisations.
type Filter struct {
	Kind    Kind   // empty for every kind
	Swedish bool   // only municipalities and regions
	Country string // only this country
	Query   string // a part of the name
}

// MatchesQuery reports whether the organisation's name contains f.Query,
// ignoring case in every letter (SQL engines disagree on å, ä and ö), so
// both stores apply it in Go after selecting by kind and country.
func (f Filter) MatchesQuery(o *Organisation) bool {
	q := strings.ToLower(strings.TrimSpace(f.Query))
	return q == "" || strings.Contains(strings.ToLower(o.Name), q)
}

// Normalize trims what was typed and applies the rules that follow from the
// kind (Swedish organisations are in Sweden; Region Gotland is one
// organisation under the kommun code 0980).
func (o *Organisation) Normalize() {
	o.Name = strings.TrimSpace(o.Name)
	o.Code = strings.TrimSpace(o.Code)
	o.OrgNumber = strings.TrimSpace(o.OrgNumber)
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	if o.Kind.Swedish() {
		o.Country = "SE"
		if o.Code == GotlandRegionCode {
			o.Code, o.Kind = GotlandCode, Municipality // a kommun with regional tasks
		}
		if ref, ok := referenceByCode[o.Code]; ok && o.County == "" {
			o.County = ref.County
		}
	} else {
		o.Code = ""
		o.County = ""
	}
}

// Validate checks the organisation; call Normalize first.
func (o *Organisation) Validate() validate.Errors {
	errs := validate.Errors{}
	errs.Required("name", o.Name)
	errs.MaxLen("name", o.Name, 200)
	switch {
	case o.Kind.Swedish():
		if o.Code == "" {
			errs.Add("code", "error.required")
		} else if ref, ok := referenceByCode[o.Code]; !ok || ref.Kind != o.Kind {
			errs.Add("code", "error.org.unknown_code")
		}
	case o.Kind == Partner:
		if o.Country == "" {
			errs.Add("country", "error.required")
		} else if _, ok := country.ByCode(o.Country); !ok {
			errs.Add("country", "error.org.unknown_country")
		} else if o.Country == "SE" {
			errs.Add("country", "error.org.partner_in_sweden")
		}
	default:
		errs.Add("kind", "error.org.kind")
	}
	if o.OrgNumber != "" && !ValidOrgNumber(o.OrgNumber) {
		errs.Add("org_number", "error.org.org_number")
	}
	return errs
}

// ValidOrgNumber reports whether s is a Swedish organisation number
// (NNNNNN-NNNN, with or without the hyphen) with a correct check digit.
func ValidOrgNumber(s string) bool {
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 10 {
		return false
	}
	sum := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		d := int(r - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
