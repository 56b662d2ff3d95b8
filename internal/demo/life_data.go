package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/survey"
)

// What the grantees did with their grants. No source tells what the 2021
// pilot's grantees did with the money beyond Kalix's aim (awareness among
// school pupils and decision makers of waste, plastics and the
// environment): every activity, reach figure and survey answer below is
// illustrative, chosen to fit each partnership's theme, and NoteSV/NoteEN
// say so.

// pilotSettled is the first day the demo shows the pilot carried out: the
// day after the final reports were due (31 January 2022). A demo loaded
// before it (tests set the clock inside 2021) shows the pilot's grants as
// they stood then, decided and waiting for the grantees.
var pilotSettled = clock.Date(2022, 2, 1)

// The pilot's survey phases (illustrative): the baseline before the
// autumn's activities, the follow-up after them. Dates in Stockholm.
var (
	pilotBaselineOpens  = time.Date(2021, 8, 16, 0, 0, 0, 0, clock.Stockholm).UTC()
	pilotBaselineCloses = survey.EndOfDay(clock.Date(2021, 9, 17))
	pilotFollowUpOpens  = time.Date(2021, 11, 29, 0, 0, 0, 0, clock.Stockholm).UTC()
	pilotFollowUpCloses = survey.EndOfDay(clock.Date(2021, 12, 22))
)

// surveyProfile describes the invented respondents of one grant's survey:
// how many answered in each phase, how many of them gave a code in both
// (so their answers pair), their target groups, and the seed that draws
// their answers, so every load draws the same ones.
type surveyProfile struct {
	baseline, followUp, paired int
	groups                     []string
	codePrefix                 string
	seed                       uint64
}

// lifeSpec is what the demo records for one grant after the decision:
// the activities carried out and the survey's respondents.
type lifeSpec struct {
	activities []activity.Activity
	survey     surveyProfile
}

// act is an activity on a date with its reach per target group.
func act(date time.Time, title, group, channel, cost string, reach map[string]int64, targets ...string) activity.Activity {
	return activity.Activity{Date: date, Title: title, TargetGroup: group, Channel: channel, Cost: cost, Reach: reach, Targets: targets}
}

// pilotLives are the pilot grants' activities and surveys, by partnership.
func pilotLives() map[string]lifeSpec {
	d := func(m time.Month, day int) time.Time { return clock.Date(2021, m, day) }
	return map[string]lifeSpec{
		"Arvika – Uasin Gishu": {
			activities: []activity.Activity{
				act(d(9, 22), "Medborgardialog om dricksvatten, med en filmhälsning från Moi's Bridge", "citizens", "meeting", "38 000",
					map[string]int64{"citizens": 65, "politicians": 8}, "6.1", "16.7"),
				act(d(10, 15), "Artikelserie i kommunens nyhetsbrev om vattnet i Moi's Bridge", "citizens", "web", "24 000",
					map[string]int64{"citizens": 1900}, "6.b"),
				act(d(11, 9), "Information om partnerskapet för kommunstyrelsen", "politicians", "meeting", "6 000",
					map[string]int64{"politicians": 13, "civil_servants": 6}, "17.17"),
			},
			survey: surveyProfile{baseline: 24, followUp: 21, paired: 12, groups: []string{"citizens", "politicians"}, codePrefix: "ARV", seed: 1},
		},
		"Forshaga – Lundazi": {
			activities: []activity.Activity{
				act(d(9, 27), "Digitalt seminarium för kommunfullmäktige med Lundazi District Council", "politicians", "seminar", "22 000",
					map[string]int64{"politicians": 31, "civil_servants": 12}, "13.3", "17.17"),
				act(d(10, 11), "Klimatveckan: kortfilmer om Forshaga och Lundazi i sociala medier", "citizens", "social_media", "85 000",
					map[string]int64{"citizens": 4300}, "13.3"),
				act(d(11, 1), "Utställning i kommunhusets entré", "citizens", "exhibition", "55 000",
					map[string]int64{"citizens": 620, "civil_servants": 90}, "11.6", "13.3"),
			},
			survey: surveyProfile{baseline: 30, followUp: 26, paired: 15, groups: []string{"politicians", "civil_servants", "citizens"}, codePrefix: "FOR", seed: 2},
		},
		"Kalix – Masaka": {
			activities: []activity.Activity{
				act(d(9, 20), "Utställning om plasten i Kalix och Masaka, gjord av elever i Kulturskolan", "pupils", "exhibition", "70 000",
					map[string]int64{"pupils": 410, "citizens": 230}, "12.5", "14.1"),
				act(d(10, 26), "Seminarium för beslutsfattare: unga i Kalix och Masaka om plast och miljö", "decision_makers", "seminar", "45 000",
					map[string]int64{"decision_makers": 34, "politicians": 18}, "16.7", "17.17"),
				act(d(11, 16), "Skolbesök i årskurs 5 om plast och avfallshantering", "pupils", "school_visit", "30 000",
					map[string]int64{"pupils": 260}, "4.7", "12.5"),
			},
			survey: surveyProfile{baseline: 36, followUp: 30, paired: 18, groups: []string{"pupils", "decision_makers"}, codePrefix: "KLX", seed: 3},
		},
		"Lund – Francistown": {
			activities: []activity.Activity{
				act(d(9, 29), "Seminarium om mänskliga rättigheter på lokal nivå, med kolleger från Francistown", "civil_servants", "seminar", "40 000",
					map[string]int64{"civil_servants": 48, "politicians": 9}, "10.2", "16.b"),
				act(d(10, 20), "Artikel och film om partnerskapet på kommunens webbplats", "citizens", "web", "60 000",
					map[string]int64{"citizens": 2700}, "16.7"),
				act(d(11, 17), "Presentation av partnerskapet för kommunstyrelsen", "politicians", "meeting", "5 000",
					map[string]int64{"politicians": 15}, "17.17"),
			},
			survey: surveyProfile{baseline: 22, followUp: 20, paired: 11, groups: []string{"civil_servants", "politicians"}, codePrefix: "LUN", seed: 4},
		},
		"Region Östergötland – Uasin Gishu": {
			activities: []activity.Activity{
				act(d(9, 15), "Reportage om samarbetet i cancervården i regionens personaltidning", "civil_servants", "print", "35 000",
					map[string]int64{"civil_servants": 5200}, "3.4"),
				act(d(10, 13), "Lunchseminarium om partnerskapet på Universitetssjukhuset i Linköping", "civil_servants", "seminar", "18 000",
					map[string]int64{"civil_servants": 85}, "3.8", "17.17"),
				act(d(11, 16), "Dragning om partnerskapet för regionfullmäktiges ledamöter", "politicians", "meeting", "4 000",
					map[string]int64{"politicians": 42}, "16.6"),
			},
			survey: surveyProfile{baseline: 28, followUp: 23, paired: 14, groups: []string{"civil_servants", "politicians"}, codePrefix: "REG", seed: 5},
		},
		"Växjö – JB Marks": {
			activities: []activity.Activity{
				act(d(10, 4), "Energiveckan: utställning om energiplanen i JB Marks", "citizens", "exhibition", "50 000",
					map[string]int64{"citizens": 540, "pupils": 120}, "7.2", "11.b"),
				act(d(10, 7), "Pressträff med Växjö Energi om partnerskapet", "media", "press", "8 000",
					map[string]int64{"media": 9}, "7.3"),
				act(d(11, 15), "Seminarium för kommunfullmäktige om globala mål 7 och JB Marks", "politicians", "seminar", "25 000",
					map[string]int64{"politicians": 38, "civil_servants": 14}, "7.2", "17.17"),
			},
			survey: surveyProfile{baseline: 25, followUp: 22, paired: 13, groups: []string{"citizens", "politicians"}, codePrefix: "VXO", seed: 6},
		},
	}
}

// rollingLives are the rolling call's grants' first steps, by partnership:
// one activity on the day the demo is loaded (it must not lie in the
// future) and a baseline survey under way. Illustrative.
func rollingLives(today time.Time) map[string]lifeSpec {
	return map[string]lifeSpec{
		"Forshaga – Lundazi": {
			activities: []activity.Activity{
				act(today, "Nyhet på kommunens webbplats om bidraget och partnerskapet med Lundazi", "citizens", "web", "2 000",
					map[string]int64{"citizens": 350}, "13.3", "17.17"),
			},
			survey: surveyProfile{baseline: 14, groups: []string{"politicians", "civil_servants", "citizens"}, codePrefix: "FL", seed: 11},
		},
		"Växjö – An Giang": {
			activities: []activity.Activity{
				act(today, "Pressmeddelande om Blue Vietnam och utställningen som kommer", "media", "press", "1 500",
					map[string]int64{"media": 12}, "6.b"),
			},
			survey: surveyProfile{baseline: 12, groups: []string{"pupils", "citizens"}, codePrefix: "VA", seed: 12},
		},
	}
}

// rollingBaselineDays is how long the rolling grants' baseline survey
// stays open after the demo is loaded.
const rollingBaselineDays = 30

// comments are free-text answers some respondents leave.
var comments = []string{
	"Bra att kommunen berättar om samarbetet.",
	"Jag visste inte att vi hade ett partnerskap.",
	"Mer information i skolan, tack.",
	"Vad kostar det för kommunen?",
	"Intressant att höra hur de arbetar där.",
}

// responses draws a grant's respondents for profile p: the baseline first,
// then the follow-up. The first p.paired of each phase give the same code
// and target group, so their answers pair; the rest give none. Knowledge
// rises modestly between the phases: most paired respondents move one
// step up the scale or stay, a few two steps, a few one down. A fixed seed
// (PCG, specified by math/rand/v2) draws the same answers every time.
func responses(grantID int64, p surveyProfile) []survey.Response {
	r := rand.New(rand.NewPCG(p.seed, 2021))
	base := func() int { return pick(r, []int{25, 35, 28, 10, 2}) }
	step := func() int { return pick(r, []int{6, 40, 44, 10}) - 2 } // −1, 0, +1, +2
	clamp := func(n int) string { return strconv.Itoa(min(max(n, 1), 5)) }
	yesNo := func(yes int) string {
		switch n := r.IntN(100); {
		case n < yes:
			return survey.Yes
		case n < yes+12:
			return survey.No
		}
		return survey.DontKnow
	}
	comment := func(a map[string]string) {
		if r.IntN(5) == 0 {
			a["comment"] = comments[r.IntN(len(comments))]
		}
	}
	type before struct{ know, agenda int }
	var out []survey.Response
	pairs := make([]before, p.paired)
	for i := range p.baseline {
		b := before{know: base(), agenda: base() + r.IntN(2)}
		a := map[string]string{"know_partnership": clamp(b.know), "know_agenda2030": clamp(b.agenda), "partnership_useful": yesNo(55)}
		comment(a)
		resp := survey.Response{GrantID: grantID, Phase: survey.Baseline, TargetGroup: p.groups[i%len(p.groups)], Answers: a}
		if i < p.paired {
			resp.Code = fmt.Sprintf("%s%02d", p.codePrefix, i+1)
			pairs[i] = b
		}
		out = append(out, resp)
	}
	for i := range p.followUp {
		var know, agenda int
		if i < p.paired {
			know, agenda = pairs[i].know+step(), pairs[i].agenda+max(step(), 0)
		} else {
			know, agenda = base()+r.IntN(2), base()+r.IntN(2)
		}
		a := map[string]string{"know_partnership": clamp(know), "know_agenda2030": clamp(agenda), "partnership_useful": yesNo(68)}
		comment(a)
		resp := survey.Response{GrantID: grantID, Phase: survey.FollowUp, TargetGroup: p.groups[i%len(p.groups)], Answers: a}
		if i < p.paired {
			resp.Code = fmt.Sprintf("%s%02d", p.codePrefix, i+1)
		}
		out = append(out, resp)
	}
	return out
}

// pick returns 1 + the index drawn with the given weights.
func pick(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i + 1
		}
		n -= w
	}
	return len(weights)
}
