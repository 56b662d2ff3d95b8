package letter

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/report"
)

// go test ./internal/letter/ -update rewrites testdata/*.golden from the
// text pdftotext extracts; review the diff before committing it.
var update = flag.Bool("update", false, "update the golden files instead of checking against them")

// decided is 20 May 2021 23:30 UTC: already 21 May in Stockholm, so the
// letters must show 21 May.
var decided = time.Date(2021, 5, 20, 23, 30, 0, 0, time.UTC)

func base() Letter {
	return Letter{
		Lang:           "sv",
		Operator:       "ICLD",
		Programme:      "Kommunalt partnerskap",
		Call:           "Informations- och kommunikationsstöd 2021",
		RegNumber:      "2021/0042",
		ApplicationReg: "2021/0017",
		Date:           decided,
		Organisation:   "Kalix kommun",
		Partnership:    "Kalix – Masaka",
		Project:        "Plast, avfall och miljö – från Masaka till Växjö och Kalix",
		Outcome:        "granted",
		Requested:      300_000_00,
		Amount:         300_000_00,
		Conditions:     "En baslinjeundersökning och en uppföljande undersökning ska göras med samma personer.",
		DecidedBy:      "Åsa Öberg",
		Contact:        "partnership@icld.se",
		Plan:           ledger.FullOnAcceptance,
		Reports:        []report.Deadline{{Kind: report.Final, Due: clock.Date(2022, time.January, 31)}},
		Tolerance:      0.10,
	}
}

// plan6040 is a call's plan of 60 % on acceptance and 40 % after the
// approved interim report, with the interim report due 30 September.
func plan6040(l *Letter) {
	l.Plan = ledger.Plan{{Percent: 60, When: ledger.OnAcceptance}, {Percent: 40, When: ledger.OnInterimApproved}}
	l.Reports = []report.Deadline{
		{Kind: report.Interim, Due: clock.Date(2021, time.September, 30)},
		{Kind: report.Final, Due: clock.Date(2022, time.January, 31)},
	}
}

func interimSv() Letter {
	l := base()
	plan6040(&l)
	l.Tolerance = 0.125
	return l
}

func grantedSv() Letter { return base() }

func partlyEn() Letter {
	l := base()
	l.Lang = "en"
	l.Programme = "Municipal Partnership Programme"
	l.Call = "Information and communication support 2021"
	l.Project = "Plastics, waste and the environment – from Masaka to Växjö and Kalix"
	l.Outcome = "partly_granted"
	l.Amount = 200_000_00
	l.Reason = "Travel is not an eligible cost in this call; the budget for travel (SEK 100,000) is not granted."
	l.Conditions = ""
	l.DecidedBy = "Anders Löfqvist"
	plan6040(&l)
	return l
}

func rejectedSv() Letter {
	l := base()
	l.Outcome = "rejected"
	l.Amount = 0
	l.Reason = "Ansökan saknar en plan för baslinjeundersökningen och den uppföljande undersökningen, som utlysningen kräver. Partnerskapet med Masaka är inte aktivt under 2021."
	l.Conditions = ""
	return l
}

var cases = []struct {
	name   string
	letter func() Letter
	want   []string // in the extracted text, whitespace collapsed
	unwant []string
}{
	{
		name:   "granted_sv",
		letter: grantedSv,
		want: []string{
			"Beslut om bidrag", "Kalix kommun", "Kalix – Masaka", "Masaka", "300 000 kr",
			"ICLD beviljar Kalix kommun 300 000 kr i bidrag",
			"Diarienummer 2021/0042", "Ansökans diarienummer 2021/0017", "21 maj 2021",
			"Kommunalt partnerskap", "Informations- och kommunikationsstöd 2021",
			"Plast, avfall och miljö – från Masaka till Växjö och Kalix",
			"Villkor för bidraget", "Bidraget lämnas på följande villkor:",
			"• Kalix kommun godkänner villkoren för bidraget innan något betalas ut.",
			"• Bidraget används bara till projektet så som det beskrivs i ansökan och i detta beslut.",
			"• Rapporterna lämnas till ICLD senast de datum som anges nedan.",
			"genomförs först när ICLD har godkänt dem.",
			"• Medel som inte har använts till projektet betalas tillbaka till ICLD.",
			"Särskilda villkor i detta beslut", "baslinjeundersökning",
			"Utbetalning Hela bidraget, 300 000 kr, betalas ut när Kalix kommun har godkänt villkoren för bidraget.",
			"Redovisning Kalix kommun ska lämna en rapport till ICLD: Slutrapport senast 31 januari 2022",
			"avviker med mer än 10 % från budgeten ska avvikelsen förklaras.",
			"Beslutet kan inte överklagas.", "ICLD är inte en myndighet.",
			"För ICLD", "Åsa Öberg", "Handläggare, ICLD", "partnership@icld.se", "Sida 1 av 2",
		},
		unwant: []string{"Skäl för beslutet", "SEK", "Delrapport", "delar:", "delrapporten"},
	},
	{
		name:   "interim_sv",
		letter: interimSv,
		want: []string{
			"ICLD beviljar Kalix kommun 300 000 kr i bidrag",
			"Villkor för bidraget", "Särskilda villkor i detta beslut",
			"Utbetalning Bidraget betalas ut i två delar:",
			"60 % 180 000 kr när Kalix kommun har godkänt villkoren för bidraget",
			"40 % 120 000 kr när ICLD har godkänt delrapporten",
			"Redovisning Kalix kommun ska lämna följande rapporter till ICLD:",
			"Delrapport senast 30 september 2021", "Slutrapport senast 31 januari 2022",
			"avviker med mer än 12,5 % från budgeten", "Åsa Öberg",
		},
		unwant: []string{"Hela bidraget", "slutrapporten", "SEK"},
	},
	{
		name:   "partly_granted_en",
		letter: partlyEn,
		want: []string{
			"Decision on grant", "Kalix kommun", "Masaka", "Växjö", "2021/0042", "2021/0017", "21 May 2021",
			"ICLD grants Kalix kommun SEK 200,000", "The application was for SEK 300,000", "partly granted",
			"Reasons for the decision", "Travel is not an eligible cost",
			"Terms of the grant", "The grant is given on the following terms:",
			"• Kalix kommun accepts the terms of the grant before anything is paid.",
			"• The reports are submitted to ICLD by the dates given below.",
			"• Money not spent on the project is repaid to ICLD.",
			"Payment The grant is paid in two instalments:",
			"60% SEK 120,000 once Kalix kommun has accepted the terms of the grant",
			"40% SEK 80,000 once ICLD has approved the interim report",
			"Reporting Kalix kommun must submit the following reports to ICLD:",
			"Interim report by 30 September 2021", "Final report by 31 January 2022",
			"differs from the budget by more than 10%, the difference must be explained.",
			"The decision cannot be appealed.", "Anders Löfqvist", "Programme officer, ICLD", "Page 1 of 2",
		},
		unwant: []string{"Conditions", "Special conditions", " kr", "Beslut"},
	},
	{
		name:   "rejected_sv",
		letter: rejectedSv,
		want: []string{
			"Beslut om bidrag", "Kalix kommun", "300 000 kr", "Masaka", "Växjö", "2021/0042",
			"ICLD avslår ansökan från Kalix kommun om 300 000 kr i bidrag",
			"Skäl för beslutet", "Partnerskapet med Masaka är inte aktivt",
			"Beslutet kan inte överklagas.", "Åsa Öberg",
		},
		unwant: []string{"beviljar", "Utbetalning", "Villkor", "Redovisning", "rapport"},
	},
}

func TestRender(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := c.letter()
			pdf, err := Render(l)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: starts %q", pdf[:min(len(pdf), 16)])
			}
			if n := pageCount(pdf); n < 1 || n > 2 {
				t.Errorf("%d pages, want one or two", n)
			}
			again, err := Render(l)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pdf, again) {
				t.Error("the same letter rendered to different bytes")
			}
			for _, meta := range []string{"/Title", "/Author", "/Subject", "/CreationDate (D:20210520233000)"} {
				if !bytes.Contains(pdf, []byte(meta)) {
					t.Errorf("PDF has no %s", meta)
				}
			}

			raw := extract(t, pdf)
			text := collapse(raw)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q", w)
				}
			}
			for _, u := range c.unwant {
				if strings.Contains(text, u) {
					t.Errorf("text has %q", u)
				}
			}
			if t.Failed() {
				t.Logf("extracted text:\n%s", raw)
			}
			golden(t, filepath.Join("testdata", c.name+".golden"), raw)
		})
	}
}

// TestRenderLong checks that long reasons and conditions flow onto a second
// page whose header counts the pages, and that the signature comes last.
func TestRenderLong(t *testing.T) {
	l := partlyEn()
	l.Reason = strings.Repeat("The budget for travel and for printed material is not eligible in this call. ", 20)
	l.Conditions = strings.Repeat("The baseline survey must be sent to ICLD before any money is paid. ", 20)
	pdf, err := Render(l)
	if err != nil {
		t.Fatal(err)
	}
	if n := pageCount(pdf); n != 2 {
		t.Errorf("%d pages, want 2", n)
	}
	text := collapse(extract(t, pdf))
	for _, w := range []string{"Page 1 of 2", "Page 2 of 2", "Special conditions", "The decision cannot be appealed."} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	if strings.LastIndex(text, "Anders Löfqvist") < strings.LastIndex(text, "cannot be appealed") {
		t.Error("the signature is not after the standard paragraphs")
	}
}

// TestRenderKeepsAmountsWhole checks that an amount the officer typed in
// the reasons ("100 000 kr") is never split over two lines: the demo's
// reason put "(100" at the end of one line and "000 kr)" on the next.
func TestRenderKeepsAmountsWhole(t *testing.T) {
	l := grantedSv()
	l.Reason = "Utställningen, skolbesöken och webbmaterialet beviljas. Den tryckta katalogen till alla hushåll (100 000 kr) beviljas inte: samma innehåll når målgrupperna genom webben och utställningen, och utskicket saknar en plan för uppföljning. Resan kostar 12 500 SEK och 40 %."
	pdf, err := Render(l)
	if err != nil {
		t.Fatal(err)
	}
	text := extract(t, pdf)
	for _, w := range []string{"(100 000 kr)", "12 500 SEK", "40 %"} {
		found := false
		for _, line := range strings.Split(text, "\n") {
			found = found || strings.Contains(strings.ReplaceAll(line, "\u00a0", " "), w)
		}
		if !found {
			t.Errorf("%q is split over two lines:\n%s", w, text)
		}
	}
}

// TestRenderInstalmentsAddUp checks that the instalments the letter states
// add up to the grant to the öre, the last taking the remainder.
func TestRenderInstalmentsAddUp(t *testing.T) {
	l := base()
	l.Requested, l.Amount = 100_000_01, 100_000_01
	l.Plan = ledger.Plan{{Percent: 60, When: ledger.OnAcceptance}, {Percent: 40, When: ledger.OnFinalReportApproved}}
	pdf, err := Render(l)
	if err != nil {
		t.Fatal(err)
	}
	text := collapse(extract(t, pdf))
	for _, w := range []string{
		"ICLD beviljar Kalix kommun 100 000,01 kr i bidrag",
		"60 % 60 000 kr när Kalix kommun har godkänt villkoren för bidraget",
		"40 % 40 000,01 kr när ICLD har godkänt slutrapporten",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q\n%s", w, text)
		}
	}
}

func TestRenderRefuses(t *testing.T) {
	for name, change := range map[string]func(*Letter){
		"unknown language":       func(l *Letter) { l.Lang = "de" },
		"unknown outcome":        func(l *Letter) { l.Outcome = "maybe" },
		"no date":                func(l *Letter) { l.Date = time.Time{} },
		"no applicant":           func(l *Letter) { l.Organisation = " " },
		"no registration number": func(l *Letter) { l.RegNumber = "" },
		"grant without money":    func(l *Letter) { l.Amount = 0 },
		"rejection with money":   func(l *Letter) { l.Outcome = "rejected"; l.Reason = "x" },
		"rejection, no reason":   func(l *Letter) { l.Outcome = "rejected"; l.Amount = 0 },
		"partial, no reason":     func(l *Letter) { l.Outcome = "partly_granted"; l.Amount = 1 },
		"partial, all of it":     func(l *Letter) { l.Outcome = "partly_granted"; l.Reason = "x" },
		"grant without a plan":   func(l *Letter) { l.Plan = nil },
		"plan of 90 %":           func(l *Letter) { l.Plan = ledger.Plan{{Percent: 90, When: ledger.OnAcceptance}} },
		"no final report":        func(l *Letter) { l.Reports = []report.Deadline{{Kind: report.Interim, Due: decided}} },
		"report without a date":  func(l *Letter) { l.Reports = append(l.Reports, report.Deadline{Kind: report.Interim}) },
	} {
		l := base()
		change(&l)
		if _, err := Render(l); err == nil {
			t.Errorf("%s: rendered, want an error", name)
		}
	}
}

var pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

func pageCount(pdf []byte) int { return len(pageObject.FindAll(pdf, -1)) }

// extract returns the text of the PDF as pdftotext (poppler-utils) lays it
// out. Without pdftotext the test is skipped, except under CI.
func extract(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		const install = "apt-get install -y poppler-utils"
		if os.Getenv("CI") != "" {
			t.Fatalf("pdftotext missing: .ci/run must install it (%s)", install)
		}
		t.Skipf("pdftotext missing, so the letter's text is not checked; install it with: %s", install)
	}
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// Amounts are grouped with no-break spaces; compare them as spaces.
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(string(out))
}

// collapse makes every run of white space one space, so checks don't
// depend on where a line was broken or how a column was padded.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// golden compares got with the file, or rewrites the file under -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("%s differs at line %d:\n got: %q\nwant: %q\n(run go test -update and review the diff if the change is intended)", file, i+1, gl, wl)
			return
		}
	}
}
