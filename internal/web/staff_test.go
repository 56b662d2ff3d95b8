package web_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store/sqlite"
)

func TestLogin(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.client()
	// Staff pages send anonymous visitors to the login, keeping the target.
	res := e.get(c, "/personal/organisationer")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/logga-in?next=%2Fpersonal%2Forganisationer" {
		t.Fatalf("anonymous: %d %q", res.status, res.header.Get("Location"))
	}
	// A wrong password: a message tied to the field, the address kept.
	res = e.post(c, "/logga-in", url.Values{"email": {officer}, "password": {"fel lösenord"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong password: %d", res.status)
	}
	wantContains(t, "wrong password", res.body, "<title>Fel: Logga in – Partnerskap</title>", "Fel e-postadress eller lösenord.", `value="`+officer+`"`, `aria-describedby=" password-error"`, `aria-invalid="true"`)
	res = e.post(c, "/en/login", url.Values{"email": {"nobody@example.se"}, "password": {"x"}})
	wantContains(t, "unknown user", res.body, "Wrong e-mail address or password.")
	// The right password: a session cookie, then the page asked for.
	res = e.post(c, "/logga-in", url.Values{"email": {strings.ToUpper(officer)}, "password": {"demo-partnerskap"}, "next": {"/personal/organisationer"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/personal/organisationer" {
		t.Fatalf("login: %d %q", res.status, res.header.Get("Location"))
	}
	cookie := res.header.Get("Set-Cookie")
	for _, want := range []string{"session=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie %q is Secure over plain http", cookie)
	}
	res = e.get(c, "/personal/organisationer")
	if res.status != 200 || !strings.Contains(res.body, "Inloggad som Olle Handläggare") || res.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("after login: %d %q", res.status, res.header.Get("Cache-Control"))
	}
	// A login is in the audit log.
	entries, err := e.store.AuditLog(context.Background(), audit.Filter{Entity: "user"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "login" || entries[0].Actor.Name != "Olle Handläggare" {
		t.Errorf("no login entry: %+v", entries[:1])
	}
	// An open redirect is not followed, however the address is disguised
	// (browsers drop tabs and newlines and read a backslash as a slash).
	for _, evil := range []string{"//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "/%2F/evil.example", "https://evil.example/"} {
		res = e.post(e.client(), "/logga-in", url.Values{"email": {officer}, "password": {"demo-partnerskap"}, "next": {evil}})
		if res.header.Get("Location") != "/personal" {
			t.Errorf("next=%q went to %q", evil, res.header.Get("Location"))
		}
	}
	// A local address with a query is kept.
	res = e.post(e.client(), "/logga-in", url.Values{"email": {officer}, "password": {"demo-partnerskap"}, "next": {"/personal/bidrag?x=%C3%A5"}})
	if res.header.Get("Location") != "/personal/bidrag?x=%C3%A5" {
		t.Errorf("a local next went to %q", res.header.Get("Location"))
	}
	// Signing out ends the session on the server, not only in the browser.
	res = e.post(c, "/logga-ut", nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.status)
	}
	if res := e.get(c, "/personal"); res.status != http.StatusSeeOther {
		t.Errorf("after logout: %d", res.status)
	}
}

func TestSecureCookieUnderHTTPS(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	res := e.post(e.client(), "/logga-in", url.Values{"email": {officer}, "password": {"demo-partnerskap"}})
	cookie := res.header.Get("Set-Cookie")
	if !strings.HasPrefix(cookie, "__Host-session=") || !strings.Contains(cookie, "Secure") {
		t.Errorf("cookie %q: want __Host- and Secure behind https", cookie)
	}
}

func TestPermissions(t *testing.T) {
	e := newEnv(t, "http://localhost")
	applicant := e.login("sokande@kalix.demo.partnerskap.se")
	for _, path := range []string{"/personal/organisationer", "/personal/partnerskap/ny", "/personal/program/ny", "/personal/logg"} {
		if res := e.get(applicant, path); res.status != http.StatusForbidden {
			t.Errorf("applicant GET %s: %d, want 403", path, res.status)
		}
	}
	res := e.post(applicant, "/personal/organisationer/ny", url.Values{"kind": {"partner"}, "name": {"X"}, "country": {"UG"}})
	if res.status != http.StatusForbidden {
		t.Errorf("applicant creates organisation: %d", res.status)
	}
	if res := e.get(applicant, "/personal"); res.status != 200 || !strings.Contains(res.body, "Era ansökningar") || strings.Contains(res.body, "Ny organisation") {
		t.Errorf("applicant workspace: %d", res.status)
	}
	// The demo loader's changes read as the demo's, not as an internal code.
	admin := e.login("admin@demo.partnerskap.se")
	if res := e.get(admin, "/personal/logg"); res.status != 200 || !strings.Contains(res.body, "<td>Demodata</td>") || strings.Contains(res.body, "system:demo") {
		t.Errorf("admin audit log: %d", res.status)
	}
}

func TestOrganisationForm(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.login(officer)
	before, _ := e.store.OrganisationList(context.Background(), organisation.Filter{})
	// Unknown and duplicate codes: field errors, what was typed kept, nothing saved.
	res := e.post(c, "/personal/organisationer/ny", url.Values{"kind": {"municipality"}, "name": {"Ödeshög igen"}, "code": {"2514"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("duplicate code: %d", res.status)
	}
	wantContains(t, "duplicate", res.body, "Det finns redan en organisation med den koden.", `value="Ödeshög igen"`, `value="2514"`, `href="#code"`, `id="code-error"`)
	res = e.post(c, "/en/staff/organisations/new", url.Values{"kind": {"municipality"}, "name": {"Nowhere"}, "code": {"9999"}})
	wantContains(t, "unknown code", res.body, "The code is not one of Statistics Sweden")
	res = e.post(c, "/personal/organisationer/ny", url.Values{"kind": {"partner"}, "name": {"Francistown"}, "country": {"SE"}})
	wantContains(t, "partner in Sweden", res.body, "En partnerorganisation ska finnas utanför Sverige")
	after, _ := e.store.OrganisationList(context.Background(), organisation.Filter{})
	if len(after) != len(before) {
		t.Fatalf("refused forms saved %d organisations", len(after)-len(before))
	}
	// A good one is saved and the officer lands on it.
	res = e.post(c, "/personal/organisationer/ny", url.Values{"kind": {"partner"}, "name": {"Komuna e Prizrenit"}, "country": {"XK"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.status, res.body)
	}
	loc := res.header.Get("Location")
	res = e.get(c, loc)
	wantContains(t, "created", res.body, "Posten är skapad.", `value="Komuna e Prizrenit"`, `<option value="XK" selected>Kosovo</option>`)
	// Editing with a stale version keeps the typed text and says why.
	id, _ := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
	res = e.post(c, loc, url.Values{"kind": {"partner"}, "name": {"Prizren"}, "country": {"XK"}, "version": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("update: %d", res.status)
	}
	res = e.post(c, loc, url.Values{"kind": {"partner"}, "name": {"Prizren kommun"}, "country": {"XK"}, "version": {"1"}})
	if res.status != http.StatusConflict {
		t.Fatalf("stale update: %d", res.status)
	}
	wantContains(t, "stale", res.body, "Någon annan sparade", `value="Prizren kommun"`, `name="version" value="2"`)
	o, _ := e.store.Organisation(context.Background(), id)
	if o.Name != "Prizren" {
		t.Errorf("stale update saved: %q", o.Name)
	}
}

func TestProgrammeAndCallForms(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.login(officer)
	before, _ := e.store.ProgrammeList(context.Background())
	// Money typed as people in Sweden type it.
	res := e.post(c, "/personal/program/ny", url.Values{"name_sv": {"Kommunalt partnerskap 2022"}, "funder": {"Sida"}, "operator": {"ICLD"}, "total_budget": {"1.800.000,5,0"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad money: %d", res.status)
	}
	wantContains(t, "bad money", res.body, "Skriv beloppet i kronor med siffror", `value="1.800.000,5,0"`, `value="Kommunalt partnerskap 2022"`)
	for typed, msg := range map[string]string{"-5": "kan inte vara negativt", "0": "större än noll", "abc": "med siffror", "12,345": "högst två decimaler", "": "Ange ett belopp"} {
		res := e.post(c, "/personal/program/ny", url.Values{"name_sv": {"P"}, "funder": {"Sida"}, "operator": {"ICLD"}, "total_budget": {typed}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, msg) {
			t.Errorf("total_budget %q: %d, want message %q", typed, res.status, msg)
		}
	}
	if progs, _ := e.store.ProgrammeList(context.Background()); len(progs) != len(before) {
		t.Fatalf("refused programmes were saved: %d", len(progs)-len(before))
	}
	res = e.post(c, "/personal/program/ny", url.Values{"name_sv": {"Kommunalt partnerskap 2022"}, "name_en": {"Municipal partnership 2022"},
		"funder": {"Sida"}, "operator": {"ICLD"}, "total_budget": {"5\u00a0000\u00a0000 kr"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create programme: %d\n%s", res.status, res.body)
	}
	progPath := res.header.Get("Location")
	progID := progPath[strings.LastIndex(progPath, "/")+1:]
	p := mustProgramme(t, e, progID)
	if p.TotalBudget != 500_000_000 {
		t.Errorf("budget %d öre, want 500 000 000", p.TotalBudget)
	}
	// A call that closes before it opens, and a maximum above the ceiling.
	callPath := "/personal/program/" + progID + "/utlysningar/ny"
	res = e.post(c, callPath, url.Values{"title_sv": {"Våromgången"}, "opens_at": {"2022-02-15T00:00"}, "closes_at": {"2022-02-01T00:00"},
		"ceiling": {"1 800 000"}, "max_per_grant": {"2 000 000"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad call: %d", res.status)
	}
	wantContains(t, "bad call", res.body, "Utlysningen måste stänga efter att den öppnar.", "Högsta belopp per bidrag kan inte vara större",
		`value="2022-02-15T00:00"`, `value="Våromgången"`, "Formuläret har 2 fel")
	// Over the programme's budget.
	res = e.post(c, callPath, url.Values{"title_sv": {"Våromgången"}, "opens_at": {"2022-02-15T00:00"}, "closes_at": {"2022-03-15T00:00"},
		"ceiling": {"5 000 000,01"}, "max_per_grant": {"300 000"}})
	wantContains(t, "over budget", res.body, "överstiga programmets budget")
	res = e.post(c, callPath, url.Values{"title_sv": {"Våromgången"}, "title_en": {"Spring round"}, "opens_at": {"2022-02-15T00:00"},
		"closes_at": {"2022-03-15T00:00"}, "ceiling": {"1\u202f800\u202f000 kr"}, "max_per_grant": {"300000,50"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create call: %d\n%s", res.status, res.body)
	}
	calls, _ := e.store.CallList(context.Background(), p.ID)
	if len(calls) != 1 {
		t.Fatalf("calls: %d", len(calls))
	}
	cl := calls[0]
	// 00:00 in Stockholm in February is 23:00 UTC the day before.
	if cl.Ceiling != 180_000_000 || cl.MaxPerGrant != 30_000_050 || cl.OpensAt.Format("2006-01-02 15:04") != "2022-02-14 23:00" {
		t.Errorf("call stored as %+v", cl)
	}
	res = e.get(c, progPath)
	wantContains(t, "programme page", res.body, "Våromgången", "Kommande", "1\u00a0800\u00a0000\u00a0kr",
		"Utlysningarnas tak: 1\u00a0800\u00a0000\u00a0kr av budgeten 5\u00a0000\u00a0000\u00a0kr. Kvar att fördela i nya utlysningar: 3\u00a0200\u00a0000\u00a0kr.")
	res = e.get(c, "/en/staff/calls/"+strconv.FormatInt(cl.ID, 10))
	wantContains(t, "call in English", res.body, `value="2022-02-15T00:00"`, `value="1 800 000"`, `value="300 000,50"`, "Upcoming")
}

func mustProgramme(t *testing.T, e *env, id string) *programme.Programme {
	t.Helper()
	n, _ := strconv.ParseInt(id, 10, 64)
	p, err := e.store.Programme(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPartnershipForm(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.login(officer)
	masaka := findOrg(t, e, "Masaka District Local Government")
	kalix, _ := e.store.OrganisationByCode(context.Background(), "2514")
	ydre, _ := e.store.OrganisationByCode(context.Background(), "0512")
	form := url.Values{"name": {"Ydre – Masaka"}, "theme_sv": {"Skolsamarbete"}, "start": {"2022-01-01"}, "status": {"active"},
		"partners": {strconv.FormatInt(masaka.ID, 10)}, "targets": {"4.7"}}
	res := e.post(c, "/personal/partnerskap/ny", form)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("no Swedish member: %d", res.status)
	}
	wantContains(t, "no Swedish member", res.body, "Välj minst en svensk kommun eller region.", `value="Ydre – Masaka"`, `value="4.7" checked`)
	form.Set("swedish", strconv.FormatInt(ydre.ID, 10))
	form.Set("end", "2021-12-31")
	res = e.post(c, "/personal/partnerskap/ny", form)
	wantContains(t, "end before start", res.body, "Slutdatumet kan inte vara före startdatumet.")
	form.Set("end", "2024-12-31")
	form.Add("swedish", strconv.FormatInt(kalix.ID, 10))
	res = e.post(c, "/personal/partnerskap/ny", form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.status, res.body)
	}
	id := e.partnershipID("Ydre – Masaka")
	p, _ := e.store.Partnership(context.Background(), id)
	if len(p.Swedish) != 2 || len(p.Goals) != 1 || p.Goals[0] != 4 {
		t.Errorf("saved %+v", p)
	}
	res = e.get(e.client(), "/partnerskap/"+strconv.FormatInt(id, 10))
	wantContains(t, "public page", res.body, "Ydre kommun", "Kalix kommun", "Skolsamarbete", "4.7")
}

func findOrg(t *testing.T, e *env, name string) *organisation.Organisation {
	t.Helper()
	list, err := e.store.OrganisationList(context.Background(), organisation.Filter{Query: name})
	if err != nil || len(list) == 0 {
		t.Fatalf("no organisation %q: %v", name, err)
	}
	return list[0]
}

func TestAuditLogPerRecord(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.login(officer)
	res := e.post(c, "/personal/organisationer/ny", url.Values{"kind": {"partner"}, "name": {"Komuna e Prizrenit"}, "country": {"XK"}})
	loc := res.header.Get("Location")
	id := loc[strings.LastIndex(loc, "/")+1:]
	e.post(c, loc, url.Values{"kind": {"partner"}, "name": {"Prizren"}, "country": {"XK"}, "version": {"1"}})
	res = e.get(c, "/personal/logg?post=organisation&id="+id)
	if res.status != 200 {
		t.Fatalf("audit log: %d", res.status)
	}
	wantContains(t, "audit log for one record", res.body, "Visar ändringarna av organisation #"+id, "Olle Handläggare",
		"<strong>Namn</strong>: Komuna e Prizrenit → Prizren", "<strong>Land</strong>: – → XK")
	if strings.Count(res.body, "<tr><td>") != 2 {
		t.Errorf("entries for one record: %d, want 2 (create and update)", strings.Count(res.body, "<tr><td>"))
	}
}

// TestAuditActionPerEntity: an action is named for the kind of record it
// was done to, so a grant's acceptance does not read as an invitation's.
func TestAuditActionPerEntity(t *testing.T) {
	// Loaded after the pilot, the demo's grants are accepted.
	clk := clock.NewFixed(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "later.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	e := newEnvOn(t, "http://localhost", s, clk)
	c := e.login(officer)
	grants, err := e.store.GrantList(context.Background(), grant.Filter{})
	if err != nil || len(grants) == 0 {
		t.Fatalf("grants: %d, %v", len(grants), err)
	}
	res := e.get(c, "/personal/logg?post=grant&id="+strconv.FormatInt(grants[0].ID, 10))
	if res.status != 200 {
		t.Fatalf("audit log: %d", res.status)
	}
	wantContains(t, "a grant's audit log", res.body, "<td>Villkoren godkända</td>")
	res = e.get(c, "/en/staff/log?post=grant&id="+strconv.FormatInt(grants[0].ID, 10))
	wantContains(t, "a grant's audit log in English", res.body, "<td>Terms accepted</td>")
	if strings.Contains(res.body, "Inbjudan antagen") {
		t.Error("a grant's acceptance reads as an invitation's")
	}
}
