// Package storetest is the conformance suite every store.Store must pass,
// as testing/fstest.TestFS is for file systems. It holds the invariants the
// application relies on: not-found errors, å/ä/ö round-trips, öre sums,
// audit entries written with each change, and concurrent grants that never
// go over a call's ceiling.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Factory opens a new, empty store that uses clk. It registers its own
// cleanup with t.
type Factory func(t *testing.T, clk clock.Clock) store.Store

// Start is the instant the suite's clock shows.
var Start = time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)

// Officer is the actor the suite makes its changes as.
var Officer = audit.Actor{Name: "test:officer"}

var officer = Officer

// Run runs the whole suite, each test on its own new store.
func Run(t *testing.T, open Factory) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store, clk *clock.Fixed)
	}{
		{"NotFound", testNotFound},
		{"ReferenceOrganisations", testReferenceOrganisations},
		{"OrganisationCRUD", testOrganisationCRUD},
		{"Partnerships", testPartnerships},
		{"Search", testSearch},
		{"ProgrammesAndCalls", testProgrammesAndCalls},
		{"Grants", testGrants},
		{"ConcurrentGrantsStayUnderCeiling", testConcurrentGrants},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"SessionTimeouts", testSessionTimeouts},
		{"SecondFactor", testSecondFactor},
		{"UserAccess", testUserAccess},
		{"AdministratorsRace", testAdministratorsRace},
		{"PasswordReset", testPasswordReset},
		{"ConcurrentReset", testConcurrentReset},
		{"AccountChanges", testAccountChanges},
		{"AuditLog", testAuditLog},
		{"AuditChain", testAuditChain},
		{"AuditExport", testAuditExport},
		{"RegistryExport", testRegistryExport},
		{"ProgrammeScope", testProgrammeScope},
		{"Settings", testSettings},
		{"ApplicationNotFound", testApplicationNotFound},
		{"CallConfig", testCallConfig},
		{"ApplicationEligibility", testApplicationEligibility},
		{"ApplicationDrafts", testApplicationDrafts},
		{"ApplicationSubmit", testApplicationSubmit},
		{"DoubleSubmit", testDoubleSubmit},
		{"Registry", testRegistry},
		{"ConcurrentSubmissionsNumberedWithoutGaps", testConcurrentSubmissions},
		{"CaseNumbers", testCaseNumbers},
		{"ConcurrentCaseDocuments", testConcurrentCaseDocuments},
		{"Transitions", testTransitions},
		{"Reviews", testReviews},
		{"Decisions", testDecisions},
		{"ConcurrentDecisionsStayUnderCeiling", testConcurrentDecisions},
		{"Invites", testInvites},
		{"StaffInvites", testStaffInvites},
		{"Members", testMembers},
		{"CallReviewers", testCallReviewers},
		{"ErasePerson", testErasePerson},
		{"Retention", testRetention},
		{"ConcurrentRetention", testConcurrentRetention},
		{"Outbox", testOutbox},
		{"OutboxConcurrentClaims", testOutboxConcurrentClaims},
		{"Attachments", testAttachments},
		{"GrantAcceptance", testGrantAcceptance},
		{"RandomPayments", testRandomPayments},
		{"ConcurrentPaymentsStayUnderGrant", testConcurrentPayments},
		{"ChangeRequests", testChangeRequests},
		{"Surveys", testSurveys},
		{"Activities", testActivities},
		{"Reports", testReports},
		{"ReportLedger", testReportLedger},
		{"Overpayment", testOverpayment},
		{"Reminders", testReminders},
		{"ClosedGrant", testClosedGrant},
		{"DataVersion", testDataVersion},
		{"Materials", testMaterials},
		{"ConcurrentMaterialDownloads", testConcurrentMaterialDownloads},
		{"Stories", testStories},
		{"ConcurrentStoryChanges", testConcurrentStoryChanges},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFixed(Start)
			tt.fn(t, open(t, clk), clk)
		})
	}
}

func ctx() context.Context { return context.Background() }

// wantField fails unless err is a validation error with key on field.
func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	var errs validate.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v, want a validation error %s=%s", err, field, key)
	}
	if errs[field] != key {
		t.Fatalf("got %v, want %s=%s", errs, field, key)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testNotFound(t *testing.T, s store.Store, _ *clock.Fixed) {
	checks := map[string]error{}
	_, checks["organisation"] = s.Organisation(ctx(), 999)
	_, checks["organisation by code"] = s.OrganisationByCode(ctx(), "2514")
	_, checks["partnership"] = s.Partnership(ctx(), 999)
	_, checks["programme"] = s.Programme(ctx(), 999)
	_, checks["call"] = s.Call(ctx(), 999)
	_, checks["grant"] = s.Grant(ctx(), 999)
	_, checks["user"] = s.User(ctx(), 999)
	_, checks["user by email"] = s.UserByEmail(ctx(), "nobody@example.se")
	_, checks["session"] = s.SessionUser(ctx(), []byte("nope"), Start)
	_, checks["setting"] = s.Setting(ctx(), "nope")
	checks["update organisation"] = s.UpdateOrganisation(ctx(), officer, &organisation.Organisation{ID: 999, Kind: organisation.Partner, Country: "UG", Name: "X", Version: 1})
	for what, err := range checks {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", what, err)
		}
	}
	if err := s.Ping(ctx()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func loadReference(t *testing.T, s store.Store) {
	t.Helper()
	if _, err := s.LoadReferenceOrganisations(ctx(), audit.System("test"), organisation.Reference()); err != nil {
		t.Fatal(err)
	}
}

func testReferenceOrganisations(t *testing.T, s store.Store, _ *clock.Fixed) {
	n, err := s.LoadReferenceOrganisations(ctx(), audit.System("test"), organisation.Reference())
	must(t, err)
	if n != 310 {
		t.Fatalf("first load added %d, want 310 (290 kommuner, 21 regions, Gotland once)", n)
	}
	kalix, err := s.OrganisationByCode(ctx(), "2514")
	must(t, err)
	if kalix.Name != "Kalix kommun" || kalix.Kind != organisation.Municipality || kalix.Country != "SE" {
		t.Errorf("Kalix: %+v", kalix)
	}
	gotland, err := s.OrganisationByCode(ctx(), "09")
	must(t, err)
	gotland2, err := s.OrganisationByCode(ctx(), "0980")
	must(t, err)
	if gotland.ID != gotland2.ID || gotland.Name != "Region Gotland" {
		t.Errorf("Gotland is two organisations: %+v / %+v", gotland, gotland2)
	}
	// An officer edits a name; reloading must keep the edit and add nothing.
	kalix.Name = "Kalix kommun (Kulturskolan)"
	must(t, s.UpdateOrganisation(ctx(), officer, kalix))
	n, err = s.LoadReferenceOrganisations(ctx(), audit.System("test"), organisation.Reference())
	must(t, err)
	if n != 0 {
		t.Errorf("second load added %d, want 0", n)
	}
	again, err := s.OrganisationByCode(ctx(), "2514")
	must(t, err)
	if again.Name != "Kalix kommun (Kulturskolan)" {
		t.Errorf("reload overwrote the edit: %q", again.Name)
	}
	swedish, err := s.OrganisationList(ctx(), organisation.Filter{Swedish: true})
	must(t, err)
	if len(swedish) != 310 {
		t.Errorf("Swedish organisations: %d, want 310", len(swedish))
	}
	// Swedish order: Å, Ä, Ö last.
	last := swedish[len(swedish)-1].Name
	if !strings.HasPrefix(last, "Ö") {
		t.Errorf("last in Swedish order is %q, want a name beginning with Ö", last)
	}
	// Search ignores case in å, ä and ö too, on every engine.
	for _, q := range []string{"örebro", "ÖREBRO", "Örebro"} {
		found, err := s.OrganisationList(ctx(), organisation.Filter{Query: q})
		must(t, err)
		if len(found) != 2 { // Örebro kommun and Region Örebro län
			t.Errorf("query %q: %d found, want 2", q, len(found))
		}
	}
	regions, err := s.OrganisationList(ctx(), organisation.Filter{Kind: organisation.Region})
	must(t, err)
	if len(regions) != 20 {
		t.Errorf("regions: %d, want 20 (Region Gotland is kept as the kommun 0980)", len(regions))
	}
	count, err := s.UserDataCount(ctx())
	must(t, err)
	if count != 0 {
		t.Errorf("reference data counted as user data: %d", count)
	}
}

func testOrganisationCRUD(t *testing.T, s store.Store, _ *clock.Fixed) {
	loadReference(t, s)
	masaka := &organisation.Organisation{Kind: organisation.Partner, Country: "UG", Name: "Masaka District Local Government – Ämbetsverk åäö ÅÄÖ"}
	must(t, s.CreateOrganisation(ctx(), officer, masaka))
	if masaka.ID == 0 || masaka.Version != 1 {
		t.Fatalf("created: %+v", masaka)
	}
	got, err := s.Organisation(ctx(), masaka.ID)
	must(t, err)
	if got.Name != masaka.Name || got.Country != "UG" || got.Kind != organisation.Partner || got.Code != "" {
		t.Errorf("round-trip: got %+v", got)
	}
	if !got.CreatedAt.Equal(Start) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("created at %v, want %v in UTC", got.CreatedAt, Start)
	}
	// Duplicate and unknown codes are field errors, and nothing is saved.
	wantField(t, s.CreateOrganisation(ctx(), officer, &organisation.Organisation{Kind: organisation.Municipality, Code: "2514", Name: "Kalix igen"}), "code", "error.org.duplicate_code")
	wantField(t, s.CreateOrganisation(ctx(), officer, &organisation.Organisation{Kind: organisation.Municipality, Code: "9999", Name: "Ingenstans"}), "code", "error.org.unknown_code")
	partners, err := s.OrganisationList(ctx(), organisation.Filter{Kind: organisation.Partner})
	must(t, err)
	if len(partners) != 1 {
		t.Errorf("partners: %d, want 1", len(partners))
	}
	// Stale versions conflict.
	got.Name = "Masaka DLG"
	must(t, s.UpdateOrganisation(ctx(), officer, got))
	if got.Version != 2 {
		t.Errorf("version after update: %d", got.Version)
	}
	stale := *masaka
	stale.Name = "Stale"
	if err := s.UpdateOrganisation(ctx(), officer, &stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale update: got %v, want ErrConflict", err)
	}
	byCountry, err := s.OrganisationList(ctx(), organisation.Filter{Country: "UG", Query: "masaka"})
	must(t, err)
	if len(byCountry) != 1 || byCountry[0].Name != "Masaka DLG" {
		t.Errorf("filter: %+v", byCountry)
	}
}

// fixture holds a programme with one call and two partnerships.
type fixture struct {
	prog          *programme.Programme
	call          *call.Call
	kalix, arvika *organisation.Organisation
	masaka        *organisation.Organisation
	uasin         *organisation.Organisation
	kalixMasaka   *partnership.Partnership
	arvikaUasin   *partnership.Partnership
}

func newFixture(t *testing.T, s store.Store) *fixture {
	t.Helper()
	loadReference(t, s)
	f := &fixture{}
	var err error
	f.kalix, err = s.OrganisationByCode(ctx(), "2514")
	must(t, err)
	f.arvika, err = s.OrganisationByCode(ctx(), "1784")
	must(t, err)
	f.masaka = &organisation.Organisation{Kind: organisation.Partner, Country: "UG", Name: "Masaka District Local Government"}
	must(t, s.CreateOrganisation(ctx(), officer, f.masaka))
	f.uasin = &organisation.Organisation{Kind: organisation.Partner, Country: "KE", Name: "Uasin Gishu County"}
	must(t, s.CreateOrganisation(ctx(), officer, f.uasin))
	f.kalixMasaka = &partnership.Partnership{
		Name: "Kalix – Masaka", ThemeSV: "Avfallshantering, plast och miljö", ThemeEN: "Waste, plastics and the environment",
		Start: clock.Date(2020, 1, 1), End: clock.Date(2022, 12, 31), Status: partnership.Active,
		Swedish: []organisation.Organisation{{ID: f.kalix.ID}}, Partners: []organisation.Organisation{{ID: f.masaka.ID}},
		Targets: []string{"12.5", "4.7"},
	}
	must(t, s.CreatePartnership(ctx(), officer, f.kalixMasaka))
	f.arvikaUasin = &partnership.Partnership{
		Name: "Arvika – Uasin Gishu", ThemeSV: "Dricksvatten", Start: clock.Date(2019, 7, 1), Status: partnership.Active,
		Swedish: []organisation.Organisation{{ID: f.arvika.ID}}, Partners: []organisation.Organisation{{ID: f.uasin.ID}},
		Goals: []int{6},
	}
	must(t, s.CreatePartnership(ctx(), officer, f.arvikaUasin))
	f.prog = &programme.Programme{NameSV: "Informations- och kommunikationsstöd", Funder: "Sida", Operator: "ICLD", TotalBudget: 500_000_000}
	must(t, s.CreateProgramme(ctx(), officer, f.prog))
	f.call = &call.Call{ProgrammeID: f.prog.ID, TitleSV: "Utlysning 2021", OpensAt: Start, ClosesAt: Start.Add(30 * 24 * time.Hour),
		Ceiling: 180_000_000, MaxPerGrant: 30_000_000}
	must(t, s.CreateCall(ctx(), officer, f.call))
	return f
}

func testPartnerships(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	got, err := s.Partnership(ctx(), f.kalixMasaka.ID)
	must(t, err)
	if got.Name != "Kalix – Masaka" || got.ThemeSV != "Avfallshantering, plast och miljö" {
		t.Errorf("round-trip: %+v", got)
	}
	if len(got.Swedish) != 1 || got.Swedish[0].Name != "Kalix kommun" || len(got.Partners) != 1 || got.Partners[0].Country != "UG" {
		t.Errorf("members: %+v / %+v", got.Swedish, got.Partners)
	}
	if strings.Join(got.Targets, ",") != "4.7,12.5" || len(got.Goals) != 2 || got.Goals[0] != 4 || got.Goals[1] != 12 {
		t.Errorf("goals %v targets %v, want goals from targets [4 12] and targets [4.7 12.5]", got.Goals, got.Targets)
	}
	if !got.Start.Equal(clock.Date(2020, 1, 1)) || !got.End.Equal(clock.Date(2022, 12, 31)) {
		t.Errorf("period %v–%v", got.Start, got.End)
	}
	if !got.IsActive(clock.Date(2021, 6, 1)) || got.IsActive(clock.Date(2023, 1, 1)) {
		t.Error("IsActive wrong")
	}
	// Without a Swedish member nothing is saved.
	bad := &partnership.Partnership{Name: "Bara utland", ThemeSV: "x", Start: clock.Date(2021, 1, 1), Status: partnership.Active,
		Partners: []organisation.Organisation{{ID: f.masaka.ID}}}
	wantField(t, s.CreatePartnership(ctx(), officer, bad), "swedish", "error.partnership.no_swedish")
	// A partner abroad named as the Swedish member is refused.
	bad = &partnership.Partnership{Name: "Fel", ThemeSV: "x", Start: clock.Date(2021, 1, 1), Status: partnership.Active,
		Swedish: []organisation.Organisation{{ID: f.masaka.ID}}, Partners: []organisation.Organisation{{ID: f.uasin.ID}}}
	wantField(t, s.CreatePartnership(ctx(), officer, bad), "swedish", "error.partnership.not_swedish")
	all, err := s.PartnershipList(ctx(), partnership.Filter{})
	must(t, err)
	if len(all) != 2 || all[0].Name != "Arvika – Uasin Gishu" {
		t.Fatalf("list: %d, first %q", len(all), all[0].Name)
	}
	for _, tt := range []struct {
		f    partnership.Filter
		want int
	}{
		{partnership.Filter{Country: "UG"}, 1},
		{partnership.Filter{Goal: 6}, 1},
		{partnership.Filter{Goal: 12}, 1},
		{partnership.Filter{Goal: 1}, 0},
		{partnership.Filter{OrganisationID: f.arvika.ID}, 1},
		{partnership.Filter{Year: 2019}, 1},
		{partnership.Filter{Year: 2021}, 2},
		{partnership.Filter{Query: "plast"}, 1},
	} {
		list, err := s.PartnershipList(ctx(), tt.f)
		must(t, err)
		if len(list) != tt.want {
			t.Errorf("filter %+v: %d, want %d", tt.f, len(list), tt.want)
		}
	}
	// Update replaces members and goals.
	got.Partners = append(got.Partners, *f.uasin)
	got.Targets = []string{"13.3"}
	got.Goals = nil
	must(t, s.UpdatePartnership(ctx(), officer, got))
	again, err := s.Partnership(ctx(), got.ID)
	must(t, err)
	if len(again.Partners) != 2 || strings.Join(again.Targets, ",") != "13.3" || len(again.Goals) != 1 || again.Goals[0] != 13 || again.Version != 2 {
		t.Errorf("after update: partners %d targets %v goals %v version %d", len(again.Partners), again.Targets, again.Goals, again.Version)
	}
	got.Version = 1
	if err := s.UpdatePartnership(ctx(), officer, got); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale update: %v", err)
	}
}

func testProgrammesAndCalls(t *testing.T, s store.Store, clk *clock.Fixed) {
	f := newFixture(t, s)
	p, err := s.Programme(ctx(), f.prog.ID)
	must(t, err)
	if p.TotalBudget != 500_000_000 || p.Currency != "SEK" || p.Funder != "Sida" {
		t.Errorf("programme: %+v", p)
	}
	c, err := s.Call(ctx(), f.call.ID)
	must(t, err)
	if !c.OpensAt.Equal(Start) || c.Ceiling != 180_000_000 || c.MaxPerGrant != 30_000_000 {
		t.Errorf("call: %+v", c)
	}
	if c.Status(clk.Now()) != call.Open || c.Status(Start.Add(-time.Nanosecond)) != call.Upcoming || c.Status(c.ClosesAt) != call.Closed {
		t.Error("call status does not follow its times")
	}
	wantField(t, s.CreateCall(ctx(), officer, &call.Call{ProgrammeID: p.ID, TitleSV: "x", OpensAt: Start, ClosesAt: Start.Add(-time.Hour), Ceiling: 1, MaxPerGrant: 1}),
		"closes_at", "error.call.closes_before_opens")
	wantField(t, s.CreateCall(ctx(), officer, &call.Call{ProgrammeID: p.ID, TitleSV: "x", OpensAt: Start, ClosesAt: Start.Add(time.Hour), Ceiling: 0, MaxPerGrant: 1}),
		"ceiling", "error.money.not_positive")
	wantField(t, s.CreateCall(ctx(), officer, &call.Call{ProgrammeID: p.ID, TitleSV: "x", OpensAt: Start, ClosesAt: Start.Add(time.Hour), Ceiling: 100, MaxPerGrant: 101}),
		"max_per_grant", "error.call.max_above_ceiling")
	// 1.8 MSEK is taken; a second call of 3.3 MSEK would pass the 5 MSEK budget.
	wantField(t, s.CreateCall(ctx(), officer, &call.Call{ProgrammeID: p.ID, TitleSV: "x", OpensAt: Start, ClosesAt: Start.Add(time.Hour), Ceiling: 330_000_000, MaxPerGrant: 1}),
		"ceiling", "error.call.over_programme_budget")
	second := &call.Call{ProgrammeID: p.ID, TitleSV: "Höstens utlysning", OpensAt: Start.Add(24 * time.Hour), ClosesAt: Start.Add(48 * time.Hour), Ceiling: 320_000_000, MaxPerGrant: 30_000_000}
	must(t, s.CreateCall(ctx(), officer, second))
	calls, err := s.CallList(ctx(), p.ID)
	must(t, err)
	if len(calls) != 2 || calls[0].ID != second.ID {
		t.Errorf("calls newest first: %+v", calls)
	}
	// The budget can't drop below the calls' ceilings.
	p.TotalBudget = 400_000_000
	wantField(t, s.UpdateProgramme(ctx(), officer, p), "total_budget", "error.programme.below_calls")
	// Cancelling frees the call's share.
	second.Cancelled = true
	must(t, s.UpdateCall(ctx(), officer, second))
	p, err = s.Programme(ctx(), p.ID)
	must(t, err)
	p.TotalBudget = 400_000_000
	must(t, s.UpdateProgramme(ctx(), officer, p))
	cc, err := s.Call(ctx(), second.ID)
	must(t, err)
	if cc.Status(clk.Now()) != call.Cancelled || cc.Version != 2 {
		t.Errorf("cancelled call: %+v", cc)
	}
	if err := s.CreateCall(ctx(), officer, &call.Call{ProgrammeID: 999, TitleSV: "x", OpensAt: Start, ClosesAt: Start.Add(time.Hour), Ceiling: 1, MaxPerGrant: 1}); err == nil {
		t.Error("call in a missing programme was saved")
	}
}

func testGrants(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	g := &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: 29_999_999, AwardedOn: clock.Date(2021, 6, 1)}
	must(t, s.CreateGrant(ctx(), officer, g))
	got, err := s.Grant(ctx(), g.ID)
	must(t, err)
	if got.Amount != 29_999_999 || !got.AwardedOn.Equal(clock.Date(2021, 6, 1)) {
		t.Errorf("grant: %+v", got)
	}
	wantField(t, s.CreateGrant(ctx(), officer, &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: 30_000_001, AwardedOn: Start}),
		"amount", "error.grant.over_max")
	wantField(t, s.CreateGrant(ctx(), officer, &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: -1, AwardedOn: Start}),
		"amount", "error.money.not_positive")
	wantField(t, s.CreateGrant(ctx(), officer, &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.arvika.ID, Amount: 100, AwardedOn: Start}),
		"organisation", "error.grant.not_member")
	wantField(t, s.CreateGrant(ctx(), officer, &grant.Grant{CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.masaka.ID, Amount: 100, AwardedOn: Start}),
		"organisation", "error.grant.not_member")
	// Fill the call to the öre: 5 more grants of 30 000 000 öre would be
	// 179 999 999 + 1 over; the sum must be exact.
	for i := 0; i < 5; i++ {
		must(t, s.CreateGrant(ctx(), officer, &grant.Grant{CallID: f.call.ID, PartnershipID: f.arvikaUasin.ID, OrganisationID: f.arvika.ID, Amount: 30_000_000, AwardedOn: Start}))
	}
	sum, err := s.GrantedInCall(ctx(), f.call.ID)
	must(t, err)
	if sum != 179_999_999 {
		t.Fatalf("sum %d, want 179 999 999", sum)
	}
	wantField(t, s.CreateGrant(ctx(), officer, &grant.Grant{CallID: f.call.ID, PartnershipID: f.arvikaUasin.ID, OrganisationID: f.arvika.ID, Amount: 2, AwardedOn: Start}),
		"amount", "error.grant.over_ceiling")
	must(t, s.CreateGrant(ctx(), officer, &grant.Grant{CallID: f.call.ID, PartnershipID: f.arvikaUasin.ID, OrganisationID: f.arvika.ID, Amount: 1, AwardedOn: Start}))
	list, err := s.GrantList(ctx(), grant.Filter{ProgrammeID: f.prog.ID})
	must(t, err)
	var total int64
	for _, g := range list {
		total += g.Amount
	}
	if len(list) != 7 || total != 180_000_000 {
		t.Errorf("grants %d summing %d, want 7 summing 180 000 000", len(list), total)
	}
	byPartnership, err := s.GrantList(ctx(), grant.Filter{PartnershipID: f.kalixMasaka.ID})
	must(t, err)
	if len(byPartnership) != 1 {
		t.Errorf("grants of Kalix–Masaka: %d", len(byPartnership))
	}
	// The ceiling can't be lowered below what is granted.
	c, err := s.Call(ctx(), f.call.ID)
	must(t, err)
	c.Ceiling = 100_000_000
	c.MaxPerGrant = 10_000_000
	wantField(t, s.UpdateCall(ctx(), officer, c), "ceiling", "error.call.ceiling_below_granted")
}

func testConcurrentGrants(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	// Twenty officers grant 30 000 000 öre at once into a 180 000 000 call:
	// exactly six may succeed.
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = s.CreateGrant(ctx(), audit.Actor{Name: "test:officer"}, &grant.Grant{
				CallID: f.call.ID, PartnershipID: f.kalixMasaka.ID, OrganisationID: f.kalix.ID, Amount: 30_000_000, AwardedOn: Start})
		}(i)
	}
	wg.Wait()
	ok, over := 0, 0
	for _, err := range errs {
		var v validate.Errors
		switch {
		case err == nil:
			ok++
		case errors.As(err, &v) && v["amount"] == "error.grant.over_ceiling":
			over++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	sum, err := s.GrantedInCall(ctx(), f.call.ID)
	must(t, err)
	if ok != 6 || over != n-6 || sum != 180_000_000 {
		t.Errorf("%d granted, %d refused, sum %d; want 6, %d, 180 000 000", ok, over, sum, n-6)
	}
}

func testUsers(t *testing.T, s store.Store, _ *clock.Fixed) {
	f := newFixture(t, s)
	u := &user.User{Email: " Åsa.Öberg@Kalix.se ", Name: "Åsa Öberg", PasswordHash: "$argon2id$x",
		Roles: []user.Role{{Kind: user.Applicant, OrganisationID: f.kalix.ID}, {Kind: user.Reviewer}}}
	must(t, s.CreateUser(ctx(), officer, u))
	got, err := s.UserByEmail(ctx(), "ÅSA.öberg@kalix.se")
	must(t, err)
	if got.ID != u.ID || got.Name != "Åsa Öberg" || got.Email != "åsa.öberg@kalix.se" || len(got.Roles) != 2 || got.Roles[0].OrganisationID != f.kalix.ID {
		t.Errorf("user: %+v", got)
	}
	wantField(t, s.CreateUser(ctx(), officer, &user.User{Email: "ÅSA.ÖBERG@kalix.se", Name: "x"}), "email", "error.user.email_taken")
	wantField(t, s.CreateUser(ctx(), officer, &user.User{Email: "p@masaka.ug", Name: "x", Roles: []user.Role{{Kind: user.Applicant, OrganisationID: f.masaka.ID}}}),
		"roles", "error.user.role_wrong_organisation")
	wantField(t, s.CreateUser(ctx(), officer, &user.User{Email: "p@masaka.ug", Name: "x", Roles: []user.Role{{Kind: user.PartnerRole, OrganisationID: f.kalix.ID}}}),
		"roles", "error.user.role_wrong_organisation")
	wantField(t, s.CreateUser(ctx(), officer, &user.User{Email: "o@icld.se", Name: "x", Roles: []user.Role{{Kind: user.Officer, ProgrammeID: 999}}}),
		"roles", "error.user.unknown_programme")
	partner := &user.User{Email: "p@masaka.ug", Name: "Nakato", Lang: "en", Roles: []user.Role{{Kind: user.PartnerRole, OrganisationID: f.masaka.ID}}}
	must(t, s.CreateUser(ctx(), officer, partner))
	off := &user.User{Email: "o@icld.se", Name: "Olle", Roles: []user.Role{{Kind: user.Officer, ProgrammeID: f.prog.ID}}}
	must(t, s.CreateUser(ctx(), officer, off))
	got, err = s.User(ctx(), off.ID)
	must(t, err)
	if len(got.Roles) != 1 || got.Roles[0].ProgrammeID != f.prog.ID || got.Lang != "sv" {
		t.Errorf("officer: %+v", got)
	}
	got.Roles = append(got.Roles, user.Role{Kind: user.Administrator})
	got.Disabled = true
	must(t, s.UpdateUser(ctx(), officer, got))
	again, err := s.User(ctx(), off.ID)
	must(t, err)
	if len(again.Roles) != 2 || !again.Disabled || again.Version != 2 {
		t.Errorf("after update: %+v", again)
	}
	list, err := s.UserList(ctx())
	must(t, err)
	if len(list) != 3 || list[0].Name != "Nakato" || list[2].Name != "Åsa Öberg" {
		t.Errorf("users in Swedish order: %v", names(list))
	}
	// The audit log never holds a password hash.
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "user", EntityID: u.ID})
	must(t, err)
	if len(entries) != 1 || strings.Contains(string(entries[0].After), "argon2id") {
		t.Errorf("user audit: %+v", entries)
	}
}

func names(us []*user.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Name)
	}
	return out
}

func testSessions(t *testing.T, s store.Store, clk *clock.Fixed) {
	u := &user.User{Email: "a@b.se", Name: "A"}
	must(t, s.CreateUser(ctx(), officer, u))
	now := clk.Now()
	must(t, s.CreateSession(ctx(), user.Session{TokenHash: []byte("hash-1"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	must(t, s.CreateSession(ctx(), user.Session{TokenHash: []byte("hash-2"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(2 * time.Hour)}))
	got, err := s.SessionUser(ctx(), []byte("hash-1"), now)
	must(t, err)
	if got.ID != u.ID {
		t.Errorf("session user %d, want %d", got.ID, u.ID)
	}
	if _, err := s.SessionUser(ctx(), []byte("hash-1"), now.Add(time.Hour)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired session: %v", err)
	}
	n, err := s.DeleteExpiredSessions(ctx(), now.Add(time.Hour))
	must(t, err)
	if n != 1 {
		t.Errorf("expired deleted: %d, want 1", n)
	}
	must(t, s.DeleteSession(ctx(), []byte("hash-2")))
	if _, err := s.SessionUser(ctx(), []byte("hash-2"), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted session: %v", err)
	}
}

func testAuditLog(t *testing.T, s store.Store, clk *clock.Fixed) {
	loadReference(t, s)
	by := audit.Actor{Name: "Olle Handläggare"}
	o := &organisation.Organisation{Kind: organisation.Partner, Country: "BW", Name: "Francistown City Council"}
	must(t, s.CreateOrganisation(ctx(), by, o))
	clk.Set(Start.Add(time.Hour))
	o.Name = "Francistown City Council (FCC)"
	must(t, s.UpdateOrganisation(ctx(), by, o))
	// A refused change writes no entry.
	bad := *o
	bad.Country = "QQ"
	if err := s.UpdateOrganisation(ctx(), by, &bad); err == nil {
		t.Fatal("invalid update saved")
	}
	entries, err := s.AuditLog(ctx(), audit.Filter{Entity: "organisation", EntityID: o.ID})
	must(t, err)
	if len(entries) != 2 {
		t.Fatalf("entries: %d, want 2", len(entries))
	}
	upd, cre := entries[0], entries[1]
	if upd.Action != "update" || cre.Action != "create" || upd.Actor.Name != "Olle Handläggare" || !upd.At.Equal(Start.Add(time.Hour)) {
		t.Errorf("entries: %+v", entries)
	}
	var before, after organisation.Organisation
	must(t, json.Unmarshal(upd.Before, &before))
	must(t, json.Unmarshal(upd.After, &after))
	if before.Name != "Francistown City Council" || after.Name != "Francistown City Council (FCC)" {
		t.Errorf("before %q after %q", before.Name, after.Name)
	}
	if string(cre.Before) != "null" {
		t.Errorf("create before = %s, want null", cre.Before)
	}
	must(t, s.RecordEvent(ctx(), audit.Actor{UserID: 0, Name: "x"}, "login", "user", 7))
	ev, err := s.AuditLog(ctx(), audit.Filter{Entity: "user", EntityID: 7})
	must(t, err)
	if len(ev) != 1 || ev[0].Action != "login" {
		t.Errorf("event: %+v", ev)
	}
}

func testSettings(t *testing.T, s store.Store, _ *clock.Fixed) {
	must(t, s.SetSetting(ctx(), officer, "demo", "loaded"))
	must(t, s.SetSetting(ctx(), officer, "demo", "loaded-2"))
	v, err := s.Setting(ctx(), "demo")
	must(t, err)
	if v != "loaded-2" {
		t.Errorf("setting: %q", v)
	}
	n, err := s.UserDataCount(ctx())
	must(t, err)
	if n != 0 {
		t.Errorf("empty store counts %d", n)
	}
	must(t, s.CreateProgramme(ctx(), officer, &programme.Programme{NameSV: "P", Funder: "Sida", Operator: "ICLD", TotalBudget: 1}))
	n, err = s.UserDataCount(ctx())
	must(t, err)
	if n != 1 {
		t.Errorf("after a programme counts %d, want 1", n)
	}
}
