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
	"github.com/icld/partnerskap/internal/web"
)

// newStaffer creates an officer (or the roles given) with the demo
// password, who is not one of the demo's accounts.
func newStaffer(t *testing.T, e *env, email string, roles ...user.Role) *user.User {
	t.Helper()
	if len(roles) == 0 {
		roles = []user.Role{{Kind: user.Officer}}
	}
	u := &user.User{Email: email, Name: "Test " + email, PasswordHash: e.hash(t), Roles: roles}
	if err := e.store.CreateUser(context.Background(), audit.System("test"), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// enrolFactor gives u a second factor through the store and returns its
// secret and recovery codes.
func enrolFactor(t *testing.T, e *env, u *user.User) (string, []string) {
	t.Helper()
	secret, _, err := user.NewTOTPSecret(u.Email)
	if err != nil {
		t.Fatal(err)
	}
	codes, hashes := user.NewRecoveryCodes()
	if err := e.store.EnrolSecondFactor(context.Background(), audit.Actor{UserID: u.ID, Name: u.Name}, u.ID, secret, hashes, 0); err != nil {
		t.Fatal(err)
	}
	return secret, codes
}

func totpAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := user.TOTPCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// passwordOnly signs in with the password alone and returns the client
// and where the answer leads.
func passwordOnly(t *testing.T, e *env, email, prefix string) (*http.Client, string) {
	t.Helper()
	c := e.client()
	path := "/logga-in"
	if prefix == "/en" {
		path = "/en/login"
	}
	res := e.post(c, path, url.Values{"email": {email}, "password": {demo.Password}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("password for %s: status %d\n%s", email, res.status, res.body)
	}
	return c, res.header.Get("Location")
}

func auditCount(t *testing.T, e *env) int {
	t.Helper()
	log, err := e.store.AuditLog(context.Background(), audit.Filter{Limit: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	return len(log)
}

var placeholder = regexp.MustCompile(`\{[^}]*\}`)

// TestPendingSessionReachesNoStaffRoute is THE RULE of the second factor:
// a session that has passed the password but not the second factor
// reaches no staff route. Every staff route of the table, in both
// languages, by its own method, sends it to the code form (or, for an
// officer still to enrol, to the enrolment page), shows none of the
// page, and changes nothing.
func TestPendingSessionReachesNoStaffRoute(t *testing.T) {
	e := newEnv(t, "")
	enrolled := newStaffer(t, e, "pending.kod@kalix.se")
	enrolFactor(t, e, enrolled)
	newStaffer(t, e, "pending.ny@kalix.se", user.Role{Kind: user.Administrator})
	for _, who := range []struct {
		email, sv, en string
	}{
		{"pending.kod@kalix.se", "/logga-in/kod", "/en/login/code"},
		{"pending.ny@kalix.se", "/logga-in/tvastegsverifiering", "/en/login/two-step"},
	} {
		c, loc := passwordOnly(t, e, who.email, "")
		if !strings.HasPrefix(loc, who.sv) {
			t.Fatalf("%s: the password leads to %q, want %s", who.email, loc, who.sv)
		}
		before := auditCount(t, e)
		n := 0
		for _, rt := range web.TableRoutes() {
			if !rt.Staff {
				continue
			}
			for _, lang := range []string{"sv", "en"} {
				path, want := rt.SV, who.sv
				if lang == "en" {
					path, want = rt.EN, who.en
				}
				path = placeholder.ReplaceAllString(path, "1")
				var res response
				if rt.Method == "POST" {
					// A form as a real one would send it, so a refusal is
					// not merely a form's validation.
					res = e.post(c, path, url.Values{"name": {"Ändrad"}, "code": {"123456"}, "disabled": {"1"}, "session": {"00"}, "amount": {"1000"}})
				} else {
					res = e.get(c, path)
				}
				n++
				if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), want) {
					t.Errorf("%s %s (%s) with a pending session: status %d to %q, want 303 to %s", rt.Method, path, rt.Name, res.status, res.header.Get("Location"), want)
				}
				if strings.Contains(res.body, "<main") || strings.Contains(res.body, "<h1") {
					t.Errorf("%s %s (%s): the page's content was sent with the redirect", rt.Method, path, rt.Name)
				}
			}
		}
		if n < 100 {
			t.Errorf("only %d staff routes tried", n)
		}
		if after := auditCount(t, e); after != before {
			t.Errorf("%s: %d changes recorded while pending", who.email, after-before)
		}
	}
}

// TestSecondFactorForcedEnrolment: an officer who is not one of the
// demo's accounts must enrol before reaching any staff page; the page
// shows the QR code with alt text and the secret as text; a wrong code
// is refused; the right one shows the recovery codes once and signs in.
func TestSecondFactorForcedEnrolment(t *testing.T) {
	e := newEnv(t, "")
	u := newStaffer(t, e, "ny.handlaggare@kalix.se")
	c, loc := passwordOnly(t, e, u.Email, "")
	if loc != "/logga-in/tvastegsverifiering" {
		t.Fatalf("password leads to %q", loc)
	}
	if res := e.get(c, "/personal"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/logga-in/tvastegsverifiering") {
		t.Fatalf("staff home before enrolment: %d to %q", res.status, res.header.Get("Location"))
	}
	page := e.get(c, loc)
	wantContains(t, "enrolment page", page.body, `src="data:image/png;base64,`, `alt="QR-kod som lägger till partnerskap`, `<code id="secret"`, `autocomplete="one-time-code"`)
	m := regexp.MustCompile(`<code id="secret"[^>]*>([A-Z2-7 ]+)</code>`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no secret as text:\n%s", page.body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	if hidden := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindStringSubmatch(page.body); hidden == nil || hidden[1] != secret {
		t.Fatalf("the secret shown (%s) is not the one the form sends (%v)", secret, hidden)
	}
	wrong := e.post(c, loc, url.Values{"secret": {secret}, "code": {"000000"}})
	if totpAt(t, secret, now) == "000000" {
		t.Skip("the clock's code happens to be 000000")
	}
	if wrong.status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong code: status %d", wrong.status)
	}
	wantContains(t, "wrong code", wrong.body, `code-error"`, `id="code-error"`, `aria-invalid="true"`, secret[:4])
	if res := e.get(c, "/personal"); res.status != http.StatusSeeOther {
		t.Fatalf("staff home after a wrong code: %d", res.status)
	}
	ok := e.post(c, loc, url.Values{"secret": {secret}, "code": {totpAt(t, secret, now)}})
	if ok.status != http.StatusOK {
		t.Fatalf("right code: status %d\n%s", ok.status, ok.body)
	}
	codes := regexp.MustCompile(`<li><code>([0-9a-z-]+)</code></li>`).FindAllStringSubmatch(ok.body, -1)
	if len(codes) != user.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown", len(codes))
	}
	if res := e.get(c, "/personal"); res.status != http.StatusOK {
		t.Fatalf("staff home after enrolment: %d", res.status)
	}
	// The codes are shown once: the account page does not show them.
	own := e.get(c, "/personal/tvastegsverifiering")
	wantNotContains(t, "account page", own.body, codes[0][1], secret)
	wantContains(t, "account page", own.body, "Påslagen sedan")
	log, _ := e.store.AuditLog(context.Background(), audit.Filter{Entity: "user", EntityID: u.ID})
	found := false
	for _, x := range log {
		found = found || x.Action == "second_factor.enrol"
	}
	if !found {
		t.Error("enrolment not in the audit log")
	}
	// The same code again, at the next sign-in, is a replay.
	c2, loc2 := passwordOnly(t, e, u.Email, "")
	if loc2 != "/logga-in/kod" {
		t.Fatalf("second sign-in leads to %q", loc2)
	}
	if res := e.post(c2, loc2, url.Values{"code": {totpAt(t, secret, now)}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("the enrolment's code again: status %d", res.status)
	}
	if res := e.post(c2, loc2, url.Values{"code": {codes[3][1]}}); res.status != http.StatusSeeOther {
		t.Errorf("a recovery code: status %d", res.status)
	}
}

// TestDemoExemption: the demo's staff sign in with the password alone
// while the database is the demo's, and need a second factor once it is
// not.
func TestDemoExemption(t *testing.T) {
	e := newEnv(t, "")
	for _, email := range []string{officer, "admin@demo.partnerskap.se"} {
		if _, loc := passwordOnly(t, e, email, ""); loc != "/personal" {
			t.Errorf("demo account %s: the password leads to %q, want /personal", email, loc)
		}
	}
	if err := e.store.SetSetting(context.Background(), audit.System("test"), "demo", "gone"); err != nil {
		t.Fatal(err)
	}
	if _, loc := passwordOnly(t, e, officer, ""); loc != "/logga-in/tvastegsverifiering" {
		t.Errorf("demo officer outside the demo: the password leads to %q, want the enrolment page", loc)
	}
}

// TestSecondFactorCode: the code form takes a TOTP code once, a
// recovery code once, refuses wrong codes, throttles them per account,
// and keeps where the person was going; English too.
func TestSecondFactorCode(t *testing.T) {
	e := newEnv(t, "")
	u := newStaffer(t, e, "kod@kalix.se")
	secret, codes := enrolFactor(t, e, u)

	c, loc := passwordOnly(t, e, u.Email, "/en")
	if loc != "/en/login/code" {
		t.Fatalf("English sign-in leads to %q", loc)
	}
	form := e.get(c, loc)
	wantContains(t, "code form", form.body, `<label for="code">Code`, `autocomplete="one-time-code"`, `lang="en"`)
	if res := e.post(c, loc, url.Values{"code": {totpAt(t, secret, now)}}); res.status != http.StatusSeeOther || res.header.Get("Location") != "/en/staff" {
		t.Fatalf("right code: %d to %q", res.status, res.header.Get("Location"))
	}
	if res := e.get(c, "/en/staff"); res.status != http.StatusOK {
		t.Fatalf("staff home: %d", res.status)
	}

	// Replay, a recovery code twice, a code after the next step.
	c, _ = passwordOnly(t, e, u.Email, "")
	if res := e.post(c, "/logga-in/kod", url.Values{"code": {totpAt(t, secret, now)}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("replayed code: %d", res.status)
	} else {
		wantContains(t, "replayed code", res.body, "redan använts", `id="code-error"`)
	}
	if res := e.post(c, "/logga-in/kod", url.Values{"code": {strings.ToUpper(codes[0])}}); res.status != http.StatusSeeOther {
		t.Errorf("recovery code: %d", res.status)
	}
	c, _ = passwordOnly(t, e, u.Email, "")
	if res := e.post(c, "/logga-in/kod", url.Values{"code": {codes[0]}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("recovery code again: %d", res.status)
	}
	// Five wrong codes (two above), then even the right one waits (429).
	for i := range 3 {
		if res := e.post(c, "/logga-in/kod", url.Values{"code": {fmt.Sprintf("zzzz-zzzz-zzz%d", i)}}); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: %d", i, res.status)
		}
	}
	res := e.post(c, "/logga-in/kod", url.Values{"code": {codes[1]}})
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("sixth try: %d, Retry-After %q; want 429", res.status, res.header.Get("Retry-After"))
	}
	e.clock.Set(now.Add(5 * time.Minute))
	if res := e.post(c, "/logga-in/kod", url.Values{"code": {codes[1]}}); res.status != http.StatusSeeOther {
		t.Errorf("after the wait: %d", res.status)
	}

	// Where the person was going is kept through the code form.
	e.clock.Set(now.Add(10 * time.Minute))
	c = e.client()
	res = e.get(c, "/personal/logg")
	res = e.post(c, "/logga-in", url.Values{"email": {u.Email}, "password": {demo.Password}, "next": {"/personal/logg"}})
	if loc := res.header.Get("Location"); loc != "/logga-in/kod?next=%2Fpersonal%2Flogg" {
		t.Fatalf("password with next leads to %q", loc)
	}
	form = e.get(c, "/logga-in/kod?next=%2Fpersonal%2Flogg")
	wantContains(t, "code form", form.body, `name="next" value="/personal/logg"`)
	if res := e.post(c, "/logga-in/kod", url.Values{"code": {totpAt(t, secret, e.clock.Now())}, "next": {"/personal/logg"}}); res.header.Get("Location") != "/personal/logg" {
		t.Errorf("after the code: %d to %q", res.status, res.header.Get("Location"))
	}

	// The pending session expires.
	c, _ = passwordOnly(t, e, u.Email, "")
	e.clock.Set(e.clock.Now().Add(user.PendingSignIn))
	if res := e.post(c, "/logga-in/kod", url.Values{"code": {totpAt(t, secret, e.clock.Now())}}); res.status != http.StatusSeeOther || res.header.Get("Location") != "/logga-in" {
		t.Errorf("code after the pending session expired: %d to %q", res.status, res.header.Get("Location"))
	}
}

// TestPasswordAttemptGivenBackOnlyWhenSignedIn: the password's attempt
// stays counted until the second factor completes the sign-in. Passwords
// right but never followed by a code spend the account's tries like
// wrong ones; complete sign-ins never do.
func TestPasswordAttemptGivenBackOnlyWhenSignedIn(t *testing.T) {
	e := newEnv(t, "")
	u := newStaffer(t, e, "forsok@kalix.se")
	secret, _ := enrolFactor(t, e, u)
	// Complete sign-ins, each with a new step's code: never refused.
	for i := range 12 {
		e.clock.Set(now.Add(time.Duration(i) * user.TOTPPeriod))
		c, loc := passwordOnly(t, e, u.Email, "")
		if res := e.post(c, loc, url.Values{"code": {totpAt(t, secret, e.clock.Now())}}); res.status != http.StatusSeeOther {
			t.Fatalf("complete sign-in %d: %d", i, res.status)
		}
	}
	// The password alone, never completed, from one address: the
	// account counts these as failures and the address soon waits.
	refused := false
	for i := range 14 {
		c := e.client()
		res := e.post(c, "/logga-in", url.Values{"email": {u.Email}, "password": {demo.Password}})
		if res.status == http.StatusTooManyRequests {
			refused = true
			break
		}
		if res.status != http.StatusSeeOther {
			t.Fatalf("password %d: %d", i, res.status)
		}
	}
	if !refused {
		t.Error("fourteen right passwords without a code were all admitted: the password alone gave its attempt back")
	}
}

// TestSecondFactorAccountPage: an applicant switches the optional factor
// on, gets new recovery codes, and switches it off with a code; an
// officer may not switch it off.
func TestSecondFactorAccountPage(t *testing.T) {
	e := newEnv(t, "")
	c := e.login(applicant)
	page := e.get(c, "/personal/tvastegsverifiering")
	if page.status != http.StatusOK {
		t.Fatalf("account page: %d", page.status)
	}
	wantContains(t, "account page", page.body, "frivillig", `<code id="secret"`, `alt="QR-kod`)
	secret := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindStringSubmatch(page.body)[1]
	wrong := e.post(c, "/personal/tvastegsverifiering", url.Values{"secret": {secret}, "code": {"zz"}})
	if wrong.status != http.StatusUnprocessableEntity {
		t.Fatalf("enrol with a wrong code: %d", wrong.status)
	}
	// The form again, with the same secret, as the optional page it is.
	wantContains(t, "wrong code", wrong.body, `value="`+secret+`"`, `id="code-error"`)
	wantNotContains(t, "wrong code", wrong.body, "Din roll kräver", "Avbryt och logga ut")
	res := e.post(c, "/personal/tvastegsverifiering", url.Values{"secret": {secret}, "code": {totpAt(t, secret, now)}})
	if res.status != http.StatusOK || strings.Count(res.body, "<li><code>") != user.RecoveryCodeCount {
		t.Fatalf("enrol: %d\n%s", res.status, res.body)
	}
	first := regexp.MustCompile(`<li><code>([0-9a-z-]+)</code></li>`).FindStringSubmatch(res.body)[1]

	// New recovery codes need a code; the old ones stop working.
	if res := e.post(c, "/personal/tvastegsverifiering/reservkoder", url.Values{"code_new": {"zzzz-zzzz-zzzz"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("new codes with a wrong code: %d", res.status)
	} else {
		wantContains(t, "new codes error", res.body, `aria-describedby="code_new-error"`)
	}
	e.clock.Set(now.Add(user.TOTPPeriod))
	res = e.post(c, "/personal/tvastegsverifiering/reservkoder", url.Values{"code_new": {totpAt(t, secret, e.clock.Now())}})
	if res.status != http.StatusOK || strings.Count(res.body, "<li><code>") != user.RecoveryCodeCount {
		t.Fatalf("new codes: %d", res.status)
	}
	fresh := regexp.MustCompile(`<li><code>([0-9a-z-]+)</code></li>`).FindStringSubmatch(res.body)[1]

	// The next sign-in asks for a code; an old recovery code fails.
	c2, loc := passwordOnly(t, e, applicant, "")
	if loc != "/logga-in/kod" {
		t.Fatalf("applicant with a factor: the password leads to %q", loc)
	}
	if res := e.post(c2, loc, url.Values{"code": {first}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("an old recovery code: %d", res.status)
	}
	if res := e.post(c2, loc, url.Values{"code": {fresh}}); res.status != http.StatusSeeOther {
		t.Errorf("a new recovery code: %d", res.status)
	}

	// Switching off needs a code, then the password alone signs in.
	e.clock.Set(now.Add(2 * user.TOTPPeriod))
	if res := e.post(c, "/personal/tvastegsverifiering/stang-av", url.Values{"code_off": {totpAt(t, secret, e.clock.Now())}}); res.status != http.StatusSeeOther {
		t.Fatalf("switch off: %d", res.status)
	}
	if _, loc := passwordOnly(t, e, applicant, ""); loc != "/personal" {
		t.Errorf("after switching off, the password leads to %q", loc)
	}

	// An officer must keep it.
	o := newStaffer(t, e, "behaller@kalix.se")
	oc := e.login(o.Email)
	if res := e.get(oc, "/en/staff/two-step"); res.status != http.StatusOK {
		t.Fatalf("officer's account page: %d", res.status)
	} else {
		wantContains(t, "officer's account page", res.body, "cannot be switched off")
	}
	if res := e.post(oc, "/personal/tvastegsverifiering/stang-av", url.Values{"code_off": {"123456"}}); res.status != http.StatusForbidden {
		t.Errorf("officer switching off: %d, want 403", res.status)
	}
}

// TestAdminResetsSecondFactor: an administrator resets a person's factor
// from the people page; it is logged, the person's sessions end, and the
// next sign-in asks them to enrol again. Nobody else may.
func TestAdminResetsSecondFactor(t *testing.T) {
	e := newEnv(t, "")
	u := newStaffer(t, e, "tappade.telefonen@kalix.se")
	uc := e.login(u.Email) // enrols
	if res := e.get(uc, "/personal"); res.status != http.StatusOK {
		t.Fatalf("signed in: %d", res.status)
	}
	path := fmt.Sprintf("/personal/personer/%d/tvastegsverifiering", u.ID)
	if res := e.post(e.login(officer), path, nil); res.status != http.StatusForbidden {
		t.Errorf("an officer resetting: %d, want 403", res.status)
	}
	ac := e.login("admin@demo.partnerskap.se")
	person := e.get(ac, fmt.Sprintf("/personal/personer/%d", u.ID))
	wantContains(t, "person page", person.body, "Påslagen sedan", `action="`+path+`"`)
	res := e.post(ac, path, nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.status)
	}
	if res := e.get(uc, "/personal"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/logga-in?") {
		t.Errorf("the person's session after the reset: %d to %q", res.status, res.header.Get("Location"))
	}
	log, _ := e.store.AuditLog(context.Background(), audit.Filter{Entity: "user", EntityID: u.ID})
	found := false
	for _, x := range log {
		if x.Action == "second_factor.reset" && x.Actor.Name == "Alva Administratör" {
			found = true
		}
	}
	if !found {
		t.Error("the reset is not in the audit log as the administrator's")
	}
	if _, loc := passwordOnly(t, e, u.Email, ""); loc != "/logga-in/tvastegsverifiering" {
		t.Errorf("after the reset, the password leads to %q", loc)
	}
}
