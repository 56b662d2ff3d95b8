package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/user"
)

// memFiles is a file store in memory for handler tests; the real ones are
// tested in internal/filestore.
type memFiles struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memFiles) Put(_ context.Context, key string, r io.Reader) (int64, string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return 0, "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[key] = b
	sum := sha256.Sum256(b)
	return int64(len(b)), hex.EncodeToString(sum[:]), nil
}

func (m *memFiles) Open(_ context.Context, key string) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[key]
	if !ok {
		return nil, fmt.Errorf("no file %s", key)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memFiles) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.files, key)
	return nil
}

const applicant = "sokande@kalix.demo.partnerskap.se"

// openCall adds a programme with a call open at the test clock's now.
func openCall(t *testing.T, e *env) *call.Call {
	t.Helper()
	ctx := context.Background()
	by := audit.System("test")
	p := &programme.Programme{NameSV: "Kommunikationsstöd 2021 höst", Funder: "Sida", Operator: "ICLD", TotalBudget: 100_000_000}
	if err := e.store.CreateProgramme(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	c := &call.Call{ProgrammeID: p.ID, TitleSV: "Höstens utlysning", TitleEN: "Autumn call", OpensAt: now.Add(-24 * time.Hour),
		ClosesAt: now.Add(30 * 24 * time.Hour), Ceiling: 60_000_000, MaxPerGrant: 30_000_000, Config: call.DefaultConfig()}
	if err := e.store.CreateCall(ctx, by, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// startApplication starts a draft as the Kalix applicant through the
// page and returns its path.
func startApplication(t *testing.T, e *env, c *http.Client, callID int64) string {
	t.Helper()
	kalix, _ := e.store.OrganisationByCode(context.Background(), "2514")
	pid := e.partnershipID("Kalix – Masaka")
	res := e.post(c, "/ansokningar/ny", url.Values{"call": {strconv.FormatInt(callID, 10)},
		"partnership": {strconv.FormatInt(pid, 10) + ":" + strconv.FormatInt(kalix.ID, 10)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("start: %d\n%s", res.status, res.body)
	}
	return res.header.Get("Location")
}

// complete is a whole, valid set of answers for the default form.
func complete(version string) url.Values {
	return url.Values{"version": {version}, "action": {"save"},
		"title": {"Plast i Kalix och Masaka – vad unga vet"}, "summary": {"Vi berättar för politiker och elever om partnerskapet."},
		"objectives":            {"Fler ska känna till partnerskapet och mål 12."},
		"target_groups.0.group": {"politicians"}, "target_groups.0.message": {"Partnerskapet minskar plasten i Masaka och Kalix."},
		"activities.0.title": {"Utställning i Kalix bibliotek"}, "activities.0.target_group": {"citizens"}, "activities.0.channel": {"exhibition"},
		"activities.0.start": {"2021-09-01"}, "activities.0.end": {"2021-09-30"}, "activities.0.cost": {"40 000"},
		"survey_plan":       {"Samma enkät före och efter utställningen, med egen kod."},
		"budget.0.category": {"communicator"}, "budget.0.description": {"Kommunikatör 20 %"}, "budget.0.amount": {"150 000"},
		"budget.1.category": {"material"}, "budget.1.description": {"Skärmar"}, "budget.1.amount": {"50 000,50"},
		"targets": {"12.5", "4.7"}}
}

func (e *env) app(path string) *application.Application {
	e.t.Helper()
	id, _ := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	a, err := e.store.Application(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func TestApplyAndSubmit(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	cl := e.login(applicant)
	res := e.get(cl, "/ansokningar")
	wantContains(t, "list", res.body, "Höstens utlysning", "Kalix – Masaka", "Starta ansökan")
	path := startApplication(t, e, cl, c.ID)
	res = e.get(cl, path)
	wantContains(t, "new draft", res.body, "Utkast", "saker saknas innan du kan skicka in", `name="activities.0.title"`, `enctype="multipart/form-data"`)

	// Submitting with a budget amount nobody can read: field error, all
	// typed text kept, still a draft.
	form := complete("1")
	form.Set("budget.1.amount", "femtio tusen")
	form.Set("action", "submit")
	res = e.post(cl, path, form)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad amount: %d\n%s", res.status, res.body)
	}
	wantContains(t, "bad amount", res.body, "Skriv beloppet i kronor med siffror", `value="femtio tusen"`, `value="Utställning i Kalix bibliotek"`, "aria-invalid")
	a := e.app(path)
	if a.State != application.Draft || a.Answers.Budget[1].Amount != "femtio tusen" {
		t.Errorf("after a refused submit: %s %+v", a.State, a.Answers.Budget)
	}
	// Two colleagues save from the same version: the second is told, and
	// keeps what they typed.
	v := strconv.Itoa(a.Version)
	form = complete(v)
	if res := e.post(cl, path, form); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.status, res.body)
	}
	form.Set("title", "Min kollegas titel")
	res = e.post(cl, path, form)
	if res.status != http.StatusConflict {
		t.Fatalf("stale save: %d", res.status)
	}
	wantContains(t, "stale save", res.body, "Någon annan sparade ansökan", `value="Min kollegas titel"`)
	a = e.app(path)
	if a.Title() != "Plast i Kalix och Masaka – vad unga vet" || a.Requested != 20_000_050 {
		t.Errorf("saved: %q requested %d", a.Title(), a.Requested)
	}
	// Submit; a double click is harmless.
	form = complete(strconv.Itoa(a.Version))
	form.Set("action", "submit")
	res = e.post(cl, path, form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", res.status, res.body)
	}
	a = e.app(path)
	snaps, _ := e.store.Snapshots(context.Background(), a.ID)
	if a.State != application.Submitted || len(snaps) != 1 || !strings.HasPrefix(a.RegNumber, "2021/") {
		t.Fatalf("after submit: %s, %d snapshots, reg %q", a.State, len(snaps), a.RegNumber)
	}
	res = e.get(cl, path)
	wantContains(t, "submitted", res.body, "Ansökan är inskickad", "Inskickad", a.RegNumber, "200\u00a0000,50\u00a0kr", "Utställning i Kalix bibliotek")
	wantNotContains(t, "submitted", res.body, `name="action" value="save"`)
	if res := e.post(cl, path, form); res.status != http.StatusSeeOther {
		t.Errorf("double submit: %d", res.status)
	}
	if snaps, _ := e.store.Snapshots(context.Background(), a.ID); len(snaps) != 1 {
		t.Errorf("a double submit made %d versions", len(snaps))
	}
	// The receipt and the officers' notice are in the outbox.
	mails, err := e.store.MailList(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	var receipt, notice bool
	for _, m := range mails {
		receipt = receipt || (m.To == applicant && strings.Contains(m.Subject, "Ansökan mottagen"))
		notice = notice || (m.To == officer && strings.Contains(m.Subject, "Ny ansökan: Kalix kommun"))
	}
	if !receipt || !notice {
		t.Errorf("mails: receipt %v notice %v (%d in outbox)", receipt, notice, len(mails))
	}
}

func TestApplyRefusals(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	cl := e.login(applicant)
	path := startApplication(t, e, cl, c.ID)
	// Another organisation's user can't see or change the draft.
	forshaga, _ := e.store.OrganisationByCode(context.Background(), "1763")
	other := &user.User{Email: "sokande@forshaga.se", Name: "Frida Forshaga", PasswordHash: e.hash(t),
		Roles: []user.Role{{Kind: user.Applicant, OrganisationID: forshaga.ID}}}
	if err := e.store.CreateUser(context.Background(), audit.System("test"), other); err != nil {
		t.Fatal(err)
	}
	oc := e.loginAs(t, other.Email)
	if res := e.get(oc, path); res.status != http.StatusNotFound {
		t.Errorf("other organisation GET: %d", res.status)
	}
	if res := e.post(oc, path, complete("1")); res.status != http.StatusNotFound {
		t.Errorf("other organisation POST: %d", res.status)
	}
	if a := e.app(path); a.Version != 1 {
		t.Errorf("the other organisation changed the draft: version %d", a.Version)
	}
	// An officer is no applicant.
	if res := e.get(e.login(officer), "/ansokningar"); res.status != http.StatusForbidden {
		t.Errorf("officer on applications: %d", res.status)
	}
	// A partnership of another organisation can't be chosen.
	lund := e.partnershipID("Lund – Francistown")
	kalix, _ := e.store.OrganisationByCode(context.Background(), "2514")
	res := e.post(cl, "/ansokningar/ny", url.Values{"call": {strconv.FormatInt(c.ID, 10)}, "partnership": {strconv.FormatInt(lund, 10) + ":" + strconv.FormatInt(kalix.ID, 10)}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "svensk part i partnerskapet") {
		t.Errorf("foreign partnership: %d", res.status)
	}
	// After the call closes, submission is refused and the draft stays readable.
	form := complete("1")
	if res := e.post(cl, path, form); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.status)
	}
	e.clock.Set(c.ClosesAt)
	cl = e.login(applicant) // the session ended with the clock's jump
	form = complete("2")
	form.Set("action", "submit")
	res = e.post(cl, path, form)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Utlysningen har stängt") {
		t.Errorf("submit after close: %d", res.status)
	}
	if res := e.get(cl, path); res.status != 200 || !strings.Contains(res.body, "Utställning i Kalix bibliotek") {
		t.Errorf("draft after close: %d", res.status)
	}
	// Withdrawing.
	res = e.post(cl, path, url.Values{"action": {"withdraw"}, "confirm": {"yes"}})
	if res.status != http.StatusSeeOther || e.app(path).State != application.Withdrawn {
		t.Errorf("withdraw: %d %s", res.status, e.app(path).State)
	}
}

func TestAttachments(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	cl := e.login(applicant)
	path := startApplication(t, e, cl, c.ID)
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, image.NewRGBA(image.Rect(0, 0, 2, 2)))
	upload := func(version, name string, data []byte) response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("version", version)
		mw.WriteField("action", "save")
		mw.WriteField("title", "Med bilaga")
		fw, _ := mw.CreateFormFile("attachments", name)
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+path, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return e.do(cl, req)
	}
	res := upload("1", "<script>.html", []byte("<!doctype html><script>alert(1)</script>"))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Filtypen tas inte emot") {
		t.Fatalf("html upload: %d", res.status)
	}
	a := e.app(path)
	if a.Title() != "Med bilaga" {
		t.Errorf("the text typed with a refused file was lost: %q", a.Title())
	}
	res = upload(strconv.Itoa(a.Version), "skiss.png", pngBuf.Bytes())
	if res.status != http.StatusSeeOther {
		t.Fatalf("png upload: %d\n%s", res.status, res.body)
	}
	files, _ := e.store.AttachmentList(context.Background(), a.ID)
	if len(files) != 1 || files[0].ContentType != "image/png" {
		t.Fatalf("attachments: %+v", files)
	}
	fpath := path + "/bilagor/" + strconv.FormatInt(files[0].ID, 10)
	res = e.get(cl, fpath)
	if res.status != 200 || res.body != pngBuf.String() || !strings.Contains(res.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %d %q", res.status, res.header.Get("Content-Disposition"))
	}
	if res := e.get(e.client(), fpath); res.status != http.StatusSeeOther {
		t.Errorf("anonymous download: %d", res.status)
	}
	// Removing the file from the draft deletes it.
	a = e.app(path)
	res = e.post(cl, path, url.Values{"version": {strconv.Itoa(a.Version)}, "action": {"save"}, "title": {"Med bilaga"},
		"remove_file": {strconv.FormatInt(files[0].ID, 10)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.status)
	}
	if files, _ := e.store.AttachmentList(context.Background(), a.ID); len(files) != 0 {
		t.Errorf("after removal: %d attachments", len(files))
	}
	if res := e.get(cl, fpath); res.status != http.StatusNotFound {
		t.Errorf("download after removal: %d", res.status)
	}
	if len(e.app(path).Answers.Files["attachments"]) != 0 {
		t.Error("the removed file is still in the answers")
	}
}

var _ = organisation.Partner

func TestAutosave(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	cl := e.login(applicant)
	path := startApplication(t, e, cl, c.ID)
	res := e.get(cl, path)
	wantContains(t, "page", res.body, "data-autosave", `src="/static/autosave.js"`, `id="autosave-status"`)
	autosave := func(version, title string) response {
		form := url.Values{"version": {version}, "action": {"save"}, "title": {title}}
		req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Autosave", "1")
		return e.do(cl, req)
	}
	res = autosave("1", "Sparad av skriptet")
	if res.status != http.StatusNoContent || res.header.Get("X-Version") != "2" {
		t.Fatalf("autosave: %d %q", res.status, res.header.Get("X-Version"))
	}
	if e.app(path).Title() != "Sparad av skriptet" {
		t.Error("autosave did not save")
	}
	if res := autosave("1", "Gammal version"); res.status != http.StatusConflict {
		t.Errorf("stale autosave: %d", res.status)
	}
	if e.app(path).Title() != "Sparad av skriptet" {
		t.Error("a stale autosave overwrote the draft")
	}
	if res := e.get(cl, "/static/autosave.js"); res.status != 200 || !strings.Contains(res.body, "X-Autosave") {
		t.Errorf("script: %d", res.status)
	}
}

func TestInviteColleague(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	cl := e.login(applicant)
	kalix, _ := e.store.OrganisationByCode(context.Background(), "2514")
	org := strconv.FormatInt(kalix.ID, 10)
	res := e.post(cl, "/ansokningar/inbjudan", url.Values{"invite_email": {"inte en adress"}, "organisation": {org}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad address: %d", res.status)
	}
	wantContains(t, "bad address", res.body, `value="inte en adress"`, "giltig e-postadress")
	// Another organisation's colleagues can't be invited by this user.
	forshaga, _ := e.store.OrganisationByCode(context.Background(), "1763")
	if res := e.post(cl, "/ansokningar/inbjudan", url.Values{"invite_email": {"x@forshaga.se"}, "organisation": {strconv.FormatInt(forshaga.ID, 10)}}); res.status != http.StatusForbidden {
		t.Errorf("invite to another organisation: %d", res.status)
	}
	res = e.post(cl, "/ansokningar/inbjudan", url.Values{"invite_email": {"Ny.Kollega@kalix.se"}, "organisation": {org}, "lang": {"en"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", res.status, res.body)
	}
	// The link is only in the mail.
	mails, _ := e.store.MailList(context.Background(), 10)
	var link string
	for _, m := range mails {
		if m.To == "ny.kollega@kalix.se" {
			for _, line := range strings.Split(m.Body, "\n") {
				if strings.HasPrefix(line, "https://partnerskap.example/en/invitation/") {
					link = strings.TrimPrefix(line, "https://partnerskap.example")
				}
			}
			if !strings.Contains(m.Subject, "Invitation to Partnerskap: Kalix kommun") {
				t.Errorf("subject %q", m.Subject)
			}
		}
	}
	if link == "" {
		t.Fatalf("no invitation link in the outbox: %+v", mails)
	}
	guest := e.client()
	res = e.get(guest, link)
	wantContains(t, "invitation page", res.body, "Invitation to Kalix kommun", "ny.kollega@kalix.se")
	res = e.post(guest, link, url.Values{"name": {"Ny Kollega"}, "password": {"kort"}, "password2": {"kort"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "at least 10 characters") || !strings.Contains(res.body, `value="Ny Kollega"`) {
		t.Errorf("short password: %d", res.status)
	}
	res = e.post(guest, link, url.Values{"name": {"Ny Kollega"}, "password": {"ett långt lösenord"}, "password2": {"ett långt lösenord"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", res.status, res.body)
	}
	if res := e.get(guest, "/ansokningar"); res.status != 200 || !strings.Contains(res.body, "Ny Kollega") {
		t.Errorf("the new colleague's applications page: %d", res.status)
	}
	// The link works once.
	if res := e.get(e.client(), link); res.status != http.StatusNotFound {
		t.Errorf("second use: %d", res.status)
	}
}
