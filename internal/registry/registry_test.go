package registry

import (
	"maps"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/validate"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		prefix    string
		year, seq int
		want      string
	}{
		{"", 2021, 42, "2021/0042"},
		{"", 2021, 1, "2021/0001"},
		{"", 2021, 9999, "2021/9999"},
		{"", 2021, 10000, "2021/10000"}, // grows rather than wraps
		{"KOM", 2021, 42, "KOM 2021/0042"},
		{"  ICLD\t", 2022, 7, "ICLD 2022/0007"},
		{"   ", 2022, 7, "2022/0007"}, // a blank prefix is no prefix
		{"Dnr ÄRENDE", 2023, 315, "Dnr ÄRENDE 2023/0315"},
	}
	for _, tt := range tests {
		if got := Format(tt.prefix, tt.year, tt.seq); got != tt.want {
			t.Errorf("Format(%q, %d, %d) = %q, want %q", tt.prefix, tt.year, tt.seq, got, tt.want)
		}
	}
}

// TestYearOf checks that the year turns at midnight in Stockholm, not in
// UTC or the server's zone.
func TestYearOf(t *testing.T) {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		t    time.Time
		want int
	}{
		{"New Year's Eve 23:30 in Stockholm", time.Date(2021, 12, 31, 22, 30, 0, 0, time.UTC), 2021},
		{"last second of the year in Stockholm", time.Date(2021, 12, 31, 22, 59, 59, 0, time.UTC), 2021},
		{"midnight in Stockholm, 23:00 UTC", time.Date(2021, 12, 31, 23, 0, 0, 0, time.UTC), 2022},
		{"23:30 UTC on 31 December", time.Date(2021, 12, 31, 23, 30, 0, 0, time.UTC), 2022},
		{"evening of 31 December in New York", time.Date(2021, 12, 31, 20, 0, 0, 0, newYork), 2022},
		{"first minute of the year in UTC", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), 2022},
		{"midsummer", time.Date(2022, 6, 24, 12, 0, 0, 0, time.UTC), 2022},
	}
	for _, tt := range tests {
		if got := YearOf(tt.t); got != tt.want {
			t.Errorf("%s: YearOf(%s) = %d, want %d", tt.name, tt.t.Format(time.RFC3339), got, tt.want)
		}
	}
}

// TestMatchesQuery checks the search in the diarium: number or title, any
// case, including Å, Ä and Ö.
func TestMatchesQuery(t *testing.T) {
	entries := map[string]*Entry{
		"växjö":  {Number: "KOM 2021/0042", Title: "Ansökan: Växjö kommun berättar om partnerskapet"},
		"region": {Number: "2021/0043", Title: "Slutrapport REGION ÖSTERGÖTLAND"},
		"arvika": {Number: "2022/0001", Title: "Beslut: Årsmöte i Arvika"},
	}
	tests := []struct {
		query string
		want  []string // the entries that match
	}{
		{"", []string{"växjö", "region", "arvika"}},
		{"   ", []string{"växjö", "region", "arvika"}},
		{"växjö", []string{"växjö"}},
		{"VÄXJÖ", []string{"växjö"}},
		{" Växjö ", []string{"växjö"}},
		{"östergötland", []string{"region"}},
		{"Östergötland", []string{"region"}},
		{"årsmöte", []string{"arvika"}},
		{"ÅRSMÖTE", []string{"arvika"}},
		{"kom 2021", []string{"växjö"}}, // the prefix of a number
		{"2021/", []string{"växjö", "region"}},
		{"0042", []string{"växjö"}},
		{"2022/0001", []string{"arvika"}},
		{"ansökan", []string{"växjö"}},
		{"beslut:", []string{"arvika"}},
		{"vaxjo", nil}, // no folding of ä to a
		{"malmö", nil},
		{"2023", nil},
	}
	for _, tt := range tests {
		f := Filter{Query: tt.query}
		want := map[string]bool{}
		for _, k := range tt.want {
			want[k] = true
		}
		for k, e := range entries {
			if got := f.MatchesQuery(e); got != want[k] {
				t.Errorf("query %q, entry %q (%s): got %v, want %v", tt.query, e.Title, e.Number, got, want[k])
			}
		}
	}
}

func TestCheckConfidential(t *testing.T) {
	tests := []struct {
		confidential bool
		reason       string
		want         validate.Errors
	}{
		{false, "", nil},
		{false, "OSL 21 kap. 7 §", nil},
		{true, "OSL 21 kap. 7 § (personuppgifter)", nil},
		{true, "", validate.Errors{"reason": "error.required"}},
		{true, " \t\n", validate.Errors{"reason": "error.required"}},
	}
	for _, tt := range tests {
		if got := CheckConfidential(tt.confidential, tt.reason); !maps.Equal(got, tt.want) {
			t.Errorf("CheckConfidential(%v, %q) = %v, want %v", tt.confidential, tt.reason, got, tt.want)
		}
	}
}

func TestSubmissionKind(t *testing.T) {
	for _, tt := range []struct {
		earlier int
		want    Kind
	}{{0, Application}, {1, Resubmission}, {3, Resubmission}} {
		if got := SubmissionKind(tt.earlier); got != tt.want {
			t.Errorf("SubmissionKind(%d) = %s, want %s", tt.earlier, got, tt.want)
		}
	}
}

// TestFormatDoc checks a document's number within its case, and that the
// case number is read back from it whatever the prefix holds.
func TestFormatDoc(t *testing.T) {
	tests := []struct {
		prefix         string
		year, seq, doc int
		want, wantCase string
	}{
		{"", 2026, 19, 1, "2026/0019-1", "2026/0019"},
		{"", 2026, 19, 2, "2026/0019-2", "2026/0019"},
		{"", 2026, 19, 12, "2026/0019-12", "2026/0019"},
		{"", 2026, 10000, 3, "2026/10000-3", "2026/10000"},
		{"KOM", 2021, 42, 3, "KOM 2021/0042-3", "KOM 2021/0042"},
		{"ICLD-1", 2022, 7, 1, "ICLD-1 2022/0007-1", "ICLD-1 2022/0007"}, // a dash in the prefix stays
		{"  ", 2022, 7, 4, "2022/0007-4", "2022/0007"},
	}
	for _, tt := range tests {
		got := FormatDoc(tt.prefix, tt.year, tt.seq, tt.doc)
		if got != tt.want {
			t.Errorf("FormatDoc(%q, %d, %d, %d) = %q, want %q", tt.prefix, tt.year, tt.seq, tt.doc, got, tt.want)
		}
		e := Entry{Year: tt.year, Seq: tt.seq, Doc: tt.doc, Number: got}
		if c := e.CaseNumber(); c != tt.wantCase {
			t.Errorf("CaseNumber of %q = %q, want %q", got, c, tt.wantCase)
		}
	}
}

// TestFormer shows a number from before 0018 only when it differs from
// the case's number.
func TestFormer(t *testing.T) {
	for _, tt := range []struct {
		e    Entry
		want string
	}{
		{Entry{Doc: 1, Number: "2026/0019-1", FormerNumber: "2026/0019"}, ""},
		{Entry{Doc: 2, Number: "2026/0019-2", FormerNumber: "2026/0020"}, "2026/0020"},
		{Entry{Doc: 3, Number: "2026/0019-3"}, ""},
	} {
		if got := tt.e.Former(); got != tt.want {
			t.Errorf("Former of %+v = %q, want %q", tt.e, got, tt.want)
		}
	}
}

// TestMatchesQueryCase checks that a case number finds every document of
// the case and nothing else, and that a former number still finds its
// document.
func TestMatchesQueryCase(t *testing.T) {
	entries := []*Entry{
		{Number: "2026/0019-1", Doc: 1, FormerNumber: "2026/0019"},
		{Number: "2026/0019-2", Doc: 2, FormerNumber: "2026/0020"},
		{Number: "2026/0019-3", Doc: 3},
		{Number: "2026/0190-1", Doc: 1},
		{Number: "2026/0021-1", Doc: 1},
	}
	for _, tt := range []struct {
		query string
		want  []bool
	}{
		{"2026/0019", []bool{true, true, true, false, false}},
		{"2026/0019-2", []bool{false, true, false, false, false}},
		{"2026/0020", []bool{false, true, false, false, false}},
	} {
		f := Filter{Query: tt.query}
		for i, e := range entries {
			if got := f.MatchesQuery(e); got != tt.want[i] {
				t.Errorf("query %q, entry %s: got %v, want %v", tt.query, e.Number, got, tt.want[i])
			}
		}
	}
}
