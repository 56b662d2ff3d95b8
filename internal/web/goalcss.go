package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/icld/partnerskap/internal/sdg"
)

// goalsStylesheet is goals.css: a class per goal with the UN colour. It is
// a stylesheet, not inline styles, because the Content-Security-Policy
// allows none. The text colour is white or near-black, whichever reaches
// the higher contrast (WCAG 2.1 AA needs 4.5:1; some UN colours, like goal
// 7's yellow, fail with white). assets.go serves it with the embedded
// files.
var goalsStylesheet = sync.OnceValue(func() string {
	var b strings.Builder
	for _, g := range sdg.Goals() {
		text := "#ffffff"
		if contrast(g.Color, "#ffffff") < contrast(g.Color, "#1a1a1a") {
			text = "#1a1a1a"
		}
		fmt.Fprintf(&b, ".goal-%d{background:%s;color:%s}\n", g.Number, g.Color, text)
		fmt.Fprintf(&b, ".goal-border-%d{border-color:%s}\n", g.Number, g.Color)
	}
	return b.String()
})

// contrast returns the WCAG contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	v, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	ch := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(v>>16&0xff) + 0.7152*ch(v>>8&0xff) + 0.0722*ch(v&0xff)
}
