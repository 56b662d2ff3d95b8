package app

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/icld/partnerskap/internal/demo"
)

// client is a browser for the round trip: its own cookies, redirects not
// followed, so each 303 is seen.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newClient(t *testing.T, addr string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: "http://" + addr, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(req *http.Request) (int, http.Header, []byte, error) {
	res, err := c.c.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b, err
}

func (c *client) get(path string) (int, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	status, _, body, err := c.do(req)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	return status, body
}

func (c *client) login(email string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+"/logga-in", strings.NewReader(url.Values{"email": {email}, "password": {demo.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, h, body, err := c.do(req)
	if err != nil || status != http.StatusSeeOther || strings.HasPrefix(h.Get("Location"), "/logga-in") {
		c.t.Fatalf("login %s: %d %s %v\n%s", email, status, h.Get("Location"), err, body)
	}
}

// postMaterial creates a material item with a file, as the form does,
// and returns its id. It may run on another goroutine: it reports
// failures as errors.
func (c *client) postMaterial(pid, title string, publish bool, file []byte) (int64, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"partnership": pid, "kind": "presentation", "title_sv": title,
		"description_sv": "Bilder om avfall och återvinning.", "languages": "sv", "target_groups": "citizens",
		"goals": "12", "licence": "CC-BY-4.0", "author": "Kalix kommun"} {
		mw.WriteField(k, v)
	}
	if publish {
		mw.WriteField("publish", "1")
	}
	fw, _ := mw.CreateFormFile("file", title+".pdf")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/mitt-material/ny", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, h, b, err := c.do(req)
	if err != nil {
		return 0, err
	}
	var id int64
	if _, err := fmt.Sscanf(h.Get("Location"), "/mitt-material/%d", &id); status != http.StatusSeeOther || err != nil {
		return 0, fmt.Errorf("create material %q: %d %s\n%s", title, status, h.Get("Location"), b)
	}
	return id, nil
}

// attach starts an application in the demo's rolling call and uploads
// an attachment to it, returning the attachment's download path and
// bytes.
func (c *client) attach(t *testing.T) (path string, data []byte) {
	t.Helper()
	_, page := c.get("/ansokningar")
	call := regexp.MustCompile(`(?s)name="call".*?<option value="(\d+)"`).FindSubmatch(page)
	pship := regexp.MustCompile(`(?s)name="partnership".*?<option value="([\d:]+)"[^>]*>Kalix – Masaka`).FindSubmatch(page)
	if call == nil || pship == nil {
		t.Fatalf("no open call or partnership to apply with:\n%s", page)
	}
	req, _ := http.NewRequest("POST", c.base+"/ansokningar/ny", strings.NewReader(url.Values{"call": {string(call[1])}, "partnership": {string(pship[1])}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, h, body, err := c.do(req)
	if err != nil || status != http.StatusSeeOther {
		t.Fatalf("start an application: %d %v\n%s", status, err, body)
	}
	app := h.Get("Location")
	_, page = c.get(app)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindSubmatch(page)
	if version == nil {
		t.Fatalf("no version on %s", app)
	}
	data = pdf(7)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("version", string(version[1]))
	mw.WriteField("action", "save")
	mw.WriteField("title", "Med bilaga")
	fw, _ := mw.CreateFormFile("attachments", "budget.pdf")
	fw.Write(data)
	mw.Close()
	req, _ = http.NewRequest("POST", c.base+app, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if status, _, body, err := c.do(req); err != nil || status != http.StatusSeeOther {
		t.Fatalf("upload an attachment: %d %v\n%s", status, err, body)
	}
	_, page = c.get(app)
	link := regexp.MustCompile(`href="(` + regexp.QuoteMeta(app) + `/bilagor/\d+)"`).FindSubmatch(page)
	if link == nil {
		t.Fatalf("no attachment link on %s", app)
	}
	return string(link[1]), data
}

// pdf is a file the material form takes as a PDF, different for each n.
func pdf(n int) []byte {
	return fmt.Appendf(nil, "%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%% fil %d\n%s%%%%EOF\n", n,
		strings.Repeat(fmt.Sprintf("%% utfyllnad %d\n", n), 50+n))
}

const kalixApplicant = "sokande@kalix.demo.partnerskap.se"

// TestBackupRestoreRoundTrip runs the demo with uploads, backs it up
// while uploads go on, restores the archive into a new directory, starts
// a server on it and compares its pages and downloads with the first
// server's.
func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	addr, _, stop := serve(t, cfg)
	defer stop()

	applicant := newClient(t, addr)
	applicant.login(kalixApplicant)
	_, form := applicant.get("/mitt-material/ny")
	m := regexp.MustCompile(`<option value="(\d+)"[^>]*>Kalix – Masaka`).FindSubmatch(form)
	if m == nil {
		t.Fatalf("no Kalix – Masaka on the material form:\n%s", form)
	}
	pid := string(m[1])
	uploaded := map[int64][]byte{} // material id → the bytes uploaded
	var mu sync.Mutex
	for i := range 3 {
		id, err := applicant.postMaterial(pid, fmt.Sprintf("Publicerat material %d", i), true, pdf(i))
		if err != nil {
			t.Fatal(err)
		}
		uploaded[id] = pdf(i)
	}
	attachment, attachmentData := applicant.attach(t)
	applicant.get("/mitt-material") // shows, and so ends, the flash message "saved"

	// Drafts with files are uploaded while the backup runs: they show on
	// no public page, so the pages compared below are the same whichever
	// of them the backup holds.
	var wg sync.WaitGroup
	done := make(chan struct{})
	var during atomic.Int64
	started := make(chan struct{})
	writer := newClient(t, addr) // a session of its own, whose flash messages it takes
	writer.login(kalixApplicant)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 100; ; n++ {
			select {
			case <-done:
				return
			default:
			}
			id, err := writer.postMaterial(pid, fmt.Sprintf("Utkast %d", n), false, pdf(n))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			uploaded[id] = pdf(n)
			mu.Unlock()
			if during.Add(1) == 3 {
				close(started)
			}
		}
	}()
	<-started
	archive := filepath.Join(t.TempDir(), "partnerskap.tar.gz")
	before := during.Load()
	man, err := Backup(ctx, cfg, "test", archive)
	after := during.Load()
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	t.Logf("backup: %d entries; %d drafts uploaded before it, %d while it ran", len(man.Entries), before, after-before)

	restored := testConfig(t)
	restored.Demo = false
	if _, err := Restore(ctx, restored, archive); err != nil {
		t.Fatalf("restore: %v", err)
	}
	// What the restored database holds: every file it names must download
	// as uploaded, from both servers.
	db, err := sql.Open("sqlite", "file:"+restored.SQLitePath()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	type item struct {
		id    int64
		state string
	}
	var items []item
	rows, err := db.Query(`SELECT id, state FROM materials WHERE file_key <> '' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var it item
		rows.Scan(&it.id, &it.state)
		items = append(items, it)
	}
	rows.Close()
	var stories []int64
	rows, err = db.Query(`SELECT id FROM stories WHERE image_key <> '' AND state = 'published' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		stories = append(stories, id)
	}
	rows.Close()
	var grants []int64
	rows, err = db.Query(`SELECT id FROM grants ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		grants = append(grants, id)
	}
	rows.Close()
	db.Close()
	drafts := 0
	for _, it := range items {
		if _, ok := uploaded[it.id]; ok && it.state == "draft" {
			drafts++
		}
	}
	if drafts < int(before) {
		t.Errorf("the backup holds %d drafts; %d were acknowledged before it began", drafts, before)
	}

	addr2, _, stop2 := serve(t, restored)
	defer stop2()
	applicant2 := newClient(t, addr2)
	applicant2.login(kalixApplicant)
	officer, officer2 := newClient(t, addr), newClient(t, addr2)
	officer.login("handlaggare@demo.partnerskap.se")
	officer2.login("handlaggare@demo.partnerskap.se")

	// Pages first (a download is counted, and counts show on pages).
	public := []string{"/", "/en/", "/partnerskap", "/en/partnerships", "/partnerskap.csv", "/partnerskap.json", "/mal", "/mal/12",
		"/statistik", "/beviljade-bidrag", "/berattelser", "/berattelser/atom.xml", "/material", "/en/material", "/sitemap.xml"}
	for i := 1; i <= 8; i++ {
		public = append(public, fmt.Sprintf("/partnerskap/%d", i), fmt.Sprintf("/en/partnerships/%d", i), fmt.Sprintf("/partnerskap/%d/faktablad.pdf", i))
	}
	for _, it := range items {
		if it.state == "published" {
			public = append(public, fmt.Sprintf("/material/%d", it.id))
		}
	}
	for _, id := range stories {
		public = append(public, fmt.Sprintf("/berattelser/%d", id))
	}
	anon, anon2 := newClient(t, addr), newClient(t, addr2)
	compared := 0
	same := func(who string, a, b *client, path string) {
		t.Helper()
		s1, b1 := a.get(path)
		s2, b2 := b.get(path)
		b1, b2 = normalise(b1), normalise(b2)
		if s1 != s2 || !bytes.Equal(b1, b2) {
			t.Errorf("%s %s: %d, %d bytes before; %d, %d bytes after the restore%s", who, path, s1, len(b1), s2, len(b2), firstDiff(b1, b2))
		}
		compared++
	}
	for _, p := range public {
		same("anonymous", anon, anon2, p)
	}
	for _, p := range []string{"/bidrag", "/ansokningar", "/mina-berattelser", strings.Split(attachment, "/bilagor/")[0]} {
		same("applicant", applicant, applicant2, p)
	}
	for _, p := range []string{"/personal", "/personal/bidrag", "/personal/diarium", "/personal/partnerskap", "/personal/organisationer", "/personal/berattelser"} {
		same("officer", officer, officer2, p)
	}
	for _, id := range grants {
		same("officer", officer, officer2, fmt.Sprintf("/personal/bidrag/%d", id))
	}

	// Every file the restored database names, from both servers.
	downloads := 0
	for _, it := range items {
		path := fmt.Sprintf("/mitt-material/%d/fil", it.id)
		a, b := applicant, applicant2
		if it.state == "published" {
			path, a, b = fmt.Sprintf("/material/%d/fil", it.id), anon, anon2
		}
		s1, b1 := a.get(path)
		s2, b2 := b.get(path)
		if s1 != 200 || s2 != 200 || !bytes.Equal(b1, b2) {
			t.Errorf("download %s: %d, %d bytes before; %d, %d bytes after", path, s1, len(b1), s2, len(b2))
		}
		if want, ok := uploaded[it.id]; ok && !bytes.Equal(b2, want) {
			t.Errorf("download %s: %d bytes, not the %d uploaded", path, len(b2), len(want))
		}
		downloads++
	}
	s1, b1 := applicant.get(attachment)
	s2, b2 := applicant2.get(attachment)
	if s1 != 200 || s2 != 200 || !bytes.Equal(b1, b2) || !bytes.Equal(b2, attachmentData) {
		t.Errorf("download %s: %d, %d bytes before; %d, %d bytes after", attachment, s1, len(b1), s2, len(b2))
	}
	downloads++
	for _, id := range stories {
		path := fmt.Sprintf("/berattelser/%d/bild", id)
		s1, b1 := anon.get(path)
		s2, b2 := anon2.get(path)
		if s1 != 200 || s2 != 200 || !bytes.Equal(b1, b2) {
			t.Errorf("download %s: %d, %d bytes before; %d, %d bytes after", path, s1, len(b1), s2, len(b2))
		}
		downloads++
	}
	if downloads < 3+5+1+1 || compared < 30 {
		t.Errorf("compared %d pages and %d downloads; the demo and uploads have more", compared, downloads)
	}
	t.Logf("compared %d pages and %d downloads", compared, downloads)
}

// normalise removes what differs between two servers with the same data:
// the address they listen on, per-response nonces, and the moment a fact
// sheet was made (its PDF creation and modification times).
var (
	hostPort = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	nonce    = regexp.MustCompile(`nonce="[^"]*"`)
	pdfTime  = regexp.MustCompile(`\(D:\d{14}[^)]*\)`)
)

func normalise(b []byte) []byte {
	b = hostPort.ReplaceAll(b, []byte("127.0.0.1:PORT"))
	b = pdfTime.ReplaceAll(b, []byte("(D:)"))
	return nonce.ReplaceAll(b, []byte(`nonce=""`))
}

// firstDiff shows where two bodies part, for a failure message.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) && i == len(b) {
		return ""
	}
	lo := max(0, i-80)
	return fmt.Sprintf("\n before: …%s…\n after:  …%s…", a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
}
