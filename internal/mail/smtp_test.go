package mail_test

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// server is a real SMTP server on 127.0.0.1, whose backend can be told to
// refuse: whole sessions (451 at EHLO, as a server that is overloaded),
// the next messages (451 after DATA), or recipients (550, for good).
type server struct {
	addr string
	port int

	mu           sync.Mutex
	down         bool                // refuse every session
	refuseData   int                 // refuse this many more messages with 451
	reject       map[string]bool     // recipients refused with 550
	conns        map[*smtp.Conn]bool // connections that asked for a session
	received     []received
	dataStarted  chan struct{} // if set, told when DATA begins…
	dataContinue chan struct{} // …and waited for before accepting
	onData       func()        // if set, called for each message
}

type received struct {
	To  []string
	Msg *netmail.Message
	Raw []byte
}

func newServer(t *testing.T) *server {
	t.Helper()
	srv := &server{reject: map[string]bool{}, conns: map[*smtp.Conn]bool{}}
	s := smtp.NewServer(srv)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.addr = ln.Addr().String()
	srv.port = ln.Addr().(*net.TCPAddr).Port
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return srv
}

func (srv *server) set(fn func(*server)) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	fn(srv)
}

// messages returns what the server accepted, by Message-ID.
func (srv *server) messages() map[string][]received {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	out := map[string][]received{}
	for _, r := range srv.received {
		id := r.Msg.Header.Get("Message-ID")
		out[id] = append(out[id], r)
	}
	return out
}

func (srv *server) connections() int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return len(srv.conns)
}

func (srv *server) count() int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return len(srv.received)
}

func (srv *server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.conns[c] = true // EHLO, then HELO when refused: one connection
	if srv.down {
		return nil, errors.New("too busy, try later")
	}
	return &session{srv: srv}, nil
}

type session struct {
	srv *server
	to  []string
}

func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	started, cont, onData := s.srv.dataStarted, s.srv.dataContinue, s.srv.onData
	s.srv.mu.Unlock()
	if onData != nil {
		onData()
	}
	if started != nil {
		started <- struct{}{}
		<-cont
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.refuseData > 0 {
		s.srv.refuseData--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	s.srv.received = append(s.srv.received, received{To: s.to, Msg: msg, Raw: raw})
	return nil
}

// decoded returns the subject and plain-text body of a received message,
// decoded as a mail client would, and fails unless the body is UTF-8 in
// quoted-printable.
func decoded(t *testing.T, r received) (subject, body string) {
	t.Helper()
	h := r.Msg.Header
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	ct, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || ct != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("Content-Type %q", h.Get("Content-Type"))
	}
	if cte := h.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Errorf("Content-Transfer-Encoding %q", cte)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(r.Msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n")
}
