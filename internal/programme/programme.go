// Package programme describes a grant programme, such as ICLD's information
// and communication support, funded by Sida.
package programme

import (
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/validate"
)

// Currency is the one currency programmes are run in.
const Currency = "SEK"

// Programme is a grant programme; calls for applications run inside it.
type Programme struct {
	ID            int64
	NameSV        string
	NameEN        string
	Funder        string // e.g. "Sida"
	Operator      string // e.g. "ICLD"
	Currency      string
	TotalBudget   int64 // öre
	DescriptionSV string
	DescriptionEN string
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Name returns the name in lang, falling back to Swedish.
func (p *Programme) Name(lang string) string {
	if lang == "en" && p.NameEN != "" {
		return p.NameEN
	}
	return p.NameSV
}

// Description returns the description in lang, falling back to Swedish.
func (p *Programme) Description(lang string) string {
	if lang == "en" && p.DescriptionEN != "" {
		return p.DescriptionEN
	}
	return p.DescriptionSV
}

// Normalize trims what was typed.
func (p *Programme) Normalize() {
	p.NameSV = strings.TrimSpace(p.NameSV)
	p.NameEN = strings.TrimSpace(p.NameEN)
	p.Funder = strings.TrimSpace(p.Funder)
	p.Operator = strings.TrimSpace(p.Operator)
	p.DescriptionSV = strings.TrimSpace(p.DescriptionSV)
	p.DescriptionEN = strings.TrimSpace(p.DescriptionEN)
	if p.Currency == "" {
		p.Currency = Currency
	}
}

// Validate checks the programme. Field errors for money that could not be
// parsed are added by the form before this runs.
func (p *Programme) Validate() validate.Errors {
	errs := validate.Errors{}
	errs.Required("name_sv", p.NameSV)
	errs.MaxLen("name_sv", p.NameSV, 200)
	errs.MaxLen("name_en", p.NameEN, 200)
	errs.Required("funder", p.Funder)
	errs.MaxLen("funder", p.Funder, 200)
	errs.Required("operator", p.Operator)
	errs.MaxLen("operator", p.Operator, 200)
	errs.MaxLen("description_sv", p.DescriptionSV, 10000)
	errs.MaxLen("description_en", p.DescriptionEN, 10000)
	if p.Currency != Currency {
		errs.Add("currency", "error.programme.currency")
	}
	if p.TotalBudget <= 0 {
		errs.Add("total_budget", "error.money.not_positive")
	}
	return errs
}

// CheckBudgetCoversCalls reports an error when a programme's total budget
// is below the ceilings of its calls that are not cancelled.
func CheckBudgetCoversCalls(total int64, calls []*call.Call) validate.Errors {
	errs := validate.Errors{}
	var sum int64
	for _, c := range calls {
		if !c.Cancelled {
			sum += c.Ceiling
		}
	}
	if total < sum {
		errs.Add("total_budget", "error.programme.below_calls")
	}
	return errs
}
