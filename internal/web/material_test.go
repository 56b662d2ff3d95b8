package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/material"
)

// The demo's partner contact in Masaka and its reviewer.
const (
	materialPartner  = "partner@masaka.demo.partnerskap.se"
	materialReviewer = "bedomare@demo.partnerskap.se"
)

// materialZip is a ZIP archive holding one file.
func materialZip(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// postMaterial posts the material form as a browser does: multipart, the
// fields first and the file (if name is not "") last, as the file input
// is the form's last field.
func (e *env) postMaterial(c *http.Client, path string, form url.Values, name string, data []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(c, req)
}

// materialNamed finds an item by its Swedish or English title.
func (e *env) materialNamed(title string) *material.Item {
	e.t.Helper()
	list, _, err := e.store.MaterialList(context.Background(), material.Filter{Unpublished: true})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, it := range list {
		if it.TitleSV == title || it.TitleEN == title {
			return it
		}
	}
	e.t.Fatalf("no material %q", title)
	return nil
}

func (e *env) material(id int64) *material.Item {
	e.t.Helper()
	it, err := e.store.Material(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return it
}

// testPDF is a small file that passes the content check as a PDF.
var testPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + strings.Repeat("% utfyllnad\n", 40))

func materialFields(pid int64, title string) url.Values {
	return url.Values{
		"partnership": {fmt.Sprint(pid)}, "kind": {"presentation"}, "title_sv": {title},
		"description_sv": {"Bilder om avfall & återvinning i Kalix och Masaka."}, "languages": {"sv", "en"},
		"target_groups": {"politicians", "citizens"}, "goals": {"12", "14"}, "licence": {"CC-BY-4.0"}, "author": {"Kalix kommun"},
	}
}

func TestMaterialPublishBrowseDownload(t *testing.T) {
	e := newEnv(t, "http://localhost")
	pid := e.partnershipID("Kalix – Masaka")
	cl := e.login(applicant)

	res := e.get(cl, "/mitt-material/ny")
	if res.status != http.StatusOK {
		t.Fatalf("new form: %d", res.status)
	}
	wantContains(t, "form", res.body, `enctype="multipart/form-data"`, `name="file"`, `name="link"`, `<label for="licence">Licens`, "Kalix – Masaka")

	// Published at once with a file whose name has å, ä and ö.
	form := materialFields(pid, "Bildspel: Plast – från Kalixälven till Victoriasjön")
	form.Set("publish", "1")
	res = e.postMaterial(cl, "/mitt-material/ny", form, "Bildspel åäö.pdf", testPDF)
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.status, res.body)
	}
	it := e.materialNamed("Bildspel: Plast – från Kalixälven till Victoriasjön")
	if res.header.Get("Location") != fmt.Sprintf("/mitt-material/%d", it.ID) || it.State != material.Published || it.File == nil ||
		it.File.ContentType != "application/pdf" || it.File.Size != int64(len(testPDF)) || it.PartnershipID != pid ||
		strings.Join(it.Languages, ",") != "sv,en" || fmt.Sprint(it.Goals) != "[12 14]" {
		t.Fatalf("created: %+v %+v", it, it.File)
	}
	if !bytes.Equal(e.files.files[it.File.StorageKey], testPDF) {
		t.Error("the file store does not hold the uploaded bytes")
	}
	if res := e.get(cl, "/mitt-material"); !strings.Contains(res.body, "Bildspel: Plast") || !strings.Contains(res.body, "Publicerat") {
		t.Errorf("publisher's list: %d", res.status)
	}

	// The public browse finds it by text, kind and goal; the filter is a GET form.
	anon := e.client()
	res = e.get(anon, "/material?q=kalixälven&typ=presentation&mal=14")
	if res.status != http.StatusOK {
		t.Fatalf("browse: %d", res.status)
	}
	wantContains(t, "browse", res.body, fmt.Sprintf(`href="/material/%d"`, it.ID), `<option value="presentation" selected>`,
		`<input id="q" name="q" type="search" value="kalixälven"`, `role="status">1 material`, `href="/material" aria-current="page"`)
	if res := e.get(anon, "/material?typ=strategy"); strings.Contains(res.body, fmt.Sprintf(`href="/material/%d"`, it.ID)) {
		t.Error("a presentation shown under strategies")
	}

	// The item's page: the facts, the licence with its deed and the reuse note.
	res = e.get(anon, fmt.Sprintf("/material/%d", it.ID))
	if res.status != http.StatusOK {
		t.Fatalf("item page: %d", res.status)
	}
	wantContains(t, "item page", res.body, "<h1>Bildspel: Plast – från Kalixälven till Victoriasjön</h1>", "Presentation",
		`href="https://creativecommons.org/licenses/by/4.0/deed.sv" rel="license"`, "Du får använda materialet enligt licensen CC BY 4.0",
		"Ange upphovet: Kalix kommun (partnerskapet Kalix – Masaka).", fmt.Sprintf(`href="/partnerskap/%d"`, pid),
		"svenska, engelska", "Politiker, Medborgare", "goal-chip goal-12", "goal-chip goal-14", "Bildspel åäö.pdf (PDF, 1\u00a0kB)",
		"<dt>Nedladdningar</dt><dd>0</dd>", fmt.Sprintf(`href="/material/%d/fil"`, it.ID))
	wantContains(t, "English item page", e.get(anon, fmt.Sprintf("/en/material/%d", it.ID)).body,
		`href="https://creativecommons.org/licenses/by/4.0/deed.en"`, "You may use the material under the licence CC BY 4.0", "Swedish, English")

	// The download: the bytes, the detected type, a safe name, no sniffing, sandboxed; counted once.
	res = e.get(anon, fmt.Sprintf("/material/%d/fil", it.ID))
	if res.status != http.StatusOK || res.body != string(testPDF) {
		t.Fatalf("download: %d, %d bytes", res.status, len(res.body))
	}
	h := res.header
	if h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "sandbox" ||
		h.Get("Content-Disposition") != `attachment; filename="Bildspel aao.pdf"; filename*=UTF-8''Bildspel%20%C3%A5%C3%A4%C3%B6.pdf` ||
		h.Get("ETag") != `"`+it.File.SHA256+`"` {
		t.Errorf("download headers: %v", h)
	}
	if n := e.material(it.ID).Downloads; n != 1 {
		t.Fatalf("downloads after one: %d", n)
	}
	// Not counted: a HEAD, the rest of a resumed download, a revalidation.
	req, _ := http.NewRequest("HEAD", e.srv.URL+fmt.Sprintf("/material/%d/fil", it.ID), nil)
	if res := e.do(anon, req); res.status != http.StatusOK || res.body != "" {
		t.Errorf("HEAD: %d", res.status)
	}
	if res := e.get(anon, fmt.Sprintf("/material/%d/fil", it.ID), "Range", "bytes=100-"); res.status != http.StatusPartialContent || res.body != string(testPDF[100:]) {
		t.Errorf("range: %d %q", res.status, res.body)
	}
	if res := e.get(anon, fmt.Sprintf("/en/material/%d/file", it.ID), "If-None-Match", `"`+it.File.SHA256+`"`); res.status != http.StatusNotModified {
		t.Errorf("revalidation: %d", res.status)
	}
	if n := e.material(it.ID).Downloads; n != 1 {
		t.Errorf("HEAD, a later range or a 304 counted: %d", n)
	}
	// A repeat by the same reader soon after is the same download.
	if res := e.get(anon, fmt.Sprintf("/material/%d/fil", it.ID)); res.status != http.StatusOK || e.material(it.ID).Downloads != 1 {
		t.Errorf("a repeat at once: %d, counted %d", res.status, e.material(it.ID).Downloads)
	}
	// Counted: a download from the first byte, in English too, once the
	// repeat window has passed.
	e.clock.Set(e.clock.Now().Add(11 * time.Minute))
	if res := e.get(anon, fmt.Sprintf("/en/material/%d/file", it.ID), "Range", "bytes=0-9"); res.status != http.StatusPartialContent || res.body != "%PDF-1.4\n1" {
		t.Errorf("first range: %d %q", res.status, res.body)
	}
	if n := e.material(it.ID).Downloads; n != 2 {
		t.Errorf("downloads after a range from the start: %d", n)
	}
	if res := e.get(anon, fmt.Sprintf("/material/%d", it.ID)); !strings.Contains(res.body, "<dt>Nedladdningar</dt><dd>2</dd>") {
		t.Error("the item page does not show the count")
	}

	// The partnership page lists it; the main navigation links the bank.
	res = e.get(anon, fmt.Sprintf("/partnerskap/%d", pid))
	wantContains(t, "partnership page", res.body, `id="material-heading"`, fmt.Sprintf(`href="/material/%d"`, it.ID),
		fmt.Sprintf(`href="/material?partnerskap=%d"`, pid), `<a href="/material">Material</a>`)

	// Withdrawn by its publisher: gone for the public.
	res = e.post(cl, fmt.Sprintf("/mitt-material/%d/status", it.ID), url.Values{"event": {"withdraw"}, "version": {fmt.Sprint(e.material(it.ID).Version)}})
	if res.status != http.StatusSeeOther || e.material(it.ID).State != material.Draft {
		t.Fatalf("withdraw: %d", res.status)
	}
	for _, path := range []string{fmt.Sprintf("/material/%d", it.ID), fmt.Sprintf("/material/%d/fil", it.ID), fmt.Sprintf("/en/material/%d/file", it.ID)} {
		if res := e.get(anon, path); res.status != http.StatusNotFound {
			t.Errorf("%s of a draft: %d", path, res.status)
		}
	}
	// The publisher can still fetch the file, uncounted.
	if res := e.get(cl, fmt.Sprintf("/mitt-material/%d/fil", it.ID)); res.status != http.StatusOK || res.body != string(testPDF) || e.material(it.ID).Downloads != 2 {
		t.Errorf("publisher's own download: %d", res.status)
	}
}

func TestMaterialDemoDownload(t *testing.T) {
	e := newEnv(t, "http://localhost")
	if err := demo.MaterialFiles(context.Background(), e.files); err != nil {
		t.Fatal(err)
	}
	it := e.materialNamed("Utställningsskärmar: Plasten, havet och vi")
	res := e.get(e.client(), fmt.Sprintf("/material/%d/fil", it.ID))
	if res.status != http.StatusOK || !strings.HasPrefix(res.body, "%PDF-") || int64(len(res.body)) != it.File.Size {
		t.Fatalf("demo download: %d, %d bytes", res.status, len(res.body))
	}
	if cd := res.header.Get("Content-Disposition"); cd != `attachment; filename="Utstallningsskarmar _ Plasten, havet och vi.pdf"; `+
		`filename*=UTF-8''Utst%C3%A4llningssk%C3%A4rmar%20%E2%80%93%20Plasten%2C%20havet%20och%20vi.pdf` {
		t.Errorf("Content-Disposition: %s", cd)
	}
	// The demo's draft is not public.
	draft := e.materialNamed("Pressmeddelande: Unga i Kalix och Masaka visar vart plasten tar vägen")
	if res := e.get(e.client(), fmt.Sprintf("/material/%d", draft.ID)); res.status != http.StatusNotFound {
		t.Errorf("demo draft: %d", res.status)
	}
}

func TestMaterialLinkItem(t *testing.T) {
	e := newEnv(t, "http://localhost")
	pid := e.partnershipID("Kalix – Masaka")
	cl := e.login(materialPartner) // a partner abroad publishes too
	form := materialFields(pid, "")
	form.Del("title_sv")
	form.Del("description_sv")
	form.Set("title_en", "Film: Masaka cleans up")
	form.Set("description_en", "A short film by young people in Masaka.")
	form.Set("kind", "film")
	form.Set("publish", "1")

	// Only https.
	form.Set("link", "http://video.example.org/masaka")
	res := e.postMaterial(cl, "/en/my-material/new", form, "", nil)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("http link: %d", res.status)
	}
	wantContains(t, "http link", res.body, "Give a full https address", `value="Film: Masaka cleans up"`, `aria-invalid="true"`, `href="#link"`)
	form.Set("link", "javascript:alert(1)")
	if res := e.postMaterial(cl, "/en/my-material/new", form, "", nil); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("javascript link: %d", res.status)
	}

	form.Set("link", "https://video.example.org/watch?v=masaka")
	if res := e.postMaterial(cl, "/en/my-material/new", form, "", nil); res.status != http.StatusSeeOther {
		t.Fatalf("https link: %d\n%s", res.status, res.body)
	}
	it := e.materialNamed("Film: Masaka cleans up")
	res = e.get(e.client(), fmt.Sprintf("/material/%d", it.ID))
	wantContains(t, "link item", res.body, `lang="en"`, "Film: Masaka cleans up", "Öppna materialet", "video.example.org (extern webbplats)")
	res = e.get(e.client(), fmt.Sprintf("/material/%d/fil", it.ID))
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "https://video.example.org/watch?v=masaka" {
		t.Fatalf("link download: %d %q", res.status, res.header.Get("Location"))
	}
	if n := e.material(it.ID).Downloads; n != 1 {
		t.Errorf("link followed, count %d", n)
	}
}

func TestMaterialUploadErrors(t *testing.T) {
	e := newEnv(t, "http://localhost")
	pid := e.partnershipID("Kalix – Masaka")
	cl := e.login(applicant)
	form := materialFields(pid, "Utställning om <plast> & hav")

	// A web page named .pdf: refused by its content, the text kept.
	res := e.postMaterial(cl, "/mitt-material/ny", form, "skärmar.pdf", []byte("<!doctype html><script>alert(1)</script>"))
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong type: %d", res.status)
	}
	wantContains(t, "wrong type", res.body, "Filtypen tas inte emot i materialbanken", `value="Utställning om &lt;plast&gt; &amp; hav"`,
		"Bilder om avfall &amp; återvinning i Kalix och Masaka.", `id="file-error"`, `href="#file"`, `value="politicians" checked`)
	// Legacy Office and plain ZIP archives are refused too.
	if res := e.postMaterial(cl, "/mitt-material/ny", form, "kit.zip", materialZip(t, "lektion.html", "<p>hej</p>")); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Filtypen tas inte emot i materialbanken") {
		t.Errorf("zip: %d", res.status)
	}

	// Over 25 MB: refused on its field with the text kept.
	big := append(append([]byte{}, testPDF...), make([]byte, material.MaxSize)...)
	res = e.postMaterial(cl, "/mitt-material/ny", form, "stor.pdf", big)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("too large: %d", res.status)
	}
	wantContains(t, "too large", res.body, "Filen är för stor (högst 25 MB)", `value="Utställning om &lt;plast&gt; &amp; hav"`)

	// Neither file nor link; neither language complete; unknown choices.
	bad := materialFields(pid, "")
	bad.Set("kind", "poster")
	bad.Set("licence", "GPL")
	bad.Set("languages", "xx")
	res = e.postMaterial(cl, "/mitt-material/ny", bad, "", nil)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", res.status)
	}
	wantContains(t, "bad form", res.body, "Välj en fil eller ange en länk.", "Fyll i både titel och beskrivning på språket", "Välj ett av alternativen.")
	if list, _, _ := e.store.MaterialList(context.Background(), material.Filter{Unpublished: true, Query: "plast> & hav"}); len(list) != 0 {
		t.Errorf("a refused form saved %d items", len(list))
	}
	if len(e.files.files) != 0 {
		t.Errorf("refused uploads left %d files", len(e.files.files))
	}

	// A partnership the user is not a member of can't be chosen.
	other := materialFields(e.partnershipID("Region Östergötland – Uasin Gishu"), "Fel partnerskap")
	if res := e.postMaterial(cl, "/mitt-material/ny", other, "a.pdf", testPDF); res.status != http.StatusUnprocessableEntity {
		t.Errorf("another partnership: %d", res.status)
	}
}

func TestMaterialAccess(t *testing.T) {
	e := newEnv(t, "http://localhost")
	strategy := e.materialNamed("Kommunikationsplan: Berätta om partnerskapet för jämlik cancervård")
	panels := e.materialNamed("Utställningsskärmar: Plasten, havet och vi")

	// Signed-out visitors are sent to sign in; a reviewer is no publisher.
	if res := e.get(e.client(), "/mitt-material/ny"); res.status != http.StatusSeeOther {
		t.Errorf("signed out: %d", res.status)
	}
	rv := e.login(materialReviewer)
	for _, path := range []string{"/mitt-material", "/mitt-material/ny", fmt.Sprintf("/mitt-material/%d", panels.ID)} {
		if res := e.get(rv, path); res.status != http.StatusForbidden {
			t.Errorf("reviewer %s: %d", path, res.status)
		}
	}
	// Kalix's applicant is not a member of Region Östergötland's partnership.
	cl := e.login(applicant)
	if res := e.get(cl, fmt.Sprintf("/mitt-material/%d", strategy.ID)); res.status != http.StatusForbidden {
		t.Errorf("non-member edit page: %d", res.status)
	}
	edit := materialFields(strategy.PartnershipID, "Kapad")
	edit.Set("version", fmt.Sprint(strategy.Version))
	if res := e.postMaterial(cl, fmt.Sprintf("/mitt-material/%d", strategy.ID), edit, "", nil); res.status != http.StatusForbidden {
		t.Errorf("non-member update: %d", res.status)
	}
	if res := e.post(cl, fmt.Sprintf("/mitt-material/%d/status", strategy.ID), url.Values{"event": {"withdraw"}, "version": {fmt.Sprint(strategy.Version)}}); res.status != http.StatusForbidden {
		t.Errorf("non-member withdraw: %d", res.status)
	}
	// A publisher may not take down as an officer does.
	if res := e.post(cl, fmt.Sprintf("/mitt-material/%d/status", panels.ID), url.Values{"event": {"remove"}, "reason": {"x"}, "version": {fmt.Sprint(panels.Version)}}); res.status != http.StatusForbidden {
		t.Errorf("publisher removes: %d", res.status)
	}
	if e.material(strategy.ID).TitleSV != strategy.TitleSV || e.material(panels.ID).State != material.Published {
		t.Fatal("a refused request changed an item")
	}
	if res := e.get(e.client(), "/material/999999"); res.status != http.StatusNotFound {
		t.Errorf("unknown item: %d", res.status)
	}
	if res := e.get(e.client(), "/material/abc/fil"); res.status != http.StatusNotFound {
		t.Errorf("bad id: %d", res.status)
	}

	// An officer takes the panels down: a reason is required, the public
	// loses the item, the publisher sees why and cannot publish it again.
	off := e.login(officer)
	if res := e.get(off, "/mitt-material"); res.status != http.StatusOK || !strings.Contains(res.body, "Pressmeddelande: Unga i Kalix") {
		t.Errorf("officer's list: %d", res.status)
	}
	path := fmt.Sprintf("/mitt-material/%d/status", panels.ID)
	res := e.post(off, path, url.Values{"event": {"remove"}, "reason": {"  "}, "version": {fmt.Sprint(panels.Version)}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#reason"`) {
		t.Fatalf("remove without a reason: %d", res.status)
	}
	reason := "Bilderna visar elever utan samtycke från vårdnadshavare."
	if res := e.post(off, path, url.Values{"event": {"remove"}, "reason": {reason}, "version": {fmt.Sprint(panels.Version)}}); res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.status)
	}
	if res := e.get(e.client(), fmt.Sprintf("/material/%d", panels.ID)); res.status != http.StatusNotFound {
		t.Errorf("removed item public: %d", res.status)
	}
	if res := e.get(cl, fmt.Sprintf("/mitt-material/%d", panels.ID)); !strings.Contains(res.body, reason) || !strings.Contains(res.body, "Borttaget av handläggare") {
		t.Errorf("publisher does not see the reason: %d", res.status)
	}
	removed := e.material(panels.ID)
	if res := e.post(cl, path, url.Values{"event": {"publish"}, "version": {fmt.Sprint(removed.Version)}}); res.status != http.StatusConflict {
		t.Errorf("publisher republishes a removed item: %d", res.status)
	}
	log, err := e.store.AuditLog(context.Background(), audit.Filter{Entity: "material", EntityID: panels.ID})
	if err != nil || len(log) == 0 || log[0].Action != "remove" {
		t.Errorf("audit log: %v %+v", err, log)
	}
}

func TestMaterialFilterBadInput(t *testing.T) {
	e := newEnv(t, "http://localhost")
	anon := e.client()
	panels := e.materialNamed("Utställningsskärmar: Plasten, havet och vi")
	strategy := e.materialNamed("Kommunikationsplan: Berätta om partnerskapet för jämlik cancervård")
	// Unknown values are ignored; the known one still filters.
	res := e.get(anon, "/material?typ=exhibition&sprak=xx&mal=99&licens=GPL&malgrupp=kungar&partnerskap=abc&sida=-3")
	if res.status != http.StatusOK {
		t.Fatalf("bad filter: %d", res.status)
	}
	wantContains(t, "bad filter", res.body, fmt.Sprintf(`href="/material/%d"`, panels.ID), `<option value="exhibition" selected>`)
	wantNotContains(t, "bad filter", res.body, fmt.Sprintf(`href="/material/%d"`, strategy.ID), `value="kungar"`, `value="GPL"`, `value="xx"`)
	if n := strings.Count(res.body, " selected>"); n != 1 {
		t.Errorf("bad filter: %d choices selected, want only the kind", n)
	}
	if !strings.Contains(res.body, `href="/material"`) || !strings.Contains(res.body, "Rensa filter") {
		t.Error("bad filter: no way to clear it")
	}
	// A page past the end does not exist; absurd numbers and text are harmless.
	for _, q := range []string{"sida=999999999999999999999", "sida=5000"} {
		if res := e.get(anon, "/material?"+q); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", q, res.status)
		}
	}
	for _, q := range []string{"q=" + url.QueryEscape(`<script>alert("x")</script>`), "q=" + strings.Repeat("å", 5000), "mal=1e9"} {
		res := e.get(anon, "/material?"+q)
		if res.status != http.StatusOK || strings.Contains(res.body, "<script>alert") {
			t.Errorf("%.40s: %d", q, res.status)
		}
	}
	// Filters combine and can be shared: goal 3 and Swedish finds the strategy only.
	res = e.get(anon, "/en/material?mal=3&sprak=sv")
	wantContains(t, "goal filter", res.body, fmt.Sprintf(`href="/en/material/%d"`, strategy.ID), "1 item.")
	wantNotContains(t, "goal filter", res.body, fmt.Sprintf(`href="/en/material/%d"`, panels.ID))
}

func TestMaterialPagination(t *testing.T) {
	e := newEnv(t, "http://localhost")
	pid := e.partnershipID("Kalix – Masaka")
	ctx := context.Background()
	for i := range 45 {
		it := &material.Item{PartnershipID: pid, Kind: material.PressText, TitleSV: fmt.Sprintf("Presstext nummer %02d", i), DescriptionSV: "Text.",
			Languages: []string{"sv"}, Licence: "CC0-1.0", TargetGroups: []string{"media"}, Link: fmt.Sprintf("https://www.kalix.se/press/%d", i)}
		if err := e.store.CreateMaterial(ctx, audit.System("test"), it); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.ChangeMaterialState(ctx, audit.System("test"), it.ID, 1, material.Publish, ""); err != nil {
			t.Fatal(err)
		}
	}
	anon := e.client()
	res := e.get(anon, "/material?typ=press_text")
	wantContains(t, "page 1", res.body, "45 material. Visar 1–20.", `href="/material?sida=2&amp;typ=press_text" rel="next"`, `aria-current="page">Sida 1</a>`, "Sida 1 av 3")
	res = e.get(anon, "/material?typ=press_text&sida=3")
	wantContains(t, "page 3", res.body, "45 material. Visar 41–45.", `rel="prev"`, "Presstext nummer 00")
	wantNotContains(t, "page 3", res.body, `rel="next"`)
	if res := e.get(anon, "/material?typ=press_text&sida=4"); res.status != http.StatusNotFound {
		t.Errorf("the page after the last: %d, want 404", res.status)
	}
}
