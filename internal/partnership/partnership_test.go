package partnership

import (
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
)

func TestIsActive(t *testing.T) {
	p := &Partnership{Status: Active, Start: clock.Date(2021, 1, 1), End: clock.Date(2021, 12, 31)}
	for day, want := range map[string]bool{"2020-12-31": false, "2021-01-01": true, "2021-12-31": true, "2022-01-01": false} {
		d, _ := clock.ParseDate(day)
		if got := p.IsActive(d); got != want {
			t.Errorf("%s: %v, want %v", day, got, want)
		}
	}
	p.Status = Completed
	if p.IsActive(clock.Date(2021, 6, 1)) {
		t.Error("a completed partnership is active")
	}
	open := &Partnership{Status: Active, Start: clock.Date(2006, 1, 1)}
	if !open.IsActive(clock.Date(2030, 1, 1)) {
		t.Error("an open-ended partnership ended")
	}
}

func TestValidateMembers(t *testing.T) {
	kalix := organisation.Organisation{ID: 1, Kind: organisation.Municipality}
	masaka := organisation.Organisation{ID: 2, Kind: organisation.Partner, Country: "UG"}
	p := &Partnership{Name: "Kalix – Masaka", ThemeSV: "Miljö", Start: clock.Date(2021, 1, 1), Status: Active,
		Swedish: []organisation.Organisation{kalix}, Partners: []organisation.Organisation{masaka}, Targets: []string{"12.5", "4.7", "12.5"}}
	p.Normalize()
	if errs := p.Validate(); len(errs) != 0 {
		t.Fatalf("valid: %v", errs)
	}
	if len(p.Targets) != 2 || p.Targets[0] != "4.7" || len(p.Goals) != 2 || p.Goals[1] != 12 {
		t.Errorf("normalised targets %v goals %v", p.Targets, p.Goals)
	}
	p.Swedish = nil
	if got := p.Validate()["swedish"]; got != "error.partnership.no_swedish" {
		t.Errorf("no Swedish member: %q", got)
	}
	p.Swedish = []organisation.Organisation{kalix}
	p.Targets = []string{"18.1"}
	if got := p.Validate()["targets"]; got != "error.invalid_choice" {
		t.Errorf("unknown target: %q", got)
	}
}

func TestFilterYear(t *testing.T) {
	p := &Partnership{Start: clock.Date(2019, 7, 1), End: clock.Date(2022, 7, 31)}
	for year, want := range map[int]bool{2018: false, 2019: true, 2022: true, 2023: false} {
		if got := (Filter{Year: year}).Match(p); got != want {
			t.Errorf("year %d: %v, want %v", year, got, want)
		}
	}
}
