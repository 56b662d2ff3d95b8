package grant

import (
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/validate"
)

// ErrNotReady is returned for a decision on an application that is not
// ready to be decided (application.CanDecide): not yet checked, already
// decided, or withdrawn. Forms show it on the outcome.
var ErrNotReady = validate.NewField("outcome", "error.decision.not_ready")

// Decide applies, in order, the rules of the decision d on application a
// in call c for partnership p, where the call has already granted
// granted öre: the application can be decided (else ErrNotReady), the
// decision is consistent with what was asked (decision.Check), and a grant
// fits the call's ceiling, maximum and membership (Grant.Check). It
// returns the grant to create, awarded today, or nil for a rejection.
//
// The store calls it holding the call's lock, so granted cannot change
// before the grant is written.
func Decide(a *application.Application, c *call.Call, p *partnership.Partnership, granted int64, d *decision.Decision, now time.Time) (*Grant, error) {
	if !application.CanDecide(a.State) {
		return nil, ErrNotReady
	}
	if err := d.Check(a.Requested, c.MaxPerGrant).Err(); err != nil {
		return nil, err
	}
	if d.Outcome == decision.Rejected {
		return nil, nil
	}
	g := &Grant{CallID: c.ID, PartnershipID: a.PartnershipID, OrganisationID: a.OrganisationID, ApplicationID: a.ID,
		Amount: d.Amount, AwardedOn: clock.Today(now), Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := g.Check(c, p, granted).Err(); err != nil {
		return nil, err
	}
	return g, nil
}
