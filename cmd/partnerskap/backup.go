package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/icld/partnerskap/internal/app"
)

// backupCmd writes one archive of the database and every uploaded file:
// partnerskap backup --to FILE (a .tar, or a .tar.gz compressed).
func backupCmd(args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("backup", stderr)
	to := fs.String("to", "", "the archive to write: FILE.tar, or FILE.tar.gz to compress it (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" || fs.NArg() > 0 {
		return errors.New("backup needs --to FILE and nothing else")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m, err := app.Backup(ctx, *cfg, buildVersion(), *to)
	if err != nil {
		return err
	}
	var size int64
	for _, e := range m.Entries {
		size += e.Size
	}
	fmt.Fprintf(stdout, "backed up %s and %d files (%d bytes, migration %d) to %s\n",
		cfg.SQLitePath(), len(m.Entries)-1, size, m.Migration, *to)
	return nil
}

// restoreCmd restores such an archive into an empty data directory:
// partnerskap restore --from FILE --data-dir DIR.
func restoreCmd(args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("restore", stderr)
	from := fs.String("from", "", "the archive partnerskap backup wrote (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() > 0 {
		return errors.New("restore needs --from FILE and nothing else")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m, err := app.Restore(ctx, *cfg, *from)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s and %d files from %s (made %s by partnerskap %s, migration %d)\n",
		cfg.SQLitePath(), len(m.Entries)-1, *from, m.CreatedAt.Format("2006-01-02 15:04:05 MST"), m.AppVersion, m.Migration)
	return nil
}
