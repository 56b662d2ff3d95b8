package factsheet

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
)

// go test ./internal/factsheet/ -png writes the sample sheets as PNG
// (pdftoppm) under $TMPDIR/factsheet-png, to look at them.
var png = flag.Bool("png", false, "also render the sample sheets to PNG for viewing")

// produced is 31 May 2021 23:30 UTC: already 1 June in Stockholm.
var produced = time.Date(2021, 5, 31, 23, 30, 0, 0, time.UTC)

func kalix(lang string) Sheet {
	s := Sheet{
		Lang:     lang,
		Operator: "ICLD",
		Name:     "Kalix – Masaka",
		Theme:    "Avfallshantering, plast och miljö",
		Description: "Kalix kommun och Masaka i Uganda arbetar med hur plast påverkar miljön: partnerskapet bygger kunskap hos unga i Masaka och Kalix och involverar dem i miljöbeslut. " +
			"Under 2021 gällde arbetet medvetenhet om avfallshantering, plast och miljö hos skolelever och beslutsfattare.\n" +
			"Källor: https://www.kalix.se/Aktuellt/",
		Swedish:    []Member{{Name: "Kalix kommun", Country: "SE"}},
		Partners:   []Member{{Name: "Masaka District Local Government", Country: "UG"}},
		Start:      time.Date(2019, 6, 3, 0, 0, 0, 0, time.UTC),
		Goals:      []int{4, 7, 12, 17},
		Granted:    300_000_00 + 1_500_000_00,
		Grants:     2,
		Reach:      12_345,
		Activities: 9,
		Survey: &Survey{Question: "Hur mycket vet du om kommunens internationella partnerskap?",
			Baseline: 2.31, FollowUp: 3.08, BaselineN: 32, FollowUpN: 29, Pairs: 18, ScaleLow: 1, ScaleHigh: 5},
		Contact:  "partnership@icld.se",
		URL:      "https://partnerskap.example/partnerskap/3",
		Produced: produced,
	}
	if lang == "en" {
		s.Theme = "Waste management, plastics and the environment"
		s.Description = "Kalix Municipality and Masaka in Uganda work on the effect of plastics on the environment."
		s.Survey.Question = "How much do you know about the municipality's international partnership?"
		s.URL = "https://partnerskap.example/en/partnerships/3"
	}
	return s
}

// long is a sheet with every part at its worst: all 17 goals, many
// members with long names, a description of 10 000 characters.
func long() Sheet {
	s := kalix("sv")
	s.Name = strings.Repeat("Överkalix – Ängelholm – Åre – ", 8) + "Slut"
	s.Theme = strings.Repeat("Hållbar utveckling, demokrati och jämställdhet. ", 10)
	s.Description = strings.Repeat("Partnerskapet arbetar med lokal demokrati, öppenhet och medborgardialog i båda kommunerna. ", 110)
	s.Swedish = nil
	s.Partners = nil
	for i := 0; i < 20; i++ {
		s.Swedish = append(s.Swedish, Member{Name: "Region Västra Götaland med förvaltningar", Country: "SE"})
		s.Partners = append(s.Partners, Member{Name: "Municipal Council of a Long Name", Country: "XK"})
	}
	s.Goals = nil
	for g := 1; g <= 17; g++ {
		s.Goals = append(s.Goals, g)
	}
	return s
}

func TestRender(t *testing.T) {
	cases := []struct {
		name   string
		sheet  Sheet
		want   []string // in the extracted text, whitespace collapsed
		unwant []string
	}{
		{"kalix_sv", kalix("sv"), []string{
			"ICLD · Faktablad", "1 juni 2021", "Kalix – Masaka", "Avfallshantering, plast och miljö",
			"1 800 000 kr", "beviljat från ICLD i 2 bidrag", "12 345", "nådda personer", "9 aktiviteter", "+0,8",
			"Svensk medlem Kalix kommun", "Partner Masaka District Local Government, Uganda", "3 juni 2019 – tills vidare",
			"Bakgrund och syfte", "hos skolelever och beslutsfattare",
			"Globala mål", "God utbildning för alla", "Hållbar energi för alla", "Hållbar konsumtion", "Genomförande och",
			"Vad enkäterna visar", "gick från 2,3 före till 3,1 efter", "32 svar före och 29 efter", "18 personer svarade båda gångerna",
			"Kontakt: partnership@icld.se", "Läs mer: https://partnerskap.example/partnerskap/3",
		}, []string{"SEK", "…", "Before"}},
		{"kalix_en", kalix("en"), []string{
			"ICLD · Fact sheet", "1 June 2021", "Kalix – Masaka", "Waste management, plastics and the environment",
			"SEK 1,800,000", "granted by ICLD in 2 grants", "12,345", "people reached", "9 activities", "+0.8",
			"Swedish member Kalix kommun", "Partner Masaka District Local Government, Uganda", "3 June 2019 – until further notice",
			"Background and purpose", "Global goals", "Quality education", "Affordable and clean energy", "Partnerships for",
			"What the surveys show", "went from 2.3 before to 3.1 after", "Contact: partnership@icld.se", "Read more:",
		}, []string{" kr", "Faktablad", "Globala", "…"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pdf, err := Render(c.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: starts %q", pdf[:min(len(pdf), 16)])
			}
			if n := PageCount(pdf); n != 1 {
				t.Errorf("%d pages, want 1", n)
			}
			again, _ := Render(c.sheet)
			if !bytes.Equal(pdf, again) {
				t.Error("the same sheet rendered to different bytes")
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
			writePNG(t, c.name, pdf)
		})
	}
}

// TestRenderFits checks that the worst case still makes one page: long
// text is cut with "…" and the footer is still there.
func TestRenderFits(t *testing.T) {
	s := long()
	pdf, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	if n := PageCount(pdf); n != 1 {
		t.Fatalf("%d pages, want 1", n)
	}
	text := collapse(extract(t, pdf))
	for _, w := range []string{"…", "Kontakt: partnership@icld.se", "Läs mer:", "Fredliga och inkluderande", "Kosovo", "Vad enkäterna visar", "Bakgrund och syfte"} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	if strings.Count(text, "Partnerskapet arbetar med lokal demokrati") >= 110 {
		t.Error("the whole description was printed; it cannot fit")
	}
	writePNG(t, "long", pdf)

	// No survey, no goals, no description, no grants: still a sheet.
	bare := Sheet{Lang: "en", Name: "Åre – Ödeshög", Produced: produced}
	pdf, err = Render(bare)
	if err != nil {
		t.Fatal(err)
	}
	text = collapse(extract(t, pdf))
	for _, w := range []string{"Åre – Ödeshög", "SEK 0", "(no grants yet)", "people reached", "0 activities"} {
		if !strings.Contains(text, w) {
			t.Errorf("bare sheet lacks %q", w)
		}
	}
	if strings.Contains(text, "What the surveys show") || strings.Contains(text, "Global goals") {
		t.Error("bare sheet shows empty sections")
	}
}

// TestSurveyTooFew leaves out a survey with too few answers to mean much
// (or to stay anonymous).
func TestSurveyTooFew(t *testing.T) {
	s := kalix("sv")
	s.Survey.FollowUpN = 4
	pdf, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	if text := collapse(extract(t, pdf)); strings.Contains(text, "Vad enkäterna visar") || strings.Contains(text, "+0,8") {
		t.Error("a survey with 4 answers after is shown")
	}
}

// TestSurveyFewPairs: the sheet is public, so the number of people who
// answered both times is left out below survey.MinPublicAnswers pairs,
// as the partnership page leaves out their change; the rest stays.
func TestSurveyFewPairs(t *testing.T) {
	for pairs, shown := range map[int]bool{3: false, 5: true} {
		s := kalix("sv")
		s.Survey.Pairs = pairs
		pdf, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		text := collapse(extract(t, pdf))
		if !strings.Contains(text, "32 svar före och 29 efter") {
			t.Errorf("%d pairs: the survey's change is gone", pairs)
		}
		if got := strings.Contains(text, "personer svarade båda gångerna"); got != shown {
			t.Errorf("%d pairs: pairs mentioned %v, want %v", pairs, got, shown)
		}
	}
}

func TestRenderRefuses(t *testing.T) {
	for name, change := range map[string]func(*Sheet){
		"unknown language": func(s *Sheet) { s.Lang = "de" },
		"no name":          func(s *Sheet) { s.Name = " " },
		"no date":          func(s *Sheet) { s.Produced = time.Time{} },
	} {
		s := kalix("sv")
		change(&s)
		if _, err := Render(s); err == nil {
			t.Errorf("%s: rendered, want an error", name)
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{decimal(2.25, "sv"), "2,2"}, // FormatFloat rounds half to even on the binary value
		{decimal(3.05, "en"), "3.0"},
		{signed(0.74, "sv"), "+0,7"},
		{signed(-0.3, "en"), "−0.3"},
		{signed(0.01, "en"), "0.0"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestTextOn(t *testing.T) {
	if r, _, _ := textOn("#FCC30B"); r != 26 {
		t.Error("goal 7's yellow should carry dark text")
	}
	if r, _, _ := textOn("#19486A"); r != 255 {
		t.Error("goal 17's navy should carry white text")
	}
}

var pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

// PageCount counts the page objects of a PDF.
func PageCount(pdf []byte) int { return len(pageObject.FindAll(pdf, -1)) }

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
		t.Skipf("pdftotext missing, so the fact sheet's text is not checked; install it with: %s", install)
	}
	path := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	// Both of pdftotext's readings: laid out as on the page (lines across
	// columns) and in reading order (each column's text together), so a
	// check passes whichever way the columns happen to wrap.
	var both []string
	for _, args := range [][]string{{"-layout"}, {"-raw"}} {
		out, err := exec.Command(bin, append(args, "-enc", "UTF-8", path, "-")...).Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		both = append(both, string(out))
	}
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(strings.Join(both, "\n=====\n"))
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// writePNG renders the PDF to a PNG under -png, for looking at.
func writePNG(t *testing.T, name string, pdf []byte) {
	t.Helper()
	if !*png {
		return
	}
	dir := filepath.Join(os.TempDir(), "factsheet-png")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "60", "-singlefile", in, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	t.Logf("wrote %s", filepath.Join(dir, name+".png"))
}
