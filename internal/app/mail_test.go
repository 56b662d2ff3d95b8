package app

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/filestore"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store/storetest"
)

// TestServeSendsQueuedMail: mail queued before the server starts is sent
// by the worker Serve starts, and recorded as sent by the time Serve has
// shut down.
func TestServeSendsQueuedMail(t *testing.T) {
	got := make(chan []byte, 10)
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return acceptAll(got), nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	cfg := testConfig(t)
	cfg.Demo = false
	cfg.SMTP = SMTP{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, From: "partnership@icld.se"}
	ctx := context.Background()
	s, err := OpenStore(ctx, cfg, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	msgs := []mail.Message{{To: "asa@kalix.se", Subject: "Välkommen", Body: "Hej!"}}
	if err := s.QueueMail(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	s.Close()

	_, _, stop := serve(t, cfg)
	select {
	case <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("no mail arrived")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenStore(ctx, cfg, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.MailList(ctx, 10)
	if err != nil || len(list) != 1 || list[0].SentAt.IsZero() {
		t.Errorf("after Serve: %+v, %v", list, err)
	}
}

type smtpSession struct{ got chan<- []byte }

func acceptAll(got chan<- []byte) smtp.Session           { return smtpSession{got} }
func (smtpSession) Reset()                               {}
func (smtpSession) Logout() error                        { return nil }
func (smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.got <- b
	return err
}

func TestFileStore(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		cfg := testConfig(t)
		s, err := OpenStore(context.Background(), cfg, clock.System{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fs, err := FileStore(cfg, s)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fs.(*filestore.Dir); !ok {
			t.Errorf("FileStore on SQLite: %T, want a folder", fs)
		}
		if fi, err := os.Stat(filepath.Join(cfg.DataDir, "files")); err != nil || !fi.IsDir() {
			t.Errorf("no folder for files: %v", err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		s := storetest.OpenPostgres(t, clock.System{})
		fs, err := FileStore(Config{Database: "postgres://x", DataDir: t.TempDir()}, s)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fs.(*filestore.DB); !ok {
			t.Errorf("FileStore on PostgreSQL: %T, want the database", fs)
		}
	})
}
