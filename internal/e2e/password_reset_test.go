package e2e

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/icld/partnerskap/internal/app"
)

// mailbox is an SMTP server in the test: what the application's outbox
// worker delivers over a real SMTP conversation arrives here.
type mailbox struct {
	mu  sync.Mutex
	got []received
	new chan struct{} // signalled on each message
}

type received struct {
	to   []string
	body string // the text, transfer encoding undone
}

// startMailbox listens on a free port and returns the mailbox and port.
func startMailbox(t *testing.T) (*mailbox, int) {
	t.Helper()
	mb := &mailbox{new: make(chan struct{}, 100)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{mb: mb}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return mb, ln.Addr().(*net.TCPAddr).Port
}

type mailSession struct {
	mb *mailbox
	to []string
}

func (s *mailSession) Reset()                               { s.to = nil }
func (s *mailSession) Logout() error                        { return nil }
func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, strings.ToLower(to))
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	s.mb.got = append(s.mb.got, received{to: s.to, body: decodeMail(raw)})
	s.mb.mu.Unlock()
	s.mb.new <- struct{}{}
	return nil
}

// decodeMail is a message's subject and text with the transfer encoding
// undone (quoted-printable or base64), or the raw message if it can't be
// read.
func decodeMail(raw []byte) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return string(raw)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	var body io.Reader = m.Body
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(m.Body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, m.Body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return string(raw)
	}
	return subject + "\n" + string(text)
}

// wait returns the first message to address whose text matches re,
// waiting for the outbox worker to deliver it.
func (mb *mailbox) wait(t *testing.T, address string, re *regexp.Regexp, skip int) []string {
	t.Helper()
	deadline := time.After(stepTimeout)
	for {
		mb.mu.Lock()
		seen := 0
		for _, m := range mb.got {
			for _, to := range m.to {
				if to == address {
					if found := re.FindStringSubmatch(m.body); found != nil {
						if seen == skip {
							mb.mu.Unlock()
							return found
						}
						seen++
					}
				}
			}
		}
		mb.mu.Unlock()
		select {
		case <-mb.new:
		case <-deadline:
			t.Fatalf("no mail to %s matching %s arrived", address, re)
		}
	}
}

var mailedResetLink = regexp.MustCompile(`http://127\.0\.0\.1(/logga-in/nytt-losenord/([A-Za-z0-9_-]{43}))`)

// TestPasswordResetByMail: a person who forgot her password asks on the
// sign-in page; the link travels through the real outbox and an SMTP
// server; she opens it, sets a new password (after one the rules refuse)
// and signs in with it, while the old one is refused. The forgot, reset
// and account pages pass axe in both languages.
func TestPasswordResetByMail(t *testing.T) {
	axe := requireTools(t)
	mb, port := startMailbox(t)
	base := startServerWith(t, func(cfg *app.Config) {
		cfg.SMTP = app.SMTP{Host: "127.0.0.1", Port: port, From: "partnership@icld.se"}
	})
	b := newBrowser(t, base, axe)

	b.open(t, "/logga-in")
	b.followText(t, "main a", "Glömt lösenordet?")
	if p := b.path(t); p != "/logga-in/glomt" {
		t.Fatalf("the link leads to %s", p)
	}
	b.checkAccessibility(t, "forgot")
	b.typeInto(t, "#email", applicantEmail)
	if status := b.follow(t, `main form button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("ask for a link: status %d", status)
	}
	if got := b.text(t, "main"); !strings.Contains(got, "Om adressen hör till ett aktivt konto") {
		t.Errorf("the answer: %q", got)
	}
	b.checkAccessibility(t, "forgot, answered")

	link := mb.wait(t, applicantEmail, mailedResetLink, 0)
	b.open(t, link[1])
	b.checkAccessibility(t, "reset")
	// A password the rules refuse: the error is tied to the field and
	// nothing typed comes back.
	b.typeInto(t, "#password", "kort")
	b.typeInto(t, "#password2", "kort")
	if status := b.follow(t, `main form button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("short password: status %d", status)
	}
	if d, _ := b.attr(t, "#password", "aria-describedby"); !strings.Contains(d, "password-error") {
		t.Errorf("the error is not tied to the field: aria-describedby=%q", d)
	}
	if v := b.value(t, "#password"); v != "" {
		t.Errorf("the refused password came back: %q", v)
	}
	b.checkAccessibility(t, "reset, refused")
	const newPassword = "tre små grodor i Kalix"
	b.typeInto(t, "#password", newPassword)
	b.typeInto(t, "#password2", newPassword)
	if status := b.follow(t, `main form button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("set the new password: status %d", status)
	}
	if p := b.path(t); p != "/logga-in" {
		t.Fatalf("after the reset: at %s, want the sign-in page", p)
	}
	if got := b.text(t, "main"); !strings.Contains(got, "Lösenordet är bytt") {
		t.Errorf("the sign-in page does not say the password was changed: %q", got)
	}

	signIn := func(pw string) int64 {
		b.open(t, "/logga-in")
		b.typeInto(t, "#email", applicantEmail)
		b.typeInto(t, "#password", pw)
		return b.follow(t, `main form button[type="submit"]`)
	}
	if status := signIn(officerPassword); status != http.StatusUnprocessableEntity {
		t.Errorf("the old password: status %d, want 422", status)
	}
	if status := signIn(newPassword); status != http.StatusOK || !b.exists(t, ".staff-bar") {
		t.Fatalf("the new password: status %d, at %s", status, b.path(t))
	}
	// The link worked once.
	if status := b.openAny(t, link[1]); status != http.StatusNotFound {
		t.Errorf("the used link: status %d, want 404", status)
	}
	if got := b.text(t, "main"); !strings.Contains(got, "Länken gäller inte") {
		t.Errorf("the used link's page: %q", got)
	}

	b.open(t, "/personal")
	b.followText(t, ".staff-bar a", "Mitt konto")
	b.checkAccessibility(t, "account")
	b.open(t, "/en/staff/account")
	b.checkAccessibility(t, "account (English)")
	b.signOut(t)

	// English: the form, and a second link opened under its English path.
	b.open(t, "/en/login/forgot")
	b.checkAccessibility(t, "forgot (English)")
	b.typeInto(t, "#email", applicantEmail)
	if status := b.follow(t, `main form button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("ask for a link in English: status %d", status)
	}
	second := mb.wait(t, applicantEmail, mailedResetLink, 1)
	b.open(t, "/en/login/new-password/"+second[2])
	if got := b.text(t, "h1"); got != "Choose a new password" {
		t.Errorf("English reset page: %q", got)
	}
	b.checkAccessibility(t, "reset (English)")
}
