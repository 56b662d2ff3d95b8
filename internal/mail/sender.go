package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender delivers one message. A nil error means the SMTP server accepted
// it. An error wrapping ErrUnavailable means no session could be opened
// (nothing about this message in particular), and one wrapping ErrRejected
// means the server refused this message for good.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

var (
	// ErrUnavailable is wrapped by a Sender's error when it could not open
	// a session with the server: no connection, a refused greeting, TLS or
	// authentication failing. Every message waiting would fail the same way.
	ErrUnavailable = errors.New("mail server unavailable")
	// ErrRejected is wrapped by a Sender's error when the server refused
	// the message permanently (a 5xx reply to the recipient, or an address
	// that cannot be parsed): trying again will not help.
	ErrRejected = errors.New("mail rejected")
)

// TLSPolicy says how the connection to the SMTP server is encrypted.
type TLSPolicy string

const (
	// TLSAuto is TLSImplicit on port 465, TLSNone for a server on the same
	// machine (localhost, 127.0.0.1, ::1), and TLSOpportunistic otherwise.
	TLSAuto TLSPolicy = ""
	// TLSOpportunistic uses STARTTLS when the server offers it.
	TLSOpportunistic TLSPolicy = "opportunistic"
	// TLSMandatory requires STARTTLS: no mail goes out unencrypted.
	TLSMandatory TLSPolicy = "starttls"
	// TLSImplicit connects with TLS from the start (SMTPS, port 465).
	TLSImplicit TLSPolicy = "tls"
	// TLSNone never encrypts.
	TLSNone TLSPolicy = "none"
)

// Config is where and how mail is sent.
type Config struct {
	Host     string
	Port     int    // 587 when 0
	Username string // no authentication when empty
	Password string
	From     string // sender address, e.g. partnership@icld.se
	TLS      TLSPolicy
	// Timeout bounds connecting and each SMTP command; 30 seconds when 0.
	Timeout time.Duration
}

// SMTP sends mail over SMTP, one connection per message.
type SMTP struct {
	cfg    Config
	from   string
	domain string // of the sender, for Message-IDs
	opts   []gomail.Option
}

// NewSMTP checks cfg and returns a sender for it.
func NewSMTP(cfg Config) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, errors.New("mail: no SMTP host")
	}
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: sender address %q: %w", cfg.From, err)
	}
	policy := cfg.TLS
	if policy == TLSAuto {
		switch {
		case cfg.Port == 465:
			policy = TLSImplicit
		case isLocal(cfg.Host):
			policy = TLSNone
		default:
			policy = TLSOpportunistic
		}
	}
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(cfg.Timeout)}
	switch policy {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSMandatory:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("mail: unknown TLS policy %q (want opportunistic, starttls, tls or none)", cfg.TLS)
	}
	if cfg.Username != "" {
		// go-mail picks the strongest mechanism the server offers, and
		// refuses to send a password in the clear except to localhost.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	return &SMTP{cfg: cfg, from: cfg.From, domain: domain, opts: opts}, nil
}

func isLocal(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// MessageID is the Message-ID header of m, without angle brackets. It is
// made from the outbox row (its ID and creation time), never at random, so
// a message sent again after an unknown outcome carries the same ID and a
// mail client, or an officer reading the server's log, can recognise it as
// the same message.
func MessageID(m Message, domain string) string {
	return fmt.Sprintf("partnerskap.outbox.%d.%d@%s", m.ID, m.CreatedAt.Unix(), domain)
}

// Send delivers m over a new connection.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP),
		gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mail: sender %q: %w", s.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: recipient %q: %w: %w", m.To, ErrRejected, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(MessageID(m, s.domain))
	if m.CreatedAt.IsZero() {
		msg.SetDate()
	} else {
		msg.SetDateWithValue(m.CreatedAt)
	}
	// RFC 3834: an automatic message, so vacation replies are not sent back.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)

	c, err := gomail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("mail: connect to %s:%d: %w: %w", s.cfg.Host, s.cfg.Port, ErrUnavailable, err)
	}
	err = c.SendWithSMTPClient(conn, msg)
	closeErr := c.CloseWithSMTPClient(conn)
	if msg.IsDelivered() {
		// The server answered 250 to the end of DATA: the message is its
		// responsibility now. A failure after that (RSET, QUIT, closing
		// the connection) changes nothing about this message.
		return nil
	}
	if err == nil {
		err = closeErr
	}
	if err == nil {
		err = errors.New("not accepted")
	}
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && (se.Reason == gomail.ErrSMTPRcptTo || se.Reason == gomail.ErrGetRcpts) {
		return fmt.Errorf("mail: %w: %w", ErrRejected, err)
	}
	return fmt.Errorf("mail: %w", err)
}
