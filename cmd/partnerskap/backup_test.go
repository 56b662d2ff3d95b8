package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets a test run this program as a separate process, as an
// operator would: with PARTNERSKAP_TEST_RUN_MAIN set, the test binary is
// the command.
func TestMain(m *testing.M) {
	if os.Getenv("PARTNERSKAP_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// command runs partnerskap with args in a process of its own and returns
// its exit status, standard output and standard error.
func command(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "PARTNERSKAP_TEST_RUN_MAIN=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, out, errOut := command(t, "migrate", "--data-dir", data); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	if err := os.MkdirAll(filepath.Join(data, "files"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "files", "UPLOADED"), []byte("en uppladdad fil"), 0o600); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, "backup.tar")
	code, out, errOut := command(t, "backup", "--data-dir", data, "--to", archive)
	if code != 0 || !strings.Contains(out, "and 1 files") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	// Into an empty directory that exists (a new volume), as into a new one.
	if err := os.Mkdir(filepath.Join(dir, "restored"), 0o750); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = command(t, "restore", "--data-dir", filepath.Join(dir, "restored"), "--from", archive)
	if code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "restored", "files", "UPLOADED")); err != nil || string(b) != "en uppladdad fil" {
		t.Errorf("restored file: %q %v", b, err)
	}

	// Refused, with a non-zero status and a message that says why.
	b, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte("en uppladdad fil"))
	b[i] ^= 0x20
	damaged := filepath.Join(dir, "damaged.tar")
	os.WriteFile(damaged, b, 0o600)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"restore", "--data-dir", filepath.Join(dir, "r2"), "--from", damaged}, "backup archive damaged: files/UPLOADED: SHA-256"},
		{[]string{"restore", "--data-dir", filepath.Join(dir, "restored"), "--from", archive}, "is not empty"},
		{[]string{"backup", "--database", "postgres://partnerskap@db.example/partnerskap", "--to", filepath.Join(dir, "pg.tar")}, "back up with pg_dump -Fc and restore with pg_restore"},
		{[]string{"restore", "--database", "postgres://partnerskap@db.example/partnerskap", "--from", archive}, "back up with pg_dump -Fc and restore with pg_restore"},
		{[]string{"backup", "--data-dir", filepath.Join(dir, "none"), "--to", filepath.Join(dir, "none.tar")}, "no database to back up"},
		{[]string{"backup", "--data-dir", data}, "backup needs --to FILE"},
	} {
		code, out, errOut := command(t, tt.args...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: status %d, %q %q; want a failure saying %q", strings.Join(tt.args, " "), code, out, errOut, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "r2")); err == nil {
		t.Error("a refused restore created the data directory")
	}
	if _, err := os.Stat(filepath.Join(dir, "pg.tar")); err == nil {
		t.Error("a refused backup wrote an archive")
	}
}
