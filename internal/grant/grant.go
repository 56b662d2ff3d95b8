// Package grant describes a grant: money a call gives one applicant
// organisation for one partnership. How grants are applied for and decided
// comes with the application and review packages.
package grant

import (
	"time"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/validate"
)

// Grant is money granted in a call.
type Grant struct {
	ID             int64
	CallID         int64
	PartnershipID  int64
	OrganisationID int64     // the applicant: a Swedish member of the partnership
	ApplicationID  int64     // the application decided; 0 for a grant recorded without one
	Amount         int64     // öre
	AwardedOn      time.Time // a date
	// EndDate is the end of the activities as moved by the latest approved
	// change request with a new end date (a date); zero when none was
	// approved. The store derives it from the change requests.
	EndDate   time.Time
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Filter selects grants.
type Filter struct {
	CallID         int64
	ProgrammeID    int64
	PartnershipID  int64
	OrganisationID int64
	// Scope limits the grants to those of its programmes
	// (policy.ProgrammeScope); the zero Scope is every programme.
	Scope policy.Scope
}

// Check applies the rules a new grant must meet: a positive amount no larger
// than the call's maximum per grant, an applicant that is a Swedish member of
// the partnership, and a call total (granted holds what the call has already
// granted) that stays within the ceiling. The store calls it while it holds
// the lock on the call, so two officers granting at once cannot both pass.
func (g *Grant) Check(c *call.Call, p *partnership.Partnership, granted int64) validate.Errors {
	errs := validate.Errors{}
	switch {
	case g.Amount <= 0:
		errs.Add("amount", "error.money.not_positive")
	case g.Amount > c.MaxPerGrant:
		errs.Add("amount", "error.grant.over_max")
	case granted+g.Amount > c.Ceiling:
		errs.Add("amount", "error.grant.over_ceiling")
	}
	if c.Cancelled {
		errs.Add("call", "error.grant.call_cancelled")
	}
	if !p.HasSwedishMember(g.OrganisationID) {
		errs.Add("organisation", "error.grant.not_member")
	}
	if g.AwardedOn.IsZero() {
		errs.Add("awarded_on", "error.required")
	}
	return errs
}
