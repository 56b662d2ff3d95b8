// Package sdg is the catalogue of the 17 global goals of Agenda 2030 and
// their 169 targets: reference data, embedded in the binary.
//
// Goals carry the official Swedish and English titles and the UN colours.
// Targets carry the official English text; their Swedish short titles are
// the project's own, unofficial wording (no openly licensed Swedish target
// list exists), and pages say so.
package sdg

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

//go:embed data/sdg.json
var sdgJSON []byte

//go:embed data/targets-sv.tsv
var targetsSV []byte

// Goal is one of the 17 global goals.
type Goal struct {
	Number  int
	Color   string // official UN colour, e.g. "#BF8B2E"
	Short   Text   // the name printed on the goal's icon
	Title   Text   // the official long title
	Targets []*Target
}

// Target is one of a goal's targets, e.g. "12.5".
type Target struct {
	Code    string
	Goal    int
	TitleEN string // official English text
	ShortSV string // the project's unofficial Swedish short title
}

// Text holds a string in Swedish and English.
type Text struct {
	SV string `json:"sv"`
	EN string `json:"en"`
}

// In returns the text in lang ("sv" or "en").
func (t Text) In(lang string) string {
	if lang == "en" {
		return t.EN
	}
	return t.SV
}

// Catalogue holds the goals and an index of the targets.
type Catalogue struct {
	goals   []*Goal
	targets map[string]*Target
}

var std = mustLoad()

// Goals returns the 17 goals in order.
func Goals() []*Goal { return std.goals }

// GoalByNumber returns goal n (1–17), or nil.
func GoalByNumber(n int) *Goal {
	if n < 1 || n > len(std.goals) {
		return nil
	}
	return std.goals[n-1]
}

// TargetByCode returns the target with code (e.g. "17.17"), or nil.
func TargetByCode(code string) *Target { return std.targets[code] }

// GoalOf returns the goal number a target code belongs to ("3.d" → 3), or 0.
func GoalOf(code string) int {
	if t := std.targets[code]; t != nil {
		return t.Goal
	}
	return 0
}

// SortTargets orders target codes as the UN lists them: by goal, numeric
// targets before lettered ones (1.5 before 1.a, 17.9 before 17.10).
func SortTargets(codes []string) {
	sort.SliceStable(codes, func(i, j int) bool { return targetLess(codes[i], codes[j]) })
}

func targetLess(a, b string) bool {
	ga, ta, _ := strings.Cut(a, ".")
	gb, tb, _ := strings.Cut(b, ".")
	na, _ := strconv.Atoi(ga)
	nb, _ := strconv.Atoi(gb)
	if na != nb {
		return na < nb
	}
	ia, errA := strconv.Atoi(ta)
	ib, errB := strconv.Atoi(tb)
	switch {
	case errA == nil && errB == nil:
		return ia < ib
	case errA == nil:
		return true
	case errB == nil:
		return false
	}
	return ta < tb
}

func mustLoad() *Catalogue {
	c, err := load(sdgJSON, targetsSV)
	if err != nil {
		panic("sdg: " + err.Error())
	}
	return c
}

func load(jsonData, tsv []byte) (*Catalogue, error) {
	var raw struct {
		Goals []struct {
			Number  int    `json:"number"`
			Color   string `json:"color"`
			Short   Text   `json:"short"`
			Title   Text   `json:"title"`
			Targets []struct {
				Code  string `json:"code"`
				Title Text   `json:"title"`
			} `json:"targets"`
		} `json:"goals"`
	}
	if err := json.Unmarshal(jsonData, &raw); err != nil {
		return nil, err
	}
	sv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	for first := true; sc.Scan(); first = false {
		if first {
			continue // header
		}
		code, title, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return nil, fmt.Errorf("targets-sv.tsv: bad line %q", sc.Text())
		}
		sv[code] = title
	}
	c := &Catalogue{targets: map[string]*Target{}}
	for i, g := range raw.Goals {
		if g.Number != i+1 {
			return nil, fmt.Errorf("goal %d out of order", g.Number)
		}
		goal := &Goal{Number: g.Number, Color: g.Color, Short: g.Short, Title: g.Title}
		for _, t := range g.Targets {
			if sv[t.Code] == "" {
				return nil, fmt.Errorf("target %s has no Swedish short title", t.Code)
			}
			tg := &Target{Code: t.Code, Goal: g.Number, TitleEN: t.Title.EN, ShortSV: sv[t.Code]}
			goal.Targets = append(goal.Targets, tg)
			c.targets[t.Code] = tg
		}
		c.goals = append(c.goals, goal)
	}
	return c, nil
}
