package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/user"
)

const forshagaApplicant = "sokande@forshaga.se"

// forshagaGrant returns the demo's grant to Forshaga – Lundazi in the
// rolling call (the one decided on an application) and Kalix's pilot
// grant, and creates an applicant for Forshaga kommun.
func forshagaGrant(t *testing.T, e *env) (forshaga, kalix *grant.Grant) {
	t.Helper()
	ctx := context.Background()
	for code, g := range map[string]**grant.Grant{"1763": &forshaga, "2514": &kalix} {
		org, err := e.store.OrganisationByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		list, err := e.store.GrantList(ctx, grant.Filter{OrganisationID: org.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range list {
			if code == "2514" || x.ApplicationID != 0 {
				*g = x
			}
		}
		if *g == nil {
			t.Fatalf("no grant for %s", code)
		}
	}
	org, _ := e.store.OrganisationByCode(ctx, "1763")
	u := &user.User{Email: forshagaApplicant, Name: "Frida Forshaga", PasswordHash: e.hash(t),
		Roles: []user.Role{{Kind: user.Applicant, OrganisationID: org.ID}}}
	if err := e.store.CreateUser(ctx, audit.System("test"), u); err != nil {
		t.Fatal(err)
	}
	return forshaga, kalix
}

// demoActivity is the activity the demo logs for Forshaga's grant on the
// day it is loaded.
const demoActivity = "Nyhet på kommunens webbplats om bidraget och partnerskapet med Lundazi"

func activitiesPath(g *grant.Grant) string { return fmt.Sprintf("/bidrag/%d/aktiviteter", g.ID) }

// seminar is a valid activity, as the form posts it.
func seminar() url.Values {
	return url.Values{"date": {"2021-05-20"}, "title": {"Seminarium för fullmäktige – gäster från Lundazi"}, "target_group": {"politicians"},
		"channel": {"seminar"}, "reach.politicians": {"41"}, "reach.civil_servants": {"1 200"}, "cost": {"12 500,50 kr"},
		"evidence": {"https://forshaga.se/nyheter/lundazi"}, "targets": {"13.3", "17.17"}}
}

func (e *env) activities(g *grant.Grant) []*activity.Activity {
	e.t.Helper()
	list, err := e.store.ActivityList(context.Background(), g.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

func TestActivities(t *testing.T) {
	e := newEnv(t, "http://localhost")
	g, _ := forshagaGrant(t, e)
	path := activitiesPath(g)
	cl := e.login(forshagaApplicant)

	// The page shows the plan from the application beside what was done,
	// a reach field per target group of the call, and the form.
	res := e.get(cl, path)
	if res.status != http.StatusOK {
		t.Fatalf("GET: %d\n%s", res.status, res.body)
	}
	// The demo logged one activity, today.
	wantContains(t, "activities page", res.body, "Planerat", "Genomfört", "Seminarium för kommunfullmäktige med gäster från Lundazi (digitalt)",
		"Utställning i kommunhusets entré", demoActivity, `name="reach.pupils"`, `<label for="reach.pupils">Skolelever`,
		`<label for="reach.media">Media`, "Logga aktiviteten", "Forshaga kommun")
	if res := e.get(cl, fmt.Sprintf("/en/grants/%d/activities", g.ID)); res.status != http.StatusOK {
		t.Errorf("English: %d", res.status)
	} else {
		wantContains(t, "English page", res.body, "Planned", "Carried out", "School pupils", "Log the activity")
	}

	// Logged: saved as typed, then listed with the reach added up.
	res = e.post(cl, path, seminar())
	if res.status != http.StatusSeeOther {
		t.Fatalf("log: %d\n%s", res.status, res.body)
	}
	list := e.activities(g)
	if len(list) != 2 {
		t.Fatalf("activities: %d, want the demo's and this one", len(list))
	}
	a := list[0] // in date order: before the demo's of today
	if a.Title != "Seminarium för fullmäktige – gäster från Lundazi" || a.Cost != "12 500,50 kr" || a.Reach["politicians"] != 41 ||
		a.Reach["civil_servants"] != 1200 || len(a.Reach) != 2 || strings.Join(a.Targets, " ") != "13.3 17.17" || a.Date.Format("2006-01-02") != "2021-05-20" {
		t.Errorf("saved: %+v", a)
	}
	res = e.get(cl, path)
	wantContains(t, "after logging", res.body, "Seminarium för fullmäktige – gäster från Lundazi", "12\u00a0500,50\u00a0kr",
		`<tfoot><tr><th scope="row">Totalt</th><td class="num">1`+"\u00a0"+`591</td></tr></tfoot>`, `href="https://forshaga.se/nyheter/lundazi"`)

	// Edited at its version; a stale version is a conflict that keeps
	// what was typed.
	edit := fmt.Sprintf("%s/%d", path, a.ID)
	if res := e.get(cl, edit); res.status != http.StatusOK || !strings.Contains(res.body, `value="41"`) {
		t.Fatalf("edit page: %d", res.status)
	}
	form := seminar()
	form.Set("version", "1")
	form.Set("reach.politicians", "45")
	if res := e.post(cl, edit, form); res.status != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", res.status, res.body)
	}
	if got := e.activities(g)[0]; got.Reach["politicians"] != 45 || got.Version != 2 {
		t.Errorf("after edit: %+v", got)
	}
	form.Set("reach.politicians", "50")
	res = e.post(cl, edit, form) // still version 1
	if res.status != http.StatusConflict || !strings.Contains(res.body, `value="50"`) {
		t.Errorf("stale edit: %d", res.status)
	}
	if got := e.activities(g)[0]; got.Reach["politicians"] != 45 {
		t.Errorf("stale edit saved: %+v", got)
	}

	// Deleted.
	if res := e.post(cl, edit+"/ta-bort", url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.status)
	}
	if n := len(e.activities(g)); n != 1 {
		t.Errorf("after delete: %d activities", n)
	}
	if res := e.get(cl, edit); res.status != http.StatusNotFound {
		t.Errorf("deleted activity: %d", res.status)
	}
}

func TestActivityBadInput(t *testing.T) {
	e := newEnv(t, "http://localhost")
	g, _ := forshagaGrant(t, e)
	path := activitiesPath(g)
	cl := e.login(forshagaApplicant)
	// One activity to edit, so each bad input is tried on both forms.
	if res := e.post(cl, path, seminar()); res.status != http.StatusSeeOther {
		t.Fatalf("log: %d\n%s", res.status, res.body)
	}
	stored := e.activities(g)[0]
	edit := fmt.Sprintf("%s/%d", path, stored.ID)

	tests := []struct {
		name         string
		field, typed string
		message      string
	}{
		{"negative reach", "reach.pupils", "-5", "Antalet kan inte vara negativt."},
		{"reach above the population of Sweden", "reach.citizens", "10 600 001", "större än Sveriges befolkning"},
		{"reach not a number", "reach.media", "många", "Ange antalet som ett heltal"},
		{"cost not a number", "cost", "tolv tusen", "Skriv beloppet i kronor med siffror"},
		{"a link that is no web link", "evidence", "javascript:alert(1)", "börjar med https://"},
		{"a link without a scheme", "evidence", "forshaga.se/nyheter", "börjar med https://"},
		{"target group not in the list", "target_group", "kings", "Välj ett av alternativen."},
		{"channel not in the list", "channel", "pigeon", "Välj ett av alternativen."},
		{"not a date", "date", "20 maj", "ÅÅÅÅ-MM-DD"},
		{"a date to come", "date", "2021-06-02", "Datumet har inte varit än"},
		{"no title", "title", "", "Fältet"},
	}
	for _, tt := range tests {
		for _, target := range []string{path, edit} {
			form := seminar()
			form.Set("version", "1")
			form.Set("title", "Utställning i kommunhusets entré – åäö")
			form.Set(tt.field, tt.typed)
			res := e.post(cl, target, form)
			if res.status != http.StatusUnprocessableEntity {
				t.Errorf("%s on %s: status %d", tt.name, target, res.status)
				continue
			}
			wantContains(t, tt.name, res.body, tt.message, `aria-invalid="true"`, `href="#`+tt.field+`"`)
			if tt.typed != "" && tt.field != "target_group" && tt.field != "channel" {
				wantContains(t, tt.name+" keeps what was typed", res.body, `value="`+strings.ReplaceAll(tt.typed, "'", "&#39;")+`"`)
			}
			if tt.field != "title" {
				wantContains(t, tt.name+" keeps the title", res.body, `value="Utställning i kommunhusets entré – åäö"`)
			}
		}
	}
	list := e.activities(g)
	if len(list) != 2 || list[0].Version != 1 || list[0].Title != stored.Title {
		t.Errorf("bad input changed something: %+v", list)
	}
}

func TestActivityAccess(t *testing.T) {
	e := newEnv(t, "http://localhost")
	g, kalixGrant := forshagaGrant(t, e)
	path := activitiesPath(g)
	fc := e.login(forshagaApplicant)
	if res := e.post(fc, path, seminar()); res.status != http.StatusSeeOther {
		t.Fatalf("log: %d", res.status)
	}
	a := e.activities(g)[0]
	edit := fmt.Sprintf("%s/%d", path, a.ID)

	// Signed out: to the login page.
	if res := e.get(e.client(), path); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/logga-in") {
		t.Errorf("signed out: %d %s", res.status, res.header.Get("Location"))
	}

	// Another organisation's applicant: as if the grant did not exist.
	kc := e.login(applicant)
	for _, p := range []string{path, edit} {
		if res := e.get(kc, p); res.status != http.StatusNotFound {
			t.Errorf("Kalix GET %s: %d", p, res.status)
		}
	}
	for _, p := range []string{path, edit, edit + "/ta-bort"} {
		form := seminar()
		form.Set("version", "1")
		if res := e.post(kc, p, form); res.status != http.StatusNotFound {
			t.Errorf("Kalix POST %s: %d", p, res.status)
		}
	}
	// Forshaga's applicant can't post to Kalix's grant, nor reach its own
	// activity through it.
	if res := e.post(fc, activitiesPath(kalixGrant), seminar()); res.status != http.StatusNotFound {
		t.Errorf("Forshaga on Kalix's grant: %d", res.status)
	}
	if res := e.get(kc, fmt.Sprintf("%s/%d", activitiesPath(kalixGrant), a.ID)); res.status != http.StatusNotFound {
		t.Errorf("Forshaga's activity under Kalix's grant: %d", res.status)
	}
	if res := e.get(fc, "/bidrag/999999/aktiviteter"); res.status != http.StatusNotFound {
		t.Errorf("no such grant: %d", res.status)
	}

	// The programme's officer reads, without the form, and may not write.
	oc := e.login(officer)
	res := e.get(oc, path)
	if res.status != http.StatusOK || strings.Contains(res.body, "Logga aktiviteten") {
		t.Errorf("officer GET: %d", res.status)
	}
	wantContains(t, "officer's view", res.body, "Seminarium för fullmäktige – gäster från Lundazi", "Planerat")
	if res := e.get(oc, edit); res.status != http.StatusOK || strings.Contains(res.body, "Ta bort aktiviteten") || strings.Contains(res.body, `name="title"`) {
		t.Errorf("officer reads the activity: %d", res.status)
	} else {
		wantContains(t, "officer's view of the activity", res.body, "Politiker 41, Tjänstepersoner 1\u00a0200", "13.3 ")
	}
	for _, p := range []string{path, edit, edit + "/ta-bort"} {
		form := seminar()
		form.Set("version", "1")
		if res := e.post(oc, p, form); res.status != http.StatusForbidden {
			t.Errorf("officer POST %s: %d", p, res.status)
		}
	}
	if list := e.activities(g); len(list) != 2 || list[0].Version != 1 {
		t.Errorf("refused writes changed something: %+v", list)
	}
	if list := e.activities(kalixGrant); len(list) != 0 {
		t.Errorf("Kalix's grant got activities: %+v", list)
	}
}

// postActivity posts the activity form as the browser does with a file
// input: multipart, with the file (if name is not "") as evidence_file.
func (e *env) postActivity(c *http.Client, path string, form url.Values, name string, data []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("evidence_file", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(c, req)
}

func TestActivityEvidenceFile(t *testing.T) {
	e := newEnv(t, "http://localhost")
	g, kalixGrant := forshagaGrant(t, e)
	path := activitiesPath(g)
	cl := e.login(forshagaApplicant)
	if res := e.get(cl, path); !strings.Contains(res.body, `enctype="multipart/form-data"`) || !strings.Contains(res.body, `name="evidence_file"`) ||
		!strings.Contains(res.body, "Underlag (fil)") {
		t.Fatalf("the form has no file input: %d", res.status)
	}
	if res := e.get(cl, fmt.Sprintf("/en/grants/%d/activities", g.ID)); !strings.Contains(res.body, "Evidence (file)") {
		t.Errorf("English file input: %d", res.status)
	}

	// HTML is refused on the field, with what was typed kept and nothing saved.
	form := seminar()
	form.Set("title", "Utställning i kommunhusets entré – åäö")
	res := e.postActivity(cl, path, form, "<script>.html", []byte("<!doctype html><script>alert(1)</script>"))
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("html upload: %d", res.status)
	}
	wantContains(t, "html upload", res.body, "Filtypen tas inte emot", `href="#evidence_file"`, `aria-invalid="true"`,
		`value="Utställning i kommunhusets entré – åäö"`, `value="https://forshaga.se/nyheter/lundazi"`, `value="1 200"`)
	if n := len(e.activities(g)); n != 1 {
		t.Errorf("a refused upload saved the activity: %d activities", n)
	}
	if n := len(e.files.files); n != 0 {
		t.Errorf("a refused upload stored %d files", n)
	}

	// A PNG is stored with the activity; the download gives the same bytes.
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, image.NewRGBA(image.Rect(0, 0, 3, 2)))
	res = e.postActivity(cl, path, seminar(), "utställning.png", pngBuf.Bytes())
	if res.status != http.StatusSeeOther {
		t.Fatalf("png upload: %d\n%s", res.status, res.body)
	}
	a := e.activities(g)[0]
	if a.File == nil || a.File.ContentType != "image/png" || a.File.Size != int64(pngBuf.Len()) || a.File.Filename == "" {
		t.Fatalf("evidence file: %+v", a.File)
	}
	download := fmt.Sprintf("%s/%d/underlag", path, a.ID)
	res = e.get(cl, download)
	if res.status != http.StatusOK || res.body != pngBuf.String() || !strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment") ||
		res.header.Get("Cache-Control") != "private, no-store" || res.header.Get("Content-Type") != "image/png" {
		t.Errorf("download: %d %q %q", res.status, res.header.Get("Content-Disposition"), res.header.Get("Cache-Control"))
	}
	if res := e.get(cl, fmt.Sprintf("/en/grants/%d/activities/%d/evidence", g.ID, a.ID)); res.status != http.StatusOK || res.body != pngBuf.String() {
		t.Errorf("English download: %d", res.status)
	}
	wantContains(t, "list with the file", e.get(cl, path).body, download)

	// The programme's officer may download; another organisation, or the
	// activity through another grant, is 404; signed out goes to log in.
	if res := e.get(e.login(officer), download); res.status != http.StatusOK || res.body != pngBuf.String() {
		t.Errorf("officer download: %d", res.status)
	}
	if res := e.get(e.login(applicant), download); res.status != http.StatusNotFound {
		t.Errorf("another organisation's download: %d", res.status)
	}
	if res := e.get(cl, fmt.Sprintf("%s/%d/underlag", activitiesPath(kalixGrant), a.ID)); res.status != http.StatusNotFound {
		t.Errorf("download through another grant: %d", res.status)
	}
	if res := e.get(e.client(), download); res.status != http.StatusSeeOther {
		t.Errorf("signed-out download: %d", res.status)
	}

	// An edit without a new upload keeps the file (also posted without a
	// file input, as a plain form); removing it removes it.
	edit := fmt.Sprintf("%s/%d", path, a.ID)
	form = seminar()
	form.Set("version", "1")
	form.Set("reach.politicians", "45")
	if res := e.postActivity(cl, edit, form, "", nil); res.status != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", res.status, res.body)
	}
	form.Set("version", "2")
	if res := e.post(cl, edit, form); res.status != http.StatusSeeOther {
		t.Fatalf("plain edit: %d\n%s", res.status, res.body)
	}
	if got := e.activities(g)[0]; got.File == nil || *got.File != *a.File || got.Reach["politicians"] != 45 {
		t.Errorf("after edits: %+v %+v", got, got.File)
	}
	if res := e.get(cl, edit); !strings.Contains(res.body, `name="remove_evidence_file"`) || !strings.Contains(res.body, download) {
		t.Errorf("edit page without the file: %d", res.status)
	}
	form.Set("version", "3")
	form.Set("remove_evidence_file", "1")
	if res := e.postActivity(cl, edit, form, "", nil); res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d\n%s", res.status, res.body)
	}
	if got := e.activities(g)[0]; got.File != nil {
		t.Errorf("file not removed: %+v", got.File)
	}
	if res := e.get(cl, download); res.status != http.StatusNotFound {
		t.Errorf("download after removal: %d", res.status)
	}
	if n := len(e.files.files); n != 0 {
		t.Errorf("removed file's bytes kept: %d files", n)
	}
}
