package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/icld/partnerskap/internal/app"
)

// resetSecondFactor removes an account's second factor and ends its
// sessions: partnerskap user reset-2fa EMAIL (or --email EMAIL).
func resetSecondFactor(args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("user reset-2fa", stderr)
	email := fs.String("email", "", "e-mail address of the account (or give it as the argument)")
	// The address may come first, before the flags.
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		*email, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 1 && *email == "":
		*email = fs.Arg(0)
	case fs.NArg() > 0:
		return fmt.Errorf("user reset-2fa takes one e-mail address, got %q", fs.Args())
	}
	if *email == "" {
		return errors.New("usage: partnerskap user reset-2fa EMAIL")
	}
	u, had, err := app.ResetSecondFactor(context.Background(), *cfg, *email)
	if err != nil {
		return err
	}
	if had {
		fmt.Fprintf(stdout, "second factor of %s removed; its sessions have ended; the next sign-in asks for a new one where the role requires it\n", u.Email)
	} else {
		fmt.Fprintf(stdout, "%s had no second factor; its sessions have ended\n", u.Email)
	}
	return nil
}
