package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/privacy"
)

// TestPrivacyNotice: the notice in both languages, linked from every
// page's footer and from the forms that take personal data.
func TestPrivacyNotice(t *testing.T) {
	e := newEnv(t, "http://localhost")
	res := e.get(e.client(), "/integritet")
	wantContains(t, "notice sv", res.body, "Personuppgiftsansvarig", "ICLD", "allmänt intresse", "Integritetsskyddsmyndigheten", "730 dagar",
		`href="/integritet" aria-current="page"`)
	res = e.get(e.client(), "/en/privacy")
	wantContains(t, "notice en", res.body, "Controller", "public interest", "IMY", "730 days", `href="/en/privacy" aria-current="page"`)
	anon := e.client()
	wantContains(t, "sitemap", e.get(anon, "/sitemap.xml").body, "http://localhost/integritet</loc>", `hreflang="en" href="http://localhost/en/privacy"`)
	for _, path := range []string{"/", "/partnerskap", "/mal", "/tillganglighet", "/logga-in"} {
		if res := e.get(anon, path); res.status != 200 || !strings.Contains(res.body, `<a href="/integritet">Integritet och personuppgifter</a>`) {
			t.Errorf("%s (%d): no footer link to the privacy notice", path, res.status)
		}
	}
	for _, path := range []string{"/en/", "/en/partnerships", "/en/goals", "/en/login"} {
		if res := e.get(anon, path); res.status != 200 || !strings.Contains(res.body, `<a href="/en/privacy">Privacy and personal data</a>`) {
			t.Errorf("%s (%d): no footer link to the privacy notice", path, res.status)
		}
	}
	admin := e.login(adminEmail)
	for _, path := range []string{"/personal/konto", "/personal/personer"} {
		res := e.get(admin, path)
		if res.status != 200 || !strings.Contains(res.body, `<p class="privacy-note"><a href="/integritet">`) {
			t.Errorf("%s (%d): the form has no link to the privacy notice", path, res.status)
		}
	}
	if res := e.get(admin, "/en/staff/account"); !strings.Contains(res.body, `<p class="privacy-note"><a href="/en/privacy">How we handle your personal data</a>`) {
		t.Error("English account form: no link to the privacy notice")
	}
}

// TestPersonExportAndErase: an administrator downloads a demo applicant's
// data, erases them, and their name and address are left in no table.
func TestPersonExportAndErase(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	p := e.userByEmail(kalixApplicant)
	name := p.Name
	id := fmt.Sprint(p.ID)
	exportPath := "/personal/personer/" + id + "/uppgifter.json"
	erasePath := "/personal/personer/" + id + "/radera"

	// Others may neither download nor erase.
	for _, email := range []string{officer, kalixApplicant} {
		c := e.login(email)
		for _, path := range []string{exportPath, erasePath} {
			if res := e.get(c, path); res.status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", email, path, res.status)
			}
		}
		if res := e.post(c, erasePath, url.Values{}); res.status != http.StatusForbidden {
			t.Errorf("%s POST %s: %d, want 403", email, erasePath, res.status)
		}
	}
	if res := e.get(e.client(), exportPath); res.status != http.StatusSeeOther {
		t.Errorf("anonymous export: %d", res.status)
	}

	admin := e.login(adminEmail)
	res := e.get(admin, "/personal/personer/"+id)
	wantContains(t, "person page", res.body, `href="`+exportPath+`"`, `href="`+erasePath+`"`)
	res = e.get(admin, exportPath)
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment;") || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("export: %d %v", res.status, res.header)
	}
	var got struct {
		Person struct {
			User         map[string]any   `json:"user"`
			Roles        []map[string]any `json:"roles"`
			Applications []map[string]any `json:"applications"`
		} `json:"person"`
	}
	if err := json.Unmarshal([]byte(res.body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Person.User["email"] != kalixApplicant || got.Person.User["name"] != name || len(got.Person.Roles) == 0 || strings.Contains(res.body, "password_hash") {
		t.Errorf("export: %s", res.body[:min(len(res.body), 600)])
	}
	log, err := e.store.AuditLog(ctx, audit.Filter{Entity: "user", EntityID: p.ID})
	if err != nil || len(log) == 0 || log[0].Action != "export" {
		t.Errorf("export not audited: %+v %v", log, err)
	}

	res = e.get(admin, erasePath)
	wantContains(t, "confirmation", res.body, "Radera "+name, "Det här finns kvar", "diarienummer", `action="`+erasePath+`"`)
	start := time.Now()
	res = e.post(admin, erasePath, url.Values{})
	t.Logf("erasing a demo applicant took %v", time.Since(start))
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/personal/personer" {
		t.Fatalf("erase: %d %s", res.status, res.header.Get("Location"))
	}
	res = e.get(admin, "/personal/personer")
	wantContains(t, "after erasure", res.body, "Personen är raderad.", privacy.ErasedName(p.ID))
	tt, ok := e.store.(interface {
		TableText(context.Context) (map[string][]string, error)
	})
	if !ok {
		t.Fatal("no TableText")
	}
	tables, err := tt.TableText(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, rows := range tables {
		for _, r := range rows {
			lr := strings.ToLower(r)
			if strings.Contains(lr, strings.ToLower(name)) || strings.Contains(lr, kalixApplicant) {
				t.Errorf("after erasing %s, %s holds: %.300s", name, table, r)
			}
		}
	}
	// Once only; an administrator never erases themselves.
	if res := e.post(admin, erasePath, url.Values{}); res.status != http.StatusConflict {
		t.Errorf("second erasure: %d", res.status)
	}
	self := fmt.Sprint(e.userByEmail(adminEmail).ID)
	if res := e.post(admin, "/personal/personer/"+self+"/radera", url.Values{}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Du kan inte radera dig själv") {
		t.Errorf("self erasure: %d", res.status)
	}
}

// TestRetentionSetting: administrators set the retention; the notice
// shows it; a value out of range is refused on the field.
func TestRetentionSetting(t *testing.T) {
	e := newEnv(t, "http://localhost")
	if res := e.get(e.login(officer), "/personal/personuppgifter"); res.status != http.StatusForbidden {
		t.Errorf("officer: %d", res.status)
	}
	admin := e.login(adminEmail)
	res := e.get(admin, "/personal/personuppgifter")
	wantContains(t, "settings", res.body, `name="days"`, `value="730"`)
	res = e.post(admin, "/personal/personuppgifter", url.Values{"days": {"10"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "mellan 30 och 3650") || !strings.Contains(res.body, `aria-describedby="days-hint days-error"`) {
		t.Errorf("out of range: %d", res.status)
	}
	res = e.post(admin, "/personal/personuppgifter", url.Values{"days": {"365"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.status)
	}
	wantContains(t, "notice after", e.get(e.client(), "/integritet").body, "365 dagar")
}
