package call

import (
	"testing"

	"github.com/icld/partnerskap/internal/ledger"
)

func TestPaymentPlanConfig(t *testing.T) {
	c := &Call{Config: DefaultConfig()}
	if errs := c.CheckConfig(); len(errs) > 0 {
		t.Fatalf("default config: %v", errs)
	}
	if got := c.Config.Plan(); len(got) != 1 || got[0] != ledger.FullOnAcceptance[0] {
		t.Errorf("default plan: %v", got)
	}
	c.Config.PaymentPlan = nil
	if got := c.Config.Plan(); len(got) != 1 || got[0].Percent != 100 || got[0].When != ledger.OnAcceptance {
		t.Errorf("a zero plan reads as %v", got)
	}
	c.Config.PaymentPlan = ledger.Plan{{Percent: 80, When: ledger.OnAcceptance}, {Percent: 10, When: ledger.OnFinalReportApproved}}
	if errs := c.CheckConfig(); errs["payment_plan"] != "error.plan.sum" {
		t.Errorf("a plan of 90 %%: %v", errs)
	}
	c.Config.PaymentPlan[1].Percent = 20
	if errs := c.CheckConfig(); len(errs) > 0 {
		t.Errorf("80/20: %v", errs)
	}
}
