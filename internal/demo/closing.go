package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/store"
)

// finalReport closes a pilot grant as its grantee and the officer would:
// the grantee writes the final report (spec) and submits it, the officer
// approves it, and the approval, with everything paid reported as spent,
// settles the ledger and closes the grant. Each step looks at the stored
// report first, so a load interrupted between them is finished by the
// next without a second report.
func (l *loader) finalReport(ctx context.Context, c *call.Call, g *grant.Grant, by, officer audit.Actor, spec finalReportSpec) error {
	if _, err := l.s.Closure(ctx, g.ID); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	list, err := l.s.Reports(ctx, g.ID)
	if err != nil {
		return err
	}
	var r *report.Report
	for i := range list {
		if list[i].Kind == report.Final {
			r = &list[i]
		}
	}
	if r == nil {
		lines, err := reportLines(c, spec, g.Amount)
		if err != nil {
			return err
		}
		r = &report.Report{GrantID: g.ID, Kind: report.Final, Done: spec.done, Results: spec.results, Lessons: spec.lessons, Lines: lines}
		if err := l.s.SaveReport(ctx, by, r); err != nil {
			return fmt.Errorf("save: %w", err)
		}
	}
	if r.Editable() {
		if _, err := l.s.SubmitReport(ctx, by, r.ID, r.Version, nil); err != nil {
			return fmt.Errorf("submit: %w", err)
		}
		r.State = report.Submitted
	}
	if r.State == report.Submitted {
		if _, err := l.s.ApproveReport(ctx, officer, r.ID, pilotApprovalNote, nil); err != nil {
			return fmt.Errorf("approve: %w", err)
		}
	}
	// Approving closes a settled grant; one found approved and open (an
	// approval stored before the payments were) is closed here.
	if _, err := l.s.Closure(ctx, g.ID); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	b, err := l.s.Balance(ctx, g.ID)
	if err != nil {
		return err
	}
	if !grant.CanClose(true, b) {
		return fmt.Errorf("not settled after the final report: %+v", b)
	}
	return l.s.CloseGrant(ctx, officer, g.ID)
}

// reportLines are the report's financial lines as the report form fills
// them for a grant without an application: one per cost category of the
// call, named in Swedish, without a budget; spec gives the spending, and
// a category it does not name is 0. The lines must add up to want, the
// grant, all of it paid.
func reportLines(c *call.Call, spec finalReportSpec, want int64) ([]report.Line, error) {
	spent := map[string]spentLine{}
	for _, l := range spec.lines {
		spent[l.category] = l
	}
	var out []report.Line
	var total int64
	for _, o := range c.Config.Lists.BudgetCategories {
		line := report.Line{Category: o.Label.In("sv"), Spent: "0"}
		if s, ok := spent[o.Value]; ok {
			line.Spent, line.Explanation = s.spent, s.explanation
			ore, err := money.Parse(s.spent)
			if err != nil {
				return nil, fmt.Errorf("cost category %s: %w", o.Value, err)
			}
			total += ore
			delete(spent, o.Value)
		}
		out = append(out, line)
	}
	if len(spent) > 0 || total != want {
		return nil, fmt.Errorf("report lines: %d öre on the call's cost categories, %d categories unknown to the call; want %d öre", total, len(spent), want)
	}
	return out, nil
}
