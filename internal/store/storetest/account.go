package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// resetMail composes the one reset mail a test expects, to the account.
func resetMail(u *user.User) []mail.Message {
	return []mail.Message{{To: u.Email, Subject: "Nytt lösenord", Body: "länk"}}
}

func mailsTo(t *testing.T, s store.Store, to string) int {
	t.Helper()
	list, err := s.MailList(ctx(), 10_000)
	must(t, err)
	n := 0
	for _, m := range list {
		if m.To == to {
			n++
		}
	}
	return n
}

func auditActions(t *testing.T, s store.Store, userID int64) []string {
	t.Helper()
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "user", EntityID: userID, Limit: 100})
	must(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	return out
}

// testPasswordReset checks the forgotten password's link: nothing stored
// or mailed for a missing or deactivated address; for an active account
// a token and its mail in one transaction; the token works once, before
// it expires, and using it changes the password, voids the account's
// other links, ends all its sessions and is audited; a token whose
// account was deactivated meanwhile does nothing.
func testPasswordReset(t *testing.T, s store.Store, clk *clock.Fixed) {
	u := &user.User{Email: "glomsk@arvika.se", Name: "Göran Glömsk", PasswordHash: "old"}
	must(t, s.CreateUser(ctx(), officer, u))
	off := &user.User{Email: "inaktiv@arvika.se", Name: "Inez Inaktiv", PasswordHash: "old"}
	must(t, s.CreateUser(ctx(), officer, off))
	must(t, s.SetUserDisabled(ctx(), officer, off.ID, true))
	now := clk.Now()
	tok := func(name string) user.AccountToken {
		return user.AccountToken{TokenHash: []byte(name), ExpiresAt: now.Add(user.AccountTokenTTL)}
	}

	for _, email := range []string{"ingen@arvika.se", off.Email} {
		sent, err := s.RequestPasswordReset(ctx(), email, tok("x-"+email), resetMail)
		must(t, err)
		if sent || mailsTo(t, s, email) != 0 {
			t.Errorf("%s: sent %v, %d mails; want nothing", email, sent, mailsTo(t, s, email))
		}
		if _, err := s.AccountToken(ctx(), []byte("x-"+email)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: a token was stored (%v)", email, err)
		}
	}
	// Case and spaces do not matter.
	for _, name := range []string{"first", "second"} {
		sent, err := s.RequestPasswordReset(ctx(), " GLOMSK@arvika.se ", tok(name), resetMail)
		must(t, err)
		if !sent {
			t.Fatalf("%s: not sent to an active account", name)
		}
	}
	if n := mailsTo(t, s, u.Email); n != 2 {
		t.Errorf("%d reset mails, want 2", n)
	}
	got, err := s.AccountToken(ctx(), []byte("first"))
	must(t, err)
	if got.UserID != u.ID || got.Purpose != user.ResetPassword || !got.ExpiresAt.Equal(now.Add(user.AccountTokenTTL)) || !got.UsedAt.IsZero() {
		t.Errorf("token: %+v", got)
	}

	// An hour later the link is worthless.
	if _, err := s.ResetPassword(ctx(), []byte("first"), "new", now.Add(user.AccountTokenTTL)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired token: %v, want not found", err)
	}
	for _, token := range []string{"a", "b"} {
		must(t, s.CreateSession(ctx(), user.Session{TokenHash: []byte(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime)}))
	}
	reset, err := s.ResetPassword(ctx(), []byte("first"), "new", now.Add(time.Minute))
	must(t, err)
	after, err := s.User(ctx(), u.ID)
	must(t, err)
	if reset.ID != u.ID || after.PasswordHash != "new" {
		t.Errorf("after the reset: %+v", after)
	}
	if list, _ := s.UserSessions(ctx(), u.ID, now.Add(time.Minute)); len(list) != 0 {
		t.Errorf("%d sessions left after the reset, want none", len(list))
	}
	// Used once; the other link is void too.
	for _, token := range []string{"first", "second", "unknown"} {
		if _, err := s.ResetPassword(ctx(), []byte(token), "again", now.Add(2*time.Minute)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token %s after the reset: %v, want not found", token, err)
		}
	}
	if after, _ := s.User(ctx(), u.ID); after.PasswordHash != "new" {
		t.Errorf("password changed again: %q", after.PasswordHash)
	}
	if acts := auditActions(t, s, u.ID); !strings.Contains(strings.Join(acts, " "), "password.reset") {
		t.Errorf("audit: %v, want password.reset", acts)
	} else if entries, _ := s.AuditLog(ctx(), audit.Filter{Entity: "user", EntityID: u.ID, Limit: 1}); strings.Contains(string(entries[0].After), "new") {
		t.Errorf("the audit entry holds the hash: %s", entries[0].After)
	}

	// Deactivated after asking: the link does nothing.
	_, err = s.RequestPasswordReset(ctx(), u.Email, tok("third"), resetMail)
	must(t, err)
	must(t, s.SetUserDisabled(ctx(), officer, u.ID, true))
	if _, err := s.ResetPassword(ctx(), []byte("third"), "sneaky", now.Add(time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token of a deactivated account: %v, want not found", err)
	}
	if after, _ := s.User(ctx(), u.ID); after.PasswordHash != "new" {
		t.Errorf("a deactivated account's password changed: %q", after.PasswordHash)
	}
	// Reactivated within the hour: the link mailed before stays dead.
	must(t, s.SetUserDisabled(ctx(), officer, u.ID, false))
	if _, err := s.ResetPassword(ctx(), []byte("third"), "sneaky", now.Add(2*time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token from before a deactivation, after reactivation: %v, want not found", err)
	}
	// An operator's new password (partnerskap user reset-password) voids
	// the links mailed before it.
	_, err = s.RequestPasswordReset(ctx(), u.Email, tok("fourth"), resetMail)
	must(t, err)
	must(t, s.SetUserPassword(ctx(), officer, u.ID, "operator"))
	if _, err := s.ResetPassword(ctx(), []byte("fourth"), "sneaky", now.Add(3*time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token from before an operator's reset: %v, want not found", err)
	}
	if after, _ := s.User(ctx(), u.ID); after.PasswordHash != "operator" {
		t.Errorf("password after the operator's reset: %q", after.PasswordHash)
	}
}

// testConcurrentReset: two holders of one reset link use it at once;
// exactly one sets the password.
func testConcurrentReset(t *testing.T, s store.Store, clk *clock.Fixed) {
	u := &user.User{Email: "dubbel@arvika.se", Name: "Dora Dubbel", PasswordHash: "old"}
	must(t, s.CreateUser(ctx(), officer, u))
	now := clk.Now()
	for round := range 5 {
		token := []byte(fmt.Sprint("race-", round))
		_, err := s.RequestPasswordReset(ctx(), u.Email, user.AccountToken{TokenHash: token, ExpiresAt: now.Add(user.AccountTokenTTL)}, resetMail)
		must(t, err)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { _, errs[i] = s.ResetPassword(ctx(), token, fmt.Sprint("hash-", round, "-", i), now) })
		}
		wg.Wait()
		ok, winner := 0, -1
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
				winner = i
			case errors.Is(err, store.ErrNotFound):
			default:
				t.Errorf("round %d: %v", round, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d resets succeeded, want exactly 1 (%v)", round, ok, errs)
		}
		got, err := s.User(ctx(), u.ID)
		must(t, err)
		if want := fmt.Sprint("hash-", round, "-", winner); got.PasswordHash != want {
			t.Errorf("round %d: password %q, want the winner's %q", round, got.PasswordHash, want)
		}
	}
}

// testAccountChanges checks changing one's own password (other sessions
// end, this one stays, reset links are voided) and e-mail address (a
// link to the new address, used once; taken, own and too many refused;
// sessions but the opener's end).
func testAccountChanges(t *testing.T, s store.Store, clk *clock.Fixed) {
	u := &user.User{Email: "byter@arvika.se", Name: "Bodil Byter", PasswordHash: "old"}
	must(t, s.CreateUser(ctx(), officer, u))
	other := &user.User{Email: "upptagen@arvika.se", Name: "Ulla Upptagen"}
	must(t, s.CreateUser(ctx(), officer, other))
	now := clk.Now()
	open := func(token string) {
		t.Helper()
		must(t, s.CreateSession(ctx(), user.Session{TokenHash: []byte(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime)}))
	}
	sessions := func() []string {
		t.Helper()
		list, err := s.UserSessions(ctx(), u.ID, now)
		must(t, err)
		var out []string
		for _, x := range list {
			out = append(out, string(x.TokenHash))
		}
		return out
	}
	by := audit.Actor{UserID: u.ID, Name: u.Name}

	open("here")
	open("there")
	_, err := s.RequestPasswordReset(ctx(), u.Email, user.AccountToken{TokenHash: []byte("reset"), ExpiresAt: now.Add(user.AccountTokenTTL)}, resetMail)
	must(t, err)
	must(t, s.ChangePassword(ctx(), by, u.ID, "changed", []byte("here")))
	if got := sessions(); len(got) != 1 || got[0] != "here" {
		t.Errorf("sessions after a password change: %v, want only here", got)
	}
	if _, err := s.ResetPassword(ctx(), []byte("reset"), "x", now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("reset link after a password change: %v, want not found", err)
	}
	if got, _ := s.User(ctx(), u.ID); got.PasswordHash != "changed" {
		t.Errorf("password %q, want changed", got.PasswordHash)
	}

	change := func(token, email string) error {
		return s.RequestEmailChange(ctx(), by, &user.AccountToken{TokenHash: []byte(token), UserID: u.ID, Email: email, ExpiresAt: now.Add(user.AccountTokenTTL)},
			[]mail.Message{{To: email, Subject: "Bekräfta", Body: "länk"}, {To: u.Email, Subject: "Ändring", Body: "notis"}})
	}
	wantField(t, change("own", "BYTER@arvika.se"), "email", "error.account.email_same")
	wantField(t, change("taken", other.Email), "email", "error.user.email_taken")
	wantField(t, change("bad", "inte en adress"), "email", "error.user.email")
	must(t, change("old", "forst@arvika.se"))
	must(t, change("new", "Ny.Adress@arvika.se"))
	if mailsTo(t, s, "Ny.Adress@arvika.se") != 1 || mailsTo(t, s, u.Email) != 3 {
		t.Errorf("mails: %d to the new address, %d to the old; want 1 and 3", mailsTo(t, s, "ny.adress@arvika.se"), mailsTo(t, s, u.Email))
	}
	// The earlier link was voided by the newer one.
	if _, err := s.ConfirmEmailChange(ctx(), []byte("old"), nil, now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("superseded link: %v, want not found", err)
	}
	if _, err := s.ConfirmEmailChange(ctx(), []byte("new"), nil, now.Add(user.AccountTokenTTL)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired link: %v, want not found", err)
	}
	open("there")
	got, err := s.ConfirmEmailChange(ctx(), []byte("new"), []byte("here"), now.Add(time.Minute))
	must(t, err)
	if got.Email != "ny.adress@arvika.se" {
		t.Errorf("address %q after confirming", got.Email)
	}
	if byEmail, err := s.UserByEmail(ctx(), "ny.adress@arvika.se"); err != nil || byEmail.ID != u.ID {
		t.Errorf("the new address finds %v, %v", byEmail, err)
	}
	if got := sessions(); len(got) != 1 || got[0] != "here" {
		t.Errorf("sessions after the e-mail change: %v, want only here", got)
	}
	if _, err := s.ConfirmEmailChange(ctx(), []byte("new"), nil, now.Add(time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("link used twice: %v, want not found", err)
	}
	acts := strings.Join(auditActions(t, s, u.ID), " ")
	for _, want := range []string{"password.change", "email.change-requested", "email.change"} {
		if !strings.Contains(acts, want) {
			t.Errorf("audit %q lacks %s", acts, want)
		}
	}

	// An address taken between asking and confirming uses nothing up.
	must(t, change("race", "senare@arvika.se"))
	must(t, s.CreateUser(ctx(), officer, &user.User{Email: "senare@arvika.se", Name: "Sara Senare"}))
	if _, err := s.ConfirmEmailChange(ctx(), []byte("race"), nil, now.Add(time.Minute)); err == nil {
		t.Error("confirmed an address another account took")
	} else {
		wantField(t, err, "email", "error.user.email_taken")
	}

	// At most user.EmailChangesPerHour links an hour.
	var last error
	for i := range user.EmailChangesPerHour + 1 {
		last = change(fmt.Sprint("many-", i), fmt.Sprintf("adress%d@arvika.se", i))
	}
	wantField(t, last, "email", "error.account.email_too_many")
	clk.Set(now.Add(time.Hour + time.Minute))
	must(t, change("later", "senast@arvika.se"))
}
