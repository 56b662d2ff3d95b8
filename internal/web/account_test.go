package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/user"
)

// mailsTo returns the bodies of the mails in the outbox to address.
func (e *env) mailsTo(t *testing.T, address string) []string {
	t.Helper()
	list, err := e.store.MailList(context.Background(), 10_000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range list {
		if strings.EqualFold(m.To, address) {
			out = append(out, m.Subject+"\n"+m.Body)
		}
	}
	return out
}

var (
	resetLink   = regexp.MustCompile(`http://localhost(/(?:en/login/new-password|logga-in/nytt-losenord)/[A-Za-z0-9_-]{43})\b`)
	confirmLink = regexp.MustCompile(`http://localhost(/(?:en/confirm-email|bekrafta-e-post)/[A-Za-z0-9_-]{43})\b`)
)

// link finds the one link re matches in the newest mail to address.
func (e *env) link(t *testing.T, address string, re *regexp.Regexp) string {
	t.Helper()
	mails := e.mailsTo(t, address)
	if len(mails) == 0 {
		t.Fatalf("no mail to %s", address)
	}
	m := re.FindStringSubmatch(mails[0])
	if m == nil {
		t.Fatalf("no link in the mail to %s:\n%s", address, mails[0])
	}
	return m[1]
}

func (e *env) forgot(c *http.Client, email string) response {
	e.t.Helper()
	return e.post(c, "/logga-in/glomt", url.Values{"email": {email}})
}

// newPassword is a password that passes the rules.
const newPassword = "fyra hästar i hagen"

// TestForgotPasswordNoEnumeration: an active account, a missing address
// and a deactivated account get the same status and the same page; only
// the active account gets a mail, and its link works once.
func TestForgotPasswordNoEnumeration(t *testing.T) {
	e := newEnv(t, "http://localhost")
	off := &user.User{Email: "avslutad@kalix.se", Name: "Anna Avslutad", PasswordHash: e.hash(t), Disabled: true}
	if err := e.store.CreateUser(context.Background(), audit.Actor{Name: "test"}, off); err != nil {
		t.Fatal(err)
	}
	form := e.get(e.client(), "/logga-in")
	wantContains(t, "login page", form.body, `href="/logga-in/glomt"`, "Glömt lösenordet?")
	if res := e.get(e.client(), "/en/login/forgot"); res.status != http.StatusOK || !strings.Contains(res.body, "Forgotten password") {
		t.Errorf("English form: %d", res.status)
	}

	active := e.forgot(e.client(), " SOKANDE@kalix.demo.partnerskap.se")
	missing := e.forgot(e.client(), "ingen.alls@kalix.se")
	disabled := e.forgot(e.client(), off.Email)
	if active.status != http.StatusOK {
		t.Fatalf("active: %d\n%s", active.status, active.body)
	}
	for what, res := range map[string]response{"missing": missing, "deactivated": disabled} {
		if res.status != active.status || res.body != active.body {
			t.Errorf("%s address: status %d and a page that differs from an active account's (%d)", what, res.status, active.status)
		}
	}
	wantContains(t, "answer", active.body, "Om adressen hör till ett aktivt konto har vi skickat en länk")
	if n := len(e.mailsTo(t, applicant)); n != 1 {
		t.Errorf("%d mails to the active account, want 1", n)
	}
	if n := len(e.mailsTo(t, "ingen.alls@kalix.se")) + len(e.mailsTo(t, off.Email)); n != 0 {
		t.Errorf("%d mails to the missing or deactivated address, want none", n)
	}
	mail := e.mailsTo(t, applicant)[0]
	wantContains(t, "mail", mail, "Nytt lösenord i Partnerskap", "60 minuter", "/logga-in/nytt-losenord/")

	// A malformed address is an error on the field, whoever types it.
	res := e.forgot(e.client(), "inte-en-adress")
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `aria-describedby=" email-error"`) {
		t.Errorf("malformed address: %d", res.status)
	}
}

// TestPasswordReset: the link's form keeps to the password rules and
// sends no password back; a reset ends every session (a second browser's
// too), the old password stops working and the new one signs in; the
// link works once.
func TestPasswordReset(t *testing.T) {
	e := newEnv(t, "http://localhost")
	other := e.login(applicant)
	if res := e.get(other, "/personal"); res.status != http.StatusOK {
		t.Fatalf("signed in: %d", res.status)
	}
	e.forgot(e.client(), applicant)
	path := e.link(t, applicant, resetLink)

	c := e.client()
	res := e.get(c, path)
	if res.status != http.StatusOK {
		t.Fatalf("reset page: %d\n%s", res.status, res.body)
	}
	wantContains(t, "reset page", res.body, "Välj nytt lösenord", applicant, `autocomplete="new-password"`)
	if res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("reset page Cache-Control %q", res.header.Get("Cache-Control"))
	}

	for _, tt := range []struct {
		name, pw, pw2, field, msg string
	}{
		{"short", "kort", "kort", "password", "minst 10 tecken"},
		{"common", "password123", "password123", "password", "vanligaste"},
		{"own address", applicant, applicant, "password", "e-postadress eller ditt namn"},
		{"differ", newPassword, newPassword + "!", "password2", "Lösenorden är olika"},
	} {
		res := e.post(c, path, url.Values{"password": {tt.pw}, "password2": {tt.pw2}})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tt.name, res.status)
			continue
		}
		desc := map[string]string{"password": "password-hint password-error", "password2": " password2-error"}[tt.field]
		wantContains(t, tt.name, res.body, tt.msg, `id="`+tt.field+`-error"`, `aria-describedby="`+desc+`"`)
		wantNotContains(t, tt.name, res.body, `type="password" value="`+tt.pw+`"`, `type="password" value="`+tt.pw2+`"`)
		wantContains(t, tt.name, res.body, `name="password" type="password" value=""`, `name="password2" type="password" value=""`)
	}

	res = e.post(c, path, url.Values{"password": {newPassword}, "password2": {newPassword}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/logga-in" {
		t.Fatalf("reset: %d %s\n%s", res.status, res.header.Get("Location"), res.body)
	}
	if res := e.get(c, "/logga-in"); !strings.Contains(res.body, "Lösenordet är bytt. Logga in med det nya lösenordet.") {
		t.Error("the sign-in page does not say the password was changed")
	}
	// The other browser's session ended with the reset.
	if res := e.get(other, "/personal"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/logga-in") {
		t.Errorf("a session from before the reset: %d %s, want the sign-in page", res.status, res.header.Get("Location"))
	}
	if res := e.post(e.client(), "/logga-in", url.Values{"email": {applicant}, "password": {demo.Password}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("old password: %d, want 422", res.status)
	}
	if res := e.post(e.client(), "/logga-in", url.Values{"email": {applicant}, "password": {newPassword}}); res.status != http.StatusSeeOther {
		t.Errorf("new password: %d, want 303", res.status)
	}

	// Used once: the same page as an unknown link, with a way to ask again.
	used := e.get(e.client(), path)
	unknown := e.get(e.client(), "/logga-in/nytt-losenord/"+strings.Repeat("A", 43))
	for what, res := range map[string]response{"used": used, "unknown": unknown} {
		if res.status != http.StatusNotFound {
			t.Errorf("%s link: %d, want 404", what, res.status)
		}
		wantContains(t, what, res.body, "Länken gäller inte", `href="/logga-in/glomt"`)
		wantNotContains(t, what, res.body, `name="password"`)
	}
	if res := e.post(e.client(), path, url.Values{"password": {"ett annat bra lösen"}, "password2": {"ett annat bra lösen"}}); res.status != http.StatusNotFound {
		t.Errorf("posting a used link: %d, want 404", res.status)
	}
	entries, err := e.store.AuditLog(context.Background(), audit.Filter{Entity: "user", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, en := range entries {
		found = found || en.Action == "password.reset"
	}
	if !found {
		t.Error("no password.reset in the audit log")
	}
}

// TestPasswordResetExpires: an hour after it was sent (the test clock),
// the link shows the invalid page and changes nothing; a link whose
// account was deactivated meanwhile does nothing either.
func TestPasswordResetExpires(t *testing.T) {
	e := newEnv(t, "http://localhost")
	e.forgot(e.client(), applicant)
	path := e.link(t, applicant, resetLink)
	e.clock.Set(now.Add(user.AccountTokenTTL))
	if res := e.get(e.client(), path); res.status != http.StatusNotFound || !strings.Contains(res.body, "Länken gäller inte") {
		t.Errorf("expired link: %d", res.status)
	}
	if res := e.post(e.client(), path, url.Values{"password": {newPassword}, "password2": {newPassword}}); res.status != http.StatusNotFound {
		t.Errorf("posting an expired link: %d", res.status)
	}
	e.login(applicant) // the old password still works

	e.clock.Set(now.Add(2 * user.AccountTokenTTL))
	e.forgot(e.client(), applicant)
	path = e.link(t, applicant, resetLink)
	u, err := e.store.UserByEmail(context.Background(), applicant)
	if err != nil {
		t.Fatal(err)
	}
	if res := e.get(e.client(), path); res.status != http.StatusOK {
		t.Fatalf("fresh link: %d", res.status)
	}
	if err := e.store.SetUserDisabled(context.Background(), audit.Actor{Name: "test"}, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if res := e.post(e.client(), path, url.Values{"password": {newPassword}, "password2": {newPassword}}); res.status != http.StatusNotFound {
		t.Errorf("link of a deactivated account: %d, want 404", res.status)
	}
	after, _ := e.store.User(context.Background(), u.ID)
	if after.PasswordHash != u.PasswordHash {
		t.Error("a deactivated account's password was changed through its link")
	}
}

// TestForgotPasswordRateLimit: per e-mail address, three links at once;
// per client, twenty requests. Beyond either the answer is the same page
// and no mail is sent.
func TestForgotPasswordRateLimit(t *testing.T) {
	e := newEnv(t, "http://localhost")
	// Every test client is 127.0.0.1: twenty requests, then no more.
	first := e.forgot(e.client(), "ingen0@kalix.se")
	for i := 1; i < user.ResetsPerClient; i++ {
		e.forgot(e.client(), fmt.Sprintf("ingen%d@kalix.se", i))
	}
	res := e.forgot(e.client(), officer)
	if res.status != first.status || res.body != first.body {
		t.Errorf("over the client's limit: a different answer (%d)", res.status)
	}
	if n := len(e.mailsTo(t, officer)); n != 0 {
		t.Errorf("%d mails sent past the client's limit, want none", n)
	}

	// An hour later the client has its requests back; one address gets
	// three links at once, then one every 20 minutes.
	e.clock.Set(now.Add(time.Hour))
	for i := range user.ResetsPerAddress + 2 {
		res := e.forgot(e.client(), applicant)
		if res.status != first.status || res.body != first.body {
			t.Errorf("request %d: a different answer (%d)", i+1, res.status)
		}
	}
	if n := len(e.mailsTo(t, applicant)); n != user.ResetsPerAddress {
		t.Errorf("%d mails to one address, want %d", n, user.ResetsPerAddress)
	}
	e.clock.Set(now.Add(time.Hour + user.ResetAddressEvery))
	e.forgot(e.client(), applicant)
	if n := len(e.mailsTo(t, applicant)); n != user.ResetsPerAddress+1 {
		t.Errorf("%d mails after the wait, want %d", n, user.ResetsPerAddress+1)
	}
}

// TestAccountPasswordChange: the current password is asked for; a new
// one keeps to the rules; the change ends the other sessions and keeps
// this one.
func TestAccountPasswordChange(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.login(applicant)
	other := e.login(applicant)
	page := e.get(c, "/personal/konto")
	if page.status != http.StatusOK {
		t.Fatalf("account page: %d", page.status)
	}
	wantContains(t, "account page", page.body, "Mitt konto", applicant, `href="/personal/konto" aria-current="page"`, `action="/personal/konto/losenord"`, `action="/personal/konto/e-post"`)
	if res := e.get(c, "/en/staff/account"); res.status != http.StatusOK || !strings.Contains(res.body, "My account") {
		t.Errorf("English account page: %d", res.status)
	}
	if res := e.get(e.client(), "/personal/konto"); res.status != http.StatusSeeOther {
		t.Errorf("anonymous: %d, want 303 to sign in", res.status)
	}

	change := func(current, pw, pw2 string) response {
		return e.post(c, "/personal/konto/losenord", url.Values{"current_password": {current}, "new_password": {pw}, "new_password2": {pw2}})
	}
	res := change("fel lösenord här", newPassword, newPassword)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Lösenordet stämmer inte.") || !strings.Contains(res.body, `id="current_password-error"`) {
		t.Errorf("wrong current password: %d", res.status)
	}
	res = change(demo.Password, "kort", "kort")
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="new_password-error"`) {
		t.Errorf("short new password: %d", res.status)
	}
	wantNotContains(t, "short new password", res.body, `type="password" value="`+demo.Password+`"`, `type="password" value="kort"`)
	res = change(demo.Password, newPassword, newPassword)
	if res.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", res.status, res.body)
	}
	if res := e.get(c, "/personal/konto"); res.status != http.StatusOK || !strings.Contains(res.body, "Du är utloggad överallt utom här.") {
		t.Errorf("this session after the change: %d", res.status)
	}
	if res := e.get(other, "/personal"); res.status != http.StatusSeeOther {
		t.Errorf("the other session after the change: %d, want 303", res.status)
	}
	if res := e.post(e.client(), "/logga-in", url.Values{"email": {applicant}, "password": {newPassword}}); res.status != http.StatusSeeOther {
		t.Errorf("new password: %d", res.status)
	}

	// Wrong current passwords are limited per account.
	var last response
	for range user.PasswordChecksMax + 1 {
		last = change("fel lösenord här", newPassword+"x", newPassword+"x")
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
		t.Errorf("guessing the current password: %d, want 429", last.status)
	}
}

// TestAccountEmailChange: the current password is asked for; a taken
// address is refused; the link goes to the new address and a notice to
// the old; opening the link moves the account, keeps the session that
// opens it and ends the others; the link works once.
func TestAccountEmailChange(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.login(applicant)
	other := e.login(applicant)
	const fresh = "asa.ny@kalix.se"
	change := func(email, pw string) response {
		return e.post(c, "/personal/konto/e-post", url.Values{"new_email": {email}, "email_password": {pw}})
	}
	if res := change(fresh, "fel lösenord här"); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="email_password-error"`) || !strings.Contains(res.body, `value="`+fresh+`"`) {
		t.Errorf("wrong password: %d", res.status)
	}
	if res := change(officer, demo.Password); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="new_email-error"`) || !strings.Contains(res.body, "Det finns redan ett konto") {
		t.Errorf("taken address: %d", res.status)
	}
	if n := len(e.mailsTo(t, fresh)); n != 0 {
		t.Fatalf("%d mails before a valid request", n)
	}
	if res := change(fresh, demo.Password); res.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", res.status, res.body)
	}
	path := e.link(t, fresh, confirmLink)
	if notice := e.mailsTo(t, applicant); len(notice) != 1 || !strings.Contains(notice[0], fresh) || confirmLink.MatchString(notice[0]) {
		t.Errorf("notice to the old address: %q (it must not carry the link)", notice)
	}
	// Nothing changes before the link is used.
	if u, err := e.store.UserByEmail(context.Background(), applicant); err != nil || u.Email != applicant {
		t.Fatalf("changed before confirming: %v", err)
	}
	res := e.get(c, path)
	if res.status != http.StatusOK {
		t.Fatalf("confirm page: %d", res.status)
	}
	wantContains(t, "confirm page", res.body, applicant, fresh)
	res = e.post(c, path, nil)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/personal/konto" {
		t.Fatalf("confirm: %d %s", res.status, res.header.Get("Location"))
	}
	if res := e.get(c, "/personal/konto"); res.status != http.StatusOK || !strings.Contains(res.body, fresh) {
		t.Errorf("the confirming session: %d", res.status)
	}
	if res := e.get(other, "/personal"); res.status != http.StatusSeeOther {
		t.Errorf("the other session: %d, want 303", res.status)
	}
	if res := e.post(e.client(), "/logga-in", url.Values{"email": {fresh}, "password": {demo.Password}}); res.status != http.StatusSeeOther {
		t.Errorf("sign in with the new address: %d", res.status)
	}
	if res := e.post(e.client(), "/logga-in", url.Values{"email": {applicant}, "password": {demo.Password}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("sign in with the old address: %d, want 422", res.status)
	}
	if res := e.post(e.client(), path, nil); res.status != http.StatusNotFound {
		t.Errorf("link used twice: %d, want 404", res.status)
	}
}

// TestAccountProfile: the name and language are saved, and the page
// then shows in the language chosen.
func TestAccountProfile(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := e.login(applicant)
	if res := e.post(c, "/personal/konto", url.Values{"name": {""}, "lang": {"en"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="name-error"`) {
		t.Errorf("empty name: %d", res.status)
	}
	res := e.post(c, "/personal/konto", url.Values{"name": {"Åsa Öberg-Ny"}, "lang": {"en"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/en/staff/account" {
		t.Fatalf("save: %d %s", res.status, res.header.Get("Location"))
	}
	u, err := e.store.UserByEmail(context.Background(), applicant)
	if err != nil || u.Name != "Åsa Öberg-Ny" || u.Lang != "en" {
		t.Errorf("after saving: %+v, %v", u, err)
	}
}
