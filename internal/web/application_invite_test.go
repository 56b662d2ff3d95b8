package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/user"
)

// The invitation tests cover issue 9's first hole: an invitation to an
// address that already has an account signed the visitor in as that
// account, whatever password was typed, and gave it the applicant role.
// A new address is still accepted by choosing a name and a password
// (TestInviteColleague).

const inviteBase = "https://partnerskap.example"

// orgID is the id of the organisation with SCB code code.
func orgID(t *testing.T, e *env, code string) int64 {
	t.Helper()
	o, err := e.store.OrganisationByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// newUser creates an account with the demo password.
func newUser(t *testing.T, e *env, email, name string, roles ...user.Role) *user.User {
	t.Helper()
	u := &user.User{Email: email, Name: name, PasswordHash: e.hash(t), Roles: roles}
	if err := e.store.CreateUser(context.Background(), audit.System("test"), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// sendInvite invites address to organisation org as the user signed in on
// cl, and returns the link from the mail (a path on the site).
func sendInvite(t *testing.T, e *env, cl *http.Client, org int64, address string) string {
	t.Helper()
	res := e.post(cl, "/ansokningar/inbjudan", url.Values{"invite_email": {address}, "organisation": {strconv.FormatInt(org, 10)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("invite %s: %d\n%s", address, res.status, res.body)
	}
	mails, err := e.store.MailList(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails { // newest first
		if m.To != strings.ToLower(address) {
			continue
		}
		for _, line := range strings.Split(m.Body, "\n") {
			if strings.HasPrefix(line, inviteBase+"/inbjudan/") {
				return strings.TrimPrefix(line, inviteBase)
			}
		}
	}
	t.Fatalf("no invitation link to %s in the outbox", address)
	return ""
}

// mailsTo counts the messages in the outbox to address.
func mailsTo(t *testing.T, e *env, address string) int {
	t.Helper()
	mails, err := e.store.MailList(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range mails {
		if m.To == address {
			n++
		}
	}
	return n
}

// rolesOf returns the roles of the account with address.
func rolesOf(t *testing.T, e *env, address string) []user.Role {
	t.Helper()
	u, err := e.store.UserByEmail(context.Background(), address)
	if err != nil {
		t.Fatal(err)
	}
	return u.Roles
}

// wantSignedOut checks that cl has no session: the workspace sends it to
// the sign-in page.
func wantSignedOut(t *testing.T, e *env, cl *http.Client, what string) {
	t.Helper()
	res := e.get(cl, "/ansokningar")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/logga-in") {
		t.Errorf("%s: the visitor is signed in (GET /ansokningar: %d %s)", what, res.status, res.header.Get("Location"))
	}
}

// (a) Opening an invitation to an existing account and posting its form
// neither signs in nor adds the role: the visitor is told to sign in as
// that account.
func TestInviteToExistingAccountDoesNotSignIn(t *testing.T) {
	e := newEnv(t, inviteBase)
	kalix, arvika := orgID(t, e, "2514"), orgID(t, e, "1784")
	newUser(t, e, "kollega@arvika.se", "Karin Kollega", user.Role{Kind: user.Applicant, OrganisationID: arvika})
	link := sendInvite(t, e, e.login(applicant), kalix, "Kollega@Arvika.se")

	guest := e.client()
	res := e.get(guest, link)
	if res.status != http.StatusOK {
		t.Fatalf("invitation page: %d", res.status)
	}
	wantContains(t, "invitation to an existing account", res.body,
		"kollega@arvika.se har redan ett konto", `href="/logga-in?next=`+url.QueryEscape(link)+`"`)
	wantNotContains(t, "invitation to an existing account", res.body, `name="password"`)

	res = e.post(guest, link, url.Values{"name": {"Inkräktare"}, "password": {"vilket lösenord som helst"}, "password2": {"vilket lösenord som helst"}})
	if res.status != http.StatusForbidden {
		t.Errorf("posting the form for an existing account: %d, want 403", res.status)
	}
	wantContains(t, "refusal", res.body, "kollega@arvika.se har redan ett konto")
	wantSignedOut(t, e, guest, "after posting the form")
	if roles := rolesOf(t, e, "kollega@arvika.se"); len(roles) != 1 || roles[0].OrganisationID != arvika {
		t.Errorf("the account's roles changed without its sign-in: %+v", roles)
	}
	if u, _ := e.store.UserByEmail(context.Background(), "kollega@arvika.se"); u.Name != "Karin Kollega" {
		t.Errorf("the account's name changed: %q", u.Name)
	}
	// The invitation is not used up: its owner can still accept it.
	if res := e.get(e.client(), link); res.status != http.StatusOK {
		t.Errorf("the refused attempt used up the invitation: %d", res.status)
	}
}

// (b) The owner of the account accepts after signing in as it; another
// account cannot.
func TestInviteToExistingAccountAcceptedAfterSignIn(t *testing.T) {
	e := newEnv(t, inviteBase)
	kalix, arvika := orgID(t, e, "2514"), orgID(t, e, "1784")
	newUser(t, e, "kollega@arvika.se", "Karin Kollega", user.Role{Kind: user.Applicant, OrganisationID: arvika})
	sender := e.login(applicant)
	link := sendInvite(t, e, sender, kalix, "kollega@arvika.se")

	// Signed in as someone else (the sender, or the partner): refused.
	for _, cl := range []*http.Client{sender, e.login("partner@masaka.demo.partnerskap.se")} {
		res := e.get(cl, link)
		wantContains(t, "another account's view", res.body, "men inbjudan gäller kollega@arvika.se")
		wantNotContains(t, "another account's view", res.body, `name="password"`)
		res = e.post(cl, link, url.Values{"name": {"Åsa Sökande"}, "password": {"ett långt lösenord"}, "password2": {"ett långt lösenord"}})
		if res.status != http.StatusForbidden {
			t.Errorf("another account accepting: %d, want 403", res.status)
		}
		wantContains(t, "another account accepting", res.body, "men inbjudan gäller kollega@arvika.se")
	}
	if roles := rolesOf(t, e, "kollega@arvika.se"); len(roles) != 1 {
		t.Errorf("another account accepted the invitation: %+v", roles)
	}
	if roles := rolesOf(t, e, "partner@masaka.demo.partnerskap.se"); slices.ContainsFunc(roles, func(r user.Role) bool { return r.Kind == user.Applicant }) {
		t.Errorf("the partner became an applicant: %+v", roles)
	}

	// The sign-in link leads back to the invitation.
	owner := e.client()
	res := e.post(owner, "/logga-in", url.Values{"email": {"kollega@arvika.se"}, "password": {demo.Password}, "next": {link}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != link {
		t.Fatalf("sign in to accept: %d %q", res.status, res.header.Get("Location"))
	}
	res = e.get(owner, link)
	wantContains(t, "the owner's view", res.body, "Du är inloggad som Karin Kollega", ">Anta inbjudan</button>")
	wantNotContains(t, "the owner's view", res.body, `name="password"`)
	res = e.post(owner, link, url.Values{})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/ansokningar" {
		t.Fatalf("the owner accepting: %d %q\n%s", res.status, res.header.Get("Location"), res.body)
	}
	roles := rolesOf(t, e, "kollega@arvika.se")
	if len(roles) != 2 || roles[1] != (user.Role{Kind: user.Applicant, OrganisationID: kalix}) {
		t.Errorf("roles after accepting: %+v", roles)
	}
	if res := e.get(owner, "/ansokningar"); !strings.Contains(res.body, "Kalix kommun") {
		t.Errorf("the owner's applications page lacks Kalix: %d", res.status)
	}
	// Once only.
	if res := e.post(owner, link, url.Values{}); res.status != http.StatusNotFound {
		t.Errorf("second use: %d", res.status)
	}
	if roles := rolesOf(t, e, "kollega@arvika.se"); len(roles) != 2 {
		t.Errorf("roles after a second use: %+v", roles)
	}
}

// (c) Staff accounts (administrator, officer, reviewer) never gain an
// applicant role through an invitation: refused when it is sent, and
// again when it is accepted (the address may have become staff since).
func TestInviteToStaffRefused(t *testing.T) {
	e := newEnv(t, inviteBase)
	kalix := orgID(t, e, "2514")
	cl := e.login(applicant)
	for _, address := range []string{"admin@demo.partnerskap.se", officer, "Bedomare@demo.partnerskap.se"} {
		res := e.post(cl, "/ansokningar/inbjudan", url.Values{"invite_email": {address}, "organisation": {strconv.FormatInt(kalix, 10)}})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("invite %s: %d, want 422", address, res.status)
		}
		wantContains(t, "invite "+address, res.body, `value="`+address+`"`,
			`<p class="error" id="invite_email-error">Adressen hör till ett konto för handläggare, bedömare eller administratör`)
		if n := mailsTo(t, e, strings.ToLower(address)); n != 0 {
			t.Errorf("invite %s: %d mails sent", address, n)
		}
	}

	// Invited while the address had no account, which then became staff.
	link := sendInvite(t, e, cl, kalix, "blivande@kalix.se")
	newUser(t, e, "blivande@kalix.se", "Bo Bedömare", user.Role{Kind: user.Reviewer})
	guest := e.client()
	if res := e.get(guest, link); !strings.Contains(res.body, "blir inte sökande genom en inbjudan") {
		t.Errorf("the invitation page of a staff address: %d", res.status)
	}
	res := e.post(guest, link, url.Values{"name": {"Bo"}, "password": {"ett långt lösenord"}, "password2": {"ett långt lösenord"}})
	if res.status != http.StatusForbidden {
		t.Errorf("guest accepting for a staff address: %d, want 403", res.status)
	}
	wantSignedOut(t, e, guest, "guest accepting for a staff address")
	staffer := e.login("blivande@kalix.se")
	res = e.post(staffer, link, url.Values{})
	if res.status != http.StatusForbidden {
		t.Errorf("the staff account accepting: %d, want 403", res.status)
	}
	wantContains(t, "the staff account accepting", res.body, "blir inte sökande genom en inbjudan")
	if roles := rolesOf(t, e, "blivande@kalix.se"); len(roles) != 1 || roles[0].Kind != user.Reviewer {
		t.Errorf("the reviewer's roles: %+v", roles)
	}
}

// Invitations are limited per sender: at most 20 in an hour, counted from
// the invitations stored (so the limit holds across restarts and
// instances).
func TestInviteRateLimitPerSender(t *testing.T) {
	const limit = user.InvitesPerHour // 20, as the message says
	e := newEnv(t, inviteBase)
	kalix := orgID(t, e, "2514")
	org := strconv.FormatInt(kalix, 10)
	cl := e.login(applicant)
	invite := func(c *http.Client, address string) response {
		return e.post(c, "/ansokningar/inbjudan", url.Values{"invite_email": {address}, "organisation": {org}, "lang": {"sv"}})
	}
	for i := range limit {
		if res := invite(cl, "kollega"+strconv.Itoa(i)+"@kalix.se"); res.status != http.StatusSeeOther {
			t.Fatalf("invitation %d: %d", i+1, res.status)
		}
	}
	e.clock.Set(now.Add(59 * time.Minute))
	res := invite(cl, "en.till@kalix.se")
	if res.status != http.StatusTooManyRequests {
		t.Errorf("invitation %d in the hour: %d, want 429", limit+1, res.status)
	}
	wantContains(t, "over the limit", res.body, `value="en.till@kalix.se"`,
		`<p class="error" id="invite_email-error">Du kan skicka högst `+strconv.Itoa(limit)+` inbjudningar i timmen`)
	if n := mailsTo(t, e, "en.till@kalix.se"); n != 0 {
		t.Errorf("over the limit: %d mails sent", n)
	}
	// The limit is the sender's own: a colleague still invites.
	newUser(t, e, "annan@kalix.se", "Anna Annan", user.Role{Kind: user.Applicant, OrganisationID: kalix})
	if res := invite(e.login("annan@kalix.se"), "fran.annan@kalix.se"); res.status != http.StatusSeeOther {
		t.Errorf("another sender: %d", res.status)
	}
	// An hour after the first ones, the sender may invite again.
	e.clock.Set(now.Add(time.Hour))
	if res := invite(cl, "en.till@kalix.se"); res.status != http.StatusSeeOther {
		t.Errorf("an hour later: %d", res.status)
	}
}
