package money

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: whatever is typed into an amount field, Parse either refuses
// it (with 0 and an error key) or reads an amount within the bound, which
// the form shows back (Input) and the page shows (Format) in words Parse
// reads again as the same amount. ParsePositive never returns an amount
// at or below zero, and 0 when it refuses. The corpus is in
// testdata/fuzz/FuzzParse; go test replays it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1 800 000 kr", "1800000,50", "1.800.000,5,0", "1,505", "abc", "-5", "−12,5 SEK", "0", "0,01",
		"1 000 000 000 000", "10 000 000 000 000", ":-", "kr", "1\u202f000:-", "00012", ",5", "5,", "--5", "-−5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ore, err := Parse(s)
		if err != nil {
			if ore != 0 {
				t.Fatalf("Parse(%q) refused with %d", s, ore)
			}
			if !strings.HasPrefix(err.Error(), "error.money.") {
				t.Fatalf("Parse(%q): error %q is not a message key", s, err)
			}
		} else {
			if ore > maxKronor*100+99 || ore < -(maxKronor*100+99) {
				t.Fatalf("Parse(%q) = %d, beyond the bound", s, ore)
			}
			for _, back := range []string{Input(ore), Format(ore, "sv")} {
				got, err := Parse(back)
				if err != nil || got != ore {
					t.Fatalf("Parse(%q) = %d, written back as %q, read again as %d, %v", s, ore, back, got, err)
				}
			}
			if en := Format(ore, "en"); !utf8.ValidString(en) || !strings.Contains(en, "SEK") {
				t.Fatalf("Format(%d, en) = %q", ore, en)
			}
		}
		pos, err := ParsePositive(s)
		if err != nil && pos != 0 || err == nil && pos <= 0 {
			t.Fatalf("ParsePositive(%q) = %d, %v", s, pos, err)
		}
	})
}
