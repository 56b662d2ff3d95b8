package call

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/ledger"
)

func TestStatusFollowsTimes(t *testing.T) {
	opens, _ := clock.ParseLocal("2022-02-15 00:00")
	closes, _ := clock.ParseLocal("2022-03-15 00:00")
	c := &Call{OpensAt: opens, ClosesAt: closes}
	tests := []struct {
		at   time.Time
		want Status
	}{
		{opens.Add(-time.Nanosecond), Upcoming},
		{opens, Open}, // open from the opening instant
		{closes.Add(-time.Nanosecond), Open},
		{closes, Closed}, // closed from the closing instant
	}
	for _, tt := range tests {
		if got := c.Status(tt.at); got != tt.want {
			t.Errorf("at %v: %s, want %s", tt.at, got, tt.want)
		}
	}
	c.Cancelled = true
	if c.Status(opens) != Cancelled {
		t.Error("a cancelled call is not cancelled")
	}
	// 00:00 in Stockholm in winter is 23:00 UTC the day before.
	if opens.Format(time.RFC3339) != "2022-02-14T23:00:00Z" {
		t.Errorf("opens %v", opens)
	}
}

func TestValidate(t *testing.T) {
	base := func() *Call {
		return &Call{ProgrammeID: 1, TitleSV: "Utlysning", OpensAt: time.Unix(0, 0), ClosesAt: time.Unix(3600, 0), Ceiling: 100, MaxPerGrant: 100}
	}
	if errs := base().Validate(); len(errs) != 0 {
		t.Fatalf("valid call: %v", errs)
	}
	tests := []struct {
		name  string
		edit  func(c *Call)
		field string
		key   string
	}{
		{"closes before opens", func(c *Call) { c.ClosesAt = c.OpensAt.Add(-time.Second) }, "closes_at", "error.call.closes_before_opens"},
		{"closes when opens", func(c *Call) { c.ClosesAt = c.OpensAt }, "closes_at", "error.call.closes_before_opens"},
		{"zero ceiling", func(c *Call) { c.Ceiling = 0 }, "ceiling", "error.money.not_positive"},
		{"negative ceiling", func(c *Call) { c.Ceiling = -1 }, "ceiling", "error.money.not_positive"},
		{"max above ceiling", func(c *Call) { c.MaxPerGrant = 101 }, "max_per_grant", "error.call.max_above_ceiling"},
		{"no title", func(c *Call) { c.TitleSV = "" }, "title_sv", "error.required"},
	}
	for _, tt := range tests {
		c := base()
		tt.edit(c)
		if got := c.Validate()[tt.field]; got != tt.key {
			t.Errorf("%s: %s=%q, want %q", tt.name, tt.field, got, tt.key)
		}
	}
}

func TestCheckConfigChange(t *testing.T) {
	old := DefaultConfig()
	if err := CheckConfigChange(old, DefaultConfig()); err != nil {
		t.Fatalf("no change: %v", err)
	}
	added := DefaultConfig()
	added.Lists.Channels = append(added.Lists.Channels, form.Option{Value: "podcast", Label: form.Text{SV: "Podd"}})
	added.Form.Sections[0].Fields[0].Label.SV = "Nytt namn på frågan"
	if err := CheckConfigChange(old, added); err != nil {
		t.Errorf("adding an option and rewording: %v", err)
	}
	removed := DefaultConfig()
	removed.Lists.BudgetCategories = removed.Lists.BudgetCategories[1:]
	if err := CheckConfigChange(old, removed); err == nil || !strings.Contains(err.Error(), "cost category communicator") {
		t.Errorf("removing a cost category: %v", err)
	}
	noField := DefaultConfig()
	noField.Form.Sections[0].Fields = noField.Form.Sections[0].Fields[1:]
	if err := CheckConfigChange(old, noField); err == nil || !strings.Contains(err.Error(), `field "title" cannot be removed`) {
		t.Errorf("removing a question: %v", err)
	}
	noCriterion := DefaultConfig()
	noCriterion.Assessment.Criteria = noCriterion.Assessment.Criteria[:1]
	if err := CheckConfigChange(old, noCriterion); err == nil || !strings.Contains(err.Error(), "criterion feasibility") {
		t.Errorf("removing a criterion: %v", err)
	}
	reweighted := DefaultConfig()
	reweighted.Assessment.Criteria[0].Weight = 70
	if err := CheckConfigChange(old, reweighted); err != nil {
		t.Errorf("reweighting: %v", err)
	}
	rescaled := DefaultConfig()
	rescaled.Assessment.Scale.Max = 10
	if CheckConfigChange(old, rescaled) == nil {
		t.Error("a new scale was accepted")
	}
}

func TestCheckTermsChange(t *testing.T) {
	base := Config{PaymentPlan: ledger.Plan{{Percent: 100, When: ledger.OnAcceptance}}}
	tol := 0.2
	days := 30
	for _, c := range []struct {
		name   string
		change func(*Config)
		want   error
	}{
		{"nothing", func(*Config) {}, nil},
		{"reminders", func(c *Config) { c.Reports.RemindDaysBefore = &days }, nil},
		{"the default plan spelled out", func(c *Config) { c.PaymentPlan = nil }, nil},
		{"plan", func(c *Config) {
			c.PaymentPlan = ledger.Plan{{Percent: 60, When: ledger.OnAcceptance}, {Percent: 40, When: ledger.OnFinalReportApproved}}
		}, ErrTermsChange},
		{"interim report", func(c *Config) { c.Reports.Interim = true }, ErrTermsChange},
		{"final due", func(c *Config) { c.Reports.FinalDue = "2031-01-31" }, ErrTermsChange},
		{"tolerance", func(c *Config) { c.Reports.DeviationTolerance = &tol }, ErrTermsChange},
	} {
		n := base
		n.PaymentPlan = slices.Clone(base.PaymentPlan)
		c.change(&n)
		if got := CheckTermsChange(base, n); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
