package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/icld/partnerskap/internal/app"
	"github.com/icld/partnerskap/internal/user"
)

const userUsage = `usage:
  partnerskap user create --email … --name … [--role admin|officer|reviewer]
  partnerskap user list
  partnerskap user set-role --email … --role admin|officer|reviewer|applicant|partner [--programme ID | --organisation ID] [--add]
  partnerskap user deactivate --email …
  partnerskap user activate --email …
  partnerskap user reset-password --email …   (the password from a prompt or stdin)
  partnerskap user reset-2fa EMAIL            (removes the second factor, ends the sessions)`

// listUsers prints every account, aligned in columns.
func listUsers(args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("user list", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user list takes no arguments, got %q", fs.Args())
	}
	us, err := app.ListUsers(context.Background(), *cfg)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "E-MAIL\tNAME\tROLES\tSTATUS\tLAST SIGN-IN")
	for _, u := range us {
		status := "active"
		if u.Disabled {
			status = "deactivated"
		}
		last := "never"
		if !u.LastLoginAt.IsZero() {
			last = u.LastLoginAt.UTC().Format(time.DateTime) + " UTC"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, roleList(u.Roles), status, last)
	}
	return w.Flush()
}

// roleList writes roles with their scope: "officer (programme 3)".
func roleList(roles []user.Role) string {
	if len(roles) == 0 {
		return "-"
	}
	var parts []string
	for _, r := range roles {
		p := string(r.Kind)
		switch {
		case r.OrganisationID != 0:
			p += fmt.Sprintf(" (organisation %d)", r.OrganisationID)
		case r.ProgrammeID != 0:
			p += fmt.Sprintf(" (programme %d)", r.ProgrammeID)
		case r.Kind == user.Officer:
			p += " (every programme)"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// emailFlag checks the one required flag the user commands share.
func emailFlag(email string) error {
	if strings.TrimSpace(email) == "" {
		return errors.New("--email is required")
	}
	return nil
}

// setRole replaces a user's roles with one, or adds it with --add.
func setRole(args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("user set-role", stderr)
	email := fs.String("email", "", "e-mail address of the account (required)")
	role := fs.String("role", "", "role: admin, officer, reviewer, applicant or partner (required)")
	programme := fs.Int64("programme", 0, "officer only: the programme the role concerns (default every programme)")
	org := fs.Int64("organisation", 0, "applicant or partner: the organisation the role concerns (required for them)")
	add := fs.Bool("add", false, "add the role to those the user holds instead of replacing them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := emailFlag(*email); err != nil {
		return err
	}
	r := user.Role{Kind: user.RoleKind(*role), ProgrammeID: *programme, OrganisationID: *org}
	switch r.Kind {
	case user.Administrator, user.Officer, user.Reviewer:
		if r.OrganisationID != 0 {
			return fmt.Errorf("--organisation is for applicant and partner roles, not %s", r.Kind)
		}
		if r.ProgrammeID != 0 && r.Kind != user.Officer {
			return fmt.Errorf("--programme is for the officer role, not %s", r.Kind)
		}
	case user.Applicant, user.PartnerRole:
		if r.OrganisationID == 0 {
			return fmt.Errorf("--organisation is required for the %s role", r.Kind)
		}
		if r.ProgrammeID != 0 {
			return fmt.Errorf("--programme is for the officer role, not %s", r.Kind)
		}
	case "":
		return errors.New("--role is required: admin, officer, reviewer, applicant or partner")
	default:
		return fmt.Errorf("unknown role %q: admin, officer, reviewer, applicant or partner", *role)
	}
	if *programme < 0 || *org < 0 {
		return errors.New("--programme and --organisation are positive ids")
	}
	u, err := app.SetRole(context.Background(), *cfg, *email, r, *add)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s now holds: %s\n", u.Email, roleList(u.Roles))
	return nil
}

// setDisabled deactivates or reactivates an account.
func setDisabled(cmd string, args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("user "+cmd, stderr)
	email := fs.String("email", "", "e-mail address of the account (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := emailFlag(*email); err != nil {
		return err
	}
	u, err := app.SetDisabled(context.Background(), *cfg, *email, cmd == "deactivate")
	if err != nil {
		return err
	}
	if u.Disabled {
		fmt.Fprintf(stdout, "deactivated %s; its sessions have ended\n", u.Email)
	} else {
		fmt.Fprintf(stdout, "activated %s\n", u.Email)
	}
	return nil
}

// resetPassword sets a new password, read as user create reads it.
func resetPassword(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, cfg := flags("user reset-password", stderr)
	email := fs.String("email", "", "e-mail address of the account (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := emailFlag(*email); err != nil {
		return err
	}
	pw, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	u, err := app.ResetPassword(context.Background(), *cfg, *email, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new password set for %s; its sessions have ended\n", u.Email)
	return nil
}
