package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/privacy"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// tableTexter is what the erasure test reads every table through
// (store.DB.TableText).
type tableTexter interface {
	TableText(ctx context.Context) (map[string][]string, error)
}

// findText returns "table: row" for each row of any table holding one of
// words, ignoring case.
func findText(t *testing.T, s store.Store, words ...string) []string {
	t.Helper()
	tt, ok := s.(tableTexter)
	if !ok {
		t.Fatalf("%T has no TableText", s)
	}
	tables, err := tt.TableText(ctx())
	must(t, err)
	if len(tables["users"]) == 0 || len(tables["audit_log"]) == 0 {
		t.Fatalf("TableText read no users or audit log: %d tables", len(tables))
	}
	var out []string
	for table, rows := range tables {
		for _, r := range rows {
			lr := strings.ToLower(r)
			for _, w := range words {
				if strings.Contains(lr, strings.ToLower(w)) {
					out = append(out, table+": "+r)
				}
			}
		}
	}
	return out
}

// testErasePerson erases a person with data in every place one can have
// it and then finds their name and e-mail address in no table, while the
// public record of their granted application stays as it was.
func testErasePerson(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	const name, email = "Karin Lindqvist", "karin.lindqvist@kalix.se"
	ada := &user.User{Email: "ada@icld.se", Name: "Ada Administratör", Roles: []user.Role{{Kind: user.Administrator}}}
	must(t, s.CreateUser(ctx(), officer, ada))
	admin := audit.Actor{UserID: ada.ID, Name: ada.Name}
	karin := &user.User{Email: email, Name: name, Roles: []user.Role{{Kind: user.Applicant, OrganisationID: e.kalix.ID}}}
	must(t, s.CreateUser(ctx(), officer, karin))
	as := audit.Actor{UserID: karin.ID, Name: karin.Name}

	// The rules first: not oneself, never the last administrator.
	wantErrIs(t, s.ErasePerson(ctx(), admin, ada.ID), privacy.ErrSelf)
	wantErrIs(t, s.ErasePerson(ctx(), audit.System("test"), ada.ID), privacy.ErrLastAdministrator)
	wantErrIs(t, s.ErasePerson(ctx(), as, ada.ID), store.ErrConflict) // not an administrator

	// Karin's data, everywhere.
	must(t, s.CreateSession(ctx(), user.Session{TokenHash: []byte("karins-session"), UserID: karin.ID, CreatedAt: Start, ExpiresAt: Start.Add(user.SessionLifetime),
		UserAgent: "Firefox, Linux", Address: "192.0.2.7"}))
	_, err := s.RequestPasswordReset(ctx(), email, user.AccountToken{TokenHash: []byte("karins-reset"), ExpiresAt: Start.Add(user.AccountTokenTTL)},
		func(u *user.User) []mail.Message {
			return []mail.Message{{To: u.Email, Subject: "Nytt lösenord", Body: "Hej " + u.Name + "!"}}
		})
	must(t, err)
	inv := &user.Invite{TokenHash: []byte("karins-invite"), Email: email, OrganisationID: e.arvika.ID, Role: user.Applicant, Name: name}
	must(t, s.CreateInvite(ctx(), officer, inv, []mail.Message{{To: email, Subject: "Inbjudan", Body: "Välkommen, " + name}}))
	answers := e.answers("Plast i Masaka", "100 000")
	answers.Values["summary"] = "Kontaktperson: KARIN LINDQVIST, " + email + ", tel. 0923-650 00."
	a := &application.Application{CallID: e.call.ID, PartnershipID: e.kalixMasaka.ID, OrganisationID: e.kalix.ID, Answers: answers}
	must(t, s.CreateApplication(ctx(), as, a))
	must(t, s.AddAttachment(ctx(), as, &attachment.Attachment{ApplicationID: a.ID, FieldKey: "attachments", Filename: "CV Karin Lindqvist.pdf",
		ContentType: "application/pdf", Size: 100, SHA256: strings.Repeat("cd", 32), StorageKey: "karin-cv"}))
	entry, err := s.SubmitApplication(ctx(), as, a.ID, a.Version, []mail.Message{
		{To: email, Subject: "Er ansökan är mottagen", Body: "Tack, " + name + "."},
		{To: "partnership@icld.se", Subject: "Ny ansökan", Body: "Ny ansökan från " + name + " (" + email + ")."},
	})
	must(t, err)
	e.move(a, application.StartCheck, application.PassCheck, application.MarkReady)
	d := &decision.Decision{ApplicationID: a.ID, Outcome: decision.Granted, Conditions: "Kontaktperson " + name + " rapporterar."}
	must(t, s.Decide(ctx(), officer, d, []mail.Message{{To: email, Subject: "Beslut", Body: "Beviljat."}}))
	renamed := *karin
	got, err := s.User(ctx(), karin.ID)
	must(t, err)
	renamed.Version = got.Version
	renamed.Lang = "en"
	must(t, s.UpdateUser(ctx(), admin, &renamed))
	if hits := findText(t, s, name, email); len(hits) == 0 {
		t.Fatal("the fixture holds Karin's data nowhere")
	}
	e.reload(a)
	regBefore, err := s.RegistryList(ctx(), registry.Filter{ApplicationID: a.ID})
	must(t, err)

	// An application of someone else's that names Karin as its contact.
	other := e.answers("Annan ansökan", "10 000")
	other.Values["contact_name"] = name
	e.create(e.call, other)

	data, err := s.PersonData(ctx(), karin.ID)
	must(t, err)
	if data.User["email"] != email || len(data.Sessions) != 1 || len(data.Applications) != 1 || len(data.Invitations) != 1 ||
		len(data.Mail) != 4 || len(data.Attachments) != 1 || len(data.Named) != 1 || len(data.Audit) == 0 || len(data.Roles) != 1 {
		t.Errorf("person data: %d sessions, %d applications, %d invitations, %d mails, %d attachments, %d audit entries, %d roles",
			len(data.Sessions), len(data.Applications), len(data.Invitations), len(data.Mail), len(data.Attachments), len(data.Audit), len(data.Roles))
	}
	if b, err := json.Marshal(data); err != nil || strings.Contains(string(b), "password") {
		t.Errorf("person data as JSON: %v, holds a password field: %v", err, strings.Contains(string(b), "password"))
	}

	clk.Set(Start.Add(72 * time.Hour))
	must(t, s.ErasePerson(ctx(), admin, karin.ID))

	for _, hit := range findText(t, s, name, email, "karin.lindqvist", "karins-") {
		t.Errorf("after erasure, still held: %s", hit)
	}
	u, err := s.User(ctx(), karin.ID)
	must(t, err)
	if u.Name != privacy.ErasedName(karin.ID) || u.Email != privacy.ErasedEmail(karin.ID) || !u.Disabled || len(u.Roles) != 0 || u.PasswordHash != "" {
		t.Errorf("erased user: %+v", u)
	}
	if _, err := s.SessionUser(ctx(), []byte("karins-session"), Start.Add(72*time.Hour)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("erased person's session: %v", err)
	}
	// The public record stays.
	dd, err := s.Decision(ctx(), a.ID)
	must(t, err)
	if dd.Amount != 10_000_000 || dd.RegNumber != d.RegNumber || dd.Outcome != decision.Granted || dd.GrantID != d.GrantID {
		t.Errorf("decision after erasure: %+v, was %+v", dd, d)
	}
	g, err := s.Grant(ctx(), d.GrantID)
	must(t, err)
	ga, err := s.Application(ctx(), a.ID)
	must(t, err)
	if g.Amount != 10_000_000 || ga.RegNumber != a.RegNumber || entry.Number == "" || ga.Answers.Values["title"] != "Plast i Masaka" {
		t.Errorf("grant %+v, application reg %q, title %q", g, ga.RegNumber, ga.Answers.Values["title"])
	}
	regAfter, err := s.RegistryList(ctx(), registry.Filter{ApplicationID: a.ID})
	must(t, err)
	if len(regAfter) != len(regBefore) {
		t.Fatalf("registry: %d entries, was %d", len(regAfter), len(regBefore))
	}
	for i := range regAfter {
		if regAfter[i].Number != regBefore[i].Number {
			t.Errorf("registry number %q, was %q", regAfter[i].Number, regBefore[i].Number)
		}
	}
	kalix, err := s.Organisation(ctx(), e.kalix.ID)
	must(t, err)
	if kalix.Name != e.kalix.Name || len(findText(t, s, ada.Name)) == 0 {
		t.Errorf("organisation %q, or the other administrator's name went too", kalix.Name)
	}
	// One erase entry, naming no personal data, listing what it blanked.
	log, err := s.AuditLog(ctx(), audit.Filter{Limit: 10_000})
	must(t, err)
	var erasure *audit.Entry
	byID := map[int64]audit.Entry{}
	for i, en := range log {
		byID[en.ID] = en
		if en.Action == audit.ActionErase {
			if erasure != nil {
				t.Fatal("two erase entries")
			}
			erasure = &log[i]
		}
	}
	if erasure == nil || erasure.Entity != "user" || erasure.EntityID != karin.ID || erasure.Actor.UserID != ada.ID {
		t.Fatalf("erase entry: %+v", erasure)
	}
	var er audit.Erasure
	must(t, json.Unmarshal(erasure.After, &er))
	if len(er.Blanked) < 4 || string(erasure.Before) != string(audit.Snapshot(nil)) {
		t.Errorf("erasure blanked %v, before %s", er.Blanked, erasure.Before)
	}
	for _, id := range er.Blanked {
		b := byID[id]
		if b.Actor.Name != audit.Blank || string(b.Before) != audit.Blank || string(b.After) != audit.Blank || b.Action == "" || b.Entity == "" {
			t.Errorf("blanked entry %d: %+v", id, b)
		}
	}
	for _, en := range log {
		if !slices.Contains(er.Blanked, en.ID) && en.ID != erasure.ID && en.Actor.Name == audit.Blank && len(en.After) == 0 {
			t.Errorf("entry %d blank but not listed", en.ID)
		}
	}
	// The chain still verifies: each blanked entry is covered by the erasure.
	sealAll(t, s)
	if r, err := s.VerifyAudit(ctx(), ""); err != nil || r.Broken != nil || r.Unsealed != 0 {
		t.Errorf("verify after the erasure: %d ok, %d unsealed, broken %v, err %v", r.OK, r.Unsealed, r.Broken, err)
	}
	// Erased once.
	wantErrIs(t, s.ErasePerson(ctx(), admin, karin.ID), store.ErrConflict)
}

// testRetention removes the personal data of rejected and withdrawn
// applications kept past the retention, once, and nothing else.
func testRetention(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	// The default form asks for a contact person, marked personal.
	if f := e.call.Config.Form.Field("contact_name"); f == nil || !f.Personal {
		t.Fatalf("the call's form has no personal contact field: %+v", f)
	}
	mk := func(title string) *application.Application {
		ans := e.answers(title, "10 000")
		ans.Values["contact_name"] = "Per Persson"
		a := e.create(e.call, ans)
		must(t, s.AddAttachment(ctx(), officer, &attachment.Attachment{ApplicationID: a.ID, FieldKey: "attachments", Filename: "p.pdf",
			ContentType: "application/pdf", Size: 1, SHA256: strings.Repeat("ab", 32), StorageKey: "key-" + title}))
		e.reload(a)
		a.Answers.Files = map[string][]int64{"attachments": {1}}
		must(t, s.SaveDraft(ctx(), applicant, a))
		e.submit(a)
		return a
	}
	rejected := mk("Avslås")
	e.move(rejected, application.StartCheck, application.PassCheck)
	must(t, s.Decide(ctx(), officer, &decision.Decision{ApplicationID: rejected.ID, Outcome: decision.Rejected, Reason: "Utanför syftet."}, nil))
	withdrawn := mk("Återkallas")
	must(t, s.Transition(ctx(), applicant, withdrawn.ID, application.Withdraw, "", nil))
	granted := mk("Beviljas")
	e.move(granted, application.StartCheck, application.PassCheck)
	must(t, s.Decide(ctx(), officer, &decision.Decision{ApplicationID: granted.ID, Outcome: decision.Granted}, nil))
	late := mk("Avslås senare")
	e.move(late, application.StartCheck, application.PassCheck)

	r := privacy.Retention{Days: 30}
	ids, keys, err := s.ApplyRetention(ctx(), Start.Add(29*24*time.Hour), r)
	must(t, err)
	if len(ids) != 0 || len(keys) != 0 {
		t.Errorf("before the retention ran out: %v %v", ids, keys)
	}
	clk.Set(Start.Add(20 * 24 * time.Hour))
	must(t, s.Decide(ctx(), officer, &decision.Decision{ApplicationID: late.ID, Outcome: decision.Rejected, Reason: "Sent."}, nil))

	clk.Set(Start.Add(31 * 24 * time.Hour))
	ids, keys, err = s.ApplyRetention(ctx(), clk.Now(), r)
	must(t, err)
	if !slices.Equal(ids, []int64{rejected.ID, withdrawn.ID}) || !slices.Equal(keys, []string{"key-Avslås", "key-Återkallas"}) {
		t.Errorf("retention cleaned %v, files %v", ids, keys)
	}
	for _, a := range []*application.Application{rejected, withdrawn} {
		got, err := s.Application(ctx(), a.ID)
		must(t, err)
		if _, ok := got.Answers.Values["contact_name"]; ok || len(got.Answers.Files) != 0 || got.Answers.Values["title"] != a.Answers.Values["title"] || got.RegNumber != a.RegNumber {
			t.Errorf("application %d after retention: %+v, reg %q", a.ID, got.Answers, got.RegNumber)
		}
		snaps, err := s.Snapshots(ctx(), a.ID)
		must(t, err)
		for _, sn := range snaps {
			if _, ok := sn.Answers.Values["contact_name"]; ok || len(sn.Answers.Files) != 0 || sn.RegNumber == "" {
				t.Errorf("snapshot after retention: %+v", sn)
			}
		}
		if atts, err := s.AttachmentList(ctx(), a.ID); err != nil || len(atts) != 0 {
			t.Errorf("attachments after retention: %v, %v", atts, err)
		}
	}
	for _, a := range []*application.Application{granted, late} {
		got, err := s.Application(ctx(), a.ID)
		must(t, err)
		if got.Answers.Values["contact_name"] != "Per Persson" {
			t.Errorf("application %d (%s) lost its contact", a.ID, got.State)
		}
	}
	// Logged once, naming ids and counts only.
	log, err := s.AuditLog(ctx(), audit.Filter{Entity: "application", Limit: 1000})
	must(t, err)
	n := 0
	for _, en := range log {
		if en.Action == "retention" {
			n++
			if strings.Contains(string(en.After), "Per") || !strings.Contains(string(en.After), `"files":2`) {
				t.Errorf("retention entry: %s", en.After)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d retention entries, want 1", n)
	}
	// Again: nothing left to do, and nothing logged.
	ids, _, err = s.ApplyRetention(ctx(), clk.Now(), r)
	must(t, err)
	if len(ids) != 0 {
		t.Errorf("second run cleaned %v", ids)
	}
	// Later the late rejection's time comes.
	ids, _, err = s.ApplyRetention(ctx(), Start.Add(51*24*time.Hour), r)
	must(t, err)
	if !slices.Equal(ids, []int64{late.ID}) {
		t.Errorf("later run cleaned %v", ids)
	}
}

// testConcurrentRetention runs the retention on several runners at once
// (instances sharing the database): each application is cleaned once.
func testConcurrentRetention(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	var want []int64
	for i := range 12 {
		a := e.create(e.call, e.answers("Avslås "+string(rune('A'+i)), "10 000"))
		e.submit(a)
		e.move(a, application.StartCheck, application.PassCheck)
		must(t, s.Decide(ctx(), officer, &decision.Decision{ApplicationID: a.ID, Outcome: decision.Rejected, Reason: "Nej."}, nil))
		want = append(want, a.ID)
	}
	now := Start.Add(400 * 24 * time.Hour)
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids, _, err := s.ApplyRetention(ctx(), now, privacy.Retention{Days: 30})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			got = append(got, ids...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("cleaned %v, want each of %v once", got, want)
	}
}
