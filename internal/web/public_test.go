package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/partnership"
)

func (e *env) partnershipID(name string) int64 {
	e.t.Helper()
	ps, err := e.store.PartnershipList(context.Background(), partnership.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name == name {
			return p.ID
		}
	}
	e.t.Fatalf("no partnership %q", name)
	return 0
}

func TestPublicPages(t *testing.T) {
	e := newEnv(t, "http://localhost")
	kalix := strconv.FormatInt(e.partnershipID("Kalix – Masaka"), 10)
	c := e.client()
	tests := []struct {
		path   string
		status int
		want   []string
		reject []string
	}{
		{"/", 200, []string{`<html lang="sv">`, "1\u00a0800\u00a0000\u00a0kr", "Kalix – Masaka", "Region Östergötland – Uasin Gishu", "Partnerländer", "Kenya, Kosovo, Sydafrika", `hreflang="en"`, "Hoppa till innehållet", "Demo:"}, nil},
		{"/en/", 200, []string{`<html lang="en">`, "SEK\u00a01,800,000", "Partner countries", "Kenya, Kosovo, South Africa", "Skip to content"}, []string{"Beviljat"}},
		{"/partnerskap", 200, []string{"Visar 8 av 8 partnerskap", "Arvika – Uasin Gishu", "Växjö – JB Marks"}, nil},
		{"/partnerskap?land=UG", 200, []string{"Visar 1 av 8", "Kalix – Masaka"}, []string{"Arvika – Uasin Gishu</a>"}},
		{"/partnerskap?mal=3", 200, []string{"Visar 1 av 8", "Region Östergötland – Uasin Gishu"}, nil},
		{"/partnerskap?q=plast", 200, []string{"Kalix – Masaka"}, []string{"Lund – Francistown</a>"}},
		{"/partnerskap?ar=2006", 200, []string{"Växjö – JB Marks"}, []string{"Kalix – Masaka</a>"}},
		{"/en/partnerships?land=ZA", 200, []string{"Showing 1 of 8 partnerships", "Växjö – JB Marks"}, nil},
		{"/partnerskap/" + kalix, 200, []string{"Kalix kommun", "Masaka District Local Government", "Uganda", "12.5", "inofficiell svensk kortform", "300\u00a0000\u00a0kr", "Kommunikationsstöd 2021"}, nil},
		{"/en/partnerships/" + kalix, 200, []string{"Masaka District Local Government", "Uganda", "SEK\u00a0300,000", "Waste"}, []string{"inofficiell"}},
		{"/mal", 200, []string{"Globala målen", "Ingen fattigdom", "Hållbar konsumtion och produktion"}, nil},
		{"/mal/12", 200, []string{"Hållbar konsumtion och produktion", "Kalix – Masaka", "12.5", "inofficiella"}, nil},
		{"/en/goals/12", 200, []string{"Responsible consumption and production", "Kalix – Masaka", "By 2030, substantially reduce waste generation"}, nil},
		{"/mal/18", 404, []string{"Sidan finns inte"}, nil},
		{"/en/goals/0", 404, []string{"Page not found"}, nil},
		{"/partnerskap/999999", 404, nil, nil},
		{"/partnerskap/abc", 404, nil, nil},
		{"/finns-inte", 404, []string{`<html lang="sv">`}, nil},
		{"/en/nothing-here", 404, []string{`<html lang="en">`}, nil},
		{"/logga-in", 200, []string{`autocomplete="username"`, `for="password"`}, nil},
		{"/static/style.css", 200, []string{":focus-visible"}, nil},
		{"/static/goals.css", 200, []string{".goal-7{background:#FCC30B;color:#1a1a1a}", ".goal-1{background:#E5243B;color:#ffffff}"}, nil},
		{"/healthz", 200, []string{"ok"}, nil},
	}
	for _, tt := range tests {
		res := e.get(c, tt.path)
		if res.status != tt.status {
			t.Errorf("GET %s: status %d, want %d", tt.path, res.status, tt.status)
			continue
		}
		wantContains(t, "GET "+tt.path, res.body, tt.want...)
		wantNotContains(t, "GET "+tt.path, res.body, tt.reject...)
	}
}

func TestLanguage(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	c := e.client()
	// Accept-Language decides only on a first visit to the home page.
	res := e.get(c, "/", "Accept-Language", "en-GB,en;q=0.9,sv;q=0.5")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/en/" {
		t.Errorf("English browser on /: %d %q", res.status, res.header.Get("Location"))
	}
	if res := e.get(c, "/", "Accept-Language", "sv-SE,sv;q=0.9,en;q=0.8"); res.status != 200 {
		t.Errorf("Swedish browser on /: %d", res.status)
	}
	if res := e.get(c, "/partnerskap", "Accept-Language", "en"); res.status != 200 || !strings.Contains(res.body, `lang="sv"`) {
		t.Errorf("other pages ignore Accept-Language: %d", res.status)
	}
	// The switch links to the same page in the other language.
	res = e.get(c, "/partnerskap?land=UG")
	wantContains(t, "switch link", res.body, `href="/sprak?till=en&amp;sida=%2Fen%2Fpartnerships%3Fland%3DUG"`,
		`<link rel="alternate" hreflang="en" href="https://partnerskap.example/en/partnerships?land=UG">`)
	res = e.get(c, "/sprak?till=en&sida=%2Fen%2Fpartnerships%3Fland%3DUG")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/en/partnerships?land=UG" {
		t.Errorf("switch: %d %q", res.status, res.header.Get("Location"))
	}
	// The choice is remembered: the Swedish home now sends to English,
	// whatever the browser says.
	res = e.get(c, "/", "Accept-Language", "sv")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/en/" {
		t.Errorf("remembered English: %d %q", res.status, res.header.Get("Location"))
	}
	e.get(c, "/sprak?till=sv&sida=%2F")
	if res := e.get(c, "/", "Accept-Language", "en"); res.status != 200 {
		t.Errorf("remembered Swedish: %d", res.status)
	}
	// The switch never leads off the site.
	for _, evil := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "/%09/evil.example", "/%0a/evil.example", "/%2F%2Fevil.example", "/%5Cevil.example"} {
		res := e.get(c, "/sprak?till=en&sida="+evil)
		if loc := res.header.Get("Location"); loc != "/en/" {
			t.Errorf("switch to %q went to %q", evil, loc)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, "http://localhost")
	res := e.get(e.client(), "/")
	csp := res.header.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if res.header.Get("X-Frame-Options") != "DENY" || res.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers %v", res.header)
	}
	if strings.Contains(res.body, "style=") || strings.Contains(res.body, "<script>") {
		t.Error("inline style or script would be blocked by the CSP")
	}
	// A cross-site form post is refused before any handler runs.
	req, _ := http.NewRequest("POST", e.srv.URL+"/logga-in", strings.NewReader("email=a&password=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	if res := e.do(e.client(), req); res.status != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", res.status)
	}
}
