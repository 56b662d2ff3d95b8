package worldmap

import (
	"encoding/xml"
	"io"
	"math"
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
