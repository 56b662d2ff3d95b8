package clock

import (
	"testing"
	"time"
)

func TestParseLocal(t *testing.T) {
	for in, want := range map[string]string{
		"2021-03-15 12:00":    "2021-03-15T11:00:00Z", // CET
		"2021-07-01T09:30":    "2021-07-01T07:30:00Z", // CEST
		"2021-12-31T23:59:59": "2021-12-31T22:59:59Z",
	} {
		got, err := ParseLocal(in)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("ParseLocal(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := ParseLocal("15/03/2021"); err == nil {
		t.Error("15/03/2021 accepted")
	}
}

func TestToday(t *testing.T) {
	// 23:30 UTC on 31 December is already New Year's Day in Stockholm.
	got := Today(time.Date(2021, 12, 31, 23, 30, 0, 0, time.UTC))
	if !got.Equal(Date(2022, 1, 1)) {
		t.Errorf("Today = %v", got)
	}
}
