package factsheet

import (
	"fmt"
	"time"
)

// text is the wording of the sheet in one language.
type text struct {
	pdfLang                     string
	title                       string
	openEnded, period           string
	about, goals, surveyHeading string
	before, after               string
	contact, readMore, produced string
	formatDate                  func(time.Time) string
	swedish, partners           func(n int) string
	grantedLabel                func(grants int, operator string) string
	reachLabel                  func(activities int) string
	surveyLabel                 func(low, high int) string
	surveyText                  func(s *Survey, lang string) string
}

var svMonths = [...]string{"januari", "februari", "mars", "april", "maj", "juni",
	"juli", "augusti", "september", "oktober", "november", "december"}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

var texts = map[string]text{
	"sv": {
		pdfLang:       "sv-SE",
		title:         "Faktablad",
		openEnded:     "tills vidare",
		period:        "Period",
		about:         "Bakgrund och syfte",
		goals:         "Globala mål som partnerskapet arbetar med",
		surveyHeading: "Vad enkäterna visar",
		before:        "Före",
		after:         "Efter",
		contact:       "Kontakt:",
		readMore:      "Läs mer:",
		produced:      "Faktabladet är framtaget %s ur uppgifterna i programmets bidragssystem. Antalet nådda räknar kontakter: den som nåtts två gånger räknas två gånger.",
		formatDate: func(d time.Time) string {
			if d.IsZero() {
				return ""
			}
			return fmt.Sprintf("%d %s %d", d.Day(), svMonths[d.Month()-1], d.Year())
		},
		swedish:  func(n int) string { return plural(n, "Svensk medlem", "Svenska medlemmar") },
		partners: func(n int) string { return plural(n, "Partner", "Partner") },
		grantedLabel: func(grants int, operator string) string {
			from := ""
			if operator != "" {
				from = " från " + operator
			}
			if grants == 0 {
				return "beviljat" + from + " (inga bidrag ännu)"
			}
			return fmt.Sprintf("beviljat%s i %d %s", from, grants, plural(grants, "bidrag", "bidrag"))
		},
		reachLabel: func(activities int) string {
			return fmt.Sprintf("nådda personer (%d %s)", activities, plural(activities, "aktivitet", "aktiviteter"))
		},
		surveyLabel: func(low, high int) string {
			return fmt.Sprintf("förändring i enkätsvaren (skala %d–%d)", low, high)
		},
		surveyText: func(s *Survey, lang string) string {
			pairs := ""
			if s.Pairs > 0 {
				pairs = fmt.Sprintf(" %d personer svarade båda gångerna.", s.Pairs)
			}
			return fmt.Sprintf("”%s” Medelvärdet på skalan %d–%d gick från %s före till %s efter informationsinsatserna (%s). %d svar före och %d efter.%s",
				s.Question, s.ScaleLow, s.ScaleHigh, decimal(s.Baseline, lang), decimal(s.FollowUp, lang), signed(s.Change(), lang),
				s.BaselineN, s.FollowUpN, pairs)
		},
	},
	"en": {
		pdfLang:       "en-GB",
		title:         "Fact sheet",
		openEnded:     "until further notice",
		period:        "Period",
		about:         "Background and purpose",
		goals:         "Global goals the partnership works on",
		surveyHeading: "What the surveys show",
		before:        "Before",
		after:         "After",
		contact:       "Contact:",
		readMore:      "Read more:",
		produced:      "This fact sheet was produced on %s from the data in the programme's grant system. People reached counts contacts: someone reached twice counts twice.",
		formatDate: func(d time.Time) string {
			if d.IsZero() {
				return ""
			}
			return d.Format("2 January 2006")
		},
		swedish:  func(n int) string { return plural(n, "Swedish member", "Swedish members") },
		partners: func(n int) string { return plural(n, "Partner", "Partners") },
		grantedLabel: func(grants int, operator string) string {
			by := ""
			if operator != "" {
				by = " by " + operator
			}
			if grants == 0 {
				return "granted" + by + " (no grants yet)"
			}
			return fmt.Sprintf("granted%s in %d %s", by, grants, plural(grants, "grant", "grants"))
		},
		reachLabel: func(activities int) string {
			return fmt.Sprintf("people reached (%d %s)", activities, plural(activities, "activity", "activities"))
		},
		surveyLabel: func(low, high int) string {
			return fmt.Sprintf("change in survey answers (scale %d–%d)", low, high)
		},
		surveyText: func(s *Survey, lang string) string {
			pairs := ""
			if s.Pairs > 0 {
				pairs = fmt.Sprintf(" %d people answered both times.", s.Pairs)
			}
			return fmt.Sprintf("“%s” The mean on the %d–%d scale went from %s before to %s after the communication (%s). %d answers before and %d after.%s",
				s.Question, s.ScaleLow, s.ScaleHigh, decimal(s.Baseline, lang), decimal(s.FollowUp, lang), signed(s.Change(), lang),
				s.BaselineN, s.FollowUpN, pairs)
		},
	},
}
