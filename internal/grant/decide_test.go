package grant

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/validate"
)

// decideEnv is one decision's world: an application by Kalix in Kalix –
// Masaka asking for 250 000 kr in a call of 1 000 000 kr (at most 300 000
// kr a grant) that has granted 500 000 kr so far.
type decideEnv struct {
	a       *application.Application
	c       *call.Call
	p       *partnership.Partnership
	granted int64
	d       *decision.Decision
}

const (
	kalixID  = 11 // Swedish member of Kalix – Masaka
	masakaID = 12 // partner abroad
	arvikaID = 13 // Swedish, of another partnership
)

func newDecideEnv() *decideEnv {
	return &decideEnv{
		a: &application.Application{ID: 21, CallID: 7, PartnershipID: 3, OrganisationID: kalixID, State: application.Ready, Requested: 25_000_000},
		c: &call.Call{ID: 7, Ceiling: 100_000_000, MaxPerGrant: 30_000_000},
		p: &partnership.Partnership{ID: 3, Name: "Kalix – Masaka",
			Swedish:  []organisation.Organisation{{ID: kalixID, Name: "Kalix kommun"}},
			Partners: []organisation.Organisation{{ID: masakaID, Name: "Masaka"}}},
		granted: 50_000_000,
		d:       &decision.Decision{ApplicationID: 21, Outcome: decision.Granted, Amount: 25_000_000},
	}
}

// decideNow is 00:30 on 2 June in Stockholm (summer time, UTC+2) but still
// 1 June in UTC: the grant is awarded on the Swedish date.
var decideNow = time.Date(2021, 6, 1, 22, 30, 0, 0, time.UTC)

func TestDecideNotReady(t *testing.T) {
	for _, s := range application.States {
		e := newDecideEnv()
		e.a.State = s
		g, err := Decide(e.a, e.c, e.p, e.granted, e.d, decideNow)
		if s == application.Ready || s == application.InReview {
			if err != nil || g == nil {
				t.Errorf("%s: %v, %v; want a grant", s, g, err)
			}
			continue
		}
		if !errors.Is(err, ErrNotReady) || g != nil {
			t.Errorf("%s: %v, %v; want ErrNotReady", s, g, err)
			continue
		}
		var errs validate.Errors
		if !errors.As(err, &errs) {
			t.Errorf("%s: %v does not read as field errors", s, err)
			continue
		}
		if want := (validate.Errors{"outcome": "error.decision.not_ready"}); !maps.Equal(errs, want) {
			t.Errorf("%s: %v, want %v", s, errs, want)
		}
	}
	// Not ready comes first: a decision that is wrong as well is still
	// refused as not ready.
	e := newDecideEnv()
	e.a.State = application.Submitted
	e.d = &decision.Decision{Outcome: decision.Rejected, Amount: 1}
	if _, err := Decide(e.a, e.c, e.p, e.granted, e.d, decideNow); !errors.Is(err, ErrNotReady) {
		t.Errorf("a wrong decision on a submitted application: %v, want ErrNotReady", err)
	}
}

func TestDecideRefused(t *testing.T) {
	tests := []struct {
		name string
		edit func(e *decideEnv)
		want validate.Errors
	}{
		// decision.Check
		{"granted less than requested", func(e *decideEnv) { e.d.Amount = 24_999_999 }, validate.Errors{"amount": "error.decision.granted_is_requested"}},
		{"granted more than requested", func(e *decideEnv) { e.d.Amount = 25_000_001 }, validate.Errors{"amount": "error.decision.granted_is_requested"}},
		{"partly granted all", func(e *decideEnv) {
			e.d = &decision.Decision{Outcome: decision.PartlyGranted, Amount: 25_000_000, Reason: "Budgeten är hög."}
		}, validate.Errors{"amount": "error.decision.partly_below_requested"}},
		{"partly granted more", func(e *decideEnv) {
			e.d = &decision.Decision{Outcome: decision.PartlyGranted, Amount: 26_000_000, Reason: "Budgeten är hög."}
		}, validate.Errors{"amount": "error.decision.partly_below_requested"}},
		{"partly granted without reason", func(e *decideEnv) {
			e.d = &decision.Decision{Outcome: decision.PartlyGranted, Amount: 20_000_000, Reason: "  "}
		}, validate.Errors{"reason": "error.required"}},
		{"partly granted nothing", func(e *decideEnv) {
			e.d = &decision.Decision{Outcome: decision.PartlyGranted, Reason: "Nej."}
		}, validate.Errors{"amount": "error.money.not_positive"}},
		{"rejected with money", func(e *decideEnv) {
			e.d = &decision.Decision{Outcome: decision.Rejected, Amount: 1, Reason: "Utanför syftet."}
		}, validate.Errors{"amount": "error.decision.rejected_no_money"}},
		{"rejected without reason", func(e *decideEnv) {
			e.d = &decision.Decision{Outcome: decision.Rejected}
		}, validate.Errors{"reason": "error.required"}},
		{"no outcome", func(e *decideEnv) { e.d = &decision.Decision{} }, validate.Errors{"outcome": "error.required"}},
		{"granted over the maximum", func(e *decideEnv) {
			e.a.Requested, e.d.Amount = 30_000_001, 30_000_001
		}, validate.Errors{"amount": "error.grant.over_max"}},
		{"partly granted over the maximum", func(e *decideEnv) {
			e.a.Requested = 40_000_000
			e.d = &decision.Decision{Outcome: decision.PartlyGranted, Amount: 30_000_001, Reason: "Delvis."}
		}, validate.Errors{"amount": "error.grant.over_max"}},
		{"partly granted over the maximum, without reason", func(e *decideEnv) {
			e.a.Requested = 40_000_000
			e.d = &decision.Decision{Outcome: decision.PartlyGranted, Amount: 30_000_001}
		}, validate.Errors{"amount": "error.grant.over_max", "reason": "error.required"}},
		// Grant.Check
		{"over the ceiling by one öre", func(e *decideEnv) { e.granted = 75_000_001 }, validate.Errors{"amount": "error.grant.over_ceiling"}},
		{"ceiling already reached", func(e *decideEnv) { e.granted = 100_000_000 }, validate.Errors{"amount": "error.grant.over_ceiling"}},
		{"cancelled call", func(e *decideEnv) { e.c.Cancelled = true }, validate.Errors{"call": "error.grant.call_cancelled"}},
		{"partner abroad", func(e *decideEnv) { e.a.OrganisationID = masakaID }, validate.Errors{"organisation": "error.grant.not_member"}},
		{"not a member", func(e *decideEnv) { e.a.OrganisationID = arvikaID }, validate.Errors{"organisation": "error.grant.not_member"}},
		{"nothing requested", func(e *decideEnv) { e.a.Requested, e.d.Amount = 0, 0 }, validate.Errors{"amount": "error.money.not_positive"}},
		{"every grant rule at once", func(e *decideEnv) {
			e.granted, e.c.Cancelled, e.a.OrganisationID = 90_000_000, true, masakaID
		}, validate.Errors{"amount": "error.grant.over_ceiling", "call": "error.grant.call_cancelled", "organisation": "error.grant.not_member"}},
	}
	for _, tt := range tests {
		e := newDecideEnv()
		tt.edit(e)
		g, err := Decide(e.a, e.c, e.p, e.granted, e.d, decideNow)
		var got validate.Errors
		if !errors.As(err, &got) {
			t.Errorf("%s: %v, %v; want field errors %v", tt.name, g, err, tt.want)
			continue
		}
		if !maps.Equal(got, tt.want) || g != nil {
			t.Errorf("%s: %v, %v; want %v", tt.name, g, got, tt.want)
		}
		if errors.Is(err, ErrNotReady) {
			t.Errorf("%s: refused as not ready", tt.name)
		}
	}
}

func TestDecideRejection(t *testing.T) {
	tests := []struct {
		name string
		edit func(e *decideEnv)
	}{
		{"plain", func(e *decideEnv) {}},
		// A rejection grants nothing, so the grant rules do not apply.
		{"ceiling reached", func(e *decideEnv) { e.granted = e.c.Ceiling }},
		{"cancelled call", func(e *decideEnv) { e.c.Cancelled = true }},
		{"in review", func(e *decideEnv) { e.a.State = application.InReview }},
	}
	for _, tt := range tests {
		e := newDecideEnv()
		e.d = &decision.Decision{Outcome: decision.Rejected, Reason: "Ligger utanför utlysningens syfte."}
		tt.edit(e)
		g, err := Decide(e.a, e.c, e.p, e.granted, e.d, decideNow)
		if g != nil || err != nil {
			t.Errorf("%s: %+v, %v; want nil, nil", tt.name, g, err)
		}
	}
}

func TestDecideGrant(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(e *decideEnv)
		wantAmount int64
	}{
		{"granted as requested", func(e *decideEnv) {}, 25_000_000},
		{"granted, amount left blank", func(e *decideEnv) { e.d.Amount = 0 }, 25_000_000},
		{"partly granted", func(e *decideEnv) {
			e.d = &decision.Decision{Outcome: decision.PartlyGranted, Amount: 18_750_050, Reason: "Konsultkostnaden är för hög."}
		}, 18_750_050},
		{"exactly at the ceiling", func(e *decideEnv) { e.granted = 75_000_000 }, 25_000_000},
		{"exactly the maximum, the last of the ceiling", func(e *decideEnv) {
			e.a.Requested, e.d.Amount, e.granted = 30_000_000, 30_000_000, 70_000_000
		}, 30_000_000},
		{"decided in review", func(e *decideEnv) { e.a.State = application.InReview }, 25_000_000},
	}
	for _, tt := range tests {
		e := newDecideEnv()
		tt.edit(e)
		got, err := Decide(e.a, e.c, e.p, e.granted, e.d, decideNow)
		if err != nil || got == nil {
			t.Errorf("%s: %v, %v; want a grant", tt.name, got, err)
			continue
		}
		want := Grant{CallID: 7, PartnershipID: 3, OrganisationID: kalixID, ApplicationID: 21, Amount: tt.wantAmount,
			AwardedOn: clock.Date(2021, time.June, 2), Version: 1, CreatedAt: decideNow, UpdatedAt: decideNow}
		if !got.AwardedOn.Equal(want.AwardedOn) || got.AwardedOn.Location() != time.UTC {
			t.Errorf("%s: awarded on %v, want 2021-06-02 (the date in Stockholm) as midnight UTC", tt.name, got.AwardedOn)
		}
		if !got.CreatedAt.Equal(decideNow) || !got.UpdatedAt.Equal(decideNow) {
			t.Errorf("%s: created %v, updated %v; want %v", tt.name, got.CreatedAt, got.UpdatedAt, decideNow)
		}
		g := *got
		g.AwardedOn, g.CreatedAt, g.UpdatedAt = want.AwardedOn, want.CreatedAt, want.UpdatedAt
		if g != want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, *got, want)
		}
	}
}

// TestDecideAwardedOnStockholmDate checks the award date around midnight
// in Stockholm, in summer and in winter time.
func TestDecideAwardedOnStockholmDate(t *testing.T) {
	tests := []struct {
		now  time.Time
		want time.Time
	}{
		{time.Date(2021, 6, 1, 21, 59, 59, 0, time.UTC), clock.Date(2021, 6, 1)}, // 23:59:59 CEST
		{time.Date(2021, 6, 1, 22, 0, 0, 0, time.UTC), clock.Date(2021, 6, 2)},   // 00:00 CEST
		{time.Date(2021, 12, 31, 22, 59, 0, 0, time.UTC), clock.Date(2021, 12, 31)},
		{time.Date(2021, 12, 31, 23, 0, 0, 0, time.UTC), clock.Date(2022, 1, 1)}, // new year in Sweden first
	}
	for _, tt := range tests {
		e := newDecideEnv()
		g, err := Decide(e.a, e.c, e.p, e.granted, e.d, tt.now)
		if err != nil {
			t.Fatalf("%v: %v", tt.now, err)
		}
		if got := g.AwardedOn; !got.Equal(tt.want) {
			t.Errorf("decided at %v: awarded on %s, want %s", tt.now, got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
		}
	}
}
