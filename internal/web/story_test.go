package web_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/story"
)

// masakaPartner is the demo's partner contact in Masaka (kalixApplicant
// is in case_test.go).
const masakaPartner = "partner@masaka.demo.partnerskap.se"

// postStory posts the story form as a browser does: multipart, the text
// fields first and the image (when name is not "") last.
func (e *env) postStory(c *http.Client, path string, form url.Values, name string, data []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("image", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(c, req)
}

func (e *env) partnershipNamed(name string) *partnership.Partnership {
	e.t.Helper()
	ps, err := e.store.PartnershipList(context.Background(), partnership.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	e.t.Fatalf("no partnership %q", name)
	return nil
}

func (e *env) storyAt(location string) *story.Story {
	e.t.Helper()
	var id int64
	if _, err := fmt.Sscanf(location[strings.LastIndex(location, "/")+1:], "%d", &id); err != nil {
		e.t.Fatalf("no story id in %q", location)
	}
	st, err := e.store.Story(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func smallPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// atomFeed is what the tests read of an Atom feed.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Entries []struct {
		Title     string `xml:"title"`
		ID        string `xml:"id"`
		Published string `xml:"published"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

func (e *env) feed(path string) atomFeed {
	e.t.Helper()
	res := e.get(e.client(), path)
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/atom+xml") {
		e.t.Fatalf("feed %s: %d %s", path, res.status, res.header.Get("Content-Type"))
	}
	var f atomFeed
	if err := xml.Unmarshal([]byte(res.body), &f); err != nil {
		e.t.Fatalf("feed %s does not parse: %v\n%s", path, err, res.body)
	}
	return f
}

func (f atomFeed) titles() []string {
	var out []string
	for _, e := range f.Entries {
		out = append(out, e.Title)
	}
	return out
}

func (f atomFeed) has(title string) bool {
	for _, t := range f.titles() {
		if t == title {
			return true
		}
	}
	return false
}

func TestStoriesPublic(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	anon := e.client()
	kalix := e.partnershipNamed("Kalix – Masaka")
	arvika := e.partnershipNamed("Arvika – Uasin Gishu")

	res := e.get(anon, "/berattelser")
	wantContains(t, "list", res.body, "Eleverna som städade två stränder", "Vattnet är en demokratifråga", "Masaka&#39;s new sorting station",
		`<link rel="alternate" type="application/atom+xml"`, `href="/berattelser/atom.xml"`)
	// An English-only story on a Swedish page, and a Swedish-only one on an English page, are marked with their language.
	wantContains(t, "list", res.body, `<h2 lang="en"><a href=`, "på engelska")
	res = e.get(anon, "/en/stories")
	wantContains(t, "English list", res.body, "The pupils who cleaned two beaches", `<h2 lang="sv"><a href=`, "Vattnet är en demokratifråga", "in Swedish")
	// Unknown filter values are ignored; a goal filters.
	for _, q := range []string{"?mal=abc", "?mal=99", "?mal=-1&x=%ff"} {
		if res := e.get(anon, "/berattelser"+q); res.status != http.StatusOK || !strings.Contains(res.body, "Vattnet är en demokratifråga") {
			t.Errorf("list%s: %d", q, res.status)
		}
	}
	res = e.get(anon, "/berattelser?mal=6")
	wantContains(t, "goal 6", res.body, "Vattnet är en demokratifråga", `href="/mal/6/berattelser.atom"`)
	wantNotContains(t, "goal 6", res.body, "Eleverna som städade två stränder")

	// Home and partnership pages.
	res = e.get(anon, "/", "Accept-Language", "sv")
	wantContains(t, "home", res.body, "Senaste berättelserna", `href="/berattelser"`)
	res = e.get(anon, fmt.Sprintf("/partnerskap/%d", kalix.ID))
	wantContains(t, "partnership", res.body, "Eleverna som städade två stränder",
		fmt.Sprintf(`<link rel="alternate" type="application/atom+xml" title="Berättelser från Kalix – Masaka" href="/partnerskap/%d/berattelser.atom">`, kalix.ID))
	wantNotContains(t, "partnership", res.body, "Vattnet är en demokratifråga")
	if res := e.get(anon, "/mal/6"); !strings.Contains(res.body, `href="/mal/6/berattelser.atom"`) {
		t.Errorf("goal page: no feed link")
	}

	// A story's page: sanitised body, demoted headings, the image with its alt text.
	stories, err := e.store.StoryList(context.Background(), story.Filter{PartnershipID: kalix.ID})
	if err != nil {
		t.Fatal(err)
	}
	var beach *story.Story
	for _, s := range stories {
		if s.Image != nil {
			beach = s
		}
	}
	if beach == nil {
		t.Fatal("no demo story with an image")
	}
	res = e.get(anon, fmt.Sprintf("/berattelser/%d", beach.ID))
	wantContains(t, "story", res.body, "<h1>Eleverna som städade två stränder</h1>", "<h2>Vad de hittade</h2>",
		`alt="Elever med sopsäckar på en sandstrand, blått hav i bakgrunden"`, `rel="noopener nofollow"`)
	res = e.get(anon, fmt.Sprintf("/en/stories/%d", beach.ID))
	wantContains(t, "English story", res.body, "<h1>The pupils who cleaned two beaches</h1>", `alt="Pupils with rubbish sacks on a sandy beach`)

	// The demo image: its bytes are written by demo.PutFiles (which the app calls with its file store).
	if err := demo.PutFiles(context.Background(), e.files); err != nil {
		t.Fatal(err)
	}
	res = e.get(anon, fmt.Sprintf("/berattelser/%d/bild", beach.ID))
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "image/png" || res.header.Get("X-Content-Type-Options") != "nosniff" ||
		!bytes.Equal([]byte(res.body), demo.StoryImage()) {
		t.Errorf("image: %d %s %q", res.status, res.header.Get("Content-Type"), res.header.Get("X-Content-Type-Options"))
	}

	// Bad input is 404, never 500.
	for _, path := range []string{"/berattelser/999999", "/berattelser/abc", "/berattelser/-1", "/en/stories/0", "/berattelser/999999/bild",
		fmt.Sprintf("/berattelser/%d/bild", stories[0].ID+1000), "/mal/0/berattelser.atom", "/mal/18/berattelser.atom", "/mal/x/berattelser.atom",
		"/partnerskap/999999/berattelser.atom", "/partnerskap/abc/berattelser.atom"} {
		if res := e.get(anon, path); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
	}

	// Feeds: all, per goal, per partnership; absolute links from the base URL.
	all := e.feed("/berattelser/atom.xml")
	if all.ID != "https://partnerskap.example/berattelser/atom.xml" {
		t.Errorf("feed id %q", all.ID)
	}
	if len(all.Entries) != 7 || !all.has("Eleverna som städade två stränder") || !all.has("Masaka's new sorting station") {
		t.Errorf("all: %v", all.titles())
	}
	for _, en := range all.Entries {
		if !strings.HasPrefix(en.Link.Href, "https://partnerskap.example/berattelser/") || en.ID == "" || en.Content == "" || en.Published != "2021-06-01T10:00:00Z" {
			t.Errorf("entry %q: link %q id %q", en.Title, en.Link.Href, en.ID)
		}
	}
	if en := e.feed("/en/stories/atom.xml"); !en.has("The pupils who cleaned two beaches") || !en.has("Vattnet är en demokratifråga") ||
		!strings.HasPrefix(en.Entries[0].Link.Href, "https://partnerskap.example/en/stories/") {
		t.Errorf("English feed: %v", en.titles())
	}
	if g := e.feed("/mal/6/berattelser.atom"); len(g.Entries) != 1 || !g.has("Vattnet är en demokratifråga") {
		t.Errorf("goal 6 feed: %v", g.titles())
	}
	if g := e.feed("/en/goals/12/stories.atom"); len(g.Entries) != 2 {
		t.Errorf("goal 12 feed: %v", g.titles())
	}
	if p := e.feed(fmt.Sprintf("/partnerskap/%d/berattelser.atom", arvika.ID)); len(p.Entries) != 1 || !p.has("Vattnet är en demokratifråga") {
		t.Errorf("Arvika feed: %v", p.titles())
	}
	if p := e.feed(fmt.Sprintf("/partnerskap/%d/berattelser.atom", kalix.ID)); len(p.Entries) != 2 || p.has("Vattnet är en demokratifråga") {
		t.Errorf("Kalix feed: %v", p.titles())
	}
}

// TestStoryFeedHost: without a configured base URL, feed links use the
// request's host.
func TestStoryFeedHost(t *testing.T) {
	e := newEnv(t, "")
	f := e.feed("/berattelser/atom.xml")
	host := strings.TrimPrefix(e.srv.URL, "http://")
	if len(f.Entries) == 0 || !strings.HasPrefix(f.Entries[0].Link.Href, "http://"+host+"/berattelser/") {
		t.Errorf("links: %+v", f.Entries)
	}
}

func TestStoryWriteAndPublish(t *testing.T) {
	e := newEnv(t, "http://localhost")
	anon := e.client()
	writer := e.login(kalixApplicant)
	kalix := e.partnershipNamed("Kalix – Masaka")

	res := e.get(writer, "/mina-berattelser")
	wantContains(t, "my stories", res.body, "Kalix – Masaka", "Eleverna som städade två stränder", "Publicerad", "/mina-berattelser/ny?partnerskap=")
	res = e.get(writer, "/mina-berattelser/ny")
	wantContains(t, "new form", res.body, `enctype="multipart/form-data"`, `name="title_sv"`, `name="image"`, `name="image_alt_sv"`, `name="goals"`)

	// An empty story is refused with a clear error.
	res = e.postStory(writer, "/mina-berattelser/ny", url.Values{"partnership": {fmt.Sprint(kalix.ID)}}, "", nil)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("empty story: %d", res.status)
	}
	wantContains(t, "empty story", res.body, "Skriv rubrik och text på minst ett språk.")

	// A story with a script, a javascript: link, and an image.
	form := url.Values{"partnership": {fmt.Sprint(kalix.ID)}, "title_sv": {"Återvinning på torget"},
		"body_sv":      {"# Rubrik\n\nVi <script>alert('x')</script> sorterade.\n\n[Klicka](javascript:alert(1)) eller <img src=x onerror=alert(2)>"},
		"goals":        {"12", "14"},
		"image_alt_sv": {"Sopkärl i olika färger på ett torg"}}
	res = e.postStory(writer, "/mina-berattelser/ny", form, "torget.png", smallPNG(t))
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.status, res.body)
	}
	st := e.storyAt(res.header.Get("Location"))
	if st.State != story.Draft || st.Image == nil || st.Image.ContentType != "image/png" || len(st.Goals) != 2 {
		t.Fatalf("created: %+v %+v", st, st.Image)
	}
	public := fmt.Sprintf("/berattelser/%d", st.ID)
	imagePath := public + "/bild"

	// A draft is not public, nor its image; its writer previews both.
	for _, p := range []string{public, imagePath, "/en/stories/" + fmt.Sprint(st.ID)} {
		if res := e.get(anon, p); res.status != http.StatusNotFound {
			t.Errorf("draft %s for the public: %d", p, res.status)
		}
	}
	res = e.get(writer, fmt.Sprintf("/mina-berattelser/%d/forhandsgranska", st.ID))
	if res.status != http.StatusOK {
		t.Fatalf("preview: %d", res.status)
	}
	wantContains(t, "preview", res.body, "Förhandsgranskning", "<h1>Återvinning på torget</h1>", "<h2>Rubrik</h2>", `alt="Sopkärl i olika färger på ett torg"`, "Publicera")
	wantNotContains(t, "preview", res.body, "<script>alert", "javascript:", "onerror")
	if res := e.get(writer, imagePath); res.status != http.StatusOK || res.header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("writer's image of a draft: %d %s", res.status, res.header.Get("Cache-Control"))
	}
	if f := e.feed("/berattelser/atom.xml"); f.has("Återvinning på torget") {
		t.Error("a draft is in the feed")
	}

	// Publish: public page, image and feeds.
	res = e.post(writer, fmt.Sprintf("/mina-berattelser/%d/publicera", st.ID), url.Values{"version": {fmt.Sprint(st.Version)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", res.status, res.body)
	}
	res = e.get(anon, public)
	if res.status != http.StatusOK {
		t.Fatalf("published story: %d", res.status)
	}
	wantContains(t, "published", res.body, "<h1>Återvinning på torget</h1>", "sorterade.", fmt.Sprintf(`<img src="/berattelser/%d/bild?v=`, st.ID))
	wantNotContains(t, "published", res.body, "<script>alert", "javascript:", "onerror", "<h1>Rubrik")
	if res := e.get(anon, imagePath); res.status != http.StatusOK || res.header.Get("Content-Type") != "image/png" || res.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("public image: %d %v", res.status, res.header)
	}
	f := e.feed("/berattelser/atom.xml")
	if !f.has("Återvinning på torget") {
		t.Errorf("feed: %v", f.titles())
	}
	for _, en := range f.Entries {
		if strings.Contains(en.Content, "<script") || strings.Contains(en.Content, "javascript:") {
			t.Errorf("feed content not sanitised: %s", en.Content)
		}
	}
	if g := e.feed("/mal/14/berattelser.atom"); !g.has("Återvinning på torget") {
		t.Errorf("goal 14 feed: %v", g.titles())
	}
	if g := e.feed("/mal/6/berattelser.atom"); g.has("Återvinning på torget") {
		t.Errorf("goal 6 feed has it: %v", g.titles())
	}
	// Publishing twice is a conflict shown on the form, not an error page.
	if res := e.post(writer, fmt.Sprintf("/mina-berattelser/%d/publicera", st.ID), url.Values{}); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "Berättelsen har redan det läget.") {
		t.Errorf("publish twice: %d", res.status)
	}

	// Unpublish: 404 for the public again, gone from the feed.
	cur := e.storyAt(public)
	res = e.post(writer, fmt.Sprintf("/mina-berattelser/%d/avpublicera", st.ID), url.Values{"version": {fmt.Sprint(cur.Version)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("unpublish: %d", res.status)
	}
	if res := e.get(anon, public); res.status != http.StatusNotFound {
		t.Errorf("unpublished: %d", res.status)
	}
	if res := e.get(anon, imagePath); res.status != http.StatusNotFound {
		t.Errorf("unpublished image: %d", res.status)
	}
	if f := e.feed("/berattelser/atom.xml"); f.has("Återvinning på torget") {
		t.Error("an unpublished story is in the feed")
	}

	// Editing: the text is saved, the image kept, and removed on request.
	cur = e.storyAt(public)
	edit := url.Values{"version": {fmt.Sprint(cur.Version)}, "title_sv": {"Återvinning på torget i Kalix"}, "body_sv": {"Ny text."},
		"title_en": {"Recycling in the square"}, "body_en": {"New text."}, "image_alt_sv": {"Sopkärl på torget"}}
	res = e.postStory(writer, fmt.Sprintf("/mina-berattelser/%d", st.ID), edit, "", nil)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("edit without English alt: %d", res.status)
	}
	wantContains(t, "edit", res.body, "Skriv en alternativtext för bilden på varje språk berättelsen har.", `value="Recycling in the square"`)
	edit.Set("image_alt_en", "Bins in the square")
	if res := e.postStory(writer, fmt.Sprintf("/mina-berattelser/%d", st.ID), edit, "", nil); res.status != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", res.status, res.body)
	}
	cur = e.storyAt(public)
	if cur.TitleEN != "Recycling in the square" || cur.Image == nil || cur.Image.AltEN != "Bins in the square" || cur.Image.Key != st.Image.Key {
		t.Errorf("after edit: %+v %+v", cur, cur.Image)
	}
	edit.Set("version", fmt.Sprint(cur.Version))
	edit.Set("remove_image", "1")
	if res := e.postStory(writer, fmt.Sprintf("/mina-berattelser/%d", st.ID), edit, "", nil); res.status != http.StatusSeeOther {
		t.Fatalf("remove image: %d", res.status)
	}
	if cur = e.storyAt(public); cur.Image != nil {
		t.Errorf("image kept: %+v", cur.Image)
	}
	if _, err := e.files.Open(context.Background(), st.Image.Key); err == nil {
		t.Error("the removed image's bytes are still stored")
	}
	// A stale version is a conflict that keeps what was typed.
	edit.Set("title_sv", "Gammal version")
	if res := e.postStory(writer, fmt.Sprintf("/mina-berattelser/%d", st.ID), edit, "", nil); res.status != http.StatusConflict ||
		!strings.Contains(res.body, `value="Gammal version"`) {
		t.Errorf("stale edit: %d", res.status)
	}

	// The partner abroad writes an English-only story.
	partner := e.login(masakaPartner)
	res = e.postStory(partner, "/en/my-stories/new", url.Values{"partnership": {fmt.Sprint(kalix.ID)}, "title_en": {"Market day in Masaka"},
		"body_en": {"Traders sorted plastic."}, "goals": {"11"}}, "", nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("partner's story: %d\n%s", res.status, res.body)
	}
	pst := e.storyAt(res.header.Get("Location"))
	if res := e.post(partner, fmt.Sprintf("/en/my-stories/%d/publish", pst.ID), url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("partner publishes: %d", res.status)
	}
	res = e.get(anon, fmt.Sprintf("/berattelser/%d", pst.ID))
	wantContains(t, "partner's story on the Swedish page", res.body, `<article class="story" lang="en">`, "Market day in Masaka", "på engelska")
}

func TestStoryAccess(t *testing.T) {
	e := newEnv(t, "http://localhost")
	writer := e.login(kalixApplicant)
	arvika := e.partnershipNamed("Arvika – Uasin Gishu")
	kalix := e.partnershipNamed("Kalix – Masaka")
	list, err := e.store.StoryList(context.Background(), story.Filter{PartnershipID: arvika.ID})
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	other := list[0] // Arvika's: the Kalix applicant is not a member
	mine, err := e.store.StoryList(context.Background(), story.Filter{PartnershipID: kalix.ID})
	if err != nil || len(mine) == 0 {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		who    string
		method string
		path   string
		want   int
	}{
		{kalixApplicant, "GET", fmt.Sprintf("/mina-berattelser/%d", other.ID), http.StatusForbidden},
		{kalixApplicant, "GET", fmt.Sprintf("/mina-berattelser/%d/forhandsgranska", other.ID), http.StatusForbidden},
		{kalixApplicant, "POST", fmt.Sprintf("/mina-berattelser/%d/avpublicera", other.ID), http.StatusForbidden},
		{kalixApplicant, "POST", fmt.Sprintf("/mina-berattelser/%d", other.ID), http.StatusForbidden},
		{kalixApplicant, "GET", "/mina-berattelser/999999", http.StatusNotFound},
		{kalixApplicant, "GET", "/personal/berattelser", http.StatusForbidden},
		{kalixApplicant, "POST", fmt.Sprintf("/personal/berattelser/%d/dolj", mine[0].ID), http.StatusForbidden},
		{"bedomare@demo.partnerskap.se", "GET", "/mina-berattelser", http.StatusForbidden},
		{"bedomare@demo.partnerskap.se", "GET", fmt.Sprintf("/mina-berattelser/%d", mine[0].ID), http.StatusForbidden},
		{"bedomare@demo.partnerskap.se", "GET", "/mina-berattelser/ny", http.StatusForbidden},
		{officer, "GET", fmt.Sprintf("/mina-berattelser/%d", mine[0].ID), http.StatusForbidden},
		{officer, "POST", fmt.Sprintf("/mina-berattelser/%d/publicera", mine[0].ID), http.StatusForbidden},
		{masakaPartner, "GET", fmt.Sprintf("/mina-berattelser/%d", mine[0].ID), http.StatusOK},
		{masakaPartner, "GET", fmt.Sprintf("/mina-berattelser/%d", other.ID), http.StatusForbidden},
	} {
		c := e.login(tc.who)
		var res response
		if tc.method == "GET" {
			res = e.get(c, tc.path)
		} else {
			res = e.post(c, tc.path, url.Values{"version": {"1"}, "title_sv": {"x"}, "body_sv": {"y"}, "reason": {"z"}})
		}
		if res.status != tc.want {
			t.Errorf("%s %s %s: %d, want %d", tc.who, tc.method, tc.path, res.status, tc.want)
		}
	}
	// Writing for a partnership one is not a member of is refused.
	res := e.postStory(writer, "/mina-berattelser/ny", url.Values{"partnership": {fmt.Sprint(arvika.ID)}, "title_sv": {"x"}, "body_sv": {"y"}}, "", nil)
	if res.status != http.StatusForbidden {
		t.Errorf("story for another partnership: %d", res.status)
	}
	// An unknown partnership is a field error, with the text kept.
	res = e.postStory(writer, "/mina-berattelser/ny", url.Values{"partnership": {"abc"}, "title_sv": {"Min rubrik"}, "body_sv": {"y"}}, "", nil)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `value="Min rubrik"`) {
		t.Errorf("unknown partnership: %d", res.status)
	}
	// Signed out, the workspace pages send to the login.
	if res := e.get(e.client(), "/mina-berattelser"); res.status != http.StatusSeeOther {
		t.Errorf("signed out: %d", res.status)
	}
}

func TestStoryHide(t *testing.T) {
	e := newEnv(t, "http://localhost")
	anon := e.client()
	writer := e.login(kalixApplicant)
	off := e.login(officer)
	kalix := e.partnershipNamed("Kalix – Masaka")
	list, err := e.store.StoryList(context.Background(), story.Filter{PartnershipID: kalix.ID})
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	st := list[0]
	public := fmt.Sprintf("/berattelser/%d", st.ID)

	res := e.get(off, "/personal/berattelser")
	wantContains(t, "staff list", res.body, strings.ReplaceAll(st.Title("sv"), "'", "&#39;"), fmt.Sprintf(`href="/personal/berattelser/%d"`, st.ID))
	res = e.get(off, fmt.Sprintf("/personal/berattelser/%d", st.ID))
	wantContains(t, "staff story", res.body, `name="reason"`, "Dölj berättelsen")

	// A reason is required; the form says so.
	res = e.post(off, fmt.Sprintf("/personal/berattelser/%d/dolj", st.ID), url.Values{"reason": {"  "}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Fältet måste fyllas i.") {
		t.Fatalf("hide without reason: %d", res.status)
	}
	res = e.post(off, fmt.Sprintf("/personal/berattelser/%d/dolj", st.ID), url.Values{"reason": {"Namn på barn utan samtycke"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("hide: %d\n%s", res.status, res.body)
	}
	if res := e.get(anon, public); res.status != http.StatusNotFound {
		t.Errorf("hidden story for the public: %d", res.status)
	}
	if f := e.feed("/berattelser/atom.xml"); f.has(st.Title("sv")) {
		t.Error("a hidden story is in the feed")
	}
	// The author sees why and cannot republish or unpublish it.
	res = e.get(writer, fmt.Sprintf("/mina-berattelser/%d", st.ID))
	wantContains(t, "author's form", res.body, "Namn på barn utan samtycke", "Dold av handläggare")
	for _, action := range []string{"publicera", "avpublicera"} {
		res = e.post(writer, fmt.Sprintf("/mina-berattelser/%d/%s", st.ID, action), url.Values{})
		if res.status != http.StatusConflict || !strings.Contains(res.body, "En handläggare har dolt berättelsen.") {
			t.Errorf("author %s a hidden story: %d", action, res.status)
		}
	}
	if got := e.storyAt(public); got.State != story.Hidden {
		t.Fatalf("state: %s", got.State)
	}
	// The officer shows it again: it is public as before.
	if res := e.post(off, fmt.Sprintf("/personal/berattelser/%d/visa", st.ID), url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("unhide: %d", res.status)
	}
	if res := e.get(anon, public); res.status != http.StatusOK {
		t.Errorf("unhidden: %d", res.status)
	}
}

func TestStoryUploadErrors(t *testing.T) {
	e := newEnv(t, "http://localhost")
	writer := e.login(kalixApplicant)
	kalix := e.partnershipNamed("Kalix – Masaka")
	form := url.Values{"partnership": {fmt.Sprint(kalix.ID)}, "title_sv": {"Min text om plast"}, "body_sv": {"Allt jag skrev <b>finns kvar</b>."},
		"image_alt_sv": {"En bild"}}
	before := len(e.files.files)

	tooBig := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, story.MaxImageSize)...)
	huge := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 6*story.MaxImageSize)...)
	for _, tc := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"script.html", []byte("<html><script>alert(1)</script></html>"), "Bilden tas inte emot."},
		{"bild.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "Bilden tas inte emot."},
		{"rapport.pdf", []byte("%PDF-1.4 x"), "Bilden tas inte emot."},
		{"trasig.png", []byte("\x89PNG\r\n\x1a\nnot really"), "Bilden tas inte emot."},
		{"stor.png", tooBig, "Bilden är för stor"},
		{"enorm.png", huge, "Bilden är för stor"},
		{"jätte.webp", webpCanvas(40_000, 40_000), "Bilden är för stor"}, // 1.6 gigapixels in 30 bytes
	} {
		res := e.postStory(writer, "/mina-berattelser/ny", form, tc.name, tc.data)
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", tc.name, res.status)
			continue
		}
		wantContains(t, tc.name, res.body, tc.msg, "Välj bilden igen", `value="Min text om plast"`, "Allt jag skrev &lt;b&gt;finns kvar&lt;/b&gt;.", `value="En bild"`, `id="image-error"`)
	}
	if len(e.files.files) != before {
		t.Errorf("refused images were stored: %d files, before %d", len(e.files.files), before)
	}
	stories, _ := e.store.StoryList(context.Background(), story.Filter{PartnershipID: kalix.ID})
	for _, s := range stories {
		if s.TitleSV == "Min text om plast" {
			t.Error("a refused story was saved")
		}
	}
	// The error is tied to the field.
	res := e.postStory(writer, "/mina-berattelser/ny", form, "x.html", []byte("<html>"))
	if !regexp.MustCompile(`<input id="image" name="image" type="file"[^>]*aria-invalid="true"[^>]*aria-describedby="image-hint image-error"`).MatchString(res.body) {
		t.Errorf("file input not tied to its error")
	}
}

// TestStoryListPages shows the public list 20 stories a page, with links
// that keep the goal chosen, and no page past the last.
func TestStoryListPages(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	pid := e.partnershipID("Kalix – Masaka")
	before, err := e.store.StoryList(ctx, story.Filter{States: []story.State{story.Published}, Goal: 14})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 25 {
		st := &story.Story{PartnershipID: pid, TitleSV: fmt.Sprintf("Havet och plasten, del %02d", i), BodySV: "Text om havet.", Goals: []int{14}}
		if err := e.store.CreateStory(ctx, audit.System("test"), st); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.ChangeStoryState(ctx, audit.System("test"), st.ID, 0, story.Publish, ""); err != nil {
			t.Fatal(err)
		}
	}
	total := len(before) + 25
	anon := e.client()
	res := e.get(anon, "/berattelser?mal=14")
	if got := strings.Count(res.body, `class="story-item"`); got != 20 {
		t.Errorf("page 1 shows %d stories, want 20", got)
	}
	wantContains(t, "page 1", res.body, `href="/berattelser?mal=14&amp;sida=2" rel="next"`, "Sida 1 av 2", "Havet och plasten, del 24")
	wantNotContains(t, "page 1", res.body, `rel="prev"`)
	res = e.get(anon, "/berattelser?mal=14&sida=2")
	if got := strings.Count(res.body, `class="story-item"`); got != total-20 {
		t.Errorf("page 2 shows %d stories, want %d", got, total-20)
	}
	wantContains(t, "page 2", res.body, `href="/berattelser?mal=14" rel="prev"`, "Sida 2 av 2", "Havet och plasten, del 00")
	for _, q := range []string{"sida=3", "sida=99999999999999999999999"} {
		if res := e.get(anon, "/berattelser?mal=14&"+q); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", q, res.status)
		}
	}
	for _, q := range []string{"sida=0", "sida=-2", "sida=x"} {
		if res := e.get(anon, "/berattelser?mal=14&"+q); res.status != http.StatusOK || !strings.Contains(res.body, "Sida 1 av 2") {
			t.Errorf("%s: %d, want the first page", q, res.status)
		}
	}
}

// TestStoryFeedSummaryEscaped: a story that shows HTML as text (in a code
// span) keeps it text in the feed, whose summary a reader takes as HTML.
func TestStoryFeedSummaryEscaped(t *testing.T) {
	e := newEnv(t, "http://localhost")
	ctx := context.Background()
	st := &story.Story{PartnershipID: e.partnershipID("Kalix – Masaka"), TitleSV: "Kod i texten",
		BodySV: "Hej `<img src=x onerror=alert(1)>` och a<b."}
	if err := e.store.CreateStory(ctx, audit.System("test"), st); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ChangeStoryState(ctx, audit.System("test"), st.ID, 0, story.Publish, ""); err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Summary struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"summary"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(e.get(e.client(), "/berattelser/atom.xml").body), &feed); err != nil {
		t.Fatal(err)
	}
	for _, en := range feed.Entries {
		if en.Title != "Kod i texten" {
			continue
		}
		// The summary is HTML: once a reader decodes it, the text must
		// still hold no tag.
		if en.Summary.Type == "html" && (strings.Contains(en.Summary.Text, "<img") || !strings.Contains(en.Summary.Text, "&lt;img")) {
			t.Errorf("summary %q carries markup", en.Summary.Text)
		}
		return
	}
	t.Error("the published story is not in the feed")
}

// webpCanvas is the start of an extended WebP file (a VP8X chunk) that
// declares a canvas of w × h pixels: enough for a reader to learn its size.
func webpCanvas(w, h int) []byte {
	chunk := []byte{0, 0, 0, 0, // flags and reserved
		byte(w - 1), byte((w - 1) >> 8), byte((w - 1) >> 16),
		byte(h - 1), byte((h - 1) >> 8), byte((h - 1) >> 16)}
	body := append([]byte("WEBPVP8X\x0a\x00\x00\x00"), chunk...)
	size := len(body)
	return append([]byte{'R', 'I', 'F', 'F', byte(size), byte(size >> 8), byte(size >> 16), byte(size >> 24)}, body...)
}
