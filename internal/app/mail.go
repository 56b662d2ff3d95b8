package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/filestore"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
)

// startMail starts the outbox worker when an SMTP server is configured.
// Without one, mail stays queued in the outbox, to be sent once a server
// is configured. It returns a function that stops the worker and waits
// until it has finished the message it is sending.
func startMail(ctx context.Context, cfg Config, s store.Store, clk clock.Clock, log *slog.Logger) (stop func(), err error) {
	if cfg.SMTP.Host == "" {
		log.Info("e-mail is off: no SMTP host set (--smtp-host); messages stay queued in the outbox")
		return func() {}, nil
	}
	sender, err := mail.NewSMTP(mail.Config{
		Host:     cfg.SMTP.Host,
		Port:     cfg.SMTP.Port,
		Username: cfg.SMTP.Username,
		Password: cfg.SMTP.Password,
		From:     cfg.SMTP.From,
		TLS:      mail.TLSPolicy(cfg.SMTP.TLS),
	})
	if err != nil {
		return nil, fmt.Errorf("e-mail: %w", err)
	}
	w := &mail.Worker{Outbox: s, Sender: sender, Clock: clk, Log: log}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	log.Info("e-mail on", "smtp", fmt.Sprintf("%s:%d", cfg.SMTP.Host, cfg.SMTP.Port), "from", cfg.SMTP.From)
	return func() {
		cancel()
		<-done
	}, nil
}

// FileStore returns where uploaded files are kept: in the database on
// PostgreSQL, so that every instance serves every file, and otherwise in
// the folder "files" in the data directory.
func FileStore(cfg Config, s store.Store) (filestore.Store, error) {
	if b, ok := s.(filestore.Blobs); ok && s.Engine() == "postgres" {
		return filestore.NewDB(b), nil
	}
	fs, err := filestore.NewDir(filesDir(cfg))
	if err != nil {
		return nil, fmt.Errorf("cannot create the folder for files: %w", err)
	}
	return fs, nil
}
