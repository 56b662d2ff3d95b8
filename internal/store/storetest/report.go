package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/store"
)

var grantee = audit.Actor{Name: "Åsa Öberg"}

// finalReport is a complete final report of g spending kronor on one line
// budgeted at the whole grant, with an explanation when one is given.
func finalReport(g *grant.Grant, kronor, explanation string) *report.Report {
	return &report.Report{GrantID: g.ID, Kind: report.Final, Done: "Utställning på tre skolor och ett seminarium för fullmäktige.",
		Results: "1 200 elever och 45 politiker nådda.", Lessons: "Skolorna vill ha materialet i förväg.",
		Lines: []report.Line{{Category: "communicator", Budgeted: g.Amount, Spent: kronor, Explanation: explanation}}}
}

// fileFinal saves and submits a final report of g and approves it.
func fileFinal(t *testing.T, s store.Store, g *grant.Grant, kronor, explanation string) *report.Report {
	t.Helper()
	r := finalReport(g, kronor, explanation)
	must(t, s.SaveReport(ctx(), grantee, r))
	_, err := s.SubmitReport(ctx(), grantee, r.ID, r.Version, nil)
	must(t, err)
	got, err := s.ApproveReport(ctx(), officer, r.ID, "", nil)
	must(t, err)
	return got
}

func wantBalance(t *testing.T, s store.Store, grantID int64, want ledger.Balance) {
	t.Helper()
	b, err := s.Balance(ctx(), grantID)
	must(t, err)
	if b != want {
		t.Errorf("balance %+v, want %+v", b, want)
	}
}

func closed(t *testing.T, s store.Store, grantID int64) bool {
	t.Helper()
	_, err := s.Closure(ctx(), grantID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func countMail(t *testing.T, s store.Store, subject string) int {
	t.Helper()
	ms, err := s.MailList(ctx(), 10_000)
	must(t, err)
	n := 0
	for _, m := range ms {
		if m.Subject == subject {
			n++
		}
	}
	return n
}

// testReports walks a report through its states: drafts with versions,
// a refused submission, registration, a completion request and approval.
func testReports(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	g := newGrant(t, s, f, 20_000_000)
	// The call asks for no interim report.
	wantField(t, s.SaveReport(ctx(), grantee, &report.Report{GrantID: g.ID, Kind: report.Interim}), "kind", "error.report.kind")
	if err := s.SaveReport(ctx(), grantee, &report.Report{GrantID: 999_999, Kind: report.Final}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("report of a missing grant: %v", err)
	}
	r := &report.Report{GrantID: g.ID, Kind: report.Final, Done: "  Utställning  "}
	must(t, s.SaveReport(ctx(), grantee, r))
	if r.ID == 0 || r.Version != 1 || r.State != report.Draft || r.Done != "Utställning" {
		t.Fatalf("created %+v", r)
	}
	if err := s.SaveReport(ctx(), grantee, &report.Report{GrantID: g.ID, Kind: report.Final}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second final report: %v", err)
	}
	stale := *r
	full := finalReport(g, "250 000", "")
	r.Done, r.Results, r.Lessons, r.Lines = full.Done, full.Results, full.Lessons, full.Lines
	must(t, s.SaveReport(ctx(), grantee, r))
	if r.Version != 2 {
		t.Errorf("version %d after a save", r.Version)
	}
	stale.Results = "x"
	if err := s.SaveReport(ctx(), grantee, &stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a stale save: %v", err)
	}
	// 250 000 kr of a 200 000 kr grant, unexplained.
	_, err := s.SubmitReport(ctx(), grantee, r.ID, r.Version, nil)
	wantField(t, err, "lines", "error.report.over_grant")
	if _, err := s.SubmitReport(ctx(), grantee, r.ID, r.Version-1, nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("submitting a stale version: %v", err)
	}
	r.Lines[0].Spent = "-5"
	must(t, s.SaveReport(ctx(), grantee, r)) // a draft keeps what was typed
	_, err = s.SubmitReport(ctx(), grantee, r.ID, r.Version, nil)
	wantField(t, err, "lines.0.spent", "error.money.negative")
	r.Lines[0].Spent = "195 000"
	must(t, s.SaveReport(ctx(), grantee, r))
	clk.Set(time.Date(2022, 1, 20, 10, 0, 0, 0, time.UTC))
	e, err := s.SubmitReport(ctx(), grantee, r.ID, r.Version, []mail.Message{{To: "handlaggare@icld.se", Subject: "Slutrapport inlämnad"}})
	must(t, err)
	if e.Kind != registry.Report || e.Year != 2022 || e.Title != "Slutrapport: Kalix – Masaka" {
		t.Errorf("registry entry %+v", e)
	}
	got, err := s.Report(ctx(), r.ID)
	must(t, err)
	if got.State != report.Submitted || got.RegNumber != e.Number || !got.SubmittedAt.Equal(clk.Now()) || got.Lines[0].Spent != "195 000" {
		t.Errorf("submitted %+v", got)
	}
	if countMail(t, s, "Slutrapport inlämnad") != 1 {
		t.Error("no mail to the officers")
	}
	r = got
	if err := s.SaveReport(ctx(), grantee, r); !errors.Is(err, report.ErrTransition) {
		t.Errorf("saving a submitted report: %v", err)
	}
	wantField(t, s.RequestReportCompletion(ctx(), officer, r.ID, "  ", nil), "note", "error.required")
	must(t, s.RequestReportCompletion(ctx(), officer, r.ID, "Beskriv enkäten.", []mail.Message{{To: "sokande@kalix.se", Subject: "Komplettera"}}))
	got, err = s.Report(ctx(), r.ID)
	must(t, err)
	if got.State != report.CompletionRequested || got.Note != "Beskriv enkäten." || countMail(t, s, "Komplettera") != 1 {
		t.Errorf("completion requested: %+v", got)
	}
	got.Lessons = "Enkäten gick ut till samma klasser."
	must(t, s.SaveReport(ctx(), grantee, got))
	e2, err := s.SubmitReport(ctx(), grantee, got.ID, got.Version, nil)
	must(t, err)
	if e2.Seq != e.Seq+1 {
		t.Errorf("resubmission numbered %s after %s", e2.Number, e.Number)
	}
	if _, err := s.ApproveReport(ctx(), officer, got.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveReport(ctx(), officer, got.ID, "", nil); !errors.Is(err, report.ErrTransition) && !errors.Is(err, grant.ErrClosed) {
		t.Errorf("approving twice: %v", err)
	}
	list, err := s.Reports(ctx(), g.ID)
	must(t, err)
	if len(list) != 1 || list[0].State != report.Approved || list[0].ApproverName != officer.Name || list[0].ApprovedAt.IsZero() {
		t.Errorf("reports %+v", list)
	}
	trig, err := s.ReportTriggers(ctx(), g.ID)
	must(t, err)
	if !trig[ledger.OnFinalReportApproved] || trig[ledger.OnInterimApproved] {
		t.Errorf("triggers %v", trig)
	}
	log, err := s.AuditLog(ctx(), audit.Filter{Entity: "report", EntityID: r.ID})
	must(t, err)
	if len(log) < 5 {
		t.Errorf("audit: %d entries", len(log))
	}
}

// testReportLedger approves final reports under different payments and
// checks the ledger and closing.
func testReportLedger(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)

	// Paid in full, 150 000 kr of 200 000 spent: 50 000 to repay, then closed.
	g := newGrant(t, s, f, 20_000_000)
	_, err := s.RecordPayment(ctx(), officer, g.ID, 20_000_000, "")
	must(t, err)
	if _, err := s.RecordRepayment(ctx(), officer, g.ID, 100, ""); err == nil {
		t.Error("a repayment before anything is due")
	}
	fileFinal(t, s, g, "150 000", "Seminariet blev digitalt.")
	wantBalance(t, s, g.ID, ledger.Balance{Granted: 20_000_000, Paid: 20_000_000, Spent: 15_000_000, ToRepay: 5_000_000})
	if closed(t, s, g.ID) {
		t.Fatal("closed before the repayment")
	}
	_, err = s.RecordRepayment(ctx(), officer, g.ID, 6_000_000, "")
	wantField(t, err, "amount", ledger.ErrRepaidOver.Error())
	_, err = s.RecordRepayment(ctx(), officer, g.ID, 2_000_000, "Första delen")
	must(t, err)
	if closed(t, s, g.ID) {
		t.Fatal("closed with money outstanding")
	}
	wantField(t, s.CloseGrant(ctx(), officer, g.ID), "form", "error.grant.not_settled")
	_, err = s.RecordRepayment(ctx(), officer, g.ID, 3_000_000, "")
	must(t, err)
	if !closed(t, s, g.ID) {
		t.Fatal("not closed when settled")
	}
	wantBalance(t, s, g.ID, ledger.Balance{Granted: 20_000_000, Paid: 20_000_000, Spent: 15_000_000, ToRepay: 5_000_000, Repaid: 5_000_000})
	// A closed grant takes no more reports or repayments.
	if err := s.SaveReport(ctx(), grantee, &report.Report{GrantID: g.ID, Kind: report.Final}); !errors.Is(err, grant.ErrClosed) {
		t.Errorf("a report on a closed grant: %v", err)
	}
	if _, err := s.RecordRepayment(ctx(), officer, g.ID, 1, ""); !errors.Is(err, grant.ErrClosed) {
		t.Errorf("a repayment on a closed grant: %v", err)
	}

	// Paid in full, spent in full (and more, explained): closed at once,
	// spending capped to the grant.
	g2 := newGrant(t, s, f, 10_000_000)
	_, err = s.RecordPayment(ctx(), officer, g2.ID, 10_000_000, "")
	must(t, err)
	fileFinal(t, s, g2, "120 000", "Tryckkostnaderna steg; kommunen betalade resten.")
	wantBalance(t, s, g2.ID, ledger.Balance{Granted: 10_000_000, Paid: 10_000_000, Spent: 10_000_000})
	if !closed(t, s, g2.ID) {
		t.Error("a settled grant stays open after the final report")
	}

	// 80 % paid, everything spent: the last instalment is due, and paying
	// it closes the grant.
	g3 := newGrant(t, s, f, 10_000_000)
	_, err = s.RecordPayment(ctx(), officer, g3.ID, 8_000_000, "")
	must(t, err)
	fileFinal(t, s, g3, "100 000", "")
	wantBalance(t, s, g3.ID, ledger.Balance{Granted: 10_000_000, Paid: 8_000_000, Spent: 10_000_000})
	if closed(t, s, g3.ID) {
		t.Fatal("closed while the grantee is owed money")
	}
	b, err := s.Balance(ctx(), g3.ID)
	must(t, err)
	if due := grant.MaxPayment(b, true); due != 2_000_000 {
		t.Errorf("due after the final report: %d", due)
	}
	_, err = s.RecordPayment(ctx(), officer, g3.ID, 2_000_000, "Slutbetalning")
	must(t, err)
	if !closed(t, s, g3.ID) {
		t.Error("not closed by the last payment")
	}
	if err := s.CloseGrant(ctx(), officer, g3.ID); !errors.Is(err, grant.ErrClosed) {
		t.Errorf("closing twice: %v", err)
	}
}

// testOverpayment: after the final report is approved no payment takes
// paid above what was spent, and every grant closes with paid − repaid =
// spent (issue 10).
func testOverpayment(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	settledRight := func(g *grant.Grant) {
		t.Helper()
		b, err := s.Balance(ctx(), g.ID)
		must(t, err)
		if !closed(t, s, g.ID) || b.Paid-b.Repaid != b.Spent {
			t.Errorf("grant %d: closed=%v, %+v", g.ID, closed(t, s, g.ID), b)
		}
	}

	// 150 000 kr granted, 90 000 paid (60 %), 143 000 spent: 53 000 may
	// be paid, not the 60 000 left of the grant.
	g := newGrant(t, s, f, 15_000_000)
	_, err := s.RecordPayment(ctx(), officer, g.ID, 9_000_000, "60 %")
	must(t, err)
	fileFinal(t, s, g, "143 000", "Filmen blev billigare.")
	_, err = s.RecordPayment(ctx(), officer, g.ID, 6_000_000, "40 %")
	wantField(t, err, "amount", grant.ErrOverSpent.Error())
	_, err = s.RecordPayment(ctx(), officer, g.ID, 5_300_001, "")
	wantField(t, err, "amount", grant.ErrOverSpent.Error())
	wantBalance(t, s, g.ID, ledger.Balance{Granted: 15_000_000, Paid: 9_000_000, Spent: 14_300_000})
	if closed(t, s, g.ID) {
		t.Fatal("closed with costs unpaid")
	}
	_, err = s.RecordPayment(ctx(), officer, g.ID, 5_300_000, "Slutbetalning")
	must(t, err)
	settledRight(g)

	// 90 000 paid, 50 000 spent: 40 000 to repay, nothing more to pay.
	g2 := newGrant(t, s, f, 15_000_000)
	_, err = s.RecordPayment(ctx(), officer, g2.ID, 9_000_000, "60 %")
	must(t, err)
	fileFinal(t, s, g2, "50 000", "Halva projektet blev av.")
	wantBalance(t, s, g2.ID, ledger.Balance{Granted: 15_000_000, Paid: 9_000_000, Spent: 5_000_000, ToRepay: 4_000_000})
	_, err = s.RecordPayment(ctx(), officer, g2.ID, 1, "")
	wantField(t, err, "amount", grant.ErrOverSpent.Error())
	_, err = s.RecordRepayment(ctx(), officer, g2.ID, 4_000_000, "Återbetalning")
	must(t, err)
	settledRight(g2)
}

// runReminders is one reminder run, as the application's loop makes it.
func runReminders(t *testing.T, s store.Store, now time.Time) int {
	t.Helper()
	due, err := s.DueReminders(ctx(), now)
	if err != nil {
		t.Error(err)
		return 0
	}
	n := 0
	for _, rem := range due {
		ok, err := s.SendReminder(ctx(), rem, []mail.Message{{To: "sokande@kalix.se", Subject: "Påminnelse " + string(rem.Kind) + " " + string(rem.When)}})
		if err != nil {
			t.Error(err)
		}
		if ok {
			n++
		}
	}
	return n
}

// testReminders drives the reminders with the fake clock: each is sent
// once, by one of two runners at the same instant, none for an approved
// report, and the overdue one after the deadline.
func testReminders(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	g := newGrant(t, s, f, 20_000_000)    // final report due 31 January 2022
	done := newGrant(t, s, f, 10_000_000) // its report approved early
	_, err := s.RecordPayment(ctx(), officer, done.ID, 5_000_000, "")
	must(t, err)
	clk.Set(time.Date(2021, 12, 1, 9, 0, 0, 0, time.UTC))
	fileFinal(t, s, done, "100 000", "")

	at := func(ts string) time.Time {
		t.Helper()
		tm, err := clock.ParseLocal(ts)
		must(t, err)
		clk.Set(tm)
		return tm
	}
	if n := runReminders(t, s, at("2022-01-16 23:59")); n != 0 {
		t.Errorf("%d reminders 15 days ahead", n)
	}
	now := at("2022-01-17 00:00") // 14 days before the last day
	due, err := s.DueReminders(ctx(), now)
	must(t, err)
	if len(due) != 1 || due[0].GrantID != g.ID || due[0].When != report.Before || due[0].Kind != report.Final || due[0].OrganisationID != f.kalix.ID {
		t.Fatalf("due: %+v", due)
	}
	// Two runners at the same instant: one mail.
	var wg sync.WaitGroup
	var mu sync.Mutex
	sent := 0
	for range 2 {
		wg.Go(func() {
			n := runReminders(t, s, now)
			mu.Lock()
			sent += n
			mu.Unlock()
		})
	}
	wg.Wait()
	if sent != 1 || countMail(t, s, "Påminnelse final before") != 1 {
		t.Errorf("two runners sent %d, queued %d", sent, countMail(t, s, "Påminnelse final before"))
	}
	// A restart the day after sends nothing again.
	if n := runReminders(t, s, at("2022-01-18 09:00")); n != 0 {
		t.Errorf("%d reminders resent", n)
	}
	// The last day is still on time.
	if n := runReminders(t, s, at("2022-01-31 23:59")); n != 0 {
		t.Errorf("%d reminders on the last day", n)
	}
	if n := runReminders(t, s, at("2022-02-01 00:00")); n != 1 || countMail(t, s, "Påminnelse final overdue") != 1 {
		t.Errorf("overdue: %d sent", n)
	}
	if n := runReminders(t, s, at("2022-02-10 00:00")); n != 0 {
		t.Errorf("%d overdue reminders resent", n)
	}
	// A reminder listed, then the report submitted before it is sent: none.
	g2 := &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: 1_000_000, AwardedOn: clock.Date(2022, 3, 1)}
	must(t, s.CreateGrant(ctx(), officer, g2))
	now = at("2023-01-20 12:00")
	due, err = s.DueReminders(ctx(), now)
	must(t, err)
	if len(due) != 1 || due[0].GrantID != g2.ID {
		t.Fatalf("due for the 2022 grant: %+v", due)
	}
	r := finalReport(g2, "10 000", "")
	must(t, s.SaveReport(ctx(), grantee, r))
	_, err = s.SubmitReport(ctx(), grantee, r.ID, r.Version, nil)
	must(t, err)
	ok, err := s.SendReminder(ctx(), due[0], []mail.Message{{To: "x@kalix.se", Subject: "För sent"}})
	must(t, err)
	if ok || countMail(t, s, "För sent") != 0 {
		t.Error("a reminder for a submitted report")
	}
}
