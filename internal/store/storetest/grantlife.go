package storetest

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

// newGrant makes a grant of amount öre for Kalix in the fixture's call.
func newGrant(t *testing.T, s store.Store, f *fixture, amount int64) *grant.Grant {
	t.Helper()
	g := &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: amount, AwardedOn: clock.Date(2021, 6, 1)}
	must(t, s.CreateGrant(ctx(), officer, g))
	return g
}

func testGrantAcceptance(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	g := newGrant(t, s, f, 20_000_000)
	if _, err := s.Acceptance(ctx(), g.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("acceptance before accepting: %v", err)
	}
	if _, err := s.AcceptGrant(ctx(), officer, 999_999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("accepting a missing grant: %v", err)
	}
	grantee := audit.Actor{Name: "Åsa Öberg"}
	clk.Set(Start.Add(24 * time.Hour))
	a, err := s.AcceptGrant(ctx(), grantee, g.ID)
	must(t, err)
	got, err := s.Acceptance(ctx(), g.ID)
	must(t, err)
	if got.ByName != "Åsa Öberg" || !got.At.Equal(a.At) || !got.At.Equal(clk.Now()) || got.GrantID != g.ID {
		t.Errorf("acceptance: %+v, want %+v", got, a)
	}
	if _, err := s.AcceptGrant(ctx(), grantee, g.ID); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second acceptance: %v, want ErrConflict", err)
	}
	// Twenty clicks at once: one acceptance.
	g2 := newGrant(t, s, f, 10_000_000)
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for range 20 {
		wg.Go(func() {
			_, err := s.AcceptGrant(ctx(), grantee, g2.ID)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				accepted++
			case !errors.Is(err, store.ErrConflict):
				t.Errorf("concurrent acceptance: %v", err)
			}
		})
	}
	wg.Wait()
	if accepted != 1 {
		t.Errorf("%d acceptances, want 1", accepted)
	}
	log, err := s.AuditLog(ctx(), audit.Filter{Entity: "grant", EntityID: g.ID})
	must(t, err)
	if len(log) == 0 || log[0].Action != "accept" {
		t.Errorf("audit: %+v", log)
	}
	// Accepting pays nothing: officers record payments.
	b, err := s.Balance(ctx(), g.ID)
	must(t, err)
	if b != (ledger.Balance{Granted: 20_000_000}) {
		t.Errorf("balance after acceptance: %+v", b)
	}
}

// testRandomPayments records random payments, valid and not, and checks
// after each that the store agrees with the ledger's own rules: what it
// refuses is the field error the ledger names, and the balance read back
// is the model's.
func testRandomPayments(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	g := newGrant(t, s, f, 29_999_999)
	entries, err := s.LedgerEntries(ctx(), g.ID)
	must(t, err)
	if len(entries) != 1 || entries[0].Kind != ledger.Granted || entries[0].Amount != 29_999_999 {
		t.Fatalf("a new grant's ledger: %+v", entries)
	}
	if _, err := s.Balance(ctx(), 999_999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("balance of a missing grant: %v", err)
	}
	if _, err := s.RecordPayment(ctx(), officer, 999_999, 1, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("payment to a missing grant: %v", err)
	}
	r := rand.New(rand.NewPCG(4, 5))
	model := ledger.Balance{Granted: g.Amount}
	accepted := 1
	for step := range 80 {
		amount := r.Int64N(12_000_000) - 1_000_000
		switch r.IntN(5) {
		case 0: // at the limit, and either side of it
			amount = model.Unpaid() + r.Int64N(3) - 1
		case 1:
			amount = 0
		}
		want, werr := model.Apply(ledger.Entry{Kind: ledger.Paid, Amount: amount})
		e, err := s.RecordPayment(ctx(), officer, g.ID, amount, "utbetalning")
		if werr != nil {
			var v validate.Errors
			if !errors.As(err, &v) || v["amount"] != werr.Error() {
				t.Fatalf("step %d: paying %d: %v, want amount=%s", step, amount, err, werr)
			}
		} else {
			must(t, err)
			if e.ID == 0 || e.Amount != amount || e.Kind != ledger.Paid {
				t.Fatalf("step %d: entry %+v", step, e)
			}
			model = want
			accepted++
		}
		got, err := s.Balance(ctx(), g.ID)
		must(t, err)
		if got != model {
			t.Fatalf("step %d: balance %+v, want %+v", step, got, model)
		}
		must(t, got.Check())
	}
	entries, err = s.LedgerEntries(ctx(), g.ID)
	must(t, err)
	if len(entries) != accepted || entries[0].Kind != ledger.Granted {
		t.Errorf("%d entries, want %d starting with the grant", len(entries), accepted)
	}
	if model.Paid == 0 {
		t.Error("the sequence paid nothing: it tests nothing")
	}
}

func testConcurrentPayments(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	// A grant not yet moved: the first payments also race to store its
	// Granted entry.
	g := newGrant(t, s, f, 30_000_000)
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.RecordPayment(ctx(), audit.Actor{Name: "test:officer"}, g.ID, 2_000_000, "")
		})
	}
	wg.Wait()
	ok, over := 0, 0
	for _, err := range errs {
		var v validate.Errors
		switch {
		case err == nil:
			ok++
		case errors.As(err, &v) && v["amount"] == ledger.ErrOverGranted.Error():
			over++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	b, err := s.Balance(ctx(), g.ID)
	must(t, err)
	if ok != 15 || over != 5 || b.Paid != 30_000_000 || b.Granted != 30_000_000 {
		t.Errorf("%d paid, %d refused, balance %+v; want 15, 5, all paid", ok, over, b)
	}
	entries, err := s.LedgerEntries(ctx(), g.ID)
	must(t, err)
	if len(entries) != 16 {
		t.Errorf("%d entries, want the grant and 15 payments", len(entries))
	}
}

func testChangeRequests(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	g := newGrant(t, s, f, 30_000_000)
	grantee := audit.Actor{Name: "Åsa Öberg"}
	wantField(t, s.RequestChange(ctx(), grantee, &grant.ChangeRequest{GrantID: g.ID, NewEndDate: clock.Date(2022, 3, 31)}), "reason", "error.required")
	wantField(t, s.RequestChange(ctx(), grantee, &grant.ChangeRequest{GrantID: g.ID, Reason: "Inget"}), "form", "error.change.nothing")
	if err := s.RequestChange(ctx(), grantee, &grant.ChangeRequest{GrantID: 999_999, Reason: "x", NewEndDate: clock.Date(2022, 3, 31)}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("change of a missing grant: %v", err)
	}
	cr := &grant.ChangeRequest{GrantID: g.ID, NewEndDate: clock.Date(2022, 3, 31), FromLine: "Tryck", ToLine: "Konsult", Amount: 1_500_000,
		Reason: " Skolorna i Kalix stängde under våren; vi flyttar utställningen till hösten. "}
	must(t, s.RequestChange(ctx(), grantee, cr))
	got, err := s.ChangeRequest(ctx(), cr.ID)
	must(t, err)
	if got.State != grant.ChangePending || got.RequesterName != "Åsa Öberg" || !got.NewEndDate.Equal(clock.Date(2022, 3, 31)) ||
		got.Reason != "Skolorna i Kalix stängde under våren; vi flyttar utställningen till hösten." || got.Amount != 1_500_000 || got.FromLine != "Tryck" ||
		!got.DecidedAt.IsZero() {
		t.Errorf("round-trip: %+v", got)
	}
	wantFieldErr := func(err error, field, key string) {
		t.Helper()
		wantField(t, err, field, key)
	}
	_, err = s.DecideChange(ctx(), officer, cr.ID, false, "")
	wantFieldErr(err, "note", "error.change.note_required")
	clk.Set(clk.Now().Add(time.Hour))
	decided, err := s.DecideChange(ctx(), officer, cr.ID, true, "Godkänt.")
	must(t, err)
	if decided.State != grant.ChangeApproved || !decided.DecidedAt.Equal(clk.Now()) {
		t.Errorf("decided: %+v", decided)
	}
	_, err = s.DecideChange(ctx(), officer, cr.ID, false, "Nej")
	wantFieldErr(err, "form", "error.change.decided")
	if _, err := s.DecideChange(ctx(), officer, 999_999, true, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deciding a missing request: %v", err)
	}
	second := &grant.ChangeRequest{GrantID: g.ID, NewEndDate: clock.Date(2022, 6, 30), Reason: "Ännu en förskjutning."}
	must(t, s.RequestChange(ctx(), grantee, second))
	list, err := s.ChangeRequests(ctx(), g.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != cr.ID || list[0].State != grant.ChangeApproved || list[0].Note != "Godkänt." || list[0].DeciderName != officer.Name ||
		list[1].State != grant.ChangePending || list[1].MovesMoney() {
		t.Errorf("list: %+v", list)
	}
	log, err := s.AuditLog(ctx(), audit.Filter{Entity: "change_request", EntityID: cr.ID})
	must(t, err)
	if len(log) != 2 || log[0].Action != "decide" || log[1].Action != "create" {
		t.Errorf("audit: %+v", log)
	}

	// The grant ends when the latest approved request says: a pending or
	// rejected one changes nothing.
	endOf := func(what string) time.Time {
		t.Helper()
		one, err := s.Grant(ctx(), g.ID)
		must(t, err)
		list, err := s.GrantList(ctx(), grant.Filter{PartnershipID: g.PartnershipID})
		must(t, err)
		for _, x := range list {
			if x.ID == g.ID && !x.EndDate.Equal(one.EndDate) {
				t.Errorf("%s: GrantList says the grant ends %v, Grant %v", what, x.EndDate, one.EndDate)
			}
		}
		return one.EndDate
	}
	if end := endOf("second pending"); !end.Equal(clock.Date(2022, 3, 31)) {
		t.Errorf("with the first approved and the second pending, the grant ends %v, want 2022-03-31", end)
	}
	clk.Set(clk.Now().Add(time.Hour))
	_, err = s.DecideChange(ctx(), officer, second.ID, true, "")
	must(t, err)
	if end := endOf("second approved"); !end.Equal(clock.Date(2022, 6, 30)) {
		t.Errorf("with the second approved, the grant ends %v, want 2022-06-30", end)
	}
	third := &grant.ChangeRequest{GrantID: g.ID, NewEndDate: clock.Date(2022, 12, 31), Reason: "Ett år till."}
	must(t, s.RequestChange(ctx(), grantee, third))
	clk.Set(clk.Now().Add(time.Hour))
	_, err = s.DecideChange(ctx(), officer, third.ID, false, "Nej, det ryms inte.")
	must(t, err)
	if end := endOf("third rejected"); !end.Equal(clock.Date(2022, 6, 30)) {
		t.Errorf("with the third rejected, the grant ends %v, want 2022-06-30", end)
	}
	if other := newGrant(t, s, f, 1_000_000); !other.EndDate.IsZero() {
		t.Errorf("a grant without changes ends %v, want zero", other.EndDate)
	}
}
