package sdg

import (
	"slices"
	"testing"
)

func TestCatalogue(t *testing.T) {
	if got := len(Goals()); got != 17 {
		t.Fatalf("goals: got %d, want 17", got)
	}
	n := 0
	for _, g := range Goals() {
		n += len(g.Targets)
		if g.Short.SV == "" || g.Short.EN == "" || g.Title.SV == "" || g.Title.EN == "" {
			t.Errorf("goal %d lacks a title", g.Number)
		}
		if len(g.Color) != 7 || g.Color[0] != '#' {
			t.Errorf("goal %d colour %q", g.Number, g.Color)
		}
		for _, tg := range g.Targets {
			if tg.ShortSV == "" || tg.TitleEN == "" {
				t.Errorf("target %s lacks a title", tg.Code)
			}
		}
	}
	if n != 169 {
		t.Errorf("targets: got %d, want 169", n)
	}
	if g := GoalByNumber(12); g.Short.SV != "Hållbar konsumtion och produktion" {
		t.Errorf("goal 12 sv = %q", g.Short.SV)
	}
	if GoalByNumber(18) != nil || GoalByNumber(0) != nil {
		t.Error("goal 0 or 18 exists")
	}
	if GoalOf("3.d") != 3 || GoalOf("17.17") != 17 || GoalOf("18.1") != 0 {
		t.Error("GoalOf wrong")
	}
}

func TestSortTargets(t *testing.T) {
	got := []string{"17.10", "1.a", "17.9", "1.5", "3.d", "3.1"}
	SortTargets(got)
	want := []string{"1.5", "1.a", "3.1", "3.d", "17.9", "17.10"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
