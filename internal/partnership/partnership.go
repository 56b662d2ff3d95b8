// Package partnership describes a municipal partnership: one or more Swedish
// municipalities or regions working with one or more partner organisations
// abroad on a theme, for a period, towards some of the global goals.
package partnership

import (
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/validate"
)

// Status is where the partnership stands. Whether it is active on a given
// day also depends on its period: see Active.
type Status string

const (
	Planned   Status = "planned"
	Active    Status = "active"
	Completed Status = "completed"
	Cancelled Status = "cancelled"
)

// Statuses lists every status, in the order forms offer them.
var Statuses = []Status{Planned, Active, Completed, Cancelled}

// Partnership is a municipal partnership.
type Partnership struct {
	ID            int64
	Name          string // e.g. "Kalix – Masaka"
	ThemeSV       string
	ThemeEN       string
	DescriptionSV string
	DescriptionEN string
	Start         time.Time // a date (midnight UTC)
	End           time.Time // a date; zero when open-ended
	Status        Status
	Swedish       []organisation.Organisation // members in Sweden
	Partners      []organisation.Organisation // members abroad
	Goals         []int                       // SDG goals, including those of Targets
	Targets       []string                    // SDG target codes, e.g. "12.5"
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Filter selects partnerships for lists.
type Filter struct {
	Country        string // a partner's country
	OrganisationID int64  // a member
	Goal           int
	Year           int // the period overlaps this calendar year
	Status         Status
	Query          string // words to find; the stores match it through the full-text index
}

// IsActive reports whether the partnership is active on the date today: its
// status is active and today lies within its period.
func (p *Partnership) IsActive(today time.Time) bool {
	if p.Status != Active || today.Before(p.Start) {
		return false
	}
	return p.End.IsZero() || !today.After(p.End)
}

// Theme returns the theme in lang, falling back to Swedish.
func (p *Partnership) Theme(lang string) string {
	if lang == "en" && p.ThemeEN != "" {
		return p.ThemeEN
	}
	return p.ThemeSV
}

// Description returns the description in lang, falling back to Swedish.
func (p *Partnership) Description(lang string) string {
	if lang == "en" && p.DescriptionEN != "" {
		return p.DescriptionEN
	}
	return p.DescriptionSV
}

// Countries returns the partners' countries, each once.
func (p *Partnership) Countries() []string {
	var out []string
	for _, o := range p.Partners {
		if !slices.Contains(out, o.Country) {
			out = append(out, o.Country)
		}
	}
	return out
}

// HasMember reports whether the organisation is a member.
func (p *Partnership) HasMember(orgID int64) bool {
	for _, o := range append(slices.Clip(p.Swedish), p.Partners...) {
		if o.ID == orgID {
			return true
		}
	}
	return false
}

// HasSwedishMember reports whether the organisation is a Swedish member.
func (p *Partnership) HasSwedishMember(orgID int64) bool {
	return slices.ContainsFunc(p.Swedish, func(o organisation.Organisation) bool { return o.ID == orgID })
}

// Normalize trims text and completes the goals from the targets, sorted.
func (p *Partnership) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.ThemeSV = strings.TrimSpace(p.ThemeSV)
	p.ThemeEN = strings.TrimSpace(p.ThemeEN)
	p.DescriptionSV = strings.TrimSpace(p.DescriptionSV)
	p.DescriptionEN = strings.TrimSpace(p.DescriptionEN)
	for _, code := range p.Targets {
		if g := sdg.GoalOf(code); g != 0 && !slices.Contains(p.Goals, g) {
			p.Goals = append(p.Goals, g)
		}
	}
	slices.Sort(p.Goals)
	p.Goals = slices.Compact(p.Goals)
	sdg.SortTargets(p.Targets)
	p.Targets = slices.Compact(p.Targets)
}

// Validate checks the partnership. The members must be loaded (with their
// kinds) so the rule "at least one Swedish member" can be checked.
func (p *Partnership) Validate() validate.Errors {
	errs := validate.Errors{}
	errs.Required("name", p.Name)
	errs.MaxLen("name", p.Name, 200)
	errs.Required("theme_sv", p.ThemeSV)
	errs.MaxLen("theme_sv", p.ThemeSV, 300)
	errs.MaxLen("theme_en", p.ThemeEN, 300)
	errs.MaxLen("description_sv", p.DescriptionSV, 10000)
	errs.MaxLen("description_en", p.DescriptionEN, 10000)
	if p.Start.IsZero() {
		errs.Add("start", "error.required")
	}
	if !p.End.IsZero() && !p.Start.IsZero() && p.End.Before(p.Start) {
		errs.Add("end", "error.partnership.end_before_start")
	}
	if !slices.Contains(Statuses, p.Status) {
		errs.Add("status", "error.invalid_choice")
	}
	if len(p.Swedish) == 0 {
		errs.Add("swedish", "error.partnership.no_swedish")
	}
	for _, o := range p.Swedish {
		if !o.Kind.Swedish() {
			errs.Add("swedish", "error.partnership.not_swedish")
		}
	}
	if len(p.Partners) == 0 {
		errs.Add("partners", "error.partnership.no_partner")
	}
	for _, o := range p.Partners {
		if o.Kind != organisation.Partner {
			errs.Add("partners", "error.partnership.not_partner")
		}
	}
	for _, g := range p.Goals {
		if sdg.GoalByNumber(g) == nil {
			errs.Add("goals", "error.invalid_choice")
		}
	}
	for _, code := range p.Targets {
		if sdg.TargetByCode(code) == nil {
			errs.Add("targets", "error.invalid_choice")
		}
	}
	return errs
}

// Match reports whether p is selected by f, all but the text: Query is
// matched by the stores' full-text index (internal/search), which stems
// words the same way on both engines. Lists are small (a programme has
// hundreds of partnerships, not millions), so the rest is filtered here,
// once, rather than in each engine's SQL.
func (f Filter) Match(p *Partnership) bool {
	if f.Country != "" && !slices.Contains(p.Countries(), f.Country) {
		return false
	}
	if f.OrganisationID != 0 && !p.HasMember(f.OrganisationID) {
		return false
	}
	if f.Goal != 0 && !slices.Contains(p.Goals, f.Goal) {
		return false
	}
	if f.Status != "" && p.Status != f.Status {
		return false
	}
	if f.Year != 0 {
		if p.Start.Year() > f.Year || (!p.End.IsZero() && p.End.Year() < f.Year) {
			return false
		}
	}
	return true
}
