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
// granted öre: the application can be decided (else ErrNotReady); then a
// grant must fit the call's maximum and ceiling and the membership
// (Grant.Check) and the decision be consistent with what was asked
// (decision.Check), all such field errors reported together, the call's
// limits first where both concern the amount. It returns the
// grant to create, awarded today, or nil for a rejection.
//
// The store calls it holding the call's lock, so granted cannot change
// before the grant is written.
func Decide(a *application.Application, c *call.Call, p *partnership.Partnership, granted int64, d *decision.Decision, now time.Time) (*Grant, error) {
	if !application.CanDecide(a.State) {
		return nil, ErrNotReady
	}
	d.Normalize(a.Requested)
	if d.Outcome != decision.Granted && d.Outcome != decision.PartlyGranted {
		return nil, d.Check(a.Requested).Err() // a rejection grants nothing; no outcome is an error
	}
	g := &Grant{CallID: c.ID, PartnershipID: a.PartnershipID, OrganisationID: a.OrganisationID, ApplicationID: a.ID,
		Amount: d.Amount, AwardedOn: clock.Today(now), Version: 1, CreatedAt: now, UpdatedAt: now}
	errs := g.Check(c, p, granted)
	for field, key := range d.Check(a.Requested) {
		errs.Add(field, key) // the call's limits on the amount come first
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return g, nil
}
