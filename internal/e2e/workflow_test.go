package e2e

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	applicantEmail = "sokande@kalix.demo.partnerskap.se"
	reviewerEmail  = "bedomare@demo.partnerskap.se"
	rollingCallSV  = "Kommunikationsstöd – löpande"
	projectTitle   = "Plasten och vi – en skolutställning"
)

// regNumber is a registration number: year and a four-digit sequence.
var regNumber = regexp.MustCompile(`\b\d{4}/\d{4}\b`)

// TestWorkflow walks one application from draft to decision through the
// pages, as the people would: the Kalix applicant drafts and submits it,
// the officer checks it and assigns the reviewer, the reviewer declares no
// conflict and scores it, the officer grants it, and the applicant
// downloads the decision letter. axe checks the new kinds of page.
func TestWorkflow(t *testing.T) {
	axe := requireTools(t)
	base := startServer(t)
	b := newBrowser(t, base, axe)
	var appPath string

	t.Run("applicant drafts and submits", func(t *testing.T) {
		b.signIn(t, applicantEmail)
		b.follow(t, `.staff-bar a[href="/ansokningar"]`)
		b.checkAccessibility(t, "applications")
		b.selectByText(t, "#call", rollingCallSV)
		b.selectByText(t, "#partnership", "Kalix – Masaka")
		if status := b.follow(t, `form[action="/ansokningar/ny"] button[type="submit"]`); status != http.StatusOK {
			t.Fatalf("start: status %d", status)
		}
		appPath = b.path(t)
		if !strings.HasPrefix(appPath, "/ansokningar/") {
			t.Fatalf("after starting: at %s", appPath)
		}
		// Save a first part; the checklist shows what is missing.
		b.typeInto(t, "#title", projectTitle)
		b.typeInto(t, "#summary", "Elever i Kalix och Masaka visar vad plasten gör med miljön.")
		b.follow(t, `button[name="action"][value="save"]`)
		if got := b.text(t, ".missing"); !strings.Contains(got, "saknas") {
			t.Errorf("checklist after a partial save: %q", got)
		}
		b.checkAccessibility(t, "application draft")
		// The rest.
		b.typeInto(t, "#objectives", "Fler politiker och elever känner till partnerskapet och mål 12.")
		b.selectValue(t, "#target_groups-0-group", "pupils")
		b.typeInto(t, "#target_groups-0-message", "Plasten i Masaka och Kalix är samma problem.")
		b.typeInto(t, "#activities-0-title", "Utställning i Kalix bibliotek")
		b.selectValue(t, "#activities-0-target_group", "pupils")
		b.selectValue(t, "#activities-0-channel", "exhibition")
		b.setDate(t, "#activities-0-start", "2027-02-01")
		b.setDate(t, "#activities-0-end", "2027-03-31")
		b.typeInto(t, "#activities-0-cost", "60 000")
		b.typeInto(t, "#survey_plan", "Samma frågor till samma klasser före och efter, med en egen kod.")
		b.selectValue(t, "#budget-0-category", "communicator")
		b.typeInto(t, "#budget-0-description", "Kommunikatör 30 %")
		b.typeInto(t, "#budget-0-amount", "180 000")
		b.checkByValue(t, "targets", "12.5")
		b.checkByValue(t, "targets", "4.7")
		if status := b.follow(t, `button[name="action"][value="submit"]`); status != http.StatusOK {
			t.Fatalf("submit: status %d: %s", status, b.text(t, "main"))
		}
		if b.exists(t, ".error-summary") {
			t.Fatalf("submit refused: %s", b.text(t, ".error-summary"))
		}
		facts := b.text(t, "dl.facts")
		for _, want := range []string{"Inskickad", "180 000 kr", "Diarienummer"} {
			if !strings.Contains(facts, want) {
				t.Errorf("after submitting, facts %q lack %q", facts, want)
			}
		}
		if !regNumber.MatchString(facts) {
			t.Errorf("after submitting, facts %q have no registration number", facts)
		}
		b.checkAccessibility(t, "submitted application")
		b.signOut(t)
	})
	if t.Failed() {
		return
	}

	t.Run("officer checks and assigns a reviewer", func(t *testing.T) {
		b.signIn(t, officerEmail)
		b.open(t, "/personal/program")
		b.follow(t, `main table a[href="/personal/program/2"]`) // the rolling programme, created second
		b.follow(t, `main a[href$="/ansokningar"]`)
		b.checkAccessibility(t, "call applications")
		b.followText(t, "main a", projectTitle)
		b.follow(t, `button[name="event"][value="start_check"]`)
		b.follow(t, `button[name="event"][value="pass_check"]`)
		if got := b.text(t, "dl.facts"); !strings.Contains(got, "Under bedömning") {
			t.Errorf("after the formal check: %q", got)
		}
		b.selectByText(t, "#reviewer", "Berit Bedömare")
		b.follow(t, `form[action$="/bedomare"] button[type="submit"]`)
		b.checkAccessibility(t, "case")
		b.signOut(t)
	})
	if t.Failed() {
		return
	}

	t.Run("reviewer declares no conflict and scores", func(t *testing.T) {
		b.signIn(t, reviewerEmail)
		b.follow(t, `.staff-bar a[href="/granskning"]`)
		b.followText(t, "main a", projectTitle)
		b.click(t, `input[name="conflict"][value="no"]`)
		b.follow(t, `form[action$="/jav"] button[type="submit"]`)
		b.click(t, `input[name="score_relevance"][value="5"]`)
		b.typeInto(t, "#comment_relevance", "Tydlig koppling till mål 12 och till eleverna.")
		b.click(t, `input[name="score_feasibility"][value="4"]`)
		b.typeInto(t, "#comment_feasibility", "Rimlig budget; mätningen är väl planerad.")
		b.click(t, `input[name="recommendation"][value="grant"]`)
		b.checkAccessibility(t, "review form")
		b.follow(t, `button[name="action"][value="submit"]`)
		if b.exists(t, ".error-summary") {
			t.Fatalf("review refused: %s", b.text(t, ".error-summary"))
		}
		b.signOut(t)
	})
	if t.Failed() {
		return
	}

	t.Run("officer decides", func(t *testing.T) {
		b.signIn(t, officerEmail)
		b.open(t, "/personal/program/2")
		b.follow(t, `main a[href$="/ansokningar"]`)
		b.followText(t, "main a", projectTitle)
		b.click(t, `input[name="outcome"][value="granted"]`)
		b.typeInto(t, "#conditions", "Rapportera senast 31 januari året efter.")
		b.follow(t, `form[action$="/beslut"] button[type="submit"]`)
		if b.exists(t, ".error-summary") {
			t.Fatalf("decision refused: %s", b.text(t, ".error-summary"))
		}
		if got := b.text(t, "main"); !strings.Contains(got, "Beviljad") {
			t.Errorf("after deciding: %q", got)
		}
		b.signOut(t)
	})
	if t.Failed() {
		return
	}

	t.Run("applicant downloads the decision letter", func(t *testing.T) {
		b.signIn(t, applicantEmail)
		b.open(t, appPath)
		if got := b.text(t, ".decision"); !strings.Contains(got, "180 000 kr") {
			t.Errorf("decision on the application: %q", got)
		}
		href, ok := b.attr(t, `.decision a[href$="beslut.pdf"]`, "href")
		if !ok {
			t.Fatal("no link to the decision letter")
		}
		// Fetch it as the page would download it, with the session cookie.
		got := run(t, b, "download the letter", chromedp.Evaluate[string](`fetch(`+jsString(href)+`, {credentials: 'same-origin'})
			.then(r => r.arrayBuffer().then(buf => r.status + ' ' + r.headers.get('content-type') + ' ' +
				String.fromCharCode(...new Uint8Array(buf).slice(0, 5)) + ' ' + buf.byteLength))`, chromedp.EvalAwaitPromise))
		parts := strings.Fields(got)
		if len(parts) != 4 || parts[0] != "200" || parts[1] != "application/pdf" || parts[2] != "%PDF-" {
			t.Errorf("decision letter: %q", got)
		}
	})
	if t.Failed() {
		return
	}
	grantLife(t, b)
}

// grantLife carries the grant the walkthrough ended with through its life:
// the grantee accepts the terms, logs two activities, runs the baseline
// and follow-up surveys (answered anonymously through the public links)
// and files the final report; the officer pays, approves the report and
// pays the last instalment, and the grant is closed.
func grantLife(t *testing.T, b *browser) {
	var grantPath string
	t.Run("grantee accepts the terms", func(t *testing.T) {
		b.open(t, "/bidrag")
		// The newest grant is the one just decided.
		grantPath = run(t, b, "newest grant", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('main a'))
			.map(a => a.getAttribute('href')).filter(h => /^\/bidrag\/\d+$/.test(h))
			.sort((x, y) => Number(y.split('/')[2]) - Number(x.split('/')[2]))[0] || ''`))
		if grantPath == "" {
			t.Fatal("no grant in the grantee's list")
		}
		b.open(t, grantPath)
		b.checkByValue(t, "confirm", "yes")
		b.follow(t, `form[action$="/villkor"] button[type="submit"]`)
		if b.exists(t, ".error-summary") {
			t.Fatalf("accepting refused: %s", b.text(t, ".error-summary"))
		}
		b.checkAccessibility(t, "grant (grantee)")
	})
	if t.Failed() {
		return
	}
	t.Run("grantee logs two activities", func(t *testing.T) {
		today := time.Now().Format("2006-01-02")
		for _, a := range []struct{ title, group, channel, reach, cost string }{
			{"Utställning i Kalix bibliotek", "pupils", "exhibition", "240", "90 000"},
			{"Seminarium för kommunfullmäktige", "politicians", "seminar", "35", "20 000"},
		} {
			b.open(t, grantPath+"/aktiviteter")
			b.setDate(t, "#date", today)
			b.typeInto(t, "#title", a.title)
			b.selectValue(t, "#target_group", a.group)
			b.selectValue(t, "#channel", a.channel)
			b.typeInto(t, `input[name="reach.`+a.group+`"]`, a.reach)
			b.typeInto(t, "#cost", a.cost)
			b.follow(t, `main form button[type="submit"]`)
			if b.exists(t, ".error-summary") {
				t.Fatalf("activity %q refused: %s", a.title, b.text(t, ".error-summary"))
			}
		}
		main := b.text(t, "main")
		for _, want := range []string{"Utställning i Kalix bibliotek", "Seminarium för kommunfullmäktige", "275"} {
			if !strings.Contains(main, want) {
				t.Errorf("activities page lacks %q", want)
			}
		}
		b.checkAccessibility(t, "activities")
	})
	if t.Failed() {
		return
	}
	t.Run("surveys before and after", func(t *testing.T) {
		b.open(t, grantPath+"/enkat")
		b.follow(t, `form input[name="do"][value="create"] ~ .actions button`)
		answer := func(phaseWord, score string) {
			t.Helper()
			link := run(t, b, "survey link", chromedp.Evaluate[string](`(Array.from(document.querySelectorAll('main a'))
				.map(a => a.getAttribute('href')).find(h => h.includes('/enkat/') && h.endsWith('/`+phaseWord+`')) || '')`))
			if link == "" {
				t.Fatalf("no %s link on the survey page", phaseWord)
			}
			u := link[strings.Index(link, "/enkat/"):]
			surveyPage := b.path(t)
			b.open(t, u)
			b.selectValue(t, "#target_group", "pupils")
			b.typeInto(t, "#code", "ab12")
			b.click(t, `input[name="q_know_partnership"][value="`+score+`"]`)
			b.follow(t, `main form button[type="submit"]`)
			if !strings.HasSuffix(b.path(t), "/tack") {
				t.Fatalf("after answering the %s survey: at %s: %s", phaseWord, b.path(t), b.text(t, "main"))
			}
			b.open(t, surveyPage)
		}
		answer("fore", "2")
		b.checkAccessibility(t, "survey (grantee)")
		b.follow(t, `button[name="do"][value="open"]`)
		answer("efter", "4")
		if got := b.text(t, "main"); !strings.Contains(got, "+2") {
			t.Errorf("survey results show no change of +2: %q", got)
		}
	})
	if t.Failed() {
		return
	}
	t.Run("grantee files the final report", func(t *testing.T) {
		b.open(t, grantPath+"/rapporter/final")
		b.typeInto(t, "#done", "En utställning för 240 elever och ett seminarium för fullmäktige.")
		b.typeInto(t, "#results", "Elevernas kunskap om partnerskapet steg från 2 till 4 på en femgradig skala.")
		b.typeInto(t, `input[name="lines.0.spent"]`, "180 000")
		b.follow(t, `button[name="action"][value="submit"]`)
		if b.exists(t, ".error-summary") {
			t.Fatalf("report refused: %s", b.text(t, ".error-summary"))
		}
		b.checkAccessibility(t, "final report")
		b.signOut(t)
	})
	if t.Failed() {
		return
	}
	t.Run("officer pays, approves and closes", func(t *testing.T) {
		b.signIn(t, officerEmail)
		staff := strings.Replace(grantPath, "/bidrag/", "/personal/bidrag/", 1)
		pay := func(amount string) {
			t.Helper()
			b.open(t, staff)
			b.typeInto(t, "#amount", amount)
			b.follow(t, `form[action$="/utbetalningar"] button[type="submit"]`)
			if b.exists(t, ".error-summary") {
				t.Fatalf("payment of %s refused: %s", amount, b.text(t, ".error-summary"))
			}
		}
		pay("144 000") // 80 % on acceptance
		// The workspace lists the report waiting for approval.
		b.open(t, "/personal")
		b.follow(t, `main a[href^="`+staff+`/rapporter/"]`)
		b.follow(t, `button[name="action"][value="approve"]`)
		if b.exists(t, ".error-summary") {
			t.Fatalf("approval refused: %s", b.text(t, ".error-summary"))
		}
		pay("36 000") // the last 20 %, after the approved final report
		if got := b.text(t, "main"); !strings.Contains(got, "Avslutat") && !strings.Contains(got, "avslutat") {
			t.Errorf("after the last payment the grant is not closed: %q", got)
		}
		b.checkAccessibility(t, "grant (officer)")
	})
}
