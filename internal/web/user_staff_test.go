package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/user"
)

const adminEmail = "admin@demo.partnerskap.se"

func (e *env) userByEmail(email string) *user.User {
	e.t.Helper()
	u, err := e.store.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// rolesForm posts roles as the people form sends them.
func rolesForm(rows ...[3]string) url.Values {
	v := url.Values{"rows": {fmt.Sprint(len(rows))}}
	for i, r := range rows {
		v.Set(fmt.Sprintf("kind_%d", i), r[0])
		v.Set(fmt.Sprintf("programme_%d", i), r[1])
		v.Set(fmt.Sprintf("organisation_%d", i), r[2])
	}
	return v
}

func TestPeopleList(t *testing.T) {
	e := newEnv(t, "http://localhost")
	admin := e.login(adminEmail)
	off := e.userByEmail(officer)
	res := e.get(admin, "/personal/personer")
	if res.status != 200 {
		t.Fatalf("people: %d", res.status)
	}
	wantContains(t, "people", res.body, "<caption>", `<th scope="col">Senast inloggad</th>`, off.Name, officer,
		"Handläggare: Alla program", "Administratör", "Sökande: Kalix kommun", "aldrig",
		`href="/personal/personer/`+fmt.Sprint(off.ID)+`"`, `aria-current="page">Personer</a>`)
	// The admin has just signed in: the time is shown in Stockholm (UTC+2 in June).
	wantContains(t, "last sign-in", res.body, "2021-06-01 12:00")
	// Swedish order: the list's names come in the store's collation.
	us, _ := e.store.UserList(context.Background())
	last := -1
	for _, u := range us {
		i := strings.Index(res.body, ">"+u.Name+"</a>")
		if i < last {
			t.Errorf("%s out of order", u.Name)
		}
		last = i
	}
	res = e.get(admin, "/en/staff/people")
	wantContains(t, "people in English", res.body, "Last signed in", "Officer: All programmes", "never")
	// Only administrators see the link.
	if res := e.get(e.login(officer), "/personal"); strings.Contains(res.body, "/personal/personer") {
		t.Error("officer sees the people link")
	}
}

func TestPeopleRefused(t *testing.T) {
	e := newEnv(t, "http://localhost")
	id := fmt.Sprint(e.userByEmail("sokande@kalix.demo.partnerskap.se").ID)
	anon := e.client()
	for _, email := range []string{officer, "sokande@kalix.demo.partnerskap.se", ""} {
		c := anon
		want := http.StatusSeeOther
		if email != "" {
			c, want = e.login(email), http.StatusForbidden
		}
		for _, path := range []string{"/personal/personer", "/en/staff/people", "/personal/personer/" + id, "/en/staff/people/" + id} {
			res := e.get(c, path)
			if res.status != want || (want == http.StatusSeeOther && !strings.Contains(res.header.Get("Location"), "logga-in") && !strings.HasPrefix(res.header.Get("Location"), "/en/login")) {
				t.Errorf("%q GET %s: %d %s", email, path, res.status, res.header.Get("Location"))
			}
		}
		for _, path := range []string{"/personal/personer/" + id, "/personal/personer/" + id + "/atkomst"} {
			res := e.post(c, path, url.Values{"disabled": {"1"}, "rows": {"1"}, "kind_0": {"admin"}})
			if res.status != want {
				t.Errorf("%q POST %s: %d", email, path, res.status)
			}
		}
	}
	if u := e.userByEmail("sokande@kalix.demo.partnerskap.se"); u.Disabled || u.Has(user.Administrator) {
		t.Error("a refused request changed the account")
	}
}

func TestPersonRoles(t *testing.T) {
	e := newEnv(t, "http://localhost")
	admin := e.login(adminEmail)
	off := e.userByEmail(officer)
	progs, _ := e.store.ProgrammeList(context.Background())
	prog := progs[0]
	path := fmt.Sprintf("/personal/personer/%d", off.ID)
	res := e.get(admin, path)
	wantContains(t, "form", res.body, `<label for="kind_0">`, `<option value="officer" selected>Handläggare</option>`, `aria-describedby="programme_0-hint"`)
	// An unknown programme: a field error on its row, the form kept, nothing saved.
	res = e.post(admin, path, rolesForm([3]string{"officer", "99999", ""}, [3]string{"reviewer", "", ""}))
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown programme: %d", res.status)
	}
	wantContains(t, "unknown programme", res.body, "Programmet finns inte.", `href="#programme_0"`, `id="programme_0-error"`,
		`aria-describedby="programme_0-hint programme_0-error"`, `aria-invalid="true"`,
		`<option value="99999" selected>`, `<option value="reviewer" selected>Bedömare</option>`)
	if u := e.userByEmail(officer); len(u.Roles) != len(off.Roles) || u.Has(user.Reviewer) {
		t.Errorf("refused form saved: %+v", u.Roles)
	}
	// Scoping the officer to one programme and making them a reviewer too.
	res = e.post(admin, path, rolesForm([3]string{"officer", fmt.Sprint(prog.ID), ""}, [3]string{"reviewer", "", ""}, [3]string{"", "", ""}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("set roles: %d\n%s", res.status, res.body)
	}
	u := e.userByEmail(officer)
	if len(u.Roles) != 2 || u.Roles[0] != (user.Role{Kind: user.Officer, ProgrammeID: prog.ID}) || u.Roles[1].Kind != user.Reviewer {
		t.Errorf("roles: %+v", u.Roles)
	}
	res = e.get(admin, "/personal/personer")
	wantContains(t, "scoped role listed", res.body, "Handläggare: "+prog.Name("sv"), "Bedömare")
	log, err := e.store.AuditLog(context.Background(), audit.Filter{Entity: "user", EntityID: off.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 || log[0].Action != "set-roles" || log[0].Actor.UserID != e.userByEmail(adminEmail).ID {
		t.Errorf("audit: %+v", log)
	}
}

func TestPersonSelfProtection(t *testing.T) {
	e := newEnv(t, "http://localhost")
	admin := e.login(adminEmail)
	me := e.userByEmail(adminEmail)
	path := fmt.Sprintf("/personal/personer/%d", me.ID)
	res := e.post(admin, path+"/atkomst", url.Values{"disabled": {"1"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("self-deactivation: %d", res.status)
	}
	wantContains(t, "self-deactivation", res.body, "Du kan inte avaktivera ditt eget konto.")
	res = e.post(admin, path, rolesForm([3]string{"officer", "", ""}))
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("self-demotion: %d", res.status)
	}
	wantContains(t, "self-demotion", res.body, "Du kan inte ta bort din egen administratörsroll.", `href="#roles"`, `id="roles-error"`,
		`<option value="officer" selected>Handläggare</option>`)
	if u := e.userByEmail(adminEmail); u.Disabled || !u.Has(user.Administrator) {
		t.Errorf("the admin locked themself out: %+v", u)
	}
	// The session still works.
	if res := e.get(admin, "/personal/personer"); res.status != 200 {
		t.Errorf("admin after refusals: %d", res.status)
	}
}

func TestPersonDeactivate(t *testing.T) {
	e := newEnv(t, "http://localhost")
	admin := e.login(adminEmail)
	victim := e.login(officer)
	if res := e.get(victim, "/personal"); res.status != 200 {
		t.Fatalf("officer before: %d", res.status)
	}
	off := e.userByEmail(officer)
	path := fmt.Sprintf("/personal/personer/%d", off.ID)
	res := e.post(admin, path+"/atkomst", url.Values{"disabled": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("deactivate: %d\n%s", res.status, res.body)
	}
	res = e.get(victim, "/personal")
	if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "logga-in") {
		t.Errorf("deactivated officer's next request: %d %s", res.status, res.header.Get("Location"))
	}
	res = e.get(admin, path)
	wantContains(t, "deactivated", res.body, "Kontot är avaktiverat", "Återaktivera kontot")
	res = e.get(admin, "/personal/personer")
	wantContains(t, "list", res.body, "Avaktiverad")
	// Reactivated, the officer signs in again.
	if res := e.post(admin, path+"/atkomst", url.Values{"disabled": {"0"}}); res.status != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", res.status)
	}
	if res := e.get(e.login(officer), "/personal"); res.status != 200 {
		t.Errorf("reactivated officer: %d", res.status)
	}
	log, _ := e.store.AuditLog(context.Background(), audit.Filter{Entity: "user", EntityID: off.ID})
	var actions []string
	for _, en := range log {
		actions = append(actions, en.Action)
	}
	if !strings.Contains(strings.Join(actions, " "), "activate deactivate") {
		t.Errorf("audit actions: %v", actions)
	}
}
