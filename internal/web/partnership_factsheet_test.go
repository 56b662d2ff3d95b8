package web_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var pdfPageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

// TestFactSheet fetches the Kalix – Masaka fact sheet through the real
// handler in both languages: one A4 page of PDF, shown inline, with the
// partnership's names, money and goals in the right language.
func TestFactSheet(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	id := strconv.FormatInt(e.partnershipID("Kalix – Masaka"), 10)
	for _, tc := range []struct {
		path, filename string
		want, unwant   []string
	}{
		{"/partnerskap/" + id + "/faktablad.pdf", "faktablad-kalix-masaka.pdf",
			[]string{"Faktablad", "Kalix – Masaka", "Kalix kommun", "Uganda", "300 000 kr", "beviljat från ICLD", "1 bidrag",
				"nådda personer", "Globala mål", "Kontakt: partnership@icld.se", "https://partnerskap.example/partnerskap/" + id, "1 juni 2021"},
			[]string{"SEK", "Fact sheet"}},
		{"/en/partnerships/" + id + "/fact-sheet.pdf", "fact-sheet-kalix-masaka.pdf",
			[]string{"Fact sheet", "Kalix – Masaka", "Kalix kommun", "Uganda", "SEK 300,000", "granted by ICLD", "1 grant",
				"people reached", "Global goals", "Contact: partnership@icld.se", "https://partnerskap.example/en/partnerships/" + id, "1 June 2021"},
			[]string{" kr", "Faktablad", "Globala"}},
	} {
		res := e.get(c, tc.path)
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d\n%s", tc.path, res.status, res.body)
		}
		if ct := res.header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("%s: Content-Type %q", tc.path, ct)
		}
		if cd := res.header.Get("Content-Disposition"); cd != `inline; filename=`+tc.filename {
			t.Errorf("%s: Content-Disposition %q", tc.path, cd)
		}
		if !strings.HasPrefix(res.body, "%PDF-") {
			t.Fatalf("%s: not a PDF: %q", tc.path, res.body[:min(len(res.body), 20)])
		}
		if n := len(pdfPageObject.FindAllString(res.body, -1)); n != 1 {
			t.Errorf("%s: %d pages, want 1", tc.path, n)
		}
		text := pdfText(t, []byte(res.body))
		wantContains(t, tc.path, text, tc.want...)
		wantNotContains(t, tc.path, text, tc.unwant...)
		if t.Failed() {
			t.Logf("%s:\n%s", tc.path, text)
		}
	}

	// The partnership page links to it.
	page := e.get(c, "/partnerskap/"+id)
	wantContains(t, "partnership page", page.body, `href="/partnerskap/`+id+`/faktablad.pdf"`, "Faktablad (PDF)")
	page = e.get(c, "/en/partnerships/"+id)
	wantContains(t, "English partnership page", page.body, `href="/en/partnerships/`+id+`/fact-sheet.pdf"`, "Fact sheet (PDF)")

	// Unknown and malformed ids are pages that do not exist.
	for _, path := range []string{"/partnerskap/999999/faktablad.pdf", "/partnerskap/abc/faktablad.pdf", "/en/partnerships/0/fact-sheet.pdf", "/partnerskap/-1/faktablad.pdf"} {
		if res := e.get(c, path); res.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.status)
		}
	}
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils), white
// space collapsed and no-break spaces as spaces. Without pdftotext the
// test is skipped, except under CI.
func pdfText(t *testing.T, pdf []byte) string {
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
	// Both readings, as laid out and in reading order, so a check passes
	// however the sheet's columns wrap.
	var both []string
	for _, mode := range []string{"-layout", "-raw"} {
		out, err := exec.Command(bin, mode, "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		both = append(both, string(out))
	}
	s := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(strings.Join(both, "\n=====\n"))
	return strings.Join(strings.Fields(s), " ")
}
