package web

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/chart"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/insight"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
)

// The public facts and charts: what the home, goal and partnership pages
// and the statistics page (statistics_public.go) add to their own content —
// people reached, money, activities and their reach, survey results.
// The counting rules are internal/insight's; the drawing internal/chart's.

// insightSource is what the public figures are computed from: grants,
// with their partnerships, calls and activities.
type insightSource struct {
	grants       []*grant.Grant
	partnerships map[int64]*partnership.Partnership
	calls        map[int64]*call.Call
	activities   map[int64][]*activity.Activity // by grant
}

// loadInsight loads the partnerships, calls and activities of grants.
// Activities are read grant by grant: the store has no query for the
// activities of many grants at once.
func (s *Server) loadInsight(ctx context.Context, grants []*grant.Grant, ps []*partnership.Partnership) (*insightSource, error) {
	src := &insightSource{grants: grants, partnerships: map[int64]*partnership.Partnership{},
		calls: map[int64]*call.Call{}, activities: map[int64][]*activity.Activity{}}
	for _, p := range ps {
		src.partnerships[p.ID] = p
	}
	calls, err := s.store.CallList(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, c := range calls {
		src.calls[c.ID] = c
	}
	ids := make([]int64, 0, len(grants))
	for _, g := range grants {
		ids = append(ids, g.ID)
	}
	if src.activities, err = s.store.ActivitiesOf(ctx, ids); err != nil {
		return nil, err
	}
	return src, nil
}

// all returns every activity, grant by grant.
func (src *insightSource) all() []*activity.Activity {
	var out []*activity.Activity
	for _, g := range src.grants {
		out = append(out, src.activities[g.ID]...)
	}
	return out
}

// lists joins the target groups and channels of the grants' calls, so
// every value an activity uses has its label.
func (src *insightSource) lists() form.Lists {
	var ls []form.Lists
	seen := map[int64]bool{}
	for _, g := range src.grants {
		if c := src.calls[g.CallID]; c != nil && !seen[c.ID] {
			seen[c.ID] = true
			ls = append(ls, c.Config.Lists)
		}
	}
	return insight.MergeLists(append(ls, form.DefaultLists())...)
}

// peopleReached is the people all activities of all grants reached, for
// the home page's totals.
func (s *Server) peopleReached(ctx context.Context) (int64, error) {
	grants, err := s.store.GrantList(ctx, grant.Filter{})
	if err != nil {
		return 0, err
	}
	ids := make([]int64, 0, len(grants))
	for _, g := range grants {
		ids = append(ids, g.ID)
	}
	acts, err := s.store.ActivitiesOf(ctx, ids)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, list := range acts {
		n += insight.TotalReach(list)
	}
	return n, nil
}

// newChart starts a chart with its texts in the page's language.
func (b *Base) newChart(id, title string, unit chart.Unit, labelHeading, valueHeading, empty string) chart.Chart {
	return chart.Chart{ID: id, Title: title, Lang: b.Lang, Unit: unit, Empty: empty,
		LabelHeading: labelHeading, ValueHeading: valueHeading}
}

// goalLabel names a goal on a chart: "Mål 4: God utbildning för alla".
func (b *Base) goalLabel(n int) string {
	g := sdg.GoalByNumber(n)
	if g == nil {
		return strconv.Itoa(n)
	}
	return b.T("insight.goal_label", "Number", n, "Name", g.Short.In(b.Lang))
}

// reachCharts draws people reached per target group and per channel.
func (b *Base) reachCharts(prefix string, acts []*activity.Activity, lists form.Lists) (perGroup, perChannel chart.Chart) {
	sum := insight.Reach(acts, lists)
	perGroup = b.newChart(prefix+"reach-group", b.T("insight.reach_group.title"), chart.Count,
		b.T("insight.target_group"), b.T("insight.people_reached"), b.T("insight.no_activities"))
	perGroup.TotalLabel = b.T("insight.total")
	for _, g := range sum.Groups {
		perGroup.Bars = append(perGroup.Bars, chart.Bar{Label: formOptionLabel(lists.TargetGroups, g.Group, b.Lang), Value: g.Reach})
	}
	perChannel = b.newChart(prefix+"reach-channel", b.T("insight.reach_channel.title"), chart.Count,
		b.T("insight.channel"), b.T("insight.people_reached"), b.T("insight.no_activities"))
	perChannel.TotalLabel = b.T("insight.total")
	for _, c := range sum.Channels {
		perChannel.Bars = append(perChannel.Bars, chart.Bar{Label: formOptionLabel(lists.Channels, c.Channel, b.Lang), Value: c.Reach})
	}
	return perGroup, perChannel
}

// activityRow is an activity as the public sees it: what, when, through
// which channel, for whom, and how many it reached. Never its evidence,
// cost or who logged it.
type activityRow struct {
	Date        time.Time
	Title       string
	Partnership *partnership.Partnership // on the goal page
	Channel     string                   // label
	TargetGroup string                   // label
	Reach       int64
	ReachByGrp  string // "Skolelever 410, Medborgare 230"
}

func (b *Base) activityRows(src *insightSource, lists form.Lists) []activityRow {
	var out []activityRow
	for _, g := range src.grants {
		for _, a := range src.activities[g.ID] {
			row := activityRow{Date: a.Date, Title: a.Title, Partnership: src.partnerships[g.PartnershipID],
				Channel: formOptionLabel(lists.Channels, a.Channel, b.Lang), TargetGroup: formOptionLabel(lists.TargetGroups, a.TargetGroup, b.Lang),
				Reach: a.TotalReach()}
			var parts []string
			for _, gr := range activity.Summarize([]*activity.Activity{a}, lists).Groups {
				if gr.Reach > 0 {
					parts = append(parts, formOptionLabel(lists.TargetGroups, gr.Group, b.Lang)+" "+money.Count(gr.Reach, b.Lang))
				}
			}
			row.ReachByGrp = strings.Join(parts, ", ")
			out = append(out, row)
		}
	}
	// Newest first; on one day, in title order, so the list is stable.
	slices.SortStableFunc(out, func(x, y activityRow) int { return cmp.Or(y.Date.Compare(x.Date), strings.Compare(x.Title, y.Title)) })
	return out
}

// goalInsight is what the goal page adds: the money granted to the
// partnerships working on the goal and their activities.
type goalInsight struct {
	Granted    int64
	Grants     int
	Activities []activityRow // newest first, at most maxGoalActivities
	More       int           // activities left out of the list
	Reached    int64
}

// maxGoalActivities keeps a popular goal's page short.
const maxGoalActivities = 50

func (s *Server) goalInsight(ctx context.Context, b *Base, ps []*partnership.Partnership) (goalInsight, error) {
	var gi goalInsight
	var grants []*grant.Grant
	for _, p := range ps {
		gs, err := s.store.GrantList(ctx, grant.Filter{PartnershipID: p.ID})
		if err != nil {
			return gi, err
		}
		grants = append(grants, gs...)
	}
	src, err := s.loadInsight(ctx, grants, ps)
	if err != nil {
		return gi, err
	}
	gi.Granted, gi.Grants = insight.Total(grants), len(grants)
	gi.Reached = insight.TotalReach(src.all())
	gi.Activities = b.activityRows(src, src.lists())
	if len(gi.Activities) > maxGoalActivities {
		gi.More = len(gi.Activities) - maxGoalActivities
		gi.Activities = gi.Activities[:maxGoalActivities]
	}
	return gi, nil
}

// partnershipInsight is what the partnership page adds: the activities
// of its grants, their reach per target group, and the surveys' results.
type partnershipInsight struct {
	Activities []activityRow
	Reached    int64
	ReachChart chart.Chart
	Surveys    []publicSurvey
}

// publicSurvey is one grant's survey results, compared before and after.
type publicSurvey struct {
	ID        string
	Call      string // the call the grant came from, naming the survey
	Counts    [2]int // responses before and after
	Questions []publicQuestion
	// Withheld names the phases whose results are not shown: they have
	// answers, but fewer than survey.MinPublicAnswers.
	Withheld []string
}

// publicQuestion is one question's result: for a scale the mean (1–5),
// for a yes/no question the share answering yes.
type publicQuestion struct {
	Text         string
	Kind         survey.Kind
	Before       string // "" when nobody answered
	After        string
	Change       string // "" until both phases have answers
	Pairs        int
	PairedChange string // "" unless survey.Public(Pairs)
	// PairsNote says why no paired change is shown when both phases
	// have answers: too few complete pairs.
	PairsNote string
}

func (s *Server) partnershipInsight(ctx context.Context, b *Base, p *partnership.Partnership, rows []grantRow) (partnershipInsight, error) {
	var pi partnershipInsight
	var grants []*grant.Grant
	for _, r := range rows {
		grants = append(grants, r.Grant)
	}
	src, err := s.loadInsight(ctx, grants, []*partnership.Partnership{p})
	if err != nil {
		return pi, err
	}
	lists := src.lists()
	pi.Activities = b.activityRows(src, lists)
	all := src.all()
	pi.Reached = insight.TotalReach(all)
	pi.ReachChart, _ = b.reachCharts("pship-", all, lists)
	for _, r := range rows {
		sv, err := s.store.Survey(ctx, r.Grant.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return pi, err
		}
		responses, err := s.store.Responses(ctx, r.Grant.ID)
		if err != nil {
			return pi, err
		}
		if len(responses) == 0 {
			continue
		}
		ps := publicSurvey{ID: "survey-" + strconv.FormatInt(r.Grant.ID, 10), Call: r.Call.Title(b.Lang)}
		for _, resp := range responses {
			if resp.Phase == survey.Baseline {
				ps.Counts[0]++
			} else {
				ps.Counts[1]++
			}
		}
		_, withheld := survey.PublicResponses(responses)
		for _, ph := range withheld {
			ps.Withheld = append(ps.Withheld, b.T("survey.phase."+string(ph)))
		}
		// Each figure is shown by survey.Public on the answers it rests
		// on (publicQuestionOf), so the whole survey is computed here.
		for _, res := range survey.Results(sv.Questions, responses, "") {
			if q, ok := publicQuestionOf(b, res); ok {
				ps.Questions = append(ps.Questions, q)
			}
		}
		pi.Surveys = append(pi.Surveys, ps)
	}
	return pi, nil
}

// MinPublicAnswers is the fewest answers a survey phase needs before the
// partnership page shows its results.
func (partnershipPage) MinPublicAnswers() int { return survey.MinPublicAnswers }

// publicQuestionOf formats a scale or yes/no question's result as the
// staff's survey page does (resultOf): means with two decimals, shares
// in whole percent, changes signed. Each figure is shown only when
// survey.Public allows it (QuestionResult.Public); in its place a phase
// with too few answers says so, and so does a paired change with too few
// pairs. Choice questions have no single figure to compare and are left
// to the grantee's own page.
func publicQuestionOf(b *Base, res survey.QuestionResult) (publicQuestion, bool) {
	q := publicQuestion{Text: res.Question.Text.In(b.Lang), Kind: res.Question.Kind, Pairs: res.Pairs}
	shown := res.Public()
	var before, after, change, paired string
	switch res.Question.Kind {
	case survey.Scale:
		before = decimal(b.Lang, res.Baseline.Mean, 2, false)
		after = decimal(b.Lang, res.FollowUp.Mean, 2, false)
		change = decimal(b.Lang, res.Change, 2, true)
		paired = decimal(b.Lang, res.PairedChange, 2, true)
	case survey.YesNo:
		yes := func(pr survey.PhaseResult) string {
			for _, sh := range pr.Shares {
				if sh.Value == survey.Yes {
					return b.T("insight.survey.yes_share", "Percent", strconv.Itoa(int(math.Round(sh.Share*100))))
				}
			}
			return ""
		}
		before, after = yes(res.Baseline), yes(res.FollowUp)
		change = b.T("survey.results.points", "N", decimal(b.Lang, res.Change, 1, true))
		paired = b.T("survey.results.points", "N", decimal(b.Lang, res.PairedChange, 1, true))
	default:
		return q, false
	}
	tooFew := b.T("surveypairs.too_few_answers")
	phase := func(pr survey.PhaseResult, ok bool, figure string) string {
		switch {
		case ok:
			return figure
		case pr.Answered > 0:
			return tooFew
		}
		return ""
	}
	q.Before = phase(res.Baseline, shown.Baseline, before)
	q.After = phase(res.FollowUp, shown.FollowUp, after)
	both := res.Baseline.Answered > 0 && res.FollowUp.Answered > 0
	switch {
	case shown.Change:
		q.Change = change
	case both:
		q.Change = tooFew
	}
	switch {
	case shown.PairedChange:
		q.PairedChange = paired
	case both:
		q.PairsNote = b.T("surveypairs.too_few_pairs", "Min", survey.MinPublicAnswers)
	}
	return q, true
}
