// Package insight adds up what the programme's grants and activities
// amount to, for the public figures and charts: money granted per global
// goal, per partner country and per year of decision, and people reached
// per target group and per channel.
//
// It reads nothing itself: the web layer loads grants, partnerships,
// activities and the calls' lists through the store and hands them here,
// so the rules of counting are written once, as plain Go, and tested
// without a database.
//
// How money is counted, and said on the pages:
//   - per goal and per country, a grant counts in full under every goal its
//     partnership works on and every country of its partners: the
//     partnership works on all of them with the whole grant, and splitting
//     it evenly would invent a division nobody decided. So the bars add up
//     to more than the total granted when partnerships have several goals.
//   - per year, a grant counts once, under the year (in Stockholm) of its
//     decision, so the years add up to the total.
package insight

import (
	"cmp"
	"slices"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/sdg"
)

// GoalMoney is what was granted to partnerships working on one goal.
type GoalMoney struct {
	Goal   int
	Amount int64 // öre
	Grants int
}

// CountryMoney is what was granted to partnerships with one country.
type CountryMoney struct {
	Country string // ISO 3166 alpha-2
	Amount  int64  // öre
	Grants  int
}

// YearMoney is what was granted in one year.
type YearMoney struct {
	Year   int
	Amount int64 // öre
	Grants int
}

// Total is the sum of the grants' amounts.
func Total(grants []*grant.Grant) int64 {
	var sum int64
	for _, g := range grants {
		sum += g.Amount
	}
	return sum
}

// MoneyPerGoal counts each grant in full under every goal of its
// partnership (ps by ID), and returns the goals that received money, in
// the goals' order. A grant of a partnership not in ps counts nowhere.
func MoneyPerGoal(grants []*grant.Grant, ps map[int64]*partnership.Partnership) []GoalMoney {
	per := map[int]*GoalMoney{}
	for _, g := range grants {
		p := ps[g.PartnershipID]
		if p == nil {
			continue
		}
		for _, n := range unique(p.Goals) {
			if sdg.GoalByNumber(n) == nil {
				continue
			}
			m := per[n]
			if m == nil {
				m = &GoalMoney{Goal: n}
				per[n] = m
			}
			m.Amount += g.Amount
			m.Grants++
		}
	}
	out := make([]GoalMoney, 0, len(per))
	for _, m := range per {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b GoalMoney) int { return cmp.Compare(a.Goal, b.Goal) })
	return out
}

// MoneyPerCountry counts each grant in full under every partner country
// of its partnership, largest amount first (then by country code).
func MoneyPerCountry(grants []*grant.Grant, ps map[int64]*partnership.Partnership) []CountryMoney {
	per := map[string]*CountryMoney{}
	for _, g := range grants {
		p := ps[g.PartnershipID]
		if p == nil {
			continue
		}
		for _, c := range unique(p.Countries()) {
			m := per[c]
			if m == nil {
				m = &CountryMoney{Country: c}
				per[c] = m
			}
			m.Amount += g.Amount
			m.Grants++
		}
	}
	out := make([]CountryMoney, 0, len(per))
	for _, m := range per {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b CountryMoney) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), cmp.Compare(a.Country, b.Country))
	})
	return out
}

// MoneyPerYear counts each grant once, under the year of its decision in
// Stockholm, earliest year first. The years add up to Total.
func MoneyPerYear(grants []*grant.Grant) []YearMoney {
	per := map[int]*YearMoney{}
	for _, g := range grants {
		y := g.AwardedOn.In(clock.Stockholm).Year()
		m := per[y]
		if m == nil {
			m = &YearMoney{Year: y}
			per[y] = m
		}
		m.Amount += g.Amount
		m.Grants++
	}
	out := make([]YearMoney, 0, len(per))
	for _, m := range per {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b YearMoney) int { return cmp.Compare(a.Year, b.Year) })
	return out
}

// MergeLists joins calls' lists of target groups and channels: each value
// once, where it first appears, with the label it has there. Activities
// of grants from several calls are then summarised under one set of labels.
func MergeLists(lists ...form.Lists) form.Lists {
	var out form.Lists
	for _, l := range lists {
		out.TargetGroups = mergeOptions(out.TargetGroups, l.TargetGroups)
		out.Channels = mergeOptions(out.Channels, l.Channels)
	}
	return out
}

func mergeOptions(into, more []form.Option) []form.Option {
	for _, o := range more {
		if !slices.ContainsFunc(into, func(x form.Option) bool { return x.Value == o.Value }) {
			into = append(into, o)
		}
	}
	return into
}

// Reach adds up activities like activity.Summarize, but keeps only the
// target groups someone was reached in and the channels some activity
// used, each sorted by people reached, most first (ties in the lists'
// order): what a chart of reach shows. Totals count contacts, not unique
// people (see activity.Activity.TotalReach).
func Reach(acts []*activity.Activity, lists form.Lists) activity.Summary {
	s := activity.Summarize(acts, lists)
	s.Groups = slices.DeleteFunc(s.Groups, func(g activity.GroupReach) bool { return g.Reach <= 0 })
	s.Channels = slices.DeleteFunc(s.Channels, func(c activity.ChannelReach) bool { return c.Activities == 0 })
	slices.SortStableFunc(s.Groups, func(a, b activity.GroupReach) int { return cmp.Compare(b.Reach, a.Reach) })
	slices.SortStableFunc(s.Channels, func(a, b activity.ChannelReach) int { return cmp.Compare(b.Reach, a.Reach) })
	return s
}

// TotalReach is the people the activities reached, all groups: the
// "people reached" figure of the home page.
func TotalReach(acts []*activity.Activity) int64 {
	var n int64
	for _, a := range acts {
		n += a.TotalReach()
	}
	return n
}

func unique[T comparable](list []T) []T {
	var out []T
	for _, v := range list {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
