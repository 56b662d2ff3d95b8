package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"unicode/utf8"
)

// Text that can't be stored is refused in one place, before any handler
// reads the request (issue 11): every query parameter of a POST, every field of a
// form (url-encoded or multipart) and every file name must be valid UTF-8
// and hold no NUL or other control character (a field may hold tab, line
// feed and carriage return, which a textarea sends; a file name none).
// SQLite would store the raw bytes and PostgreSQL refuses them with an
// error, so without this check the same form gave a 500 on one engine and
// a record no export can read on the other. A request with such text gets
// a 422 page in the page's language, saying what was wrong; nothing of it
// is stored, and the browser's Back keeps what the user typed.

// badInput is the first piece of text in a request that can't be stored.
type badInput struct {
	Field    string // the field's name as sent ("" when the name itself is bad)
	FileName bool   // the text is a file name
}

// inputBufferLimit is how much of a body is kept in memory while it is
// checked; a larger upload is spilled to a temporary file.
const inputBufferLimit = 4 << 20

// cleanText reports whether s is valid UTF-8 with no control character
// but tab, line feed and carriage return.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return true
}

// cleanFileName reports whether s is valid UTF-8 with no control
// character at all.
func cleanFileName(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// checkValues returns the first bad name or value of v.
func checkValues(v url.Values) *badInput {
	for name, vals := range v {
		if !cleanText(name) {
			return &badInput{}
		}
		for _, s := range vals {
			if !cleanText(s) {
				return &badInput{Field: name}
			}
		}
	}
	return nil
}

// checkInput checks a POST's query and form, without
// consuming the body: the handler reads the same bytes (and the same read
// error, such as a body over its bound) as it would have without the
// check. done releases what the check kept; call it when the request is
// answered.
func checkInput(r *http.Request) (bad *badInput, done func()) {
	done = func() {}
	if r.Method != http.MethodPost {
		// A page that is only read keeps no text of its request, and
		// the search copes with control characters and invalid bytes
		// in its query (TestPartnershipSearchBadInput).
		return nil, done
	}
	if bad := checkValues(r.URL.Query()); bad != nil {
		return bad, done
	}
	if r.Body == nil {
		return nil, done
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data" {
		return nil, done
	}
	body, readErr, done := bufferBody(r)
	if readErr != nil {
		// A body that could not be read whole (too large, cut off) is
		// the handler's to refuse as it always has.
		return nil, done
	}
	if mt == "application/x-www-form-urlencoded" {
		raw, _ := io.ReadAll(body)
		v, _ := url.ParseQuery(string(raw))
		return checkValues(v), done
	}
	return checkMultipart(body, params["boundary"]), done
}

// checkMultipart returns the first bad field name, value or file name of
// a multipart body. A part whose header does not parse (the header of a
// file name with a NUL doesn't) is refused as bad text.
func checkMultipart(body io.Reader, boundary string) *badInput {
	if boundary == "" {
		return nil
	}
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextPart() // decoded as the handler reads it (quoted-printable too)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &badInput{FileName: true}
		}
		cd := p.Header.Get("Content-Disposition")
		_, dp, err := mime.ParseMediaType(cd)
		if err != nil {
			// A header no parser reads (a bare " in a file name): the
			// handler would see no file, and drop it without a word.
			return &badInput{FileName: strings.Contains(strings.ToLower(cd), "filename")}
		}
		name := dp["name"]
		if !cleanText(name) {
			return &badInput{}
		}
		if fn, ok := dp["filename"]; ok {
			if !cleanFileName(fn) {
				return &badInput{Field: name, FileName: true}
			}
			continue // a file's content is the upload's own check
		}
		v, err := io.ReadAll(io.LimitReader(p, maxFormBody+1))
		if err != nil {
			return nil
		}
		if !cleanText(string(v)) {
			return &badInput{Field: name}
		}
	}
}

// bufferBody reads r's body whole, keeping it in memory or, past
// inputBufferLimit, in a temporary file, and puts a body in its place
// that gives the same bytes and then the same error. It returns a reader
// of the bytes read for the check.
func bufferBody(r *http.Request) (io.Reader, error, func()) {
	orig := r.Body
	head, err := io.ReadAll(io.LimitReader(orig, inputBufferLimit+1))
	if err != nil || len(head) <= inputBufferLimit {
		r.Body = replayBody{io.MultiReader(bytes.NewReader(head), errReader{err}), orig}
		return bytes.NewReader(head), err, func() {}
	}
	f, ferr := os.CreateTemp("", "partnerskap-upload-*")
	if ferr != nil {
		// No room to keep it: the check reads what it can of the head and
		// lets the handler read the rest from the connection.
		r.Body = replayBody{io.MultiReader(bytes.NewReader(head), orig), orig}
		return nil, ferr, func() {}
	}
	done := func() { f.Close(); os.Remove(f.Name()) }
	_, werr := f.Write(head)
	var n int64
	if werr == nil {
		n, err = io.Copy(f, orig)
		n += int64(len(head))
	}
	if werr != nil {
		r.Body = replayBody{io.MultiReader(bytes.NewReader(head), orig), orig}
		return nil, werr, done
	}
	r.Body = replayBody{io.MultiReader(io.NewSectionReader(f, 0, n), errReader{err}), orig}
	return io.NewSectionReader(f, 0, n), err, done
}

// replayBody reads the kept bytes and closes the connection's body.
type replayBody struct {
	io.Reader
	orig io.Closer
}

func (b replayBody) Close() error { return b.orig.Close() }

// errReader gives err, or EOF when there is none.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err == nil {
		return 0, io.EOF
	}
	return 0, e.err
}

// inputPage is the 422 page of a request with text that can't be stored.
type inputPage struct {
	*Base
	FileName bool
}

// refuseInput answers a request with text that can't be stored.
func (s *Server) refuseInput(w http.ResponseWriter, b *Base, bad *badInput) {
	w.Header().Set("Cache-Control", "no-store")
	b.failed = true
	b.Title = b.T("input.bad.title")
	if err := s.render(w, b, http.StatusUnprocessableEntity, "input", inputPage{Base: b, FileName: bad.FileName}); err != nil {
		s.log.Error("render input page", "err", err)
		http.Error(w, http.StatusText(http.StatusUnprocessableEntity), http.StatusUnprocessableEntity)
	}
}
