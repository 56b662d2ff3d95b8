package storetest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/survey"
)

// grantSnapshot is everything the writes refused on a closed grant could
// change.
type grantSnapshot struct {
	Balance    ledger.Balance
	Entries    int
	Accepted   bool
	Changes    []grant.ChangeRequest
	Activities []*activity.Activity
	Survey     *survey.Survey
	Responses  int
	Audit      int
}

func snapshotGrant(t *testing.T, s store.Store, grantID int64) grantSnapshot {
	t.Helper()
	var snap grantSnapshot
	var err error
	snap.Balance, err = s.Balance(ctx(), grantID)
	must(t, err)
	entries, err := s.LedgerEntries(ctx(), grantID)
	must(t, err)
	snap.Entries = len(entries)
	_, err = s.Acceptance(ctx(), grantID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	snap.Accepted = err == nil
	snap.Changes, err = s.ChangeRequests(ctx(), grantID)
	must(t, err)
	snap.Activities, err = s.ActivityList(ctx(), grantID)
	must(t, err)
	snap.Survey, err = s.Survey(ctx(), grantID)
	must(t, err)
	responses, err := s.Responses(ctx(), grantID)
	must(t, err)
	snap.Responses = len(responses)
	log, err := s.AuditLog(ctx(), audit.Filter{Limit: 100_000})
	must(t, err)
	snap.Audit = len(log)
	return snap
}

// testClosedGrant closes a grant with a pending change request, an
// activity and an open survey, then tries every write of a grant's life
// on it: each is refused with grant.ErrClosed and changes nothing. A
// payment that settles a grant whose final report is approved closes it.
func testClosedGrant(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	g := newGrant(t, s, f, 10_000_000)
	cr := &grant.ChangeRequest{GrantID: g.ID, NewEndDate: clock.Date(2022, 3, 31), Reason: "Skolorna stängde under våren."}
	must(t, s.RequestChange(ctx(), grantee, cr))
	a := &activity.Activity{GrantID: g.ID, Date: clock.Date(2021, 2, 20), Title: "Utställning på Kalix bibliotek",
		TargetGroup: "citizens", Channel: "exhibition", Reach: map[string]int64{"citizens": 120}}
	must(t, s.CreateActivity(ctx(), grantee, a))
	sv := survey.New(g.ID, f.call.Config.SurveyTemplate(), clk.Now())
	must(t, s.CreateSurvey(ctx(), grantee, sv))
	_, err := s.RecordPayment(ctx(), officer, g.ID, 10_000_000, "")
	must(t, err)
	fileFinal(t, s, g, "100 000", "")
	if !closed(t, s, g.ID) {
		t.Fatal("a settled grant stays open after its final report")
	}
	before := snapshotGrant(t, s, g.ID)

	edited := *a
	edited.Title = "Utställning på Kalix bibliotek och i Masaka"
	later := *sv
	later.Baseline.Closes = survey.EndOfDay(clock.Date(2021, 3, 10))
	writes := []struct {
		name string
		fn   func() error
	}{
		{"AcceptGrant", func() error { _, err := s.AcceptGrant(ctx(), grantee, g.ID); return err }},
		{"RecordPayment", func() error { _, err := s.RecordPayment(ctx(), officer, g.ID, 100, ""); return err }},
		{"RequestChange", func() error {
			return s.RequestChange(ctx(), grantee, &grant.ChangeRequest{GrantID: g.ID, NewEndDate: clock.Date(2022, 6, 30), Reason: "Ännu en förskjutning."})
		}},
		{"DecideChange", func() error { _, err := s.DecideChange(ctx(), officer, cr.ID, true, ""); return err }},
		{"CreateActivity", func() error {
			return s.CreateActivity(ctx(), grantee, &activity.Activity{GrantID: g.ID, Date: clock.Date(2021, 2, 21), Title: "Seminarium",
				TargetGroup: "politicians", Channel: "seminar", Reach: map[string]int64{"politicians": 40}})
		}},
		{"UpdateActivity", func() error { return s.UpdateActivity(ctx(), grantee, &edited) }},
		{"DeleteActivity", func() error { return s.DeleteActivity(ctx(), grantee, a.ID) }},
		{"CreateSurvey", func() error {
			return s.CreateSurvey(ctx(), grantee, survey.New(g.ID, survey.DefaultQuestions(), clk.Now()))
		}},
		{"UpdateSurvey", func() error { return s.UpdateSurvey(ctx(), grantee, &later) }},
		{"AddResponse", func() error {
			return s.AddResponse(ctx(), &survey.Response{GrantID: g.ID, Phase: survey.Baseline, TargetGroup: "pupils",
				Answers: map[string]string{"know_partnership": "3"}})
		}},
	}
	for _, w := range writes {
		if err := w.fn(); !errors.Is(err, grant.ErrClosed) {
			t.Errorf("%s on a closed grant: %v, want grant.ErrClosed", w.name, err)
		}
	}
	if after := snapshotGrant(t, s, g.ID); !reflect.DeepEqual(after, before) {
		t.Errorf("the refused writes changed the grant:\n got %+v\nwant %+v", after, before)
	}

	// 80 % paid, everything spent: the final report leaves the grantee
	// owed the last instalment, and paying it closes the grant.
	g2 := newGrant(t, s, f, 10_000_000)
	_, err = s.RecordPayment(ctx(), officer, g2.ID, 8_000_000, "")
	must(t, err)
	if closed(t, s, g2.ID) {
		t.Fatal("closed by a payment before the final report")
	}
	fileFinal(t, s, g2, "100 000", "")
	if closed(t, s, g2.ID) {
		t.Fatal("closed while the grantee is owed money")
	}
	_, err = s.RecordPayment(ctx(), officer, g2.ID, 2_000_000, "Slutbetalning")
	must(t, err)
	if !closed(t, s, g2.ID) {
		t.Fatal("the payment that settled the grant did not close it")
	}
	wantBalance(t, s, g2.ID, ledger.Balance{Granted: 10_000_000, Paid: 10_000_000, Spent: 10_000_000})
	log, err := s.AuditLog(ctx(), audit.Filter{Entity: "grant", EntityID: g2.ID})
	must(t, err)
	actions := map[string]bool{}
	for _, e := range log {
		actions[e.Action] = true
	}
	if !actions["pay"] || !actions["close"] {
		t.Errorf("audit of the closing payment: %+v", log)
	}
}
