package grant

import (
	"errors"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/validate"
)

func TestChangeRequestValidate(t *testing.T) {
	g := &Grant{Amount: 30_000_000, AwardedOn: time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)}
	later := time.Date(2022, 3, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		c     ChangeRequest
		field string
		key   string
	}{
		{"end date", ChangeRequest{NewEndDate: later, Reason: "Skolorna stängde."}, "", ""},
		{"move", ChangeRequest{FromLine: "Material", ToLine: "Konsult", Amount: 500_000, Reason: "Billigare tryck."}, "", ""},
		{"nothing", ChangeRequest{Reason: "x"}, "form", "error.change.nothing"},
		{"no reason", ChangeRequest{NewEndDate: later}, "reason", "error.required"},
		{"end before award", ChangeRequest{NewEndDate: g.AwardedOn, Reason: "x"}, "end_date", "error.change.end_before_award"},
		{"same line", ChangeRequest{FromLine: "Material", ToLine: "material", Amount: 1, Reason: "x"}, "to_line", "error.change.same_line"},
		{"no from", ChangeRequest{ToLine: "Material", Amount: 1, Reason: "x"}, "from_line", "error.required"},
		{"zero amount", ChangeRequest{FromLine: "A", ToLine: "B", Reason: "x"}, "amount", "error.money.not_positive"},
		{"over grant", ChangeRequest{FromLine: "A", ToLine: "B", Amount: 30_000_001, Reason: "x"}, "amount", "error.change.over_grant"},
	}
	for _, tt := range tests {
		tt.c.Normalize()
		errs := tt.c.Validate(g)
		if tt.field == "" {
			if len(errs) > 0 {
				t.Errorf("%s: %v", tt.name, errs)
			}
			continue
		}
		if errs[tt.field] != tt.key {
			t.Errorf("%s: %v, want %s=%s", tt.name, errs, tt.field, tt.key)
		}
	}
}

func TestChangeRequestDecide(t *testing.T) {
	at := time.Date(2021, 9, 1, 8, 0, 0, 0, time.UTC)
	c := ChangeRequest{State: ChangePending}
	var errs validate.Errors
	if err := c.Decide(false, " ", 7, "Handläggare", at); !errors.As(err, &errs) || errs["note"] != "error.change.note_required" || c.State != ChangePending {
		t.Fatalf("rejection without a note: %v, %+v", err, c)
	}
	if err := c.Decide(true, "", 7, "Handläggare", at); err != nil || c.State != ChangeApproved || c.DecidedBy != 7 || !c.DecidedAt.Equal(at) {
		t.Fatalf("approve: %v, %+v", err, c)
	}
	if err := c.Decide(false, "Nej", 7, "Handläggare", at); !errors.Is(err, ErrDecided) || c.State != ChangeApproved {
		t.Fatalf("decided twice: %v, %+v", err, c)
	}
}

func TestStageOf(t *testing.T) {
	b := ledger.Balance{Granted: 100, Paid: 40}
	for _, tt := range []struct {
		accepted bool
		b        ledger.Balance
		want     Stage
	}{{false, b, AwaitingAcceptance}, {true, b, UnderWay}, {true, ledger.Balance{Granted: 100, Paid: 100}, FullyPaid}} {
		if got := StageOf(false, tt.accepted, false, tt.b); got != tt.want {
			t.Errorf("%v %+v: %s, want %s", tt.accepted, tt.b, got, tt.want)
		}
	}
	if got := StageOf(true, true, true, ledger.Balance{Granted: 100, Paid: 100, Spent: 100}); got != Closed {
		t.Errorf("a closed grant: %s", got)
	}
}

// After the final report the stage says what is owed, either way: a
// grant paid above what it spent is never "fully paid" (issue 10).
func TestStageOfAfterFinalReport(t *testing.T) {
	for _, tt := range []struct {
		name   string
		b      ledger.Balance
		want   Stage
		amount int64
	}{
		{"paid above spent, not yet claimed", ledger.Balance{Granted: 150, Paid: 150, Spent: 143}, Repayment, 7},
		{"claimed, partly repaid", ledger.Balance{Granted: 150, Paid: 150, Spent: 143, ToRepay: 7, Repaid: 2}, Repayment, 5},
		{"costs above paid", ledger.Balance{Granted: 150, Paid: 90, Spent: 143}, FinalPayment, 53},
		{"settled", ledger.Balance{Granted: 150, Paid: 143, Spent: 143}, Settled, 0},
	} {
		got := StageOf(false, true, true, tt.b)
		if got != tt.want || got.Amount(tt.b) != tt.amount {
			t.Errorf("%s: %s %d, want %s %d", tt.name, got, got.Amount(tt.b), tt.want, tt.amount)
		}
	}
}
