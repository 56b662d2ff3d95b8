package web_test

import (
	"regexp"
	"strconv"
	"testing"
)

func TestPartnershipMap(t *testing.T) {
	e := newEnv(t, "http://localhost")
	kalix := strconv.FormatInt(e.partnershipID("Kalix – Masaka"), 10)
	c := e.client()
	res := e.get(c, "/partnerskap/"+kalix)
	if res.status != 200 {
		t.Fatalf("status %d", res.status)
	}
	wantContains(t, "sv map", res.body, `<h2 id="map-heading">Karta</h2>`, `role="img"`,
		`<title id="worldmap-title">Partnerländerna på världskartan</title>`,
		`Markerade: Uganda.`, `class="worldmap-hi" fill="#00466e" data-country="UG"`,
		`<figcaption class="visually-hidden">`)
	if n := len(regexp.MustCompile(`data-country=`).FindAllString(res.body, -1)); n != 1 {
		t.Errorf("%d highlighted countries, want 1 (Uganda)", n)
	}
	svg := regexp.MustCompile(`(?s)<svg .*?</svg>`).FindString(res.body)
	t.Logf("map SVG: %d bytes of a %d-byte page", len(svg), len(res.body))
	if len(svg) > 150_000 {
		t.Errorf("the map SVG is %d bytes, want under 150 KB", len(svg))
	}
	res = e.get(c, "/en/partnerships/"+kalix)
	wantContains(t, "en map", res.body, `<h2 id="map-heading">Map</h2>`,
		`<title id="worldmap-title">The partner countries on the world map</title>`, `Highlighted: Uganda.`)
}
