package web_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// The 422 page of a request with text that can't be stored.
const badInputTitle = "Texten innehåller tecken som inte kan sparas"

// TestBadTextEveryPostRoute sends every POST route of the router, as a
// person the access table lets through, its form with a NUL and then a
// byte that is not UTF-8 in a field: each answers the 422 page, never a
// 500, and never what the route answers a form (its handler never ran).
func TestBadTextEveryPostRoute(t *testing.T) {
	runBadText(t, newEnv(t, "http://localhost"))
}

func TestBadTextEveryPostRouteOnPostgres(t *testing.T) {
	clk := clock.NewFixed(now)
	runBadText(t, newEnvOn(t, "http://localhost", storetest.OpenPostgres(t, clk), clk))
}

func runBadText(t *testing.T, e *env) {
	fx := newAccessFix(t, e)
	patterns := map[string][]string{}
	for _, r := range e.web.Registered() {
		patterns[r[0]] = append(patterns[r[0]], r[1])
	}
	tried := 0
	for _, row := range accessTable {
		ps := patterns[row.name]
		if len(ps) == 0 || !strings.HasPrefix(ps[0], "POST ") {
			continue
		}
		// The first person the route lets through (anyone, when it lets
		// none: a refusal must not be a 500 either).
		col := "anon"
		for i, w := range strings.Fields(row.want) {
			if !refused(w) {
				col = principals[i]
				break
			}
		}
		for _, bad := range []string{"\x00", "\xff", "\x1b"} {
			_, path, form := fx.request(row, ps[0], col)
			if form == nil {
				form = url.Values{}
			}
			// The bad byte in the form's first text field (not one of the
			// IDs the path or a button names), else in a field of its own.
			field := "text"
			var names []string
			for k := range form {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				if k != "version" && k != "action" && !strings.HasPrefix(k, "decision") {
					field = k
					break
				}
			}
			form.Set(field, form.Get(field)+"Kalix"+bad+"Masaka")
			res := fx.send(col, "POST", path, form)
			if refused(status(res)) && col == "anon" {
				continue // a route no one may use refuses before reading the form
			}
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, badInputTitle) {
				t.Errorf("POST %s as %s, %q in %s: %d, want the 422 page", path, col, bad, field, res.status)
			}
			tried++
			// And in a query parameter, and in English.
			if len(ps) > 1 {
				_, path, form := fx.request(row, ps[1], col)
				res := fx.send(col, "POST", path+"?q="+url.QueryEscape("a"+bad), form)
				if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "The text contains characters that can") {
					t.Errorf("POST %s?q= as %s, %q: %d, want the English 422 page", path, col, bad, res.status)
				}
			}
		}
	}
	if tried < 50 {
		t.Errorf("only %d requests tried", tried)
	}
	t.Logf("%d requests with bad text", tried)

	// Nothing of it was stored: the organisations keep their names.
	org, err := e.store.Organisation(context.Background(), int64(atoi(fx.values["org"])))
	if err != nil || strings.Contains(org.Name, "Masaka") {
		t.Errorf("Kalix's organisation after the bad posts: %v %v", org, err)
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// A GET with bad text in a query parameter (a search) is refused too.
func TestBadTextInQuery(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.client()
	for _, q := range []string{"%00", "%FF", "Kalix%C3"} {
		res := e.get(c, "/partnerskap?q="+q)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, badInputTitle) {
			t.Errorf("GET /partnerskap?q=%s: %d", q, res.status)
		}
	}
	if res := e.get(c, "/partnerskap?q=Kalix%09Masaka"); res.status != http.StatusOK {
		t.Errorf("a tab in a search: %d", res.status)
	}
}

// A file name that is not UTF-8 or holds a control character is refused
// with the file name's message; the form is multipart, as the browser
// sends it.
func TestBadFileName(t *testing.T) {
	e := newEnv(t, "http://localhost")
	pid := e.partnershipID("Kalix – Masaka")
	cl := e.login(applicant)
	for _, name := range []string{"plast\x00.pdf", "plast\xff.pdf", "plast\t.pdf", "plast\x01.pdf"} {
		res := e.postMaterial(cl, "/mitt-material/ny", materialFields(pid, "Filnamnsprovet"), name, testPDF)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Filnamnet innehåller tecken som inte kan sparas") {
			t.Errorf("upload named %q: %d", name, res.status)
		}
	}
	// A bad field beside a good file.
	f := materialFields(pid, "Filnamnsprovet\x00")
	if res := e.postMaterial(cl, "/mitt-material/ny", f, "plast.pdf", testPDF); res.status != http.StatusUnprocessableEntity {
		t.Errorf("a NUL in a multipart field: %d", res.status)
	}
	// A good one goes through, with its name as typed.
	res := e.postMaterial(cl, "/mitt-material/ny", materialFields(pid, "Filnamnsprovet"), "Plast i älven – 2021.pdf", testPDF)
	if res.status != http.StatusSeeOther {
		t.Fatalf("a good upload: %d\n%s", res.status, res.body)
	}
}
