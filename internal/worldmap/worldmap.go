// Package worldmap draws a world map of countries as a server-rendered SVG,
// from the embedded Natural Earth 1:110m GeoJSON (see README.md), in an
// equirectangular projection, with some countries highlighted.
package worldmap

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/icld/partnerskap/internal/country"
)

//go:embed world-110m.geojson
var geojson []byte

// Colours: Land is the fill of other countries, Highlight that of the
// highlighted ones. Highlight has a contrast of over 10:1 against the white
// page and over 6:1 against Land (WCAG non-text contrast needs 3:1).
const (
	Land      = "#c9d1d9"
	Highlight = "#00466e"
	border    = "#ffffff"
)

// The projected area: longitude -180…180 and latitude north of -60 (no
// Antarctica), one unit a degree.
const (
	top    = 84.0
	bottom = -60.0
)

type shape struct {
	code string // ISO alpha-2, "" for shapes without one
	path string // SVG path data, coordinates in tenths of a degree rounded
}

var (
	once   sync.Once
	shapes []shape
	codes  map[string]bool
)

type featureCollection struct {
	Features []struct {
		Properties struct {
			ISOA2 *string `json:"iso_a2"`
		} `json:"properties"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func load() {
	var fc featureCollection
	if err := json.Unmarshal(geojson, &fc); err != nil {
		panic("worldmap: " + err.Error())
	}
	codes = map[string]bool{}
	for _, f := range fc.Features {
		code := ""
		if f.Properties.ISOA2 != nil {
			code = *f.Properties.ISOA2
		}
		if code == "AQ" {
			continue
		}
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				panic("worldmap: " + err.Error())
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				panic("worldmap: " + err.Error())
			}
		default:
			continue
		}
		d := pathData(polys)
		if d == "" {
			continue
		}
		shapes = append(shapes, shape{code: code, path: d})
		if code != "" {
			codes[code] = true
		}
	}
}

// pathData writes the rings as SVG path data: an absolute move to the first
// point, then relative lines, all in units of 0.1 degree rounded, so that
// the output has one decimal and no rounding drift.
func pathData(polys [][][][2]float64) string {
	var b strings.Builder
	for _, poly := range polys {
		for _, whole := range poly {
			for _, ring := range cutAtAntimeridian(whole) {
				writeRing(&b, ring)
			}
		}
	}
	return b.String()
}

// cutAtAntimeridian returns a ring (longitude, latitude) as pieces that lie
// within longitude -180…180 and never jump across the map. A ring that
// crosses the 180th meridian (Russia's Chukotka, Fiji, Wrangel Island)
// comes from the data with longitudes that leap from 180 to -180; it is
// first made continuous (a longitude may then pass 180 or -180) and then
// cut at the meridian, the part beyond it moved by 360 degrees to the
// other edge of the map. Without this the leap is drawn as a band across
// the whole width.
func cutAtAntimeridian(ring [][2]float64) [][][2]float64 {
	if len(ring) > 1 && ring[0] == ring[len(ring)-1] {
		ring = ring[:len(ring)-1]
	}
	if len(ring) < 3 {
		return nil
	}
	un := make([][2]float64, len(ring))
	un[0] = ring[0]
	shift, lo, hi := 0.0, ring[0][0], ring[0][0]
	for i := 1; i < len(ring); i++ {
		switch d := ring[i][0] - ring[i-1][0]; {
		case d > 180:
			shift -= 360
		case d < -180:
			shift += 360
		}
		un[i] = [2]float64{ring[i][0] + shift, ring[i][1]}
		lo, hi = min(lo, un[i][0]), max(hi, un[i][0])
	}
	// A ring that goes round the pole does not close when made continuous
	// (only Antarctica, which is not drawn); it is kept as it was.
	switch back := ring[0][0] - ring[len(ring)-1][0]; {
	case back > 180:
		shift -= 360
	case back < -180:
		shift += 360
	}
	if shift != 0 {
		return [][][2]float64{ring}
	}
	if lo >= -180 && hi <= 180 {
		return [][][2]float64{un}
	}
	var out [][][2]float64
	for _, by := range []float64{-360, 0, 360} {
		if hi+by <= -180 || lo+by >= 180 {
			continue
		}
		moved := make([][2]float64, len(un))
		for i, p := range un {
			moved[i] = [2]float64{p[0] + by, p[1]}
		}
		piece := clip(clip(moved, -180, false), 180, true)
		if len(piece) >= 3 {
			out = append(out, piece)
		}
	}
	return out
}

// clip cuts a closed ring at the meridian x (Sutherland–Hodgman): it keeps
// the part east of x, or west of it when west is true. A concave ring cut
// into several parts stays one ring, its parts joined along the meridian,
// which is the edge of the map.
func clip(ring [][2]float64, x float64, west bool) [][2]float64 {
	inside := func(p [2]float64) bool {
		if west {
			return p[0] <= x
		}
		return p[0] >= x
	}
	var out [][2]float64
	for i, cur := range ring {
		prev := ring[(i+len(ring)-1)%len(ring)]
		if inside(cur) != inside(prev) {
			t := (x - prev[0]) / (cur[0] - prev[0])
			out = append(out, [2]float64{x, prev[1] + t*(cur[1]-prev[1])})
		}
		if inside(cur) {
			out = append(out, cur)
		}
	}
	return out
}

// writeRing writes one closed ring as SVG path data.
func writeRing(b *strings.Builder, ring [][2]float64) {
	var pts [][2]int
	for _, c := range ring {
		lat := max(c[1], bottom)
		p := [2]int{int(math.Round((c[0] + 180) * 10)), int(math.Round((top - lat) * 10))}
		if n := len(pts); n > 0 && pts[n-1] == p {
			continue
		}
		pts = append(pts, p)
	}
	if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	if len(pts) < 3 {
		return
	}
	b.WriteByte('M')
	b.WriteString(tenths(pts[0][0]))
	b.WriteByte(' ')
	b.WriteString(tenths(pts[0][1]))
	b.WriteByte('l')
	for i := 1; i < len(pts); i++ {
		if i > 1 {
			b.WriteByte(' ')
		}
		b.WriteString(tenths(pts[i][0] - pts[i-1][0]))
		b.WriteByte(' ')
		b.WriteString(tenths(pts[i][1] - pts[i-1][1]))
	}
	b.WriteByte('z')
}

// tenths formats n/10 with at most one decimal: 12 → "1.2", 10 → "1", -3 → "-0.3".
func tenths(n int) string {
	s := strconv.FormatFloat(float64(n)/10, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// HasShape reports whether the country with ISO alpha-2 code has a shape
// on the map.
func HasShape(code string) bool {
	once.Do(load)
	return codes[strings.ToUpper(code)]
}

// Missing returns the codes in highlight that have no shape on the map, in
// the given order.
func Missing(highlight []string) []string {
	var out []string
	for _, c := range highlight {
		if !HasShape(c) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// SVG returns the map as an inline SVG element with role="img", the given
// title and a description in lang ("sv" or "en") that names the highlighted
// countries and those too small to be drawn. It scales to its container.
func SVG(highlight []string, lang, title string) template.HTML {
	once.Do(load)
	hi := map[string]bool{}
	for _, c := range highlight {
		hi[strings.ToUpper(c)] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" viewBox="0 0 360 %s" width="100%%" role="img" aria-labelledby="worldmap-title worldmap-desc">`,
		tenths(int((top-bottom)*10)))
	b.WriteString(`<title id="worldmap-title">`)
	b.WriteString(template.HTMLEscapeString(title))
	b.WriteString(`</title><desc id="worldmap-desc">`)
	b.WriteString(template.HTMLEscapeString(Description(highlight, lang)))
	b.WriteString(`</desc>`)
	fmt.Fprintf(&b, `<g fill="%s" stroke="%s" stroke-width="0.2" stroke-linejoin="round">`, Land, border)
	// Highlighted countries last, so their outlines are drawn on top.
	for _, pass := range []bool{false, true} {
		for _, s := range shapes {
			if hi[s.code] != pass {
				continue
			}
			b.WriteString(`<path`)
			if pass {
				fmt.Fprintf(&b, ` class="worldmap-hi" fill="%s" data-country="%s"`, Highlight, s.code)
			}
			b.WriteString(` d="`)
			b.WriteString(s.path)
			b.WriteString(`"/>`)
		}
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// Description says in lang which countries are highlighted and which of
// them are too small to be drawn at this scale.
func Description(highlight []string, lang string) string {
	var shown, missing, seen []string
	for _, c := range highlight {
		c = strings.ToUpper(c)
		if slices.Contains(seen, c) {
			continue
		}
		seen = append(seen, c)
		name := country.Name(c, lang)
		if HasShape(c) {
			shown = append(shown, name)
		} else {
			missing = append(missing, name)
		}
	}
	var parts []string
	if lang == "en" {
		parts = append(parts, "World map.")
		if len(shown) > 0 {
			parts = append(parts, "Highlighted: "+strings.Join(shown, ", ")+".")
		}
		if len(missing) > 0 {
			parts = append(parts, "Too small to be shown at this scale: "+strings.Join(missing, ", ")+".")
		}
	} else {
		parts = append(parts, "Världskarta.")
		if len(shown) > 0 {
			parts = append(parts, "Markerade: "+strings.Join(shown, ", ")+".")
		}
		if len(missing) > 0 {
			parts = append(parts, "För små för att synas i den här skalan: "+strings.Join(missing, ", ")+".")
		}
	}
	return strings.Join(parts, " ")
}
