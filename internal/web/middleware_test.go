package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/demo"
)

// TestHTTPS: when the public address is https, every response tells
// browsers to use https only (HSTS) and every cookie the site sets is
// Secure; over plain http neither.
func TestHTTPS(t *testing.T) {
	for _, tc := range []struct {
		base   string
		secure bool
	}{{"https://partnerskap.example", true}, {"http://localhost", false}} {
		t.Run(tc.base, func(t *testing.T) {
			e := newEnv(t, tc.base)
			// A client without a cookie jar: Go's jar would not send
			// Secure cookies back to the test's plain-http server.
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			var cookie []string // the Cookie header sent
			send := func(method, path string, form url.Values) response {
				t.Helper()
				req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(form.Encode()))
				if method == "POST" {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				if len(cookie) > 0 {
					req.Header.Set("Cookie", strings.Join(cookie, "; "))
				}
				res := e.do(c, req)
				hsts := res.header.Get("Strict-Transport-Security")
				if tc.secure && hsts != "max-age=31536000; includeSubDomains" {
					t.Errorf("%s %s: Strict-Transport-Security %q", method, path, hsts)
				}
				if !tc.secure && hsts != "" {
					t.Errorf("%s %s: Strict-Transport-Security %q over http", method, path, hsts)
				}
				for _, sc := range res.header.Values("Set-Cookie") {
					if secure := strings.Contains(sc, "; Secure"); secure != tc.secure {
						t.Errorf("%s %s: cookie %q, Secure %v, want %v", method, path, sc, secure, tc.secure)
					}
				}
				return res
			}
			keep := func(res response, name string) {
				t.Helper()
				for _, sc := range res.header.Values("Set-Cookie") {
					if strings.HasPrefix(sc, name+"=") {
						cookie = append(cookie, strings.SplitN(sc, ";", 2)[0])
						return
					}
				}
				t.Fatalf("no %s cookie in %q", name, res.header.Values("Set-Cookie"))
			}
			send("GET", "/", nil)
			send("GET", "/en/partnerships", nil)
			send("GET", "/finns-inte", nil)
			res := send("POST", "/logga-in", url.Values{"email": {officer}, "password": {demo.Password}})
			session := "session"
			if tc.secure {
				session = "__Host-session"
			}
			keep(res, session)
			// A saved form leaves a flash message for the next page,
			// which reads it and clears it.
			res = send("POST", "/personal/organisationer/ny", url.Values{"kind": {"partner"}, "name": {"Masaka"}, "country": {"UG"}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("create organisation: %d", res.status)
			}
			keep(res, "flash")
			if res := send("GET", res.header.Get("Location"), nil); !strings.Contains(strings.Join(res.header.Values("Set-Cookie"), "\n"), "flash=;") {
				t.Errorf("the flash cookie is not cleared: %q", res.header.Values("Set-Cookie"))
			}
			send("GET", "/sprak?till=en&sida=/en/", nil)
			send("POST", "/logga-ut", nil)
		})
	}
}
