package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// applicant is the actor applications are started and submitted as. Actor
// ids are not foreign keys, so no user row is needed for it.
var applicant = audit.Actor{UserID: 42, Name: "Åsa Öberg"}

// appEnv is the fixture plus helpers for the application tests. The
// helpers are methods, so their names stay out of the package's way.
type appEnv struct {
	*fixture
	t   *testing.T
	s   store.Store
	clk *clock.Fixed
}

func newAppEnv(t *testing.T, s store.Store, clk *clock.Fixed) *appEnv {
	t.Helper()
	return &appEnv{fixture: newFixture(t, s), t: t, s: s, clk: clk}
}

// answers returns answers that pass the communication form's check, with
// one budget line per amount (kronor, as typed).
func (e *appEnv) answers(title string, kronor ...string) form.Answers {
	a := form.Answers{
		Values: map[string]string{
			"title":       title,
			"summary":     "Vi berättar om partnerskapet för politiker i Kalix.",
			"objectives":  "Fler förtroendevalda känner till Agenda 2030 och partnerskapet.",
			"survey_plan": "Samma enkät före och efter seminariet.",
		},
		TargetGroups: []form.TargetGroup{{Group: "politicians", Message: "Partnerskapet gör skillnad i båda kommunerna."}},
		Activities:   []form.Activity{{Title: "Seminarium i Kalix", TargetGroup: "politicians", Channel: "seminar", Start: "2021-05-01", End: "2021-05-02", Cost: "10 000"}},
		Targets:      []string{"12.5"},
	}
	for _, k := range kronor {
		a.Budget = append(a.Budget, form.BudgetLine{Category: "communicator", Description: "Kommunikatör", Amount: k})
	}
	return a
}

// create starts a draft in c by Kalix in Kalix – Masaka.
func (e *appEnv) create(c *call.Call, answers form.Answers) *application.Application {
	e.t.Helper()
	a := &application.Application{CallID: c.ID, PartnershipID: e.kalixMasaka.ID, OrganisationID: e.kalix.ID, Answers: answers}
	must(e.t, e.s.CreateApplication(ctx(), applicant, a))
	return a
}

// submit submits a at its version and returns the registry entry.
func (e *appEnv) submit(a *application.Application, mails ...mail.Message) *registry.Entry {
	e.t.Helper()
	entry, err := e.s.SubmitApplication(ctx(), applicant, a.ID, a.Version, mails)
	must(e.t, err)
	e.reload(a)
	return entry
}

// move applies events as the officer, in order.
func (e *appEnv) move(a *application.Application, events ...application.Event) {
	e.t.Helper()
	for _, ev := range events {
		must(e.t, e.s.Transition(ctx(), officer, a.ID, ev, "", nil))
	}
	e.reload(a)
}

func (e *appEnv) reload(a *application.Application) {
	e.t.Helper()
	got, err := e.s.Application(ctx(), a.ID)
	must(e.t, err)
	*a = *got
}

// newCall adds a call to the fixture's programme with cfg's steps.
func (e *appEnv) newCall(title string, opens, closes time.Time, ceiling int64, steps application.Steps) *call.Call {
	e.t.Helper()
	cfg := call.DefaultConfig()
	cfg.Steps = steps
	c := &call.Call{ProgrammeID: e.prog.ID, TitleSV: title, OpensAt: opens, ClosesAt: closes, Ceiling: ceiling, MaxPerGrant: min(ceiling, 30_000_000), Config: cfg}
	must(e.t, e.s.CreateCall(ctx(), officer, c))
	return c
}

// mailCount counts the queued messages with subject.
func (e *appEnv) mailCount(subject string) int {
	e.t.Helper()
	ms, err := e.s.MailList(ctx(), 10_000)
	must(e.t, err)
	n := 0
	for _, m := range ms {
		if m.Subject == subject {
			n++
		}
	}
	return n
}

func (e *appEnv) wantState(id int64, want application.State) {
	e.t.Helper()
	a, err := e.s.Application(ctx(), id)
	must(e.t, err)
	if a.State != want {
		e.t.Fatalf("application %d is %s, want %s", id, a.State, want)
	}
}

// wantSeqs checks that the year's case numbers are exactly 1..n, and each
// case's documents 1..k, without gaps or duplicates.
func (e *appEnv) wantSeqs(year, n int) {
	e.t.Helper()
	entries, err := e.s.RegistryList(ctx(), registry.Filter{Year: year, Limit: 10_000})
	must(e.t, err)
	var seqs []int
	docs := map[int][]int{}
	for _, en := range entries {
		if len(docs[en.Seq]) == 0 {
			seqs = append(seqs, en.Seq)
		}
		docs[en.Seq] = append(docs[en.Seq], en.Doc)
		if !strings.HasSuffix(en.Number, registry.FormatDoc("", year, en.Seq, en.Doc)) {
			e.t.Fatalf("registry %d: number %s of document %d", year, en.Number, en.Doc)
		}
	}
	for seq, ds := range docs {
		sort.Ints(ds)
		for i, d := range ds {
			if d != i+1 {
				e.t.Fatalf("registry %d/%04d: documents %v, want 1..%d without gaps or duplicates", year, seq, ds, len(ds))
			}
		}
	}
	sort.Ints(seqs)
	for i, seq := range seqs {
		if seq != i+1 {
			e.t.Fatalf("registry %d: numbers %v, want 1..%d without gaps or duplicates", year, seqs, n)
		}
	}
	if len(seqs) != n {
		e.t.Fatalf("registry %d: %d numbers, want %d", year, len(seqs), n)
	}
}

func wantErrIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got %v, want %v", err, target)
	}
}

// testApplicationNotFound checks the new reads' missing rows.
func testApplicationNotFound(t *testing.T, s store.Store, _ *clock.Fixed) {
	checks := map[string]error{}
	_, checks["application"] = s.Application(ctx(), 999)
	_, checks["assignment"] = s.Assignment(ctx(), 999, 999)
	_, checks["decision"] = s.Decision(ctx(), 999)
	_, checks["registry entry"] = s.RegistryEntry(ctx(), 999)
	checks["save draft"] = s.SaveDraft(ctx(), applicant, &application.Application{ID: 999, Version: 1})
	_, checks["submit"] = s.SubmitApplication(ctx(), applicant, 999, 1, nil)
	checks["transition"] = s.Transition(ctx(), officer, 999, application.Withdraw, "", nil)
	checks["decide"] = s.Decide(ctx(), officer, &decision.Decision{ApplicationID: 999, Outcome: decision.Rejected, Reason: "x"}, nil)
	checks["set confidential"] = s.SetConfidential(ctx(), officer, 999, false, "")
	for what, err := range checks {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", what, err)
		}
	}
}

// testCallConfig checks that a call's configuration is stored, checked,
// and protected once applications have answered its form.
func testCallConfig(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	// A call created without a configuration gets the default one.
	c, err := s.Call(ctx(), e.call.ID)
	must(t, err)
	want, _ := json.Marshal(call.DefaultConfig())
	if got, _ := json.Marshal(c.Config); string(got) != string(want) {
		t.Errorf("config of a call created without one:\n got %s\nwant %s", got, want)
	}
	// A configuration without a budget, or with blind review but no review, is refused.
	bad := call.DefaultConfig()
	bad.Form.Sections = bad.Form.Sections[:1]
	wantField(t, s.CreateCall(ctx(), officer, &call.Call{ProgrammeID: e.prog.ID, TitleSV: "x", OpensAt: Start, ClosesAt: Start.Add(time.Hour), Ceiling: 1, MaxPerGrant: 1, Config: bad}),
		"config", "error.call.no_budget")
	bad = call.DefaultConfig()
	bad.Steps = application.Steps{BlindReview: true}
	wantField(t, s.CreateCall(ctx(), officer, &call.Call{ProgrammeID: e.prog.ID, TitleSV: "x", OpensAt: Start, ClosesAt: Start.Add(time.Hour), Ceiling: 1, MaxPerGrant: 1, Config: bad}),
		"config", "error.call.blind_without_review")
	// Before any application the form may change freely, and the change round-trips.
	c.Config.Form.Sections[0].Fields = append(c.Config.Form.Sections[0].Fields,
		form.Field{Key: "municipality_role", Kind: form.SingleChoice, Label: form.Text{SV: "Kommunens roll", EN: "Role"},
			Options: []form.Option{{Value: "lead", Label: form.Text{SV: "Huvudsökande"}}, {Value: "partner", Label: form.Text{SV: "Medsökande"}}}})
	c.Config.Steps = application.Steps{Review: true, BlindReview: true}
	must(t, s.UpdateCall(ctx(), officer, c))
	got, err := s.Call(ctx(), c.ID)
	must(t, err)
	wantJSON, _ := json.Marshal(c.Config)
	if gotJSON, _ := json.Marshal(got.Config); string(gotJSON) != string(wantJSON) {
		t.Errorf("config round-trip:\n got %s\nwant %s", gotJSON, wantJSON)
	}
	// A call saved without a configuration (as the call page does) keeps the stored one.
	plain := *got
	plain.Config = call.Config{}
	plain.TitleEN = "Call 2021"
	must(t, s.UpdateCall(ctx(), officer, &plain))
	got, err = s.Call(ctx(), c.ID)
	must(t, err)
	if gotJSON, _ := json.Marshal(got.Config); string(gotJSON) != string(wantJSON) || got.TitleEN != "Call 2021" {
		t.Errorf("saving without a configuration changed it: %s", gotJSON)
	}
	// Once an application exists, a change that would lose answers is refused …
	e.create(got, form.Answers{Values: map[string]string{"municipality_role": "lead"}})
	for name, change := range map[string]func(cfg *call.Config){
		"field removed": func(cfg *call.Config) { cfg.Form.Sections[0].Fields = cfg.Form.Sections[0].Fields[1:] },
		"option removed": func(cfg *call.Config) {
			cfg.Form.Field("municipality_role").Options = cfg.Form.Field("municipality_role").Options[:1]
		},
		"kind changed": func(cfg *call.Config) { cfg.Form.Field("summary").Kind = form.ShortText },
	} {
		cc, err := s.Call(ctx(), c.ID)
		must(t, err)
		change(&cc.Config)
		err = s.UpdateCall(ctx(), officer, cc)
		var errs validate.Errors
		if !errors.As(err, &errs) || errs["config"] != "error.call.form_change" {
			t.Errorf("%s: got %v, want config=error.call.form_change", name, err)
		}
	}
	// … while adding a question and rewording are fine.
	cc, err := s.Call(ctx(), c.ID)
	must(t, err)
	cc.Config.Form.Field("title").Label.SV = "Projektets titel"
	cc.Config.Form.Sections[0].Fields = append(cc.Config.Form.Sections[0].Fields, form.Field{Key: "website", Kind: form.ShortText, Label: form.Text{SV: "Webbplats"}})
	must(t, s.UpdateCall(ctx(), officer, cc))
}

// testApplicationEligibility checks who may start an application, and when.
func testApplicationEligibility(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	start := func(callID, partnershipID, orgID int64) error {
		return s.CreateApplication(ctx(), applicant, &application.Application{CallID: callID, PartnershipID: partnershipID, OrganisationID: orgID})
	}
	// A member abroad, or a Swedish organisation of another partnership, may not apply.
	wantField(t, start(e.call.ID, e.kalixMasaka.ID, e.masaka.ID), "partnership", application.ErrNotSwedishMember)
	wantField(t, start(e.call.ID, e.kalixMasaka.ID, e.arvika.ID), "partnership", application.ErrNotSwedishMember)
	wantField(t, start(999, e.kalixMasaka.ID, e.kalix.ID), "call", "error.invalid_choice")
	wantField(t, start(e.call.ID, 999, e.kalix.ID), "partnership", "error.invalid_choice")
	// A partnership that is not active (planned) may not apply.
	planned := &partnership.Partnership{Name: "Kalix – Uasin Gishu", ThemeSV: "Vatten", Start: clock.Date(2021, 1, 1), Status: partnership.Planned,
		Swedish: []organisation.Organisation{{ID: e.kalix.ID}}, Partners: []organisation.Organisation{{ID: e.uasin.ID}}}
	must(t, s.CreatePartnership(ctx(), officer, planned))
	wantField(t, start(e.call.ID, planned.ID, e.kalix.ID), "partnership", application.ErrNotActive)
	// Neither before the call opens nor once it has closed.
	clk.Set(Start.Add(-time.Second))
	wantField(t, start(e.call.ID, e.kalixMasaka.ID, e.kalix.ID), "call", application.ErrCallNotOpen)
	clk.Set(e.call.ClosesAt)
	wantField(t, start(e.call.ID, e.kalixMasaka.ID, e.kalix.ID), "call", application.ErrCallNotOpen)
	// A cancelled call takes none either.
	clk.Set(Start)
	cancelled := e.newCall("Inställd", Start, Start.Add(time.Hour), 1_000_000, application.Steps{})
	cancelled.Cancelled = true
	must(t, s.UpdateCall(ctx(), officer, cancelled))
	wantField(t, start(cancelled.ID, e.kalixMasaka.ID, e.kalix.ID), "call", application.ErrCallNotOpen)
	list, err := s.ApplicationList(ctx(), application.Filter{})
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("refused applications were saved: %d", len(list))
	}
	// The open call, an active partnership, a Swedish member: a draft.
	a := e.create(e.call, form.Answers{})
	got, err := s.Application(ctx(), a.ID)
	must(t, err)
	if got.State != application.Draft || got.Version != 1 || got.Submissions != 0 || got.CreatedBy != applicant.UserID ||
		!got.CreatedAt.Equal(Start) || got.CreatedAt.Location() != time.UTC || !got.SubmittedAt.IsZero() || got.RegNumber != "" {
		t.Errorf("new draft: %+v", got)
	}
	for _, f := range []application.Filter{{CallID: e.call.ID}, {OrganisationID: e.kalix.ID}, {PartnershipID: e.kalixMasaka.ID}, {States: []application.State{application.Draft, application.Ready}}} {
		list, err := s.ApplicationList(ctx(), f)
		must(t, err)
		if len(list) != 1 || list[0].ID != a.ID {
			t.Errorf("filter %+v: %d applications", f, len(list))
		}
	}
	for _, f := range []application.Filter{{CallID: cancelled.ID}, {OrganisationID: e.arvika.ID}, {States: []application.State{application.Submitted}}, {ReviewerID: 1}} {
		list, err := s.ApplicationList(ctx(), f)
		must(t, err)
		if len(list) != 0 {
			t.Errorf("filter %+v: %d applications, want none", f, len(list))
		}
	}
}

// testApplicationDrafts saves drafts with the optimistic lock.
func testApplicationDrafts(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	a := e.create(e.call, form.Answers{})
	clk.Set(Start.Add(time.Minute))
	a.Answers = form.Answers{Values: map[string]string{"title": "Återbruk – Kalix & Masaka"},
		Budget: []form.BudgetLine{{Category: "communicator", Amount: "12 500,50 kr"}, {Category: "material", Amount: "1 000"}, {Category: "consultant", Amount: "inte klart"}}}
	must(t, s.SaveDraft(ctx(), applicant, a))
	if a.Version != 2 || a.Requested != 1_350_050 || !a.UpdatedAt.Equal(Start.Add(time.Minute)) || a.State != application.Draft {
		t.Errorf("after save: version %d requested %d updated %v state %s", a.Version, a.Requested, a.UpdatedAt, a.State)
	}
	got, err := s.Application(ctx(), a.ID)
	must(t, err)
	if got.Answers.Values["title"] != "Återbruk – Kalix & Masaka" || len(got.Answers.Budget) != 3 || got.Answers.Budget[2].Amount != "inte klart" || got.Requested != 1_350_050 || got.Version != 2 {
		t.Errorf("draft round-trip: %+v", got)
	}
	// Another tab still at version 1 conflicts and changes nothing.
	stale := *a
	stale.Version = 1
	stale.Answers = form.Answers{Values: map[string]string{"title": "Gammal"}}
	wantErrIs(t, s.SaveDraft(ctx(), applicant, &stale), store.ErrConflict)
	got, err = s.Application(ctx(), a.ID)
	must(t, err)
	if got.Answers.Values["title"] != "Återbruk – Kalix & Masaka" || got.Version != 2 {
		t.Errorf("stale save changed the draft: %+v", got)
	}
	// Once submitted the answers are frozen.
	a.Answers = e.answers("Återbruk – Kalix & Masaka", "12 500,50")
	must(t, s.SaveDraft(ctx(), applicant, a))
	e.submit(a)
	a.Answers.Values["title"] = "Ändrad"
	wantErrIs(t, s.SaveDraft(ctx(), applicant, a), application.ErrTransition)
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "application", EntityID: a.ID})
	must(t, err)
	if len(entries) != 4 { // create, two saves, submit
		t.Errorf("audit entries: %d, want 4", len(entries))
	}
}

// testApplicationSubmit follows an application through submission,
// completion and resubmission after the call closed.
func testApplicationSubmit(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	a := e.create(e.call, form.Answers{Values: map[string]string{"title": "Återbruk i Kalix"},
		Budget: []form.BudgetLine{{Category: "communicator", Amount: "100 000"}}})
	late := e.create(e.call, e.answers("Sent inskickad", "50 000"))
	// Missing answers are field errors, and nothing is registered or sent.
	_, err := s.SubmitApplication(ctx(), applicant, a.ID, a.Version, []mail.Message{{To: "asa@kalix.se", Subject: "refused", Body: "x"}})
	var errs validate.Errors
	if !errors.As(err, &errs) || errs["summary"] != "error.required" || errs["target_groups"] != "error.form.rows_required" ||
		errs["activities"] != "error.form.rows_required" || errs["targets"] != "error.required" || errs.Has("title") || errs.Has("budget") {
		t.Fatalf("incomplete submission: got %v", err)
	}
	e.wantState(a.ID, application.Draft)
	if n := e.mailCount("refused"); n != 0 {
		t.Errorf("a refused submission queued %d mails", n)
	}
	e.wantSeqs(2021, 0)
	// Complete, it is registered, frozen and acknowledged.
	a.Answers = e.answers("Återbruk i Kalix", "100 000", "20 000,50")
	must(t, s.SaveDraft(ctx(), applicant, a))
	clk.Set(Start.Add(time.Hour))
	ack := mail.Message{To: "åsa.öberg@kalix.se", Subject: "Ansökan mottagen – Återbruk i Kalix", Body: "Hej Åsa!"}
	entry, err := s.SubmitApplication(ctx(), applicant, a.ID, a.Version, []mail.Message{ack})
	must(t, err)
	if entry.Number != "2021/0001-1" || entry.Year != 2021 || entry.Seq != 1 || entry.Doc != 1 || entry.Kind != registry.Application || entry.Title != "Återbruk i Kalix" ||
		entry.ApplicationID != a.ID || !entry.At.Equal(Start.Add(time.Hour)) || entry.By != applicant.UserID || entry.ID == 0 {
		t.Errorf("entry: %+v", entry)
	}
	version := a.Version
	e.reload(a)
	if a.State != application.Submitted || a.Submissions != 1 || a.RegNumber != "2021/0001" || !a.SubmittedAt.Equal(Start.Add(time.Hour)) || a.Version != version+1 ||
		a.Requested != 12_000_050 {
		t.Errorf("submitted: %+v", a)
	}
	if n := e.mailCount(ack.Subject); n != 1 {
		t.Errorf("acknowledgement queued %d times, want once", n)
	}
	// Submitting again, with the old version or the new, is refused.
	_, err = s.SubmitApplication(ctx(), applicant, a.ID, version, nil)
	wantErrIs(t, err, store.ErrConflict)
	_, err = s.SubmitApplication(ctx(), applicant, a.ID, a.Version, nil)
	wantErrIs(t, err, application.ErrTransition)
	// The officer asks for completion; the call closes; the applicant
	// completes and resubmits, which a closed call allows. The
	// resubmission is the case's second document: the application keeps
	// its number, and returns to the formal check the officer left.
	clk.Set(Start.Add(2 * time.Hour))
	e.move(a, application.StartCheck)
	must(t, s.Transition(ctx(), officer, a.ID, application.RequestCompletion, "Budgeten saknar underlag för konsulten.", nil))
	e.reload(a)
	clk.Set(e.call.ClosesAt.Add(24 * time.Hour))
	a.Answers.Values["title"] = "Återbruk i Kalix, reviderad"
	a.Answers.Budget = a.Answers.Budget[:1]
	must(t, s.SaveDraft(ctx(), applicant, a))
	entry = e.submit(a)
	if entry.Number != "2021/0001-3" || entry.Year != 2021 || entry.Seq != 1 || entry.Doc != 3 || entry.Kind != registry.Resubmission ||
		entry.Title != "Återbruk i Kalix, reviderad" || entry.CaseNumber() != "2021/0001" {
		t.Errorf("resubmission entry: %+v", entry)
	}
	if a.State != application.FormalCheck || a.Submissions != 2 || a.RegNumber != "2021/0001" || a.Requested != 10_000_000 {
		t.Errorf("resubmitted: %+v", a)
	}
	// A first submission after the call closed is refused.
	_, err = s.SubmitApplication(ctx(), applicant, late.ID, late.Version, nil)
	wantField(t, err, "call", "error.application.call_closed")
	e.wantState(late.ID, application.Draft)
	// Both versions are kept as they were submitted.
	snaps, err := s.Snapshots(ctx(), a.ID)
	must(t, err)
	if len(snaps) != 2 {
		t.Fatalf("snapshots: %d, want 2", len(snaps))
	}
	s1, s2 := snaps[0], snaps[1]
	if s1.Number != 1 || s1.Answers.Values["title"] != "Återbruk i Kalix" || len(s1.Answers.Budget) != 2 || s1.Requested != 12_000_050 ||
		s1.RegNumber != "2021/0001-1" || !s1.SubmittedAt.Equal(Start.Add(time.Hour)) || s1.SubmittedBy != applicant.UserID || s1.ApplicationID != a.ID {
		t.Errorf("snapshot 1: %+v", s1)
	}
	if s2.Number != 2 || s2.Answers.Values["title"] != "Återbruk i Kalix, reviderad" || len(s2.Answers.Budget) != 1 || s2.Requested != 10_000_000 ||
		s2.RegNumber != "2021/0001-3" || !s2.SubmittedAt.Equal(e.call.ClosesAt.Add(24*time.Hour)) {
		t.Errorf("snapshot 2: %+v", s2)
	}
	// The timeline tells the story.
	timeline, err := s.Timeline(ctx(), a.ID)
	must(t, err)
	type step struct {
		from, to application.State
		event    application.Event
		actor    string
		note     string
		at       time.Time
	}
	want := []step{
		{"", application.Draft, "create", applicant.Name, "", Start},
		{application.Draft, application.Submitted, application.Submit, applicant.Name, "", Start.Add(time.Hour)},
		{application.Submitted, application.FormalCheck, application.StartCheck, officer.Name, "", Start.Add(2 * time.Hour)},
		{application.FormalCheck, application.CompletionRequested, application.RequestCompletion, officer.Name, "Budgeten saknar underlag för konsulten.", Start.Add(2 * time.Hour)},
		{application.CompletionRequested, application.FormalCheck, application.Submit, applicant.Name, "", e.call.ClosesAt.Add(24 * time.Hour)},
	}
	if len(timeline) != len(want) {
		t.Fatalf("timeline: %+v", timeline)
	}
	for i, w := range want {
		c := timeline[i]
		if c.From != w.from || c.To != w.to || c.Event != w.event || c.ActorName != w.actor || c.Note != w.note || !c.At.Equal(w.at) || c.ApplicationID != a.ID {
			t.Errorf("timeline[%d] = %+v, want %+v", i, c, w)
		}
	}
	if timeline[0].ActorID != applicant.UserID || timeline[2].ActorID != 0 {
		t.Errorf("timeline actors: %d, %d", timeline[0].ActorID, timeline[2].ActorID)
	}
}

// testDoubleSubmit submits one version twice at once, as a double click
// does: one submission, one snapshot, one number.
func testDoubleSubmit(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	a := e.create(e.call, e.answers("Dubbelklick", "10 000"))
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = s.SubmitApplication(ctx(), applicant, a.ID, a.Version, []mail.Message{{To: "asa@kalix.se", Subject: "Mottagen", Body: "x"}})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrConflict), errors.Is(err, application.ErrTransition):
		default:
			t.Errorf("second submission: %v", err)
		}
	}
	snaps, err := s.Snapshots(ctx(), a.ID)
	must(t, err)
	entries, err := s.RegistryList(ctx(), registry.Filter{ApplicationID: a.ID})
	must(t, err)
	if ok != 1 || len(snaps) != 1 || len(entries) != 1 || e.mailCount("Mottagen") != 1 {
		t.Errorf("%d submissions succeeded, %d snapshots, %d registry entries, %d mails; want one of each", ok, len(snaps), len(entries), e.mailCount("Mottagen"))
	}
}

// testRegistry numbers per year in Stockholm time, with the prefix from
// the settings, and searches, filters and marks entries confidential.
func testRegistry(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	newYear := time.Date(2022, 1, 1, 0, 0, 0, 0, clock.Stockholm) // 2021-12-31 23:00 UTC
	clk.Set(time.Date(2021, 12, 1, 9, 0, 0, 0, time.UTC))
	winter := e.newCall("Vinterutlysning", clk.Now(), time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC), 100_000_000, application.Steps{})
	first := e.create(winter, e.answers("Återbruk i Kalix", "10 000"))
	second := e.create(winter, e.answers("Nyårsseminarium", "10 000"))
	third := e.create(winter, e.answers("Vatten och skola", "10 000"))
	incomplete := e.create(winter, form.Answers{})
	// 23:30 on New Year's Eve in Stockholm is still 2021.
	clk.Set(newYear.Add(-30 * time.Minute))
	if got := e.submit(first).Number; got != "2021/0001-1" {
		t.Errorf("New Year's Eve: %s, want 2021/0001-1", got)
	}
	must(t, s.SetSetting(ctx(), officer, "registry_prefix", "KOM"))
	clk.Set(newYear.Add(30 * time.Minute)) // 23:30 UTC, 00:30 in Stockholm
	if got := e.submit(second).Number; got != "KOM 2022/0001-1" {
		t.Errorf("New Year's morning: %s, want KOM 2022/0001-1", got)
	}
	if _, err := s.SubmitApplication(ctx(), applicant, incomplete.ID, incomplete.Version, nil); err == nil {
		t.Fatal("incomplete application submitted")
	}
	clk.Set(newYear.Add(time.Hour))
	if got := e.submit(third).Number; got != "KOM 2022/0002-1" {
		t.Errorf("after a refused submission: %s, want KOM 2022/0002-1 (no gap)", got)
	}
	e.wantSeqs(2021, 1)
	e.wantSeqs(2022, 2)
	// Lists are newest first, searched in number and title ignoring case.
	for _, tt := range []struct {
		f    registry.Filter
		want []string
	}{
		{registry.Filter{}, []string{"KOM 2022/0002-1", "KOM 2022/0001-1", "2021/0001-1"}},
		{registry.Filter{Year: 2022}, []string{"KOM 2022/0002-1", "KOM 2022/0001-1"}},
		{registry.Filter{Limit: 1}, []string{"KOM 2022/0002-1"}},
		{registry.Filter{Query: "kom 2022/0001"}, []string{"KOM 2022/0001-1"}},
		{registry.Filter{Query: "ÅTERBRUK"}, []string{"2021/0001-1"}},
		{registry.Filter{Query: "återBRUK"}, []string{"2021/0001-1"}},
		{registry.Filter{Query: "0001"}, []string{"KOM 2022/0001-1", "2021/0001-1"}},
		{registry.Filter{Query: "0001", Limit: 1}, []string{"KOM 2022/0001-1"}},
		{registry.Filter{ApplicationID: third.ID}, []string{"KOM 2022/0002-1"}},
		{registry.Filter{Year: 2020}, nil},
	} {
		list, err := s.RegistryList(ctx(), tt.f)
		must(t, err)
		var got []string
		for _, en := range list {
			got = append(got, en.Number)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("filter %+v: %v, want %v", tt.f, got, tt.want)
		}
	}
	// An entry marked confidential states why; marking it public clears the reason.
	list, err := s.RegistryList(ctx(), registry.Filter{ApplicationID: first.ID})
	must(t, err)
	id := list[0].ID
	wantField(t, s.SetConfidential(ctx(), officer, id, true, "  "), "reason", "error.required")
	must(t, s.SetConfidential(ctx(), officer, id, true, "OSL 21 kap. 3 §"))
	got, err := s.RegistryEntry(ctx(), id)
	must(t, err)
	if !got.Confidential || got.Reason != "OSL 21 kap. 3 §" || got.Number != "2021/0001-1" || got.Kind != registry.Application ||
		got.ApplicationID != first.ID || got.By != applicant.UserID || !got.At.Equal(newYear.Add(-30*time.Minute)) || got.At.Location() != time.UTC {
		t.Errorf("confidential entry: %+v", got)
	}
	must(t, s.SetConfidential(ctx(), officer, id, false, "ignored"))
	got, err = s.RegistryEntry(ctx(), id)
	must(t, err)
	if got.Confidential || got.Reason != "" {
		t.Errorf("public again: %+v", got)
	}
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "registry", EntityID: id})
	must(t, err)
	if len(entries) != 3 || entries[0].Action != "set_confidential" {
		t.Errorf("registry audit: %+v", entries)
	}
}

// testConcurrentSubmissions submits thirty applications at once: the
// registry numbers them 1 to 30, each once.
func testConcurrentSubmissions(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	const n = 30
	apps := make([]*application.Application, n)
	for i := range apps {
		apps[i] = e.create(e.call, e.answers(fmt.Sprintf("Ansökan nummer %d", i), "10 000"))
	}
	entries := make([]*registry.Entry, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, a := range apps {
		wg.Go(func() {
			entries[i], errs[i] = s.SubmitApplication(ctx(), applicant, a.ID, a.Version,
				[]mail.Message{{To: "asa@kalix.se", Subject: fmt.Sprintf("Mottagen %d", a.ID), Body: "x"}})
		})
	}
	wg.Wait()
	seen := map[int]int64{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
		en := entries[i]
		if other, dup := seen[en.Seq]; dup {
			t.Errorf("number %s given to applications %d and %d", en.Number, other, apps[i].ID)
		}
		seen[en.Seq] = apps[i].ID
		if en.Number != registry.FormatDoc("", 2021, en.Seq, 1) {
			t.Errorf("entry %+v", en)
		}
		got, err := s.Application(ctx(), apps[i].ID)
		must(t, err)
		if got.RegNumber != en.CaseNumber() || got.State != application.Submitted {
			t.Errorf("application %d: %s %s, entry %s", got.ID, got.State, got.RegNumber, en.Number)
		}
		if c := e.mailCount(fmt.Sprintf("Mottagen %d", apps[i].ID)); c != 1 {
			t.Errorf("application %d: %d mails, want 1", apps[i].ID, c)
		}
	}
	e.wantSeqs(2021, n)
}

// testTransitions tries every event in every state: what the state machine
// refuses is refused, and leaves the application as it was.
func testTransitions(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	steps := call.DefaultConfig().Steps // formal check and review
	at := map[application.State]*application.Application{}
	newApp := func() *application.Application { return e.create(e.call, e.answers("Tillstånd", "10 000")) }
	at[application.Draft] = newApp()
	a := newApp()
	e.submit(a)
	at[application.Submitted] = a
	a = newApp()
	e.submit(a)
	e.move(a, application.StartCheck)
	at[application.FormalCheck] = a
	a = newApp()
	e.submit(a)
	e.move(a, application.StartCheck, application.RequestCompletion)
	at[application.CompletionRequested] = a
	a = newApp()
	e.submit(a)
	e.move(a, application.StartCheck, application.PassCheck)
	at[application.InReview] = a
	a = newApp()
	e.submit(a)
	e.move(a, application.StartCheck, application.PassCheck, application.MarkReady)
	at[application.Ready] = a
	a = newApp()
	e.move(a, application.Withdraw)
	at[application.Withdrawn] = a
	for _, d := range []decision.Decision{
		{Outcome: decision.Granted},
		{Outcome: decision.PartlyGranted, Amount: 500_000, Reason: "Budgeten är hög."},
		{Outcome: decision.Rejected, Reason: "Utanför syftet."},
	} {
		a = newApp()
		e.submit(a)
		e.move(a, application.StartCheck, application.PassCheck, application.MarkReady)
		d.ApplicationID = a.ID
		must(t, s.Decide(ctx(), officer, &d, nil))
		e.reload(a)
		at[a.State] = a
	}
	events := []application.Event{application.Submit, application.StartCheck, application.RequestCompletion, application.PassCheck,
		application.SendToReview, application.MarkReady, application.Decide, application.Withdraw}
	for _, st := range application.States {
		a := at[st]
		if a == nil || a.State != st {
			t.Fatalf("no application in state %s", st)
		}
		before, err := s.Timeline(ctx(), a.ID)
		must(t, err)
		for _, ev := range events {
			if _, err := application.Next(st, ev, steps); err == nil && ev != application.Submit {
				continue // allowed: not tried, it would move the application
			}
			// Submit and Decide are never transitions: they have their own checks.
			err := s.Transition(ctx(), officer, a.ID, ev, "försök", []mail.Message{{To: "x@kalix.se", Subject: "forbidden", Body: "x"}})
			if !errors.Is(err, application.ErrTransition) {
				t.Errorf("%s --%s-->: got %v, want ErrTransition", st, ev, err)
			}
		}
		got, err := s.Application(ctx(), a.ID)
		must(t, err)
		after, err := s.Timeline(ctx(), a.ID)
		must(t, err)
		if got.State != st || got.Version != a.Version || len(after) != len(before) {
			t.Errorf("%s: refused events changed it to %s, version %d→%d, timeline %d→%d", st, got.State, a.Version, got.Version, len(before), len(after))
		}
	}
	if n := e.mailCount("forbidden"); n != 0 {
		t.Errorf("refused transitions queued %d mails", n)
	}
	// An allowed transition queues its mails, once.
	must(t, s.Transition(ctx(), applicant, at[application.InReview].ID, application.Withdraw, "Vi drar tillbaka ansökan.", []mail.Message{{To: "o@icld.se", Subject: "Återtagen", Body: "x"}}))
	e.wantState(at[application.InReview].ID, application.Withdrawn)
	if n := e.mailCount("Återtagen"); n != 1 {
		t.Errorf("withdrawal mail queued %d times", n)
	}
}

// testReviews checks who may review, and that a submitted review stays.
func testReviews(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	newUser := func(email, name string, kind user.RoleKind) *user.User {
		u := &user.User{Email: email, Name: name, Roles: []user.Role{{Kind: kind}}}
		if kind == user.Applicant {
			u.Roles[0].OrganisationID = e.kalix.ID
		}
		must(t, s.CreateUser(ctx(), officer, u))
		return u
	}
	rita := newUser("rita@example.se", "Rita Granskare", user.Reviewer)
	jon := newUser("jon@example.se", "Jon Jävig", user.Reviewer)
	sam := newUser("sam@example.se", "Sam Sökande", user.Applicant)
	as := func(u *user.User) audit.Actor { return audit.Actor{UserID: u.ID, Name: u.Name} }
	a := e.create(e.call, e.answers("Granskas", "10 000"))
	// Only an application in review can be assigned.
	wantErrIs(t, s.AssignReviewer(ctx(), officer, a.ID, rita.ID), application.ErrTransition)
	e.submit(a)
	e.move(a, application.StartCheck, application.PassCheck)
	wantField(t, s.AssignReviewer(ctx(), officer, a.ID, sam.ID), "reviewer", "error.invalid_choice")
	wantField(t, s.AssignReviewer(ctx(), officer, a.ID, 999), "reviewer", "error.invalid_choice")
	// A reviewer not assigned can neither declare nor review.
	r := &review.Review{ApplicationID: a.ID, ReviewerID: rita.ID, Scores: map[string]int{"relevance": 4}}
	wantField(t, s.SaveReview(ctx(), as(rita), r, false), "reviewer", "error.review.not_assigned")
	wantField(t, s.DeclareConflict(ctx(), as(rita), a.ID, rita.ID, false, ""), "reviewer", "error.review.not_assigned")
	if _, err := s.Assignment(ctx(), a.ID, rita.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("assignment before assigning: %v", err)
	}
	clk.Set(Start.Add(time.Hour))
	must(t, s.AssignReviewer(ctx(), officer, a.ID, rita.ID))
	must(t, s.AssignReviewer(ctx(), officer, a.ID, rita.ID)) // again: no change
	must(t, s.AssignReviewer(ctx(), officer, a.ID, jon.ID))
	asgs, err := s.Assignments(ctx(), a.ID)
	must(t, err)
	if len(asgs) != 2 || asgs[0].ReviewerID != rita.ID || !asgs[0].AssignedAt.Equal(Start.Add(time.Hour)) || asgs[0].Declared {
		t.Errorf("assignments: %+v", asgs)
	}
	timeline, err := s.Timeline(ctx(), a.ID)
	must(t, err)
	if n := len(slices.DeleteFunc(timeline, func(c application.Change) bool { return c.Event != "assign_reviewer" })); n != 2 {
		t.Errorf("timeline has %d assignments, want 2", n)
	}
	// Before declaring, no review.
	wantField(t, s.SaveReview(ctx(), as(rita), r, false), "conflict", "error.required")
	// A conflicted reviewer cannot review, and no longer sees the application.
	must(t, s.DeclareConflict(ctx(), as(jon), a.ID, jon.ID, true, "Jag är gift med projektledaren."))
	jr := &review.Review{ApplicationID: a.ID, ReviewerID: jon.ID, Scores: map[string]int{"relevance": 5, "feasibility": 5}}
	wantField(t, s.SaveReview(ctx(), as(jon), jr, false), "conflict", "error.review.conflict")
	for reviewer, want := range map[int64]int{jon.ID: 0, rita.ID: 1} {
		list, err := s.ApplicationList(ctx(), application.Filter{ReviewerID: reviewer})
		must(t, err)
		if len(list) != want {
			t.Errorf("reviewer %d sees %d applications, want %d", reviewer, len(list), want)
		}
	}
	asg, err := s.Assignment(ctx(), a.ID, jon.ID)
	must(t, err)
	if !asg.Declared || !asg.Conflict || asg.ConflictNote != "Jag är gift med projektledaren." || !asg.DeclaredAt.Equal(Start.Add(time.Hour)) {
		t.Errorf("declared conflict: %+v", asg)
	}
	// Rita declares none, saves a draft, then submits; out of scale is a field error.
	must(t, s.DeclareConflict(ctx(), as(rita), a.ID, rita.ID, false, ""))
	must(t, s.SaveReview(ctx(), as(rita), r, false))
	if r.Submitted() {
		t.Error("draft marked submitted")
	}
	r.Scores = map[string]int{"relevance": 6, "feasibility": 3}
	r.Comments = map[string]string{"relevance": "Tydlig koppling till målen.", "feasibility": "Rimlig budget."}
	r.Recommendation = review.RecommendGrant
	wantField(t, s.SaveReview(ctx(), as(rita), r, true), "score_relevance", "error.review.out_of_scale")
	r.Scores["relevance"] = 5
	clk.Set(Start.Add(2 * time.Hour))
	must(t, s.SaveReview(ctx(), as(rita), r, true))
	// A submitted review cannot change, nor can its reviewer declare a conflict now.
	r.Comment = "Ändrat i efterhand"
	wantErrIs(t, s.SaveReview(ctx(), as(rita), r, false), application.ErrTransition)
	wantErrIs(t, s.SaveReview(ctx(), as(rita), r, true), application.ErrTransition)
	wantErrIs(t, s.DeclareConflict(ctx(), as(rita), a.ID, rita.ID, true, "sent påkommet"), application.ErrTransition)
	reviews, err := s.Reviews(ctx(), a.ID)
	must(t, err)
	if len(reviews) != 1 || reviews[0].ReviewerID != rita.ID || reviews[0].Scores["relevance"] != 5 || reviews[0].Comments["feasibility"] != "Rimlig budget." ||
		reviews[0].Recommendation != review.RecommendGrant || reviews[0].Comment != "" || !reviews[0].SubmittedAt.Equal(Start.Add(2*time.Hour)) {
		t.Errorf("reviews: %+v", reviews)
	}
	inCall, err := s.ReviewsInCall(ctx(), e.call.ID)
	must(t, err)
	if len(inCall) != 1 {
		t.Errorf("reviews in call: %d, want 1", len(inCall))
	}
	// Once the application leaves review, nothing more is reviewed.
	e.move(a, application.MarkReady)
	wantErrIs(t, s.AssignReviewer(ctx(), officer, a.ID, jon.ID), application.ErrTransition)
}

// testDecisions decides applications one at a time.
func testDecisions(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	ready := func(title, kronor string) *application.Application {
		a := e.create(e.call, e.answers(title, kronor))
		e.submit(a)
		e.move(a, application.StartCheck, application.PassCheck, application.MarkReady)
		return a
	}
	draft := e.create(e.call, e.answers("Utkast", "10 000"))
	wantField(t, s.Decide(ctx(), officer, &decision.Decision{ApplicationID: draft.ID, Outcome: decision.Granted}, nil), "outcome", "error.decision.not_ready")
	a := ready("Återbruk i Kalix", "200 000")
	// The domain's rules apply: a partial grant is less than requested, with a reason.
	wantField(t, s.Decide(ctx(), officer, &decision.Decision{ApplicationID: a.ID, Outcome: decision.PartlyGranted, Amount: 20_000_000, Reason: "x"}, nil),
		"amount", "error.decision.partly_below_requested")
	wantField(t, s.Decide(ctx(), officer, &decision.Decision{ApplicationID: a.ID, Outcome: decision.PartlyGranted, Amount: 15_000_000}, nil),
		"reason", "error.required")
	if _, err := s.Decision(ctx(), a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("decision before deciding: %v", err)
	}
	clk.Set(Start.Add(48 * time.Hour))
	notice := mail.Message{To: "åsa.öberg@kalix.se", Subject: "Beslut om er ansökan", Body: "Ni har beviljats 150 000 kr."}
	d := &decision.Decision{ApplicationID: a.ID, Outcome: decision.PartlyGranted, Amount: 15_000_000, Reason: " Konsultkostnaden stryks. ", Conditions: "Rapport senast 2022-01-31."}
	must(t, s.Decide(ctx(), officer, d, []mail.Message{notice}))
	if d.RegNumber != "2021/0001-2" || d.GrantID == 0 || !d.DecidedAt.Equal(Start.Add(48*time.Hour)) || d.DeciderName != officer.Name || d.Reason != "Konsultkostnaden stryks." {
		t.Errorf("decision: %+v", d)
	}
	got, err := s.Decision(ctx(), a.ID)
	must(t, err)
	if same := *got; !same.DecidedAt.Equal(d.DecidedAt) || func() bool { same.DecidedAt = d.DecidedAt; return same != *d }() {
		t.Errorf("decision round-trip:\n got %+v\nwant %+v", got, d)
	}
	e.wantState(a.ID, application.PartlyGranted)
	g, err := s.Grant(ctx(), d.GrantID)
	must(t, err)
	if g.ApplicationID != a.ID || g.Amount != 15_000_000 || g.CallID != e.call.ID || g.OrganisationID != e.kalix.ID || g.PartnershipID != e.kalixMasaka.ID ||
		!g.AwardedOn.Equal(clock.Date(2021, 3, 3)) {
		t.Errorf("grant: %+v", g)
	}
	grants, err := s.GrantList(ctx(), grant.Filter{CallID: e.call.ID})
	must(t, err)
	if len(grants) != 1 || grants[0].ApplicationID != a.ID {
		t.Errorf("grants: %+v", grants)
	}
	entry, err := s.RegistryList(ctx(), registry.Filter{ApplicationID: a.ID})
	must(t, err)
	if len(entry) != 2 || entry[0].Kind != registry.Decision || entry[0].Number != d.RegNumber || entry[0].Title != "Beslut: Återbruk i Kalix" {
		t.Errorf("registry: %+v", entry)
	}
	if n := e.mailCount(notice.Subject); n != 1 {
		t.Errorf("decision mail queued %d times", n)
	}
	// Decided once: again is not ready.
	wantField(t, s.Decide(ctx(), officer, &decision.Decision{ApplicationID: a.ID, Outcome: decision.Rejected, Reason: "x"}, nil), "outcome", "error.decision.not_ready")
	// A rejection grants nothing; a decision in review needs no MarkReady.
	b := e.create(e.call, e.answers("Utanför syftet", "50 000"))
	e.submit(b)
	e.move(b, application.StartCheck, application.PassCheck)
	rej := &decision.Decision{ApplicationID: b.ID, Outcome: decision.Rejected, Reason: "Ligger utanför stödets syfte."}
	must(t, s.Decide(ctx(), officer, rej, nil))
	if rej.GrantID != 0 || rej.Amount != 0 || rej.RegNumber != "2021/0002-2" {
		t.Errorf("rejection: %+v", rej)
	}
	sum, err := s.GrantedInCall(ctx(), e.call.ID)
	must(t, err)
	list, err := s.DecisionsInCall(ctx(), e.call.ID)
	must(t, err)
	if sum != 15_000_000 || len(list) != 2 || list[0].ApplicationID != a.ID || list[1].Outcome != decision.Rejected {
		t.Errorf("granted %d, decisions %+v", sum, list)
	}
	timeline, err := s.Timeline(ctx(), b.ID)
	must(t, err)
	last := timeline[len(timeline)-1]
	if last.Event != application.Decide || last.From != application.InReview || last.To != application.Rejected || last.Note != "Ligger utanför stödets syfte." {
		t.Errorf("timeline: %+v", last)
	}
	// More than the maximum per grant is refused.
	big := ready("För stort", "300 000,01")
	wantField(t, s.Decide(ctx(), officer, &decision.Decision{ApplicationID: big.ID, Outcome: decision.Granted}, nil), "amount", "error.grant.over_max")
}

// testConcurrentDecisions makes fifty decisions at once on applications
// asking for more than the call's ceiling in all. The call's lock must
// keep the total within the ceiling, refuse only what no longer fits, and
// refuse it with the ceiling's field error.
func testConcurrentDecisions(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	const ceiling = 200_000_000 // 2 000 000 kr
	c := e.newCall("Snabbutlysning", Start, Start.Add(24*time.Hour), ceiling, application.Steps{})
	const n = 50
	apps := make([]*application.Application, n)
	var asked int64
	for i := range apps {
		kronor := 10_000 + (i*7919)%290*1000 // 10 000 to 299 000 kr, scattered
		ore := (i * 37) % 100
		apps[i] = e.create(c, e.answers(fmt.Sprintf("Ansökan %d", i), fmt.Sprintf("%d,%02d", kronor, ore)))
		e.submit(apps[i])
		e.move(apps[i], application.MarkReady)
		if apps[i].State != application.Ready || apps[i].Requested != int64(kronor)*100+int64(ore) {
			t.Fatalf("application %d: %s, %d öre", i, apps[i].State, apps[i].Requested)
		}
		asked += apps[i].Requested
	}
	if asked <= 2*ceiling {
		t.Fatalf("the applications ask for %d öre in all: not enough to test the ceiling", asked)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, a := range apps {
		wg.Go(func() {
			errs[i] = s.Decide(ctx(), officer, &decision.Decision{ApplicationID: a.ID, Outcome: decision.Granted},
				[]mail.Message{{To: "asa@kalix.se", Subject: fmt.Sprintf("Beslut %d", a.ID), Body: "x"}})
		})
	}
	wg.Wait()
	requested := map[int64]int64{}
	var refused []*application.Application
	for i, err := range errs {
		requested[apps[i].ID] = apps[i].Requested
		var v validate.Errors
		switch {
		case err == nil:
			e.wantState(apps[i].ID, application.Granted)
			if m := e.mailCount(fmt.Sprintf("Beslut %d", apps[i].ID)); m != 1 {
				t.Errorf("application %d granted, %d mails queued, want 1", apps[i].ID, m)
			}
		case errors.As(err, &v) && len(v) == 1 && v["amount"] == "error.grant.over_ceiling":
			refused = append(refused, apps[i])
			e.wantState(apps[i].ID, application.Ready)
			if m := e.mailCount(fmt.Sprintf("Beslut %d", apps[i].ID)); m != 0 {
				t.Errorf("application %d refused, %d mails queued, want 0", apps[i].ID, m)
			}
		default:
			t.Errorf("decision %d: %v, want nil or only amount=error.grant.over_ceiling", i, err)
		}
	}
	// Replay the grants in commit order (the call's lock makes id order
	// commit order): the running total never passes the ceiling.
	grants, err := s.GrantList(ctx(), grant.Filter{CallID: c.ID})
	must(t, err)
	sort.Slice(grants, func(i, j int) bool { return grants[i].ID < grants[j].ID })
	var total int64
	for _, g := range grants {
		if g.Amount != requested[g.ApplicationID] {
			t.Errorf("grant %d: %d öre for application %d, which asked for %d", g.ID, g.Amount, g.ApplicationID, requested[g.ApplicationID])
		}
		total += g.Amount
		if total > ceiling {
			t.Fatalf("after grant %d the call has granted %d öre, over its ceiling of %d", g.ID, total, ceiling)
		}
	}
	// Every refusal was right: what it asked for did not fit even at the end.
	for _, a := range refused {
		if total+a.Requested <= ceiling {
			t.Errorf("application %d (%d öre) was refused, but fits: %d of %d granted", a.ID, a.Requested, total, ceiling)
		}
	}
	sum, err := s.GrantedInCall(ctx(), c.ID)
	must(t, err)
	decisions, err := s.DecisionsInCall(ctx(), c.ID)
	must(t, err)
	if len(grants)+len(refused) != n || len(decisions) != len(grants) || sum != total || len(grants) == 0 || len(refused) == 0 {
		t.Errorf("%d granted (%d decisions), %d refused, sum %d / %d", len(grants), len(decisions), len(refused), sum, total)
	}
	// The registry holds the submissions, each a case, and the decisions
	// made as their cases' second documents, numbered without gaps.
	e.wantSeqs(2021, n)
	entries, err := s.RegistryList(ctx(), registry.Filter{Year: 2021, Limit: 10_000})
	must(t, err)
	if len(entries) != n+len(grants) {
		t.Errorf("registry 2021: %d documents, want %d", len(entries), n+len(grants))
	}
	for _, en := range entries {
		if (en.Kind == registry.Decision) != (en.Doc == 2) {
			t.Errorf("entry %+v", en)
		}
	}
}
