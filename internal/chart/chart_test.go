package chart

import (
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// node is an element of a decoded SVG, enough to check its structure.
type node struct {
	Name  string
	Attr  map[string]string
	Text  string
	Kids  []*node
	Outer *node
}

// parse decodes s as XML, failing the test when it is not well formed,
// and returns the root element.
func parse(t *testing.T, s string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var root, cur *node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Name: tok.Name.Local, Attr: map[string]string{}, Outer: cur}
			for _, a := range tok.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			if cur == nil {
				if root != nil {
					t.Fatalf("two root elements in\n%s", s)
				}
				root = n
			} else {
				cur.Kids = append(cur.Kids, n)
			}
			cur = n
		case xml.EndElement:
			cur = cur.Outer
		case xml.CharData:
			if cur != nil {
				cur.Text += string(tok)
			}
		}
	}
	if root == nil {
		t.Fatalf("no element in %q", s)
	}
	return root
}

// all returns the elements named name under n, in document order.
func (n *node) all(name string) []*node {
	var out []*node
	for _, k := range n.Kids {
		if k.Name == name {
			out = append(out, k)
		}
		out = append(out, k.all(name)...)
	}
	return out
}

func sample(bars ...Bar) Chart {
	return Chart{ID: "money-goal", Title: "Pengar per mål", Lang: "sv", Unit: Money, Bars: bars,
		Empty: "Inga bidrag ännu.", LabelHeading: "Mål", ValueHeading: "Beviljat"}
}

func TestSVGStructure(t *testing.T) {
	c := sample(
		Bar{Label: "Ingen fattigdom", Value: 30_000_000, Color: "#E5243B"},
		Bar{Label: "Hållbar energi för alla", Value: 60_000_000, Color: "#FCC30B"},
		Bar{Label: "Fredliga och inkluderande samhällen", Value: 1_800_000_00},
	)
	svg := parse(t, string(c.SVG()))
	if svg.Name != "svg" || svg.Attr["role"] != "img" || svg.Attr["aria-labelledby"] != "money-goal-title money-goal-desc" {
		t.Fatalf("root: %s %v", svg.Name, svg.Attr)
	}
	if !regexp.MustCompile(`^0 0 \d+ \d+$`).MatchString(svg.Attr["viewBox"]) {
		t.Errorf("viewBox %q", svg.Attr["viewBox"])
	}
	titles := svg.all("title")
	if len(titles) == 0 || titles[0].Attr["id"] != "money-goal-title" || titles[0].Text != "Pengar per mål" {
		t.Errorf("title: %+v", titles)
	}
	desc := svg.all("desc")
	want := "Ingen fattigdom: 300\u00a0000\u00a0kr; Hållbar energi för alla: 600\u00a0000\u00a0kr; Fredliga och inkluderande samhällen: 1\u00a0800\u00a0000\u00a0kr."
	if len(desc) != 1 || desc[0].Attr["id"] != "money-goal-desc" || desc[0].Text != want {
		t.Errorf("desc: %+v, want %q", desc, want)
	}
	rects := svg.all("rect")
	if len(rects) != 3 {
		t.Fatalf("%d bars, want 3", len(rects))
	}
	// The widest bar is the largest value; the others in proportion.
	w := func(i int) float64 {
		f, err := strconv.ParseFloat(rects[i].Attr["width"], 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	if !(w(2) > w(1) && w(1) > w(0)) || math.Abs(w(1)/w(2)-1.0/3) > 0.01 || math.Abs(w(0)/w(2)-1.0/6) > 0.01 {
		t.Errorf("bar widths %v %v %v not in proportion to 1:2:6", w(0), w(1), w(2))
	}
	if rects[0].Attr["fill"] != "#E5243B" || rects[2].Attr["fill"] != Default {
		t.Errorf("fills %q %q", rects[0].Attr["fill"], rects[2].Attr["fill"])
	}
	for _, r := range rects {
		if r.Attr["class"] != "chart-bar" || r.Attr["style"] != "" || r.Attr["stroke"] == "" {
			t.Errorf("bar attributes %v: want class chart-bar, an outline, no style", r.Attr)
		}
		x, _ := strconv.ParseFloat(r.Attr["width"], 64)
		if x > 480 {
			t.Errorf("bar %v wider than the chart", r.Attr)
		}
	}
	// Every bar's label and value are text, not colour alone.
	var texts []string
	for _, tx := range svg.all("text") {
		texts = append(texts, tx.Text)
		if tx.Attr["fill"] != "currentColor" || !strings.Contains(tx.Attr["class"], "chart-text") {
			t.Errorf("text %q: fill %q class %q", tx.Text, tx.Attr["fill"], tx.Attr["class"])
		}
		if _, err := strconv.Atoi(tx.Attr["font-size"]); err != nil {
			t.Errorf("text %q: font-size %q is not in user units", tx.Text, tx.Attr["font-size"])
		}
	}
	for _, s := range []string{"Ingen fattigdom", "300\u00a0000\u00a0kr", "Hållbar energi för alla", "600\u00a0000\u00a0kr", "1\u00a0800\u00a0000\u00a0kr"} {
		if !strings.Contains(strings.Join(texts, "|"), s) {
			t.Errorf("no text %q in %q", s, texts)
		}
	}
	if len(svg.all("line")) != 1 {
		t.Error("no axis")
	}
}

func TestEscaping(t *testing.T) {
	evil := `<script>alert("x")</script> & 'Ö'`
	c := sample(Bar{Label: evil, Value: 100})
	c.Title = `Titel <b>&</b>`
	c.ID = `x" onload="alert(1)`
	for name, out := range map[string]string{"svg": string(c.SVG()), "table": string(c.Table())} {
		if strings.Contains(out, "<script") || strings.Contains(out, "<b>") || strings.Contains(out, `onload="`) {
			t.Errorf("%s: unescaped input in\n%s", name, out)
		}
		root := parse(t, out)
		found := false
		var walk func(n *node)
		walk = func(n *node) {
			if strings.Contains(n.Text, evil) {
				found = true
			}
			for _, k := range n.Kids {
				walk(k)
			}
		}
		walk(root)
		if !found {
			t.Errorf("%s: the label does not read back as typed", name)
		}
	}
	if id := parse(t, string(c.SVG())).all("title")[0].Attr["id"]; !regexp.MustCompile(`^[a-z][a-z0-9-]*$`).MatchString(id) {
		t.Errorf("unsafe id %q", id)
	}
}

func TestNoBars(t *testing.T) {
	c := sample()
	svg := parse(t, string(c.SVG()))
	if len(svg.all("rect")) != 0 || svg.all("desc")[0].Text != "Inga bidrag ännu." {
		t.Errorf("empty chart: %s", c.SVG())
	}
	if c.Table() != "" {
		t.Errorf("empty table: %s", c.Table())
	}
	if got := string(c.Figure()); got != `<p class="chart-empty">Inga bidrag ännu.</p>` {
		t.Errorf("empty figure: %s", got)
	}
}

func TestZeroAndNegativeValues(t *testing.T) {
	c := sample(Bar{Label: "Noll", Value: 0}, Bar{Label: "Minus", Value: -5}, Bar{Label: "Lite", Value: 1}, Bar{Label: "Mycket", Value: 1_000_000_000})
	svg := parse(t, string(c.SVG()))
	rects := svg.all("rect")
	if len(rects) != 2 {
		t.Fatalf("%d bars, want 2 (zero and negative draw none)", len(rects))
	}
	if rects[0].Attr["width"] != "1" {
		t.Errorf("a tiny value's bar is %q wide, want 1 so it shows", rects[0].Attr["width"])
	}
	if !strings.Contains(svg.all("desc")[0].Text, "Minus: 0\u00a0kr") {
		t.Errorf("a negative value reads %q", svg.all("desc")[0].Text)
	}
}

func TestAllZero(t *testing.T) {
	c := sample(Bar{Label: "a", Value: 0}, Bar{Label: "b", Value: 0})
	svg := parse(t, string(c.SVG()))
	if len(svg.all("rect")) != 0 || strings.Contains(string(c.SVG()), "NaN") {
		t.Errorf("all-zero chart: %s", c.SVG())
	}
}

func TestHugeValues(t *testing.T) {
	c := sample(Bar{Label: "Störst", Value: math.MaxInt64}, Bar{Label: "Också stor", Value: math.MaxInt64 - 1}, Bar{Label: "Liten", Value: 1})
	c.TotalLabel = "Totalt"
	out := string(c.SVG())
	svg := parse(t, out)
	for _, r := range svg.all("rect") {
		w, err := strconv.ParseFloat(r.Attr["width"], 64)
		if err != nil || w <= 0 || w > 480 {
			t.Errorf("bar width %q", r.Attr["width"])
		}
	}
	if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") || strings.Contains(out, "e+") {
		t.Errorf("unreadable numbers in\n%s", out)
	}
	if c.Total() != math.MaxInt64 {
		t.Errorf("total %d, want it to saturate", c.Total())
	}
	// The longest value still fits: the bar leaves room for it.
	texts := svg.all("text")
	value := texts[1].Text
	x, _ := strconv.ParseFloat(texts[1].Attr["x"], 64)
	if end := x + float64(len([]rune(value)))*valueSize*0.55; end > 480 {
		t.Errorf("value %q runs to %v, past the edge", value, end)
	}
	parse(t, string(c.Table()))
}

func TestLongLabel(t *testing.T) {
	long := strings.Repeat("Kommunikationsstöd ", 10)
	c := sample(Bar{Label: "Goal 12: Responsible consumption and production", Value: 5}, Bar{Label: long, Value: 5})
	svg := parse(t, string(c.SVG()))
	lines := func(tx *node) []string {
		out := []string{tx.Text}
		for _, k := range tx.all("tspan") {
			out = append(out, k.Text)
		}
		return out
	}
	texts := svg.all("text")
	if got := lines(texts[0]); !reflect.DeepEqual(got, []string{"Goal 12: Responsible consumption and", "production"}) {
		t.Errorf("a label of two lines is drawn as %q", got)
	}
	got := lines(texts[2])
	if len(got) != 2 || !strings.HasSuffix(got[1], "…") {
		t.Errorf("a long label is drawn as %q, want two lines ending in …", got)
	}
	if svg.all("title")[2].Text != long+": 0,05\u00a0kr" {
		t.Errorf("the bar's own title %q, want the whole label", svg.all("title")[2].Text)
	}
	// The second row starts below the two lines of the first.
	y0, _ := strconv.Atoi(svg.all("rect")[0].Attr["y"])
	y1, _ := strconv.Atoi(texts[2].Attr["y"])
	if y1 <= y0+barHeight {
		t.Errorf("second label at y=%d overlaps the first bar at y=%d", y1, y0)
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want []string
	}{
		{"", 10, []string{""}},
		{"Media", 10, []string{"Media"}},
		{"God utbildning för alla", 10, []string{"God", "utbildnin…"}},
		{"Rent vatten", 11, []string{"Rent vatten"}},
		{"Rent vatten och sanitet", 11, []string{"Rent vatten", "och sanitet"}},
		{"Rent vatten och sanitet för alla", 11, []string{"Rent vatten", "och sanite…"}},
		{"Kommunikationsstöd", 8, []string{"Kommunik", "ationss…"}},
		{"  mellan   rum  ", 20, []string{"mellan rum"}},
	}
	for _, tt := range tests {
		if got := wrap(tt.in, tt.n, 2); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		unit Unit
		lang string
		v    int64
		want string
	}{
		{Count, "sv", 0, "0"},
		{Count, "sv", 999, "999"},
		{Count, "sv", 4300, "4\u00a0300"},
		{Count, "sv", 10_600_000, "10\u00a0600\u00a0000"},
		{Count, "en", 10_600_000, "10,600,000"},
		{Count, "sv", -1200, "−1\u00a0200"},
		{Money, "sv", 180_000_000, "1\u00a0800\u00a0000\u00a0kr"},
		{Money, "en", 180_000_000, "SEK\u00a01,800,000"},
		{Count, "en", math.MaxInt64, "9,223,372,036,854,775,807"},
	}
	for _, tt := range tests {
		if got := (Chart{Unit: tt.unit, Lang: tt.lang}).Format(tt.v); got != tt.want {
			t.Errorf("Format(%d, %s) = %q, want %q", tt.v, tt.lang, got, tt.want)
		}
	}
}

func TestTable(t *testing.T) {
	c := sample(Bar{Label: "2021", Value: 180_000_000}, Bar{Label: "2026", Value: 45_000_000})
	c.TotalLabel = "Totalt"
	root := parse(t, string(c.Table()))
	if root.Name != "div" || root.Attr["role"] != "region" || root.Attr["tabindex"] != "0" || root.Attr["aria-labelledby"] != "money-goal-caption" {
		t.Errorf("wrapper %v", root.Attr)
	}
	if cap := root.all("caption"); len(cap) != 1 || cap[0].Attr["id"] != "money-goal-caption" || cap[0].Text != "Pengar per mål" {
		t.Errorf("caption %+v", cap)
	}
	var rows []string
	for _, tr := range root.all("tr") {
		var cells []string
		for _, k := range tr.Kids {
			cells = append(cells, k.Text)
		}
		rows = append(rows, strings.Join(cells, " | "))
	}
	want := []string{"Mål | Beviljat", "2021 | 1\u00a0800\u00a0000\u00a0kr", "2026 | 450\u00a0000\u00a0kr", "Totalt | 2\u00a0250\u00a0000\u00a0kr"}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	fig := string(c.Figure())
	parse(t, fig)
	if !strings.Contains(fig, "<svg") || !strings.Contains(fig, "<table") {
		t.Errorf("figure lacks the chart or the table: %s", fig)
	}
}

// TestGolden keeps a small chart's exact drawing, so a change to the
// layout is seen in review (go test ./internal/chart -update rewrites it).
func TestGolden(t *testing.T) {
	c := Chart{ID: "reach-group", Title: "People reached per target group", Lang: "en", Unit: Count,
		Bars:  []Bar{{Label: "Citizens", Value: 4300}, {Label: "School pupils", Value: 670}, {Label: "Media", Value: 9}},
		Empty: "No activities yet.", LabelHeading: "Target group", ValueHeading: "People reached", TotalLabel: "Total"}
	got := string(c.SVG()) + "\n" + string(c.Table()) + "\n"
	path := filepath.Join("testdata", "reach.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("drawing changed; run go test ./internal/chart -update and review the diff\ngot:\n%s\nwant:\n%s", got, want)
	}
}
