package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/validate"
)

// appRaceFixture opens a store with one call (no formal check, no
// review, ceiling 1 000 000 öre) and a partnership that may apply to it.
type appRaceFixture struct {
	s    *Store
	call *call.Call
	ps   *partnership.Partnership
	org  int64
}

func newAppRaceFixture(t *testing.T) *appRaceFixture {
	t.Helper()
	ctx := context.Background()
	s := openTest(t, clock.NewFixed(time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	kalix := &organisation.Organisation{Kind: organisation.Municipality, Code: "2514", Name: "Kalix kommun"}
	must(s.CreateOrganisation(ctx, tester, kalix))
	masaka := &organisation.Organisation{Kind: organisation.Partner, Country: "UG", Name: "Masaka"}
	must(s.CreateOrganisation(ctx, tester, masaka))
	ps := &partnership.Partnership{Name: "Kalix – Masaka", ThemeSV: "Miljö", Start: clock.Date(2020, 1, 1), Status: partnership.Active,
		Swedish: []organisation.Organisation{{ID: kalix.ID}}, Partners: []organisation.Organisation{{ID: masaka.ID}}}
	must(s.CreatePartnership(ctx, tester, ps))
	prog := &programme.Programme{NameSV: "Program", Funder: "Sida", Operator: "ICLD", TotalBudget: 10_000_000}
	must(s.CreateProgramme(ctx, tester, prog))
	cfg := call.DefaultConfig()
	cfg.Steps = application.Steps{}
	c := &call.Call{ProgrammeID: prog.ID, TitleSV: "Utlysning", OpensAt: clock.Date(2021, 3, 1), ClosesAt: clock.Date(2021, 4, 1),
		Ceiling: 1_000_000, MaxPerGrant: 1_000_000, Config: cfg}
	must(s.CreateCall(ctx, tester, c))
	return &appRaceFixture{s: s, call: c, ps: ps, org: kalix.ID}
}

// draft starts an application asking for kronor (as typed) with every
// answer the default form requires.
func (f *appRaceFixture) draft(t *testing.T, kronor string) *application.Application {
	t.Helper()
	a := &application.Application{CallID: f.call.ID, PartnershipID: f.ps.ID, OrganisationID: f.org, Answers: form.Answers{
		Values:       map[string]string{"title": "Plast", "summary": "S", "objectives": "O", "survey_plan": "P"},
		TargetGroups: []form.TargetGroup{{Group: "citizens", Message: "M"}},
		Activities:   []form.Activity{{Title: "A", TargetGroup: "citizens", Channel: "web", Start: "2021-05-01", End: "2021-05-01"}},
		Budget:       []form.BudgetLine{{Category: "material", Amount: kronor}},
		Targets:      []string{"12.5"},
	}}
	if err := f.s.CreateApplication(context.Background(), tester, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestApplicationLocksRow changes an application while another
// transaction has changed it and not yet committed. The store must wait
// on the row lock and then see the change: reading without the lock would
// pass the check and then overwrite it.
func TestApplicationLocksRow(t *testing.T) {
	pgtest.URL(t)
	ctx := context.Background()
	f := newAppRaceFixture(t)
	tests := []struct {
		name  string
		rival string // the application's id is appended
		do    func(a *application.Application) error
		want  error
	}{
		{"save draft", "UPDATE applications SET version = version + 1 WHERE id = ", func(a *application.Application) error {
			return f.s.SaveDraft(ctx, tester, a)
		}, store.ErrConflict},
		{"submit", "UPDATE applications SET version = version + 1 WHERE id = ", func(a *application.Application) error {
			_, err := f.s.SubmitApplication(ctx, tester, a.ID, a.Version, nil)
			return err
		}, store.ErrConflict},
		{"transition", "UPDATE applications SET state = 'withdrawn' WHERE id = ", func(a *application.Application) error {
			return f.s.Transition(ctx, tester, a.ID, application.Withdraw, "", nil)
		}, application.ErrTransition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.draft(t, "1 000")
			err := raceRival(t, f.s, tt.rival+itoa(a.ID), func() error { return tt.do(a) })
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestRegistryNumberWaits registers a submission while another
// transaction holds the year's registry lock and has taken number 1
// without committing. The submission must wait, then take number 2.
func TestRegistryNumberWaits(t *testing.T) {
	pgtest.URL(t)
	f := newAppRaceFixture(t)
	a := f.draft(t, "1 000")
	rival := "SELECT pg_advisory_xact_lock(" + itoa(int64(store.RegistryLockKey)) + ", 2021); " +
		"INSERT INTO registry (year, seq, doc, number, kind, title, at) VALUES (2021, 1, 1, '2021/0001-1', 'report', 'Rapport', now())"
	var number string
	err := raceRival(t, f.s, rival, func() error {
		e, err := f.s.SubmitApplication(context.Background(), tester, a.ID, a.Version, nil)
		if err == nil {
			number = e.Number
		}
		return err
	})
	if err != nil || number != "2021/0002-1" {
		t.Errorf("got %q, %v; want 2021/0002-1", number, err)
	}
}

// TestCaseDocumentWaits registers a document in an application's case
// while another transaction holds the year's registry lock and has taken
// the case's document 2 without committing. The registration must wait,
// then take document 3.
func TestCaseDocumentWaits(t *testing.T) {
	pgtest.URL(t)
	ctx := context.Background()
	f := newAppRaceFixture(t)
	a := f.draft(t, "1 000")
	e, err := f.s.SubmitApplication(ctx, tester, a.ID, a.Version, nil)
	if err != nil || e.Number != "2021/0001-1" {
		t.Fatalf("submission: %+v, %v", e, err)
	}
	rival := "SELECT pg_advisory_xact_lock(" + itoa(int64(store.RegistryLockKey)) + ", 2021); " +
		"INSERT INTO registry (year, seq, doc, number, kind, title, application_id, at) VALUES (2021, 1, 2, '2021/0001-2', 'document', 'Brev', " +
		itoa(a.ID) + ", now())"
	var number string
	err = raceRival(t, f.s, rival, func() error {
		e, err := f.s.RegisterDocument(ctx, tester, a.ID, "E-post")
		if err == nil {
			number = e.Number
		}
		return err
	})
	if err != nil || number != "2021/0001-3" {
		t.Errorf("got %q, %v; want 2021/0001-3", number, err)
	}
}

// TestNewCaseAfterFormerNumbers gives a new case the number after the
// year's former numbers too (migration 0018): a number once given to a
// document is never another case's.
func TestNewCaseAfterFormerNumbers(t *testing.T) {
	pgtest.URL(t)
	ctx := context.Background()
	f := newAppRaceFixture(t)
	if _, err := f.s.db.ExecContext(ctx, `INSERT INTO registry (year, seq, doc, number, kind, title, at, former_number, former_year, former_seq)
		VALUES (2021, 1, 1, '2021/0001-1', 'application', 'Gammal', now(), '2021/0001', 2021, 1),
		       (2021, 1, 2, '2021/0001-2', 'resubmission', 'Gammal', now(), '2021/0007', 2021, 7)`); err != nil {
		t.Fatal(err)
	}
	a := f.draft(t, "1 000")
	e, err := f.s.SubmitApplication(ctx, tester, a.ID, a.Version, nil)
	if err != nil || e.Number != "2021/0008-1" {
		t.Errorf("got %+v, %v; want 2021/0008-1", e, err)
	}
}

// TestDecideLocksCall decides while another transaction holds the call's
// row and has granted most of its ceiling without committing. Decide must
// wait for the call's lock and then count that grant: over the ceiling.
func TestDecideLocksCall(t *testing.T) {
	pgtest.URL(t)
	ctx := context.Background()
	f := newAppRaceFixture(t)
	a := f.draft(t, "5 000") // 500 000 öre
	if _, err := f.s.SubmitApplication(ctx, tester, a.ID, a.Version, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Transition(ctx, tester, a.ID, application.MarkReady, "", nil); err != nil {
		t.Fatal(err)
	}
	rival := "SELECT id FROM calls WHERE id = " + itoa(f.call.ID) + " FOR UPDATE; " +
		"INSERT INTO grants (call_id, partnership_id, organisation_id, amount, awarded_on, created_at, updated_at) VALUES (" +
		itoa(f.call.ID) + ", " + itoa(f.ps.ID) + ", " + itoa(f.org) + ", 600000, '2021-03-01', now(), now())"
	err := raceRival(t, f.s, rival, func() error {
		return f.s.Decide(ctx, tester, &decision.Decision{ApplicationID: a.ID, Outcome: decision.Granted}, nil)
	})
	var errs validate.Errors
	if !errors.As(err, &errs) || errs["amount"] != "error.grant.over_ceiling" {
		t.Errorf("got %v, want amount=error.grant.over_ceiling", err)
	}
}
