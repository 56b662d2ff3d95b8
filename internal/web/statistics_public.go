package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/icld/partnerskap/internal/chart"
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/insight"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/swedish"
)

// statisticsPage is the programme in figures: money per goal, country and
// year, people reached per target group and channel, each a chart with
// its table.
type statisticsPage struct {
	*Base
	Granted      int64
	Grants       int
	Partnerships int
	Activities   int64
	Reached      int64
	PerGoal      chart.Chart
	PerCountry   chart.Chart
	PerYear      chart.Chart
	PerGroup     chart.Chart
	PerChannel   chart.Chart
	// SeveralGoals and SeveralCountries report whether some granted
	// partnership has more than one goal or country, so a grant counts
	// in more than one bar and the note under the chart says so.
	SeveralGoals, SeveralCountries bool
}

// statistics shows the whole programme's money and reach in charts.
func (s *Server) statistics(w http.ResponseWriter, r *http.Request, b *Base) error {
	ctx := r.Context()
	grants, err := s.store.GrantList(ctx, grant.Filter{})
	if err != nil {
		return err
	}
	ps, err := s.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		return err
	}
	src, err := s.loadInsight(ctx, grants, ps)
	if err != nil {
		return err
	}
	acts := src.all()
	p := statisticsPage{Base: b, Granted: insight.Total(grants), Grants: len(grants), Partnerships: len(ps),
		Activities: int64(len(acts)), Reached: insight.TotalReach(acts)}
	for _, g := range grants {
		if pp := src.partnerships[g.PartnershipID]; pp != nil {
			p.SeveralGoals = p.SeveralGoals || len(pp.Goals) > 1
			p.SeveralCountries = p.SeveralCountries || len(pp.Countries()) > 1
		}
	}
	noGrants := b.T("insight.no_grants")

	p.PerGoal = b.newChart("money-goal", b.T("insight.money_goal.title"), chart.Money, b.T("insight.goal"), b.T("insight.granted"), noGrants)
	for _, m := range insight.MoneyPerGoal(grants, src.partnerships) {
		p.PerGoal.Bars = append(p.PerGoal.Bars, chart.Bar{Label: b.goalLabel(m.Goal), Value: m.Amount, Color: sdg.GoalByNumber(m.Goal).Color})
	}

	p.PerCountry = b.newChart("money-country", b.T("insight.money_country.title"), chart.Money, b.T("insight.country"), b.T("insight.granted"), noGrants)
	perCountry := insight.MoneyPerCountry(grants, src.partnerships)
	for _, m := range perCountry {
		p.PerCountry.Bars = append(p.PerCountry.Bars, chart.Bar{Label: country.Name(m.Country, b.Lang), Value: m.Amount})
	}
	// Equal amounts in Swedish alphabetical order of the names the reader sees.
	swedish.Sort(p.PerCountry.Bars, func(x chart.Bar) string { return x.Label })
	slices.SortStableFunc(p.PerCountry.Bars, func(x, y chart.Bar) int { return cmp.Compare(y.Value, x.Value) })
	if !p.SeveralCountries {
		p.PerCountry.TotalLabel = b.T("insight.total")
	}

	p.PerYear = b.newChart("money-year", b.T("insight.money_year.title"), chart.Money, b.T("insight.year"), b.T("insight.granted"), noGrants)
	p.PerYear.TotalLabel = b.T("insight.total")
	for _, m := range insight.MoneyPerYear(grants) {
		p.PerYear.Bars = append(p.PerYear.Bars, chart.Bar{Label: strconv.Itoa(m.Year), Value: m.Amount})
	}

	p.PerGroup, p.PerChannel = b.reachCharts("", acts, src.lists())
	b.Title = b.T("insight.statistics.title")
	return s.render(w, b, http.StatusOK, "statistics", p)
}
