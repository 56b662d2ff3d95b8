package web_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/survey"
)

// insightEnv is the demo loaded after the pilot ended, so the pilot's
// grants have their activities and surveys answered before and after.
func insightEnv(t *testing.T) *env {
	t.Helper()
	clk := clock.NewFixed(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "insight.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return newEnvOn(t, "http://localhost", s, clk)
}

// wantSVGs checks that the page has n charts or more, each well-formed
// XML with an accessible name and description, and returns them.
func wantSVGs(t *testing.T, what, body string, n int) []string {
	t.Helper()
	svgs := regexp.MustCompile(`(?s)<svg class="chart"[^>]*>.*?</svg>|<svg xmlns="http://www.w3.org/2000/svg" class="chart".*?</svg>`).FindAllString(body, -1)
	if len(svgs) < n {
		t.Fatalf("%s: %d charts, want at least %d", what, len(svgs), n)
	}
	for _, svg := range svgs {
		d := xml.NewDecoder(strings.NewReader(svg))
		d.Strict = true
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: chart is not well-formed XML: %v\n%s", what, err, svg)
			}
		}
		for _, s := range []string{`role="img"`, "<title id=", "<desc id="} {
			if !strings.Contains(svg, s) {
				t.Errorf("%s: chart lacks %s", what, s)
			}
		}
		if strings.Contains(svg, "style=") {
			t.Errorf("%s: chart has an inline style, which the CSP forbids", what)
		}
	}
	return svgs
}

// row is a table row of the chart tables: label, then value.
func row(label, value string) string {
	return `<tr><th scope="row">` + label + `</th><td class="num">` + value + `</td></tr>`
}

func TestInsight(t *testing.T) {
	e := insightEnv(t)
	ctx := context.Background()
	c := e.client()
	grants, err := e.store.GrantList(ctx, grant.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := e.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]*partnership.Partnership{}
	for _, p := range ps {
		byID[p.ID] = p
	}
	// The people all activities reached, added up here from the store.
	var reached int64
	acts := 0
	for _, g := range grants {
		list, err := e.store.ActivityList(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		acts += len(list)
		for _, a := range list {
			for _, n := range a.Reach {
				reached += n
			}
		}
	}
	if acts < 18 || reached <= 0 {
		t.Fatalf("the demo has %d activities reaching %d: the pilot's lives were not loaded", acts, reached)
	}

	t.Run("home shows people reached", func(t *testing.T) {
		res := e.get(c, "/")
		if res.status != 200 {
			t.Fatalf("home: %d", res.status)
		}
		wantContains(t, "home", res.body, "<dt>Nådda personer</dt><dd>"+money.Count(reached, "sv")+"</dd>", `href="/statistik"`)
		res = e.get(c, "/en/")
		wantContains(t, "home in English", res.body, "<dt>People reached</dt><dd>"+money.Count(reached, "en")+"</dd>", `href="/en/statistics"`)
	})

	t.Run("statistics page", func(t *testing.T) {
		res := e.get(c, "/statistik")
		if res.status != 200 {
			t.Fatalf("statistics: %d\n%s", res.status, res.body)
		}
		wantSVGs(t, "statistics", res.body, 5)
		// Per year: each grant once, under the year it was decided; the
		// pilot's 1 800 000 kr all in 2021.
		perYear := map[int]int64{}
		var total int64
		for _, g := range grants {
			perYear[g.AwardedOn.In(clock.Stockholm).Year()] += g.Amount
			total += g.Amount
		}
		if perYear[2021] != 180_000_000 {
			t.Fatalf("the demo granted %d öre in 2021, want the pilot's 1 800 000 kr", perYear[2021])
		}
		for y, amount := range perYear {
			wantContains(t, "money per year", res.body, row(strconv.Itoa(y), money.Format(amount, "sv")))
		}
		wantContains(t, "money per year, total", res.body, `<tfoot><tr><th scope="row">Totalt</th><td class="num">`+money.Format(total, "sv")+`</td></tr></tfoot>`)
		// Per country: a grant under each of its partnership's countries.
		perCountry := map[string]int64{}
		for _, g := range grants {
			for _, cc := range byID[g.PartnershipID].Countries() {
				perCountry[cc] += g.Amount
			}
		}
		for cc, amount := range perCountry {
			wantContains(t, "money per country", res.body, row(country.Name(cc, "sv"), money.Format(amount, "sv")))
		}
		// Kenya has two pilot partnerships (Arvika and Region Östergötland with Uasin Gishu).
		if perCountry["KE"] < 60_000_000 {
			t.Errorf("Kenya got %d öre, want at least the pilot's 600 000 kr", perCountry["KE"])
		}
		// Per goal: a grant in full under each goal of its partnership.
		perGoal := map[int]int64{}
		for _, g := range grants {
			for _, n := range byID[g.PartnershipID].Goals {
				perGoal[n] += g.Amount
			}
		}
		for n, amount := range perGoal {
			if !regexp.MustCompile(`<tr><th scope="row">Mål ` + strconv.Itoa(n) + `: [^<]+</th><td class="num">` + regexp.QuoteMeta(money.Format(amount, "sv")) + `</td></tr>`).MatchString(res.body) {
				t.Errorf("money per goal: no row for goal %d with %s", n, money.Format(amount, "sv"))
			}
		}
		// Goal bars carry the UN colours.
		wantContains(t, "goal colours", res.body, `fill="#FCC30B"`) // goal 7, Växjö – JB Marks
		// Reach: the total row of the target groups is the people reached.
		wantContains(t, "reach per group", res.body, row("Medborgare", money.Count(reachIn(t, e, grants, "citizens"), "sv")),
			`<th scope="row">Totalt</th><td class="num">`+money.Count(reached, "sv")+`</td>`, "Nådda personer per kanal", "Seminarium")
		wantContains(t, "notes", res.body, "räknas med hela sitt belopp under varje globalt mål")

		en := e.get(c, "/en/statistics")
		if en.status != 200 {
			t.Fatalf("statistics in English: %d", en.status)
		}
		wantSVGs(t, "statistics in English", en.body, 5)
		wantContains(t, "statistics in English", en.body, `<html lang="en">`, "Money per global goal", "Money per partner country", "Money per year",
			"People reached per target group", "People reached per channel", row("2021", "SEK\u00a01,800,000"), row("Kenya", money.Format(perCountry["KE"], "en")),
			"Goal 7: Affordable and clean energy", "Citizens", "School visit", `aria-current="page">Statistics</a>`)
		wantNotContains(t, "statistics in English", en.body, "Medborgare", "Beviljat", " kr<")
	})

	t.Run("bad input", func(t *testing.T) {
		res := e.get(c, "/statistik?ar=%3Cscript%3E&mal=99&x="+strings.Repeat("a", 3000))
		if res.status != 200 || strings.Contains(res.body, "<script>") {
			t.Errorf("statistics with junk in the query: %d", res.status)
		}
		if res := e.get(c, "/en/statistics/1"); res.status != 404 {
			t.Errorf("a path under statistics: %d, want 404", res.status)
		}
	})

	kalix := e.partnershipID("Kalix – Masaka")
	t.Run("partnership page", func(t *testing.T) {
		res := e.get(c, fmt.Sprintf("/partnerskap/%d", kalix))
		if res.status != 200 {
			t.Fatalf("partnership: %d", res.status)
		}
		wantContains(t, "Kalix activities", res.body, "Aktiviteter och räckvidd",
			`<tr><th scope="row">Skolbesök i årskurs 5 om plast och avfallshantering</th><td><time datetime="2021-11-16">2021-11-16</time></td><td>Skolbesök</td><td>Skolelever</td><td class="num">260</td><td>Skolelever 260</td></tr>`,
			"Utställning om plasten i Kalix och Masaka", "<td>Medborgare 230, Skolelever 410</td>", // in the order of the call's list
			"3 aktiviteter har tillsammans nått 952 personer.", // 410+230 + 34+18 + 260
			row("Skolelever", "670"), "Nådda personer per målgrupp")
		wantSVGs(t, "Kalix", res.body, 1)
		// Never the evidence, the cost, or who logged it.
		wantNotContains(t, "Kalix activities", res.body, "/underlag", "70 000", "45\u00a0000\u00a0kr", "sokande@")

		// Survey results, computed here from the stored answers.
		var g *grant.Grant
		for _, x := range grants {
			if x.PartnershipID == kalix && x.AwardedOn.Year() == 2021 {
				g = x
			}
		}
		rs, err := e.store.Responses(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sum, n [2]int
		var counts [2]int
		for _, r := range rs {
			i := 0
			if r.Phase == survey.FollowUp {
				i = 1
			}
			counts[i]++
			if v, err := strconv.Atoi(r.Answers["know_partnership"]); err == nil {
				sum[i] += v
				n[i]++
			}
		}
		mean := func(i int) string {
			return strings.Replace(strconv.FormatFloat(float64(sum[i])/float64(n[i]), 'f', 2, 64), ".", ",", 1)
		}
		wantContains(t, "Kalix survey", res.body, "Enkätresultat",
			fmt.Sprintf("Svar före: %d. Svar efter: %d.", counts[0], counts[1]),
			`<tr><th scope="row">Hur mycket vet du om kommunens internationella partnerskap?</th><td class="num">`+mean(0)+`</td><td class="num">`+mean(1)+`</td>`,
			"Tycker du att kommunen ska samarbeta med kommuner i andra länder?", "procentenheter", " par)")
		wantNotContains(t, "Kalix survey", res.body, "Vill du säga något mer?") // free text stays on the grantee's page

		en := e.get(c, fmt.Sprintf("/en/partnerships/%d", kalix))
		wantContains(t, "Kalix in English", en.body, "Activities and reach", "<td>School visit</td><td>School pupils</td>",
			"People reached per target group", "Survey results", "How much do you know about the municipality&#39;s international partnership?",
			"3 activities have together reached 952 people.")
		wantSVGs(t, "Kalix in English", en.body, 1)
	})

	t.Run("goal page", func(t *testing.T) {
		for _, n := range []int{12, 16} {
			var sum int64
			count := 0
			var names []string
			for _, g := range grants {
				if p := byID[g.PartnershipID]; slices.Contains(p.Goals, n) {
					sum += g.Amount
					count++
					names = append(names, p.Name)
				}
			}
			if sum == 0 {
				t.Fatalf("no demo grant on goal %d", n)
			}
			res := e.get(c, fmt.Sprintf("/mal/%d", n))
			if res.status != 200 {
				t.Fatalf("goal %d: %d", n, res.status)
			}
			wantContains(t, fmt.Sprintf("goal %d", n), res.body, "<dt>Beviljat till partnerskapen</dt><dd>"+money.Format(sum, "sv")+"</dd>",
				"<dt>Bidrag</dt><dd>"+strconv.Itoa(count)+"</dd>", "Aktiviteter i partnerskapen som arbetar med målet")
			for _, name := range names {
				wantContains(t, fmt.Sprintf("goal %d activities", n), res.body, ">"+name+"</a></td>")
			}
		}
		res := e.get(c, "/mal/12")
		wantContains(t, "goal 12 activities", res.body, `<tr><th scope="row">Skolbesök i årskurs 5 om plast och avfallshantering</th><td><time datetime="2021-11-16">2021-11-16</time></td>`)
		en := e.get(c, "/en/goals/12")
		wantContains(t, "goal 12 in English", en.body, "Money and reach", "Granted to the partnerships", "Activities of the partnerships working on the goal")
	})
}

// reachIn adds up, from the store, the people reached in one target group.
func reachIn(t *testing.T, e *env, grants []*grant.Grant, group string) int64 {
	t.Helper()
	var n int64
	for _, g := range grants {
		list, err := e.store.ActivityList(context.Background(), g.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			n += a.Reach[group]
		}
	}
	return n
}

// TestSurveyFewAnswersWithheld: a survey phase with answers, but fewer
// than survey.MinPublicAnswers, shows no results on the public page; the
// phase with enough answers still does.
func TestSurveyFewAnswersWithheld(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	pid := e.partnershipID("Forshaga – Lundazi")
	grants, err := e.store.GrantList(ctx, grant.Filter{PartnershipID: pid})
	if err != nil || len(grants) == 0 {
		t.Fatalf("grants of Forshaga – Lundazi: %v, %v", grants, err)
	}
	var sv *survey.Survey
	var g *grant.Grant
	for _, x := range grants {
		if s, err := e.store.Survey(ctx, x.ID); err == nil {
			sv, g = s, x
		}
	}
	if sv == nil {
		t.Fatal("the demo's Forshaga – Lundazi grant has no survey")
	}
	responses, err := e.store.Responses(ctx, g.ID)
	if err != nil || len(responses) < survey.MinPublicAnswers {
		t.Fatalf("baseline answers: %d, %v", len(responses), err)
	}
	// Open the follow-up and let three people answer it.
	// The baseline closes first; the follow-up opens after it.
	start := e.clock.Now()
	e.clock.Set(start.Add(3 * time.Hour))
	sv.Baseline.Closes = start.Add(time.Hour)
	sv.FollowUp = survey.Window{Opens: start.Add(2 * time.Hour)}
	if err := e.store.UpdateSurvey(ctx, audit.System("test"), sv); err != nil {
		t.Fatal(err)
	}
	for i := range survey.MinPublicAnswers - 2 {
		r := responses[i]
		r.ID, r.Phase = 0, survey.FollowUp
		if err := e.store.AddResponse(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	anon := e.client()
	body := e.get(anon, fmt.Sprintf("/partnerskap/%d", pid)).body
	wantContains(t, "three follow-up answers", body, "Inga resultat visas för: Efter. Färre än 5 har svarat där")
	section := body[strings.Index(body, `id="surveys-heading"`):]
	section = section[:strings.Index(section, "</section>")]
	// The first question's row: question, before, after, change, paired.
	row := section[strings.Index(section, "<tbody>"):]
	row = row[:strings.Index(row, "</tr>")]
	cells := strings.Split(row, `<td class="num">`)
	if len(cells) < 3 || strings.HasPrefix(cells[1], "för få svar") || !strings.HasPrefix(cells[2], "för få svar för att visas") {
		t.Errorf("the follow-up's figures are shown though only %d answered, or the baseline's are not:\n%s", survey.MinPublicAnswers-2, row)
	}
	// Two more make five: the follow-up is shown.
	for i := range 2 {
		r := responses[survey.MinPublicAnswers-2+i]
		r.ID, r.Phase = 0, survey.FollowUp
		if err := e.store.AddResponse(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	body = e.get(anon, fmt.Sprintf("/en/partnerships/%d", pid)).body
	wantNotContains(t, "five follow-up answers", body, "No results are shown for")
}
