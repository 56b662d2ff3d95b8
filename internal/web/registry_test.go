package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/registry"
)

func TestRegistryPage(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 1_000_000, 300_000, nil)
	ctx := context.Background()
	a := f.submitted("Plast i Kalix och Masaka", "200 000")
	b := f.submitted("Skolresan till Lundazi", "100 000")
	off := e.login(officer)
	res := e.get(off, "/personal/diarium")
	if res.status != 200 {
		t.Fatalf("registry: %d", res.status)
	}
	// Stockholm time: the test clock's 10:00 UTC is 12:00 in June.
	wantContains(t, "registry", res.body, a.RegNumber, b.RegNumber, "Plast i Kalix och Masaka", "Skolresan till Lundazi", "2021-06-01 12:00",
		"Ansökan", "Allmän handling", `href="`+casePath(a.ID)+`"`, `<caption id="registry-caption"`, `scope="col"`)
	// Search and year filter.
	res = e.get(off, "/personal/diarium?q=skolresan")
	wantContains(t, "search", res.body, "Skolresan till Lundazi", `value="skolresan"`)
	wantNotContains(t, "search", res.body, "Plast i Kalix och Masaka")
	res = e.get(off, "/personal/diarium?q="+url.QueryEscape(a.RegNumber))
	wantContains(t, "search by number", res.body, "Plast i Kalix och Masaka")
	res = e.get(off, "/personal/diarium?year=1999")
	wantContains(t, "year 1999", res.body, "0 handlingar.")
	res = e.get(off, "/personal/diarium?year=tjugo")
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("bad year: %d", res.status)
	}
	wantContains(t, "bad year", res.body, "Skriv året med fyra siffror", `value="tjugo"`, `href="#year"`)
	// Confidential needs a reason; the typed filter and reason are kept.
	entries, err := e.store.RegistryList(ctx, registry.Filter{ApplicationID: a.ID})
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries of %d: %v %v", a.ID, entries, err)
	}
	id := entries[0].ID
	path := "/personal/diarium/" + strconv.FormatInt(id, 10)
	res = e.post(off, path, url.Values{"confidential": {"yes"}, "reason": {"  "}, "q": {"kalix"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("no reason: %d", res.status)
	}
	rf := "reason-" + strconv.FormatInt(id, 10)
	wantContains(t, "no reason", res.body, "Fältet måste fyllas i.", `href="#`+rf+`"`, `id="`+rf+`-error"`, `aria-invalid="true"`, `value="kalix"`, "<details open>")
	if e2, _ := e.store.RegistryEntry(ctx, id); e2.Confidential {
		t.Fatal("marked confidential without a reason")
	}
	res = e.post(off, path, url.Values{"confidential": {"yes"}, "reason": {"OSL 31 kap. 16 §"}, "q": {"kalix"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/personal/diarium?q=kalix") {
		t.Fatalf("confidential: %d %q", res.status, res.header.Get("Location"))
	}
	res = e.get(off, "/personal/diarium")
	wantContains(t, "confidential", res.body, "Sekretess", "OSL 31 kap. 16 §", "Gör allmän igen")
	if res = e.post(off, path, url.Values{"confidential": {"no"}}); res.status != http.StatusSeeOther {
		t.Fatalf("public again: %d", res.status)
	}
	if e2, _ := e.store.RegistryEntry(ctx, id); e2.Confidential || e2.Reason != "" {
		t.Errorf("after making public: %+v", e2)
	}
	res = e.get(off, "/en/staff/registry")
	wantContains(t, "English", res.body, "Registry", "Public", "Mark as confidential", "Reason for confidentiality")
	// Others may not read or change it; an unknown entry is 404.
	app := e.login(kalixApplicant)
	if res = e.post(app, path, url.Values{"confidential": {"yes"}, "reason": {"x"}}); res.status != http.StatusForbidden {
		t.Errorf("applicant marks confidential: %d", res.status)
	}
	if res = e.post(off, "/personal/diarium/999999", url.Values{"confidential": {"yes"}, "reason": {"x"}}); res.status != http.StatusNotFound {
		t.Errorf("unknown entry: %d", res.status)
	}
}
