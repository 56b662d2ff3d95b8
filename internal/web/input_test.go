package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
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

// rawUpload posts a multipart form whose file part's Content-Disposition
// is written as given (a browser writes a " in a file name as %22; an
// older client as \" or bare).
func (e *env) rawUpload(c *http.Client, path string, form url.Values, field, disposition string, data []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename=`+disposition)
	h.Set("Content-Type", "application/octet-stream")
	fw, _ := mw.CreatePart(h)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(c, req)
}

// downloadName is the file name a browser saves a download as: the
// UTF-8 filename* of RFC 6266, which Go's parser prefers.
func downloadName(t *testing.T, res response) string {
	t.Helper()
	cd := res.header.Get("Content-Disposition")
	_, params, err := mime.ParseMediaType(cd)
	if err != nil {
		t.Fatalf("Content-Disposition %q: %v", cd, err)
	}
	if !strings.Contains(cd, "filename*=UTF-8''") {
		t.Errorf("Content-Disposition %q has no UTF-8 filename*", cd)
	}
	return params["filename"]
}

// A file name with " (and other characters a header quotes) is kept as
// typed, from the upload to the download's name, for material and for an
// application's attachment.
func TestFileNameRoundTrip(t *testing.T) {
	e := newEnv(t, "http://localhost")
	pid := e.partnershipID("Kalix – Masaka")
	cl := e.login(applicant)
	const want = `Plan "B" för älven; 50% klart.pdf`
	for i, disp := range []string{
		`"Plan %22B%22 för älven; 50% klart.pdf"`, // as browsers send it (HTML's multipart encoding)
		`"Plan \"B\" för älven; 50% klart.pdf"`,   // as a quoted-string
	} {
		title := fmt.Sprintf("Namnprovet %d", i)
		res := e.rawUpload(cl, "/mitt-material/ny", materialFields(pid, title), "file", disp, testPDF)
		if res.status != http.StatusSeeOther {
			t.Fatalf("upload %s: %d\n%s", disp, res.status, res.body)
		}
		it := e.materialNamed(title)
		if it.File == nil || it.File.Filename != want {
			t.Errorf("stored name of %s: %+v", disp, it.File)
			continue
		}
		res = e.get(cl, fmt.Sprintf("/mitt-material/%d/fil", it.ID))
		if res.status != http.StatusOK {
			t.Fatalf("download: %d", res.status)
		}
		if got := downloadName(t, res); got != want {
			t.Errorf("download name of %s: %q", disp, got)
		}
	}
	// A bare " no parser can read is refused, not saved under another name.
	res := e.rawUpload(cl, "/mitt-material/ny", materialFields(pid, "Namnprovet bar"), "file", `"Plan "B".pdf"`, testPDF)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Filnamnet") {
		t.Errorf("a bare quote in a file name: %d", res.status)
	}

	// An application's attachment.
	c := openCall(t, e)
	path := startApplication(t, e, cl, c.ID)
	res = e.rawUpload(cl, path, url.Values{"version": {"1"}, "action": {"save"}, "title": {"Med bilaga"}}, "attachments",
		`"Plan %22B%22 för älven; 50% klart.pdf"`, testPDF)
	if res.status != http.StatusSeeOther {
		t.Fatalf("attachment upload: %d\n%s", res.status, res.body)
	}
	files, _ := e.store.AttachmentList(context.Background(), e.app(path).ID)
	if len(files) != 1 || files[0].Filename != want {
		t.Fatalf("attachments: %+v", files)
	}
	res = e.get(cl, path+"/bilagor/"+strconv.FormatInt(files[0].ID, 10))
	if got := downloadName(t, res); res.status != http.StatusOK || got != want {
		t.Errorf("attachment download: %d %q", res.status, got)
	}
}

// A field sent quoted-printable is checked as the handler reads it,
// decoded: "=00" is a NUL.
func TestBadTextQuotedPrintable(t *testing.T) {
	e := newEnv(t, "http://localhost")
	pid := e.partnershipID("Kalix – Masaka")
	cl := e.login(applicant)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range materialFields(pid, "Kodprovet") {
		if k == "title_sv" {
			continue
		}
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="title_sv"`)
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	w, _ := mw.CreatePart(h)
	w.Write([]byte("Kodprovet=00"))
	fw, _ := mw.CreateFormFile("file", "plast.pdf")
	fw.Write(testPDF)
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/mitt-material/ny", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if res := e.do(cl, req); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, badInputTitle) {
		t.Errorf("a quoted-printable NUL: %d", res.status)
	}
}

// An upload larger than the check keeps in memory (kept in a temporary
// file while it is checked) reaches the handler whole, and a bad name
// after it is still found.
func TestBadTextLargeUpload(t *testing.T) {
	e := newEnv(t, "http://localhost")
	pid := e.partnershipID("Kalix – Masaka")
	cl := e.login(applicant)
	big := append(append([]byte{}, testPDF...), bytes.Repeat([]byte("% utfyllnad\n"), 6<<20/12)...)
	res := e.postMaterial(cl, "/mitt-material/ny", materialFields(pid, "Storprovet"), "stor.pdf", big)
	if res.status != http.StatusSeeOther {
		t.Fatalf("a 6 MB upload: %d\n%s", res.status, res.body)
	}
	if it := e.materialNamed("Storprovet"); it.File == nil || it.File.Size != int64(len(big)) {
		t.Errorf("stored: %+v, want %d bytes", it.File, len(big))
	}
	res = e.postMaterial(cl, "/mitt-material/ny", materialFields(pid, "Storprovet 2"), "stor\x00.pdf", big)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, badInputTitle) {
		t.Errorf("a 6 MB upload with a NUL in its name: %d", res.status)
	}
}
