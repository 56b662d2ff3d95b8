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

// InstalmentState is where one instalment of a plan stands.
type InstalmentState string

const (
	InstalmentPaid       InstalmentState = "paid"        // paid in full
	InstalmentPartlyPaid InstalmentState = "partly_paid" // some of it paid
	InstalmentToBePaid   InstalmentState = "to_be_paid"  // its trigger happened; nothing paid yet
	InstalmentNotYetDue  InstalmentState = "not_yet_due" // its trigger has not happened
	InstalmentNotPayable InstalmentState = "not_payable" // nothing of it is payable: the costs reported were lower
)

// InstalmentStatus is one instalment with what it pays and where it
// stands.
type InstalmentStatus struct {
	Instalment
	Planned int64 // its share of the grant
	Payable int64 // what of it may be paid: less than Planned when the costs reported were lower
	Paid    int64 // what of it is paid
	Due     bool  // its trigger happened
	State   InstalmentState
}

// Status returns where each instalment stands given what may be paid in
// all (payable: the grant, or after the final report what it reported
// spent), what was paid and the triggers that happened. Payments cover
// the instalments in order, and so does what may be paid: when the costs
// were lower, the last instalments shrink first.
func (p Plan) Status(granted, payable, paid int64, happened map[Trigger]bool) ([]InstalmentStatus, error) {
	amounts, err := p.Amounts(granted)
	if err != nil {
		return nil, err
	}
	out := make([]InstalmentStatus, len(p))
	leftPayable, leftPaid := max(payable, 0), max(paid, 0)
	for i, in := range p {
		s := InstalmentStatus{Instalment: in, Planned: amounts[i], Due: happened[in.When]}
		s.Payable = min(amounts[i], leftPayable)
		leftPayable -= s.Payable
		s.Paid = min(s.Payable, leftPaid)
		leftPaid -= s.Paid
		switch {
		case s.Payable == 0 && s.Planned > 0:
			s.State = InstalmentNotPayable
		case s.Paid == s.Payable:
			s.State = InstalmentPaid
		case s.Paid > 0:
			s.State = InstalmentPartlyPaid
		case s.Due:
			s.State = InstalmentToBePaid
		default:
			s.State = InstalmentNotYetDue
		}
		out[i] = s
	}
	return out, nil
}
