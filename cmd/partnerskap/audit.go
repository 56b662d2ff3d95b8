package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/icld/partnerskap/internal/app"
)

const auditUsage = `usage:
  partnerskap audit verify [--seal] [--head HASH]   check the audit log's hash chain`

// errChainBroken is verifyAudit's error when the chain does not match; the
// line naming the entry has been printed already.
var errChainBroken = errors.New("the audit log's chain is broken")

// verifyAudit checks the audit log's chain: partnerskap audit verify. It
// prints "audit chain: N entries ok" or "audit chain broken at entry ID:
// reason" and fails in the second case. Entries not yet sealed into the
// chain (PostgreSQL seals them within seconds of their commit) are
// counted apart, unless --seal seals them first. --head HASH, a head an
// earlier verify printed, fails it unless the chain still passes there.
func verifyAudit(args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("audit verify", stderr)
	seal := fs.Bool("seal", false, "seal entries not yet sealed into the chain before checking (PostgreSQL; writes to the database)")
	head := fs.String("head", "", "a head hash printed by an earlier verify: fail unless the chain still passes through it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("audit verify takes no arguments, got %q", fs.Args())
	}
	r, err := app.VerifyAudit(context.Background(), *cfg, *seal, *head)
	if err != nil {
		return err
	}
	if r.Broken != nil {
		fmt.Fprintf(stdout, "audit chain broken at entry %d: %s\n", r.Broken.ID, r.Broken.Reason)
		return errChainBroken
	}
	if r.Lost {
		fmt.Fprintf(stdout, "audit chain broken: it no longer passes through head %s (entries removed from its end, or rewritten)\n", *head)
		return errChainBroken
	}
	fmt.Fprintf(stdout, "audit chain: %d entries ok\n", r.OK)
	if r.Unsealed > 0 {
		fmt.Fprintf(stdout, "%d newer entries not yet sealed into the chain (checked against their digests; run with --seal, or while the server runs, to seal them)\n", r.Unsealed)
	}
	if r.Head != "" {
		fmt.Fprintf(stdout, "head: %s (note it: a chain cut off before it no longer reaches it)\n", r.Head)
	}
	return nil
}
