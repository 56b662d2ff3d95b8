package worldmap

import (
	"encoding/xml"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestSVG(t *testing.T) {
	svg := string(SVG([]string{"UG", "MT"}, "en", "Map of the partner countries"))
	d := xml.NewDecoder(strings.NewReader(svg))
	var hi []string
	var root, title, desc string
	var paths int
	var in string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			in = e.Name.Local
			if root == "" {
				root = e.Name.Local
				attrs := map[string]string{}
				for _, a := range e.Attr {
					attrs[a.Name.Local] = a.Value
				}
				if attrs["role"] != "img" || attrs["viewBox"] == "" || attrs["width"] != "100%" {
					t.Errorf("svg attributes %v: want role=img, a viewBox and width 100%%", attrs)
				}
			}
			if e.Name.Local == "path" {
				paths++
				for _, a := range e.Attr {
					if a.Name.Local == "data-country" {
						hi = append(hi, a.Value)
					}
					if a.Name.Local == "style" {
						t.Error("a path has an inline style")
					}
				}
			}
		case xml.CharData:
			switch in {
			case "title":
				title += string(e)
			case "desc":
				desc += string(e)
			}
		case xml.EndElement:
			in = ""
		}
	}
	if root != "svg" {
		t.Errorf("root element %q", root)
	}
	if paths < 170 {
		t.Errorf("%d paths, want a shape per country (176 without Antarctica)", paths)
	}
	if len(hi) != 1 || hi[0] != "UG" {
		t.Errorf("highlighted %v, want [UG]", hi)
	}
	if title != "Map of the partner countries" {
		t.Errorf("title %q", title)
	}
	if !strings.Contains(desc, "Highlighted: Uganda.") || !strings.Contains(desc, "Too small to be shown at this scale: Malta.") {
		t.Errorf("desc %q: want Uganda highlighted and Malta reported as too small", desc)
	}
	if len(svg) > 150_000 {
		t.Errorf("the SVG is %d bytes, want under 150 KB", len(svg))
	}
	t.Logf("SVG size: %d bytes", len(svg))
}

func TestShapes(t *testing.T) {
	for _, c := range []string{"XK", "UG", "SE", "ke", "TZ"} {
		if !HasShape(c) {
			t.Errorf("%s has no shape", c)
		}
	}
	for _, c := range []string{"MT", "SG", "AQ"} {
		if HasShape(c) {
			t.Errorf("%s has a shape", c)
		}
	}
	if got := Missing([]string{"UG", "MT", "XK", "MT"}); len(got) != 1 || got[0] != "MT" {
		t.Errorf("Missing = %v, want [MT]", got)
	}
	if got := Description([]string{"XK", "MV"}, "sv"); !strings.Contains(got, "Markerade: Kosovo.") || !strings.Contains(got, "För små för att synas i den här skalan: Maldiverna.") {
		t.Errorf("sv description %q", got)
	}
}

// TestContrast checks the WCAG non-text contrast (3:1) of the highlight
// against the white page and against the other countries.
func TestContrast(t *testing.T) {
	if r := contrast(Highlight, "#ffffff"); r < 3 {
		t.Errorf("highlight on white: %.2f:1", r)
	}
	if r := contrast(Highlight, Land); r < 3 {
		t.Errorf("highlight against other land: %.2f:1", r)
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

// TestAntimeridian checks that no shape is drawn across the whole width:
// a country that crosses the 180th meridian (Russia, Fiji) is cut there,
// its pieces drawn at both edges, and no line of any path jumps more than
// half the map's width or leaves the map.
func TestAntimeridian(t *testing.T) {
	svg := string(SVG([]string{"RU", "FJ"}, "en", "Map"))
	d := xml.NewDecoder(strings.NewReader(svg))
	xs := map[string][]float64{} // highlighted country → its x coordinates
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Local != "path" {
			continue
		}
		var code, data string
		for _, a := range e.Attr {
			switch a.Name.Local {
			case "data-country":
				code = a.Value
			case "d":
				data = a.Value
			}
		}
		for _, ring := range parsePath(t, data) {
			for i, p := range ring {
				q := ring[(i+1)%len(ring)]
				if math.Abs(q[0]-p[0]) > 180 {
					t.Errorf("path %q: a line from x=%g to x=%g, over half the map's width", code, p[0], q[0])
				}
				if p[0] < 0 || p[0] > 360 || p[1] < 0 || p[1] > top-bottom {
					t.Errorf("path %q: point %v outside the map", code, p)
				}
				if code != "" {
					xs[code] = append(xs[code], p[0])
				}
			}
		}
	}
	// Both have land on each side of the meridian: at both edges of the map.
	for _, c := range []string{"RU", "FJ"} {
		lo, hi := slices.Min(xs[c]), slices.Max(xs[c])
		if lo > 1 || hi < 359 {
			t.Errorf("%s spans x %g…%g, want pieces at both edges (0 and 360)", c, lo, hi)
		}
	}
}

// parsePath reads path data as pathData writes it ("M x y l dx dy … z",
// repeated) into rings of absolute points.
func parsePath(t *testing.T, d string) [][][2]float64 {
	t.Helper()
	var rings [][][2]float64
	for _, sub := range strings.Split(d, "z") {
		sub = strings.TrimSpace(sub)
		if sub == "" {
			continue
		}
		m, rel, ok := strings.Cut(strings.TrimPrefix(sub, "M"), "l")
		if !strings.HasPrefix(sub, "M") || !ok {
			t.Fatalf("path data %q: want M…l…z", sub)
		}
		// In tenths of a degree, as written, so that no rounding drifts.
		num := func(s string) int {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("path data %q: %v", sub, err)
			}
			return int(math.Round(v * 10))
		}
		start := strings.Fields(m)
		x, y := num(start[0]), num(start[1])
		ring := [][2]float64{{float64(x) / 10, float64(y) / 10}}
		f := strings.Fields(rel)
		for i := 0; i+1 < len(f); i += 2 {
			x, y = x+num(f[i]), y+num(f[i+1])
			ring = append(ring, [2]float64{float64(x) / 10, float64(y) / 10})
		}
		rings = append(rings, ring)
	}
	return rings
}
