package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// Who adds whom (issue 9): administrators invite staff (user_invite.go),
// an organisation's people manage its people (organisation_member.go),
// officers choose a call's reviewers (call_reviewer.go). Each through the
// one invitation, which never signs anyone in to an existing account.

const partnerEmail = "partner@masaka.demo.partnerskap.se"

// inviteLink returns the invitation link in the newest mail to address
// (a path on the site), or "" when there is none.
func inviteLink(t *testing.T, e *env, address string) string {
	t.Helper()
	mails, err := e.store.MailList(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails { // newest first
		if m.To != address {
			continue
		}
		for _, line := range strings.Split(m.Body, "\n") {
			for _, p := range []string{"/inbjudan/", "/en/invitation/"} {
				if i := strings.Index(line, p); i >= 0 && strings.HasPrefix(line, inviteBase) {
					return line[i:]
				}
			}
		}
	}
	return ""
}

func pendingStaff(t *testing.T, e *env) []*user.Invite {
	t.Helper()
	list, err := e.store.PendingInvites(context.Background(), store.InviteFilter{Staff: true})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func hasRole(roles []user.Role, r user.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// demoCall is a call of the demo, and its programme.
func demoCall(t *testing.T, e *env) (progID, callID int64) {
	t.Helper()
	calls, err := e.store.CallList(context.Background(), 0)
	if err != nil || len(calls) == 0 {
		t.Fatalf("demo calls: %v, %v", calls, err)
	}
	return calls[0].ProgrammeID, calls[0].ID
}

// An administrator invites an officer for one programme: the invitee
// chooses a password under the usual rules and becomes that officer; the
// invitation is in the log and leaves the pending list.
func TestStaffInviteOfficer(t *testing.T) {
	e := newEnv(t, inviteBase)
	prog, _ := demoCall(t, e)
	admin := e.login(adminEmail)
	res := e.get(admin, "/personal/personer")
	wantContains(t, "people page", res.body, `action="/personal/personer/inbjudan"`, "Bjud in personal", "Inga inbjudningar väntar på svar.")
	// A refused form keeps what was typed, with the error tied to its field.
	res = e.post(admin, "/personal/personer/inbjudan", url.Values{"invite_email": {"inte en adress"}, "invite_name": {"Nina Ny"}, "invite_role": {"officer"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad address: %d", res.status)
	}
	wantContains(t, "bad address", res.body, `value="inte en adress"`, `value="Nina Ny"`, `id="invite_email-error"`, `aria-invalid="true"`, `href="#invite_email"`)
	res = e.post(admin, "/personal/personer/inbjudan", url.Values{"invite_email": {"x@icld.se"}, "invite_role": {"applicant"}})
	if res.status != http.StatusUnprocessableEntity || len(pendingStaff(t, e)) != 0 {
		t.Fatalf("an applicant role through the staff form: %d", res.status)
	}
	res = e.post(admin, "/personal/personer/inbjudan", url.Values{"invite_email": {"Nina.Ny@ICLD.se"}, "invite_name": {"Nina Ny"},
		"invite_role": {"officer"}, "invite_programme": {strconv.FormatInt(prog, 10)}, "invite_lang": {"sv"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", res.status, res.body)
	}
	link := inviteLink(t, e, "nina.ny@icld.se")
	if link == "" {
		t.Fatal("no invitation mail")
	}
	res = e.get(admin, "/personal/personer")
	wantContains(t, "pending", res.body, "nina.ny@icld.se", "Nina Ny", "handläggare för", "Återkalla")
	// The invitee chooses a password under the usual rules; the name typed
	// by the administrator is offered.
	guest := e.client()
	res = e.get(guest, link)
	wantContains(t, "invitation page", res.body, "Inbjudan till Partnerskap", "som handläggare för", `value="Nina Ny"`, `autocomplete="new-password"`)
	res = e.post(guest, link, url.Values{"name": {"Nina Ny"}, "password": {"password123"}, "password2": {"password123"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a common password: %d", res.status)
	}
	res = e.post(guest, link, url.Values{"name": {"Nina Ny"}, "password": {"gröna äpplen i korgen"}, "password2": {"gröna äpplen i korgen"}})
	// An officer sets up a second factor before any staff page.
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/logga-in/tvastegsverifiering?next=%2Fpersonal" {
		t.Fatalf("accept: %d %s", res.status, res.header.Get("Location"))
	}
	if res := e.get(guest, "/personal/program/"+strconv.FormatInt(prog, 10)); res.status != http.StatusSeeOther ||
		!strings.HasPrefix(res.header.Get("Location"), "/logga-in/tvastegsverifiering") {
		t.Errorf("the new officer before the second factor: %d %s", res.status, res.header.Get("Location"))
	}
	e.secondStep(guest, "nina.ny@icld.se", "/logga-in/tvastegsverifiering?next=%2Fpersonal")
	roles := rolesOf(t, e, "nina.ny@icld.se")
	if len(roles) != 1 || roles[0] != (user.Role{Kind: user.Officer, ProgrammeID: prog}) {
		t.Errorf("the new officer's roles: %+v", roles)
	}
	if res = e.get(guest, "/personal/program/"+strconv.FormatInt(prog, 10)); res.status != http.StatusOK {
		t.Errorf("the new officer reads the programme: %d", res.status)
	}
	if len(pendingStaff(t, e)) != 0 {
		t.Error("an accepted invitation is still pending")
	}
	res = e.get(admin, "/personal/logg?post=invite")
	wantContains(t, "log", res.body, "Inbjudan antagen")
	// The link works once.
	if res = e.get(e.client(), link); res.status != http.StatusNotFound {
		t.Errorf("a used link: %d", res.status)
	}
}

// An invitation to an address that has an account never signs in: the
// visitor must sign in as it; an account that speaks for an organisation
// is never invited as staff; a withdrawn invitation is dead.
func TestStaffInviteExistingAndWithdrawn(t *testing.T) {
	e := newEnv(t, inviteBase)
	admin := e.login(adminEmail)
	newUser(t, e, "rita@example.se", "Rita Granskare", user.Role{Kind: user.Reviewer})
	res := e.post(admin, "/personal/personer/inbjudan", url.Values{"invite_email": {"rita@example.se"}, "invite_role": {"admin"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("invite: %d", res.status)
	}
	link := inviteLink(t, e, "rita@example.se")
	guest := e.client()
	res = e.get(guest, link)
	wantContains(t, "existing account", res.body, "rita@example.se har redan ett konto", "Logga in som rita@example.se")
	wantNotContains(t, "existing account", res.body, `name="password"`)
	res = e.post(guest, link, url.Values{"name": {"X"}, "password": {"gröna äpplen i korgen"}, "password2": {"gröna äpplen i korgen"}})
	if res.status != http.StatusForbidden || hasRole(rolesOf(t, e, "rita@example.se"), user.Role{Kind: user.Administrator}) {
		t.Fatalf("posting without signing in: %d", res.status)
	}
	wantSignedOut(t, e, guest, "posting the invitation")
	rita := e.loginAs(t, "rita@example.se")
	if res = e.post(rita, link, url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("accepting signed in: %d", res.status)
	}
	if !hasRole(rolesOf(t, e, "rita@example.se"), user.Role{Kind: user.Administrator}) {
		t.Error("the role was not added")
	}
	// An applicant's address is refused when sent, and no mail goes.
	res = e.post(admin, "/personal/personer/inbjudan", url.Values{"invite_email": {applicant}, "invite_role": {"reviewer"}})
	if res.status != http.StatusUnprocessableEntity || mailsTo(t, e, applicant) != 0 {
		t.Fatalf("an applicant invited as staff: %d", res.status)
	}
	wantContains(t, "applicant refused", res.body, "Adressen hör till ett konto för en sökande organisation")
	// Withdrawn: the link no longer works.
	if res = e.post(admin, "/personal/personer/inbjudan", url.Values{"invite_email": {"angrad@icld.se"}, "invite_role": {"reviewer"}}); res.status != http.StatusSeeOther {
		t.Fatalf("invite: %d", res.status)
	}
	link = inviteLink(t, e, "angrad@icld.se")
	pending := pendingStaff(t, e)
	if len(pending) != 1 {
		t.Fatalf("pending: %+v", pending)
	}
	id := strconv.FormatInt(pending[0].ID, 10)
	if res = e.post(e.login(officer), "/personal/personer/inbjudningar/"+id+"/aterkalla", nil); res.status != http.StatusForbidden {
		t.Errorf("an officer withdraws: %d", res.status)
	}
	if res = e.post(admin, "/en/staff/people/invitations/"+id+"/withdraw", nil); res.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.status)
	}
	if res = e.get(e.client(), link); res.status != http.StatusNotFound {
		t.Errorf("a withdrawn link: %d", res.status)
	}
	if res = e.post(admin, "/personal/personer/inbjudningar/"+id+"/aterkalla", nil); res.status != http.StatusNotFound {
		t.Errorf("withdrawn twice: %d", res.status)
	}
	res = e.get(admin, "/personal/personer")
	wantNotContains(t, "people page after withdrawal", res.body, "angrad@icld.se")
}

// Only administrators send staff invitations: an officer, an applicant, a
// reviewer and a partner are refused, and no invitation or mail is made.
func TestStaffInviteOnlyAdministrators(t *testing.T) {
	e := newEnv(t, inviteBase)
	for _, who := range []string{officer, applicant, reviewerEmail, partnerEmail} {
		cl := e.login(who)
		for i, role := range []string{"officer", "reviewer", "admin"} {
			address := "ny" + strconv.Itoa(i) + "@" + strings.SplitN(who, "@", 2)[0] + ".example"
			res := e.post(cl, "/personal/personer/inbjudan", url.Values{"invite_email": {address}, "invite_role": {role}})
			if res.status != http.StatusForbidden && res.status != http.StatusNotFound {
				t.Errorf("%s invites a %s: %d", who, role, res.status)
			}
			if mailsTo(t, e, address) != 0 {
				t.Errorf("%s's refused invitation sent mail", who)
			}
		}
	}
	if n := len(pendingStaff(t, e)); n != 0 {
		t.Errorf("%d staff invitations made by non-administrators", n)
	}
}

// The staff invitation counts against the sender's hourly limit.
func TestStaffInviteRateLimit(t *testing.T) {
	e := newEnv(t, inviteBase)
	admin := e.login(adminEmail)
	for i := range user.InvitesPerHour {
		res := e.post(admin, "/personal/personer/inbjudan", url.Values{"invite_email": {"r" + strconv.Itoa(i) + "@icld.se"}, "invite_role": {"reviewer"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("invitation %d: %d", i, res.status)
		}
	}
	res := e.post(admin, "/personal/personer/inbjudan", url.Values{"invite_email": {"en.for.mycket@icld.se"}, "invite_role": {"reviewer"}})
	if res.status != http.StatusTooManyRequests || mailsTo(t, e, "en.for.mycket@icld.se") != 0 {
		t.Errorf("over the limit: %d", res.status)
	}
}

// membersPath is the people page of organisation id.
func membersPath(id int64) string {
	return "/organisationer/" + strconv.FormatInt(id, 10) + "/personer"
}

// An organisation's people see each other; another organisation's
// applicant, a partner, a reviewer, an officer and an administrator do
// not (404, with none of its names or addresses), with every identifier
// swapped.
func TestMembersPageAccess(t *testing.T) {
	e := newEnv(t, inviteBase)
	kalix, arvika := orgID(t, e, "2514"), orgID(t, e, "1784")
	newUser(t, e, "kollega@kalix.se", "Kalle Kalixkollega", user.Role{Kind: user.Applicant, OrganisationID: kalix})
	newUser(t, e, "arvid@arvika.se", "Arvid Arvika", user.Role{Kind: user.Applicant, OrganisationID: arvika})
	kalle, _ := e.store.UserByEmail(context.Background(), "kollega@kalix.se")
	own := e.login(applicant)
	for _, p := range []string{membersPath(kalix), "/en/organisations/" + strconv.FormatInt(kalix, 10) + "/people"} {
		res := e.get(own, p)
		if res.status != http.StatusOK {
			t.Fatalf("%s: %d", p, res.status)
		}
		wantContains(t, p, res.body, "Kalle Kalixkollega", "kollega@kalix.se", applicant)
	}
	if res := e.get(own, "/min-organisation"); res.status != http.StatusSeeOther || res.header.Get("Location") != membersPath(kalix) {
		t.Errorf("my organisation: %d %s", res.status, res.header.Get("Location"))
	}
	secrets := []string{"Kalle Kalixkollega", "kollega@kalix.se", applicant}
	other := e.loginAs(t, "arvid@arvika.se")
	for _, who := range []struct {
		name string
		cl   *http.Client
	}{{"Arvika's applicant", other}, {"a partner", e.login(partnerEmail)}, {"a reviewer", e.login(reviewerEmail)},
		{"an officer", e.login(officer)}, {"an administrator", e.login(adminEmail)}} {
		for _, req := range []struct {
			method, path string
			form         url.Values
		}{
			{"GET", membersPath(kalix), nil},
			{"POST", membersPath(kalix) + "/inbjudan", url.Values{"invite_email": {"smyg@example.se"}}},
			{"POST", membersPath(kalix) + "/" + strconv.FormatInt(kalle.ID, 10) + "/ta-bort", nil},
		} {
			var res response
			if req.method == "GET" {
				res = e.get(who.cl, req.path)
			} else {
				res = e.post(who.cl, req.path, req.form)
			}
			if res.status != http.StatusNotFound {
				t.Errorf("%s %s %s: %d", who.name, req.method, req.path, res.status)
			}
			wantNotContains(t, who.name+" "+req.path, res.body, secrets...)
		}
	}
	// Arvika's applicant removing Kalle through Arvika's own page: not one of Arvika's.
	if res := e.post(other, membersPath(arvika)+"/"+strconv.FormatInt(kalle.ID, 10)+"/ta-bort", nil); res.status != http.StatusNotFound {
		t.Errorf("removing another organisation's person through one's own: %d", res.status)
	}
	if !hasRole(rolesOf(t, e, "kollega@kalix.se"), user.Role{Kind: user.Applicant, OrganisationID: kalix}) || mailsTo(t, e, "smyg@example.se") != 0 {
		t.Error("an outsider changed Kalix's people")
	}
	// The partner sees the partner organisation's people.
	res := e.get(e.login(partnerEmail), "/min-organisation")
	if res.status != http.StatusSeeOther {
		t.Fatalf("the partner's organisation: %d", res.status)
	}
	if res = e.get(e.login(partnerEmail), res.header.Get("Location")); res.status != http.StatusOK || !strings.Contains(res.body, partnerEmail) {
		t.Errorf("the partner's people page: %d", res.status)
	}
}

// An applicant invites a colleague from the people page and removes
// another: the removed person's access to Kalix's applications ends with
// their next request, their account stays, and the removal is logged.
// The last person cannot be removed.
func TestMembersInviteAndRemove(t *testing.T) {
	e := newEnv(t, inviteBase)
	ctx := context.Background()
	kalix, arvika := orgID(t, e, "2514"), orgID(t, e, "1784")
	own := e.login(applicant)
	res := e.post(own, membersPath(kalix)+"/inbjudan", url.Values{"invite_email": {"Ny.Kollega@kalix.se"}})
	if res.status != http.StatusSeeOther || inviteLink(t, e, "ny.kollega@kalix.se") == "" {
		t.Fatalf("invite: %d", res.status)
	}
	res = e.get(own, membersPath(kalix))
	wantContains(t, "pending", res.body, "ny.kollega@kalix.se")
	res = e.post(own, membersPath(kalix)+"/inbjudan", url.Values{"invite_email": {"inte en adress"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad address: %d", res.status)
	}
	wantContains(t, "bad address", res.body, `value="inte en adress"`, `id="invite_email-error"`, `aria-invalid="true"`)

	kalle := newUser(t, e, "kollega@kalix.se", "Kalle Kalixkollega", user.Role{Kind: user.Applicant, OrganisationID: kalix},
		user.Role{Kind: user.Applicant, OrganisationID: arvika})
	apps, err := e.store.ApplicationList(ctx, application.Filter{OrganisationID: kalix})
	if err != nil || len(apps) == 0 {
		t.Fatalf("Kalix's applications: %v", err)
	}
	appPath := "/ansokningar/" + strconv.FormatInt(apps[0].ID, 10)
	colleague := e.loginAs(t, "kollega@kalix.se")
	if res = e.get(colleague, appPath); res.status != http.StatusOK {
		t.Fatalf("the colleague reads Kalix's application: %d", res.status)
	}
	if res = e.post(own, membersPath(kalix)+"/"+strconv.FormatInt(kalle.ID, 10)+"/ta-bort", nil); res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.status)
	}
	// The same session, next request: no more Kalix.
	if res = e.get(colleague, appPath); res.status == http.StatusOK {
		t.Errorf("the removed colleague still reads Kalix's application")
	}
	if res = e.get(colleague, membersPath(kalix)); res.status != http.StatusNotFound {
		t.Errorf("the removed colleague sees Kalix's people: %d", res.status)
	}
	if res = e.get(colleague, membersPath(arvika)); res.status != http.StatusOK {
		t.Errorf("the removed colleague keeps Arvika: %d", res.status)
	}
	roles := rolesOf(t, e, "kollega@kalix.se")
	if len(roles) != 1 || roles[0].OrganisationID != arvika {
		t.Errorf("roles after removal: %+v", roles)
	}
	entries, err := e.store.AuditLog(ctx, audit.Filter{Entity: "user", EntityID: kalle.ID})
	if err != nil || len(entries) == 0 || entries[0].Action != "remove-member" {
		t.Errorf("the removal's log: %+v, %v", entries, err)
	}
	// The demo applicant is now Kalix's only person: not removable.
	self, _ := e.store.UserByEmail(ctx, applicant)
	res = e.post(own, membersPath(kalix)+"/"+strconv.FormatInt(self.ID, 10)+"/ta-bort", nil)
	if res.status != http.StatusConflict {
		t.Fatalf("removing the last person: %d", res.status)
	}
	wantContains(t, "last person", res.body, "Den sista personen i organisationen kan inte tas bort.")
	if !hasRole(rolesOf(t, e, applicant), user.Role{Kind: user.Applicant, OrganisationID: kalix}) {
		t.Error("the last person was removed")
	}
}

// With the administrators' setting off, the organisation's people see the
// list but can neither invite nor remove (the POSTs refuse); only an
// administrator changes the setting.
func TestMembersSettingOff(t *testing.T) {
	e := newEnv(t, inviteBase)
	kalix := orgID(t, e, "2514")
	kalle := newUser(t, e, "kollega@kalix.se", "Kalle Kalixkollega", user.Role{Kind: user.Applicant, OrganisationID: kalix})
	setting := "/personal/organisationer/" + strconv.FormatInt(kalix, 10) + "/medlemmar"
	for _, who := range []string{officer, applicant} {
		if res := e.post(e.login(who), setting, nil); res.status != http.StatusForbidden {
			t.Errorf("%s turns the setting off: %d", who, res.status)
		}
	}
	admin := e.login(adminEmail)
	res := e.get(admin, "/personal/organisationer/"+strconv.FormatInt(kalix, 10))
	wantContains(t, "org page", res.body, `id="members_manage"`, "Organisationens personer får bjuda in och ta bort kollegor", " checked")
	if res = e.get(e.login(officer), "/personal/organisationer/"+strconv.FormatInt(kalix, 10)); strings.Contains(res.body, `id="members_manage"`) {
		t.Error("an officer is offered the setting")
	}
	if res = e.post(admin, setting, url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("turning off: %d", res.status)
	}
	own := e.login(applicant)
	res = e.get(own, membersPath(kalix))
	if res.status != http.StatusOK {
		t.Fatalf("the list: %d", res.status)
	}
	wantContains(t, "closed list", res.body, "Kalle Kalixkollega", "Administratörerna har stängt av")
	wantNotContains(t, "closed list", res.body, `name="invite_email"`, "/ta-bort")
	for _, p := range []string{membersPath(kalix) + "/inbjudan", "/ansokningar/inbjudan"} {
		res = e.post(own, p, url.Values{"invite_email": {"stangd@kalix.se"}, "organisation": {strconv.FormatInt(kalix, 10)}})
		if res.status != http.StatusForbidden {
			t.Errorf("invite through %s while closed: %d", p, res.status)
		}
	}
	if mailsTo(t, e, "stangd@kalix.se") != 0 {
		t.Error("an invitation went out while closed")
	}
	if res = e.post(own, membersPath(kalix)+"/"+strconv.FormatInt(kalle.ID, 10)+"/ta-bort", nil); res.status != http.StatusForbidden {
		t.Errorf("remove while closed: %d", res.status)
	}
	if !hasRole(rolesOf(t, e, "kollega@kalix.se"), user.Role{Kind: user.Applicant, OrganisationID: kalix}) {
		t.Error("removed while closed")
	}
	if res = e.post(admin, setting, url.Values{"members_manage": {"on"}}); res.status != http.StatusSeeOther {
		t.Fatalf("turning on: %d", res.status)
	}
	if res = e.get(own, membersPath(kalix)); !strings.Contains(res.body, `name="invite_email"`) {
		t.Error("the invitation form is not back")
	}
}

// callReviewersPath is the reviewers page of call id.
func callReviewersPath(id int64) string {
	return "/personal/utlysningar/" + strconv.FormatInt(id, 10) + "/bedomare"
}

// submittedReviewCall finds a call where the demo reviewer has submitted a
// review.
func submittedReviewCall(t *testing.T, e *env, reviewer int64) int64 {
	t.Helper()
	ctx := context.Background()
	apps, err := e.store.ApplicationList(ctx, application.Filter{ReviewerID: reviewer})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		rs, err := e.store.Reviews(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.ReviewerID == reviewer && r.Submitted() {
				return a.CallID
			}
		}
	}
	t.Fatal("the demo reviewer has submitted no review")
	return 0
}

// Officers of the call's programme add an existing reviewer, invite a new
// one (who joins the call on accepting), and remove one — but not one who
// has submitted a review in the call.
func TestCallReviewers(t *testing.T) {
	e := newEnv(t, inviteBase)
	ctx := context.Background()
	berit, _ := e.store.UserByEmail(ctx, reviewerEmail)
	callID := submittedReviewCall(t, e, berit.ID)
	path := callReviewersPath(callID)
	off := e.login(officer)
	res := e.get(off, path)
	if res.status != http.StatusOK {
		t.Fatalf("reviewers page: %d", res.status)
	}
	wantContains(t, "reviewers page", res.body, "Berit Bedömare", "Lägg till en befintlig bedömare", "Bjud in en ny bedömare")
	if res = e.get(off, "/en/staff/calls/"+strconv.FormatInt(callID, 10)+"/reviewers"); res.status != http.StatusOK {
		t.Errorf("English: %d", res.status)
	}
	rita := newUser(t, e, "rita@example.se", "Rita Granskare", user.Role{Kind: user.Reviewer})
	if res = e.post(off, path, url.Values{"reviewer": {strconv.FormatInt(rita.ID, 10)}}); res.status != http.StatusSeeOther {
		t.Fatalf("add: %d", res.status)
	}
	self, _ := e.store.UserByEmail(ctx, applicant)
	res = e.post(off, path, url.Values{"reviewer": {strconv.FormatInt(self.ID, 10)}})
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("adding an applicant: %d", res.status)
	}
	wantContains(t, "adding an applicant", res.body, "Välj ett aktivt konto med rollen bedömare.", `href="#reviewer"`)
	members, _ := e.store.CallReviewers(ctx, callID)
	if len(members) != 2 {
		t.Errorf("the call's reviewers: %d", len(members))
	}
	// Berit has submitted a review: she stays, and the officer is told why.
	res = e.post(off, path+"/"+strconv.FormatInt(berit.ID, 10)+"/ta-bort", nil)
	if res.status != http.StatusConflict {
		t.Fatalf("removing a reviewer with a submitted review: %d", res.status)
	}
	wantContains(t, "refused removal", res.body, "har lämnat in en bedömning i utlysningen och kan därför inte tas bort")
	if res = e.post(off, path+"/"+strconv.FormatInt(rita.ID, 10)+"/ta-bort", nil); res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.status)
	}
	// A new person invited by e-mail joins the call on accepting.
	res = e.post(off, path+"/inbjudan", url.Values{"invite_email": {"Ny.Bedomare@example.se"}, "invite_name": {"Nora Ny"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", res.status, res.body)
	}
	res = e.get(off, path)
	wantContains(t, "pending", res.body, "ny.bedomare@example.se", "Återkalla")
	link := inviteLink(t, e, "ny.bedomare@example.se")
	guest := e.client()
	res = e.post(guest, link, url.Values{"name": {"Nora Ny"}, "password": {"gröna äpplen i korgen"}, "password2": {"gröna äpplen i korgen"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/granskning" {
		t.Fatalf("accept: %d %s", res.status, res.header.Get("Location"))
	}
	nora, _ := e.store.UserByEmail(ctx, "ny.bedomare@example.se")
	if !nora.Has(user.Reviewer) || nora.Has(user.Officer) {
		t.Errorf("the invited reviewer's roles: %+v", nora.Roles)
	}
	members, _ = e.store.CallReviewers(ctx, callID)
	found := false
	for _, m := range members {
		found = found || m.ID == nora.ID
	}
	if !found {
		t.Error("the invited reviewer is not the call's")
	}
	// An applicant's address is not invited as a reviewer.
	res = e.post(off, path+"/inbjudan", url.Values{"invite_email": {applicant}})
	if res.status != http.StatusUnprocessableEntity || mailsTo(t, e, applicant) != 0 {
		t.Errorf("an applicant invited as reviewer: %d", res.status)
	}
	// A pending invitation is withdrawn from the page.
	if res = e.post(off, path+"/inbjudan", url.Values{"invite_email": {"angrad@example.se"}}); res.status != http.StatusSeeOther {
		t.Fatalf("invite: %d", res.status)
	}
	pend, _ := e.store.PendingInvites(ctx, store.InviteFilter{CallID: callID})
	if len(pend) != 1 {
		t.Fatalf("pending: %+v", pend)
	}
	if res = e.post(off, path+"/inbjudningar/"+strconv.FormatInt(pend[0].ID, 10)+"/aterkalla", nil); res.status != http.StatusSeeOther {
		t.Errorf("withdraw: %d", res.status)
	}
	if res = e.get(e.client(), inviteLink(t, e, "angrad@example.se")); res.status != http.StatusNotFound {
		t.Errorf("the withdrawn link: %d", res.status)
	}
}

// An officer of another programme, an applicant, a partner and a reviewer
// find none of a call's reviewer pages (404), change nothing and send
// nothing; a staff invitation of another call is not withdrawn through
// this one.
func TestCallReviewersOutOfScope(t *testing.T) {
	e := newEnv(t, inviteBase)
	ctx := context.Background()
	by := audit.System("test")
	p := &programme.Programme{NameSV: "Ett annat program", NameEN: "Another programme", Funder: "Sida", Operator: "ICLD", TotalBudget: 100_000_000}
	if err := e.store.CreateProgramme(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	newUser(t, e, "olga@example.se", "Olga Annat", user.Role{Kind: user.Officer, ProgrammeID: p.ID})
	_, callID := demoCall(t, e)
	berit, _ := e.store.UserByEmail(ctx, reviewerEmail)
	rita := newUser(t, e, "rita@example.se", "Rita Granskare", user.Role{Kind: user.Reviewer})
	// A pending invitation of the call, for the withdraw route.
	if res := e.post(e.login(officer), callReviewersPath(callID)+"/inbjudan", url.Values{"invite_email": {"vantar@example.se"}}); res.status != http.StatusSeeOther {
		t.Fatalf("invite: %d", res.status)
	}
	pend, _ := e.store.PendingInvites(ctx, store.InviteFilter{CallID: callID})
	if len(pend) != 1 {
		t.Fatalf("pending: %+v", pend)
	}
	before, _ := e.store.CallReviewers(ctx, callID)
	path := callReviewersPath(callID)
	for _, who := range []string{"olga@example.se", applicant, partnerEmail, reviewerEmail} {
		cl := e.login(who)
		for _, req := range []struct {
			method, path string
			form         url.Values
		}{
			{"GET", path, nil},
			{"GET", "/en/staff/calls/" + strconv.FormatInt(callID, 10) + "/reviewers", nil},
			{"POST", path, url.Values{"reviewer": {strconv.FormatInt(rita.ID, 10)}}},
			{"POST", path + "/inbjudan", url.Values{"invite_email": {"smyg@example.se"}}},
			{"POST", path + "/" + strconv.FormatInt(berit.ID, 10) + "/ta-bort", nil},
			{"POST", path + "/inbjudningar/" + strconv.FormatInt(pend[0].ID, 10) + "/aterkalla", nil},
		} {
			var res response
			if req.method == "GET" {
				res = e.get(cl, req.path)
			} else {
				res = e.post(cl, req.path, req.form)
			}
			if res.status != http.StatusNotFound {
				t.Errorf("%s %s %s: %d", who, req.method, req.path, res.status)
			}
			wantNotContains(t, who+" "+req.path, res.body, reviewerEmail, "vantar@example.se")
		}
	}
	after, _ := e.store.CallReviewers(ctx, callID)
	if len(after) != len(before) || mailsTo(t, e, "smyg@example.se") != 0 {
		t.Errorf("an outsider changed the call's reviewers: %d → %d", len(before), len(after))
	}
	if p2, _ := e.store.PendingInvites(ctx, store.InviteFilter{CallID: callID}); len(p2) != 1 {
		t.Error("an outsider withdrew the call's invitation")
	}
}

// The case page offers only the call's reviewers, and assigning anyone
// else is refused.
func TestCaseAssignsCallReviewersOnly(t *testing.T) {
	e := newEnv(t, "http://localhost")
	f := newCaseFix(t, e, 1_000_000, 300_000, nil)
	ctx := context.Background()
	outsider := f.newReviewer("utanfor@example.se", "Ulla Utanför")
	apps, err := e.store.ApplicationList(ctx, application.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var a *application.Application
	for _, x := range apps {
		if x.State == application.InReview {
			a = x
			break
		}
	}
	if a == nil {
		t.Skip("the demo has no application in review") // the demo's rolling call holds some: see demo_test
	}
	c, err := e.store.Call(ctx, a.CallID)
	if err != nil {
		t.Fatal(err)
	}
	off := e.login(officer)
	res := e.get(off, casePath(a.ID))
	wantNotContains(t, "case page", res.body, "Ulla Utanför")
	wantContains(t, "case page", res.body, callReviewersPath(c.ID))
	res = e.post(off, casePath(a.ID)+"/bedomare", url.Values{"reviewer": {strconv.FormatInt(outsider.ID, 10)}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Välj ett av alternativen.") {
		t.Fatalf("assigning a reviewer not the call's: %d", res.status)
	}
	if err := e.store.AddCallReviewer(ctx, f.by, c.ID, outsider.ID); err != nil {
		t.Fatal(err)
	}
	res = e.get(off, casePath(a.ID))
	wantContains(t, "case page after adding", res.body, "Ulla Utanför")
	if res = e.post(off, casePath(a.ID)+"/bedomare", url.Values{"reviewer": {strconv.FormatInt(outsider.ID, 10)}}); res.status != http.StatusSeeOther {
		t.Fatalf("assigning the call's reviewer: %d", res.status)
	}
}
