package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// deadlineRecorder records the read deadline a handler sets through
// http.ResponseController, as a connection would take it.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadline time.Time
}

func (d *deadlineRecorder) SetReadDeadline(t time.Time) error {
	d.deadline = t
	return nil
}

// TestUploadDeadlineOnlySignedIn: a multipart POST gets the long read
// deadline of an upload only from someone signed in; anyone else keeps
// the server's short one, so a slow client cannot hold a connection open
// for twenty minutes by posting the sign-in form as multipart.
func TestUploadDeadlineOnlySignedIn(t *testing.T) {
	e := newEnv(t, "http://localhost")
	signedIn := e.login(officer)
	u, _ := url.Parse(e.srv.URL)
	// post sends a multipart form and returns how long the connection
	// was given to send it (0: the server's own timeout was left).
	post := func(path string, cookies []*http.Cookie) time.Duration {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("email", officer)
		mw.WriteField("password", "fel lösenord")
		fw, _ := mw.CreateFormFile("file", "a.txt")
		fw.Write([]byte("hej"))
		mw.Close()
		req := httptest.NewRequest("POST", path, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
		start := time.Now()
		e.srv.Config.Handler.ServeHTTP(rec, req)
		if rec.deadline.IsZero() {
			return 0
		}
		return rec.deadline.Sub(start)
	}
	for _, path := range []string{"/logga-in", "/en/login", "/mitt-material/ny", "/enkat/x"} {
		if d := post(path, nil); d > time.Minute {
			t.Errorf("anonymous multipart POST %s: read deadline %v from now, want the server's own", path, d)
		}
	}
	if d := post("/mitt-material/ny", signedIn.Jar.Cookies(u)); d < 19*time.Minute {
		t.Errorf("signed-in upload: read deadline %v from now, want 20 minutes", d)
	}
}
