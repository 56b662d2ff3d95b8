package ledger

import (
	"errors"
	"fmt"
)

// Trigger is the event that makes an instalment due.
type Trigger string

const (
	OnAcceptance          Trigger = "acceptance" // the grantee accepts the terms
	OnInterimApproved     Trigger = "interim_report_approved"
	OnFinalReportApproved Trigger = "final_report_approved"
)

// Triggers lists them in the order a grant meets them.
var Triggers = []Trigger{OnAcceptance, OnInterimApproved, OnFinalReportApproved}

// Instalment is a share of the grant paid when its trigger happens.
type Instalment struct {
	Percent int     `json:"percent"`
	When    Trigger `json:"when"`
}

// Plan is a call's payment plan, e.g. 100 % on acceptance, or 80 % on
// acceptance and 20 % after the approved final report.
type Plan []Instalment

// FullOnAcceptance pays everything when the grantee accepts.
var FullOnAcceptance = Plan{{Percent: 100, When: OnAcceptance}}

// Check requires shares that add up to 100 %, each positive, with known
// triggers, each trigger at most once.
func (p Plan) Check() error {
	sum := 0
	seen := map[Trigger]bool{}
	for _, in := range p {
		if in.Percent <= 0 {
			return errors.New("error.plan.percent")
		}
		known := false
		for _, t := range Triggers {
			known = known || t == in.When
		}
		if !known || seen[in.When] {
			return errors.New("error.plan.trigger")
		}
		seen[in.When] = true
		sum += in.Percent
	}
	if sum != 100 {
		return errors.New("error.plan.sum")
	}
	return nil
}

// Amounts splits granted öre over the instalments. Shares are rounded down
// to whole öre and the last instalment takes the remainder, so the amounts
// always add up to exactly what was granted.
func (p Plan) Amounts(granted int64) ([]int64, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	if granted < 0 {
		return nil, fmt.Errorf("ledger: negative grant %d", granted)
	}
	out := make([]int64, len(p))
	var given int64
	for i, in := range p {
		if i == len(p)-1 {
			out[i] = granted - given
			break
		}
		out[i] = granted * int64(in.Percent) / 100
		given += out[i]
	}
	return out, nil
}

// Due returns what the plan makes due once trigger has happened, given
// what has already been paid: the instalments of trigger and every earlier
// trigger, less what was paid, never below zero.
func (p Plan) Due(granted, paid int64, happened map[Trigger]bool) (int64, error) {
	amounts, err := p.Amounts(granted)
	if err != nil {
		return 0, err
	}
	var due int64
	for i, in := range p {
		if happened[in.When] {
			due += amounts[i]
		}
	}
	return max(due-paid, 0), nil
}
