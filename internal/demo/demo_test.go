package demo

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/report"
	"github.com/icld/partnerskap/internal/review"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/store/storetest"
	"github.com/icld/partnerskap/internal/survey"
	"github.com/icld/partnerskap/internal/user"
)

// now is late 2026, when most pilot partnerships have ended: the demo's
// rolling call must still find six active ones.
var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// openStore opens an empty store on a clock stopped at now; pass the same
// clock to Load, as Serve does, so the store checks the call is open at the
// time Load set it by.
func openStore(t *testing.T) (store.Store, *clock.Fixed) {
	t.Helper()
	clk := clock.NewFixed(now)
	// A temp file, not :memory:, which would give each pooled connection
	// its own empty database.
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clk
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestData checks the demo's content without a store: every target and
// country exists, every description names its sources, and the grants add
// up to the pilot's 1.8 MSEK.
func TestData(t *testing.T) {
	var total int64
	for _, spec := range partnerships() {
		p := spec.p
		for _, code := range p.Targets {
			if sdg.TargetByCode(code) == nil {
				t.Errorf("%s: unknown SDG target %q", p.Name, code)
			}
		}
		if !slices.Contains(p.Targets, "17.17") {
			t.Errorf("%s: missing 17.17 (partnerships)", p.Name)
		}
		for _, d := range []struct{ text, prefix string }{{p.DescriptionSV, "Källor: "}, {p.DescriptionEN, "Sources: "}} {
			lines := strings.Split(d.text, "\n")
			last := lines[len(lines)-1]
			urls := strings.Fields(strings.TrimPrefix(last, d.prefix))
			if !strings.HasPrefix(last, d.prefix) || len(urls) < 1 || len(urls) > 2 {
				t.Errorf("%s: description does not end with %q and one or two URLs: %q", p.Name, d.prefix, last)
			}
			for _, u := range urls {
				if !strings.HasPrefix(u, "https://") {
					t.Errorf("%s: source %q is not a URL", p.Name, u)
				}
			}
		}
		if spec.grant {
			total += grantAmount
			if !p.IsActive(awardedOn) {
				t.Errorf("%s: not active on the award date", p.Name)
			}
		}
	}
	if total != 180_000_000 {
		t.Errorf("grants sum to %d öre, want 180 000 000", total)
	}
	for _, o := range partnerOrganisations() {
		if _, ok := country.ByCode(o.Country); !ok {
			t.Errorf("%s: unknown country %q", o.Name, o.Country)
		}
	}
	for _, code := range []string{codeArvika, codeForshaga, codeKalix, codeLund, codeVaxjo, codeOstergotland} {
		if !slices.ContainsFunc(organisation.Reference(), func(o organisation.Organisation) bool { return o.Code == code }) {
			t.Errorf("SCB code %s is not in the reference data", code)
		}
	}
}

// TestPilotReportsData checks the pilot's final reports without a store:
// one per pilot grant, each part of the narrative two to four sentences,
// and the spending on the call's cost categories adding up to the grant.
func TestPilotReportsData(t *testing.T) {
	c := newCall(1)
	c.Config = call.DefaultConfig()
	reports := pilotReports()
	if len(reports) != len(pilotLives()) {
		t.Errorf("%d final reports for %d pilot grants", len(reports), len(pilotLives()))
	}
	for name := range pilotLives() {
		spec, ok := reports[name]
		if !ok {
			t.Errorf("%s: no final report", name)
			continue
		}
		for _, text := range []string{spec.done, spec.results, spec.lessons} {
			if n := strings.Count(text, ". "); n < 1 || n > 3 || !strings.HasSuffix(text, ".") {
				t.Errorf("%s: %d sentences in %q, want 2–4", name, n+1, text)
			}
		}
		lines, err := reportLines(c, spec, grantAmount)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		r := report.Report{Done: spec.done, Results: spec.results, Lessons: spec.lessons, Lines: lines}
		if errs := r.Check(grantAmount, c.Config.Reports.Tolerance()); errs.Err() != nil || r.Spent() != grantAmount {
			t.Errorf("%s: %v, spent %d", name, errs, r.Spent())
		}
	}
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	res, err := Load(ctx, s, clk)
	must(t, err)
	if !res.Loaded {
		t.Fatal("first Load: Loaded = false")
	}
	if len(res.Accounts) != len(user.RoleKinds) {
		t.Errorf("accounts: %d, want one per role (%d)", len(res.Accounts), len(user.RoleKinds))
	}

	progs, err := s.ProgrammeList(ctx)
	must(t, err)
	if len(progs) != 2 {
		t.Fatalf("programmes: %d, want the pilot and the rolling one", len(progs))
	}
	prog := pilotProgramme(t, s)
	if prog.Funder != "Sida" || prog.Operator != "ICLD" || prog.TotalBudget != 180_000_000 {
		t.Fatalf("pilot programme: %+v", prog)
	}
	calls, err := s.CallList(ctx, prog.ID)
	must(t, err)
	if len(calls) != 1 || calls[0].Ceiling != 180_000_000 || calls[0].MaxPerGrant != 30_000_000 {
		t.Fatalf("calls: %+v", calls)
	}
	if got := calls[0].OpensAt.In(clock.Stockholm).Format("2006-01-02 15:04"); got != "2021-04-01 00:00" {
		t.Errorf("call opens %s Stockholm time", got)
	}

	// Six grants, one per grantee, summing to exactly 1 800 000 kr.
	grants, err := s.GrantList(ctx, grant.Filter{ProgrammeID: prog.ID})
	must(t, err)
	var total int64
	var codes []string
	for _, g := range grants {
		total += g.Amount
		o, err := s.Organisation(ctx, g.OrganisationID)
		must(t, err)
		codes = append(codes, o.Code)
		p, err := s.Partnership(ctx, g.PartnershipID)
		must(t, err)
		if !p.HasSwedishMember(o.ID) || !p.IsActive(g.AwardedOn) || g.AwardedOn.Year() != 2021 {
			t.Errorf("grant to %s for %s: not a member, or not active on %v", o.Name, p.Name, g.AwardedOn)
		}
	}
	slices.Sort(codes)
	if want := []string{"05", "0780", "1281", "1763", "1784", "2514"}; !slices.Equal(codes, want) {
		t.Errorf("grantees %v, want %v", codes, want)
	}
	if len(grants) != 6 || total != 180_000_000 {
		t.Errorf("%d grants summing to %d öre, want 6 summing to 180 000 000", len(grants), total)
	}

	// Every partnership has a Swedish member, a partner and valid targets.
	ps, err := s.PartnershipList(ctx, partnership.Filter{})
	must(t, err)
	if len(ps) != 8 {
		t.Errorf("partnerships: %d, want 8", len(ps))
	}
	var kalix *partnership.Partnership
	for _, p := range ps {
		if len(p.Swedish) == 0 || !p.Swedish[0].Kind.Swedish() || len(p.Partners) == 0 || p.Partners[0].Kind != organisation.Partner {
			t.Errorf("%s: members %+v / %+v", p.Name, p.Swedish, p.Partners)
		}
		if len(p.Targets) == 0 {
			t.Errorf("%s: no targets", p.Name)
		}
		for _, code := range p.Targets {
			if sdg.TargetByCode(code) == nil {
				t.Errorf("%s: unknown target %q", p.Name, code)
			}
		}
		if p.Name == "Kalix – Masaka" {
			kalix = p
		}
	}
	if kalix == nil {
		t.Fatal("no Kalix – Masaka partnership")
	}
	if !kalix.IsActive(clock.Date(2021, 6, 1)) || kalix.Partners[0].Country != "UG" {
		t.Errorf("Kalix – Masaka: active on 2021-06-01 %v, partners %+v", kalix.IsActive(clock.Date(2021, 6, 1)), kalix.Partners)
	}
	// Uasin Gishu is one organisation in two partnerships.
	ke, err := s.OrganisationList(ctx, organisation.Filter{Kind: organisation.Partner, Country: "KE"})
	must(t, err)
	if len(ke) != 1 {
		t.Errorf("partners in Kenya: %d, want 1", len(ke))
	} else if inKE, err := s.PartnershipList(ctx, partnership.Filter{OrganisationID: ke[0].ID}); err != nil || len(inKE) != 2 {
		t.Errorf("partnerships with Uasin Gishu: %d, %v; want 2", len(inKE), err)
	}

	// Each account signs in and holds its role.
	for _, a := range res.Accounts {
		u, err := s.UserByEmail(ctx, a.Email)
		must(t, err)
		if !auth.CheckPassword(a.Password, u.PasswordHash) || a.Password != "demo-partnerskap" {
			t.Errorf("%s: password does not match", a.Email)
		}
		if !u.Has(a.Role) || u.Name != a.Name {
			t.Errorf("%s: %q with roles %+v, want %q as %s", a.Email, u.Name, u.Roles, a.Name, a.Role)
		}
		switch a.Role {
		case user.Officer:
			if u.Roles[0].ProgrammeID != 0 {
				t.Errorf("officer scoped to programme %d, want every programme", u.Roles[0].ProgrammeID)
			}
		case user.Applicant, user.PartnerRole:
			o, err := s.Organisation(ctx, u.Roles[0].OrganisationID)
			must(t, err)
			want, lang := "Kalix kommun", "sv"
			if a.Role == user.PartnerRole {
				want, lang = "Masaka District Local Government", "en"
			}
			if o.Name != want || u.Lang != lang {
				t.Errorf("%s: speaks for %q in %q, want %q in %q", a.Email, o.Name, u.Lang, want, lang)
			}
		}
	}

	// The pilot's six grants were recorded by the demo loader; the two the
	// rolling call's decisions made, by the demo officer, in whose name
	// the demo takes the officer's steps.
	entries, err := s.AuditLog(ctx, audit.Filter{Entity: "grant", Limit: 1000})
	must(t, err)
	by := map[string]int{}
	created := 0
	for _, e := range entries {
		if e.Action == "create" { // acceptances and payments follow
			by[e.Actor.Name]++
			created++
		}
	}
	if created != 8 {
		t.Errorf("grants created in the audit log: %d, want 8", created)
	}
	if by["system:demo"] != 6 || by["Olle Handläggare"] != 2 {
		t.Errorf("grants recorded by %v, want 6 by system:demo and 2 by Olle Handläggare", by)
	}

	// A second Load creates nothing, changes nothing and gives the same
	// accounts.
	before := countAll(t, s)
	again, err := Load(ctx, s, clk)
	must(t, err)
	if again.Loaded || !slices.Equal(again.Accounts, res.Accounts) {
		t.Errorf("second Load: Loaded %v, accounts %+v", again.Loaded, again.Accounts)
	}
	if after := countAll(t, s); after != before {
		t.Errorf("second Load: %+v, was %+v", after, before)
	}

	// A load interrupted half-way (the mark still says "loading") is
	// finished by the next one, without duplicates.
	must(t, s.SetSetting(ctx, actor, settingKey, stateLoading))
	resumed, err := Load(ctx, s, clk)
	must(t, err)
	after := countAll(t, s)
	after.audit, before.audit = 0, 0 // the setting's two changes are audited
	if !resumed.Loaded || after != before {
		t.Errorf("resumed Load: Loaded %v, %+v, was %+v", resumed.Loaded, after, before)
	}
	if v, err := s.Setting(ctx, settingKey); err != nil || !strings.HasPrefix(v, stateLoaded+" ") {
		t.Errorf("demo setting after resume: %q, %v", v, err)
	}
}

func TestRefusesOtherData(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	must(t, s.CreateProgramme(ctx, audit.Actor{Name: "test"}, &programme.Programme{NameSV: "Eget program", Funder: "Sida", Operator: "ICLD", TotalBudget: 100}))
	_, err := Load(ctx, s, clk)
	if !errors.Is(err, ErrNotDemo) {
		t.Fatalf("Load: %v, want ErrNotDemo", err)
	}
	if !strings.Contains(err.Error(), "empty data directory") || !strings.Contains(err.Error(), "--demo") {
		t.Errorf("error %q does not tell the user what to do", err)
	}
	n, err := s.UserDataCount(ctx)
	must(t, err)
	if n != 1 {
		t.Errorf("records after refusal: %d, want 1", n)
	}
	if _, err := s.Setting(ctx, settingKey); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("demo setting after refusal: %v, want ErrNotFound", err)
	}
	if orgs, err := s.OrganisationList(ctx, organisation.Filter{}); err != nil || len(orgs) != 0 {
		t.Errorf("organisations after refusal: %d, %v; want none", len(orgs), err)
	}
}

// pilotProgramme returns the 2021 pilot's programme.
func pilotProgramme(t *testing.T, s store.Store) *programme.Programme {
	t.Helper()
	progs, err := s.ProgrammeList(context.Background())
	must(t, err)
	for _, p := range progs {
		if p.NameEN == "Information and communication support (pilot 2021)" {
			return p
		}
	}
	t.Fatal("no pilot programme")
	return nil
}

// counts sums up what a store holds, to show that a Load added nothing.
type counts struct {
	data, applications, registry, audit, reviews int
	callVersion                                  int
	// What the grants hold after the decision; survey answers write no
	// audit entry, so they are counted here.
	ledger, activities, responses int
	reports, closures             int
}

func countAll(t *testing.T, s store.Store) counts {
	t.Helper()
	ctx := context.Background()
	var n counts
	var err error
	n.data, err = s.UserDataCount(ctx)
	must(t, err)
	apps, err := s.ApplicationList(ctx, application.Filter{})
	must(t, err)
	n.applications = len(apps)
	reg, err := s.RegistryList(ctx, registry.Filter{Limit: 10000})
	must(t, err)
	n.registry = len(reg)
	log, err := s.AuditLog(ctx, audit.Filter{Limit: 100000})
	must(t, err)
	n.audit = len(log)
	grants, err := s.GrantList(ctx, grant.Filter{})
	must(t, err)
	for _, g := range grants {
		entries, err := s.LedgerEntries(ctx, g.ID)
		must(t, err)
		acts, err := s.ActivityList(ctx, g.ID)
		must(t, err)
		rs, err := s.Responses(ctx, g.ID)
		must(t, err)
		n.ledger, n.activities, n.responses = n.ledger+len(entries), n.activities+len(acts), n.responses+len(rs)
		reps, err := s.Reports(ctx, g.ID)
		must(t, err)
		n.reports += len(reps)
		if _, err := s.Closure(ctx, g.ID); err == nil {
			n.closures++
		} else if !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
	}
	c, err := findRollingCall(ctx, s)
	must(t, err)
	if c != nil {
		n.callVersion = c.Version
		rs, err := s.ReviewsInCall(ctx, c.ID)
		must(t, err)
		n.reviews = len(rs)
	}
	return n
}

// TestRollingData checks the invented applications without a store: one
// per state, complete where they have been submitted, within the call's
// limits, and with targets their partnership works on.
func TestRollingData(t *testing.T) {
	today := clock.Today(now)
	c := newRollingCall(1, now)
	if errs := c.Validate(); errs.Err() != nil {
		t.Fatalf("rolling call: %v", errs)
	}
	if errs := c.CheckProgrammeBudget(newRollingProgramme().TotalBudget, nil); errs.Err() != nil {
		t.Errorf("rolling call over its programme's budget: %v", errs)
	}
	byName := map[string]partnership.Partnership{}
	for _, spec := range partnerships() {
		byName[spec.p.Name] = spec.p
	}
	var states []application.State
	var granted int64
	for _, spec := range rollingApplications(today) {
		states = append(states, spec.state)
		p, ok := byName[spec.partnership]
		if !ok || !p.IsActive(today) {
			t.Errorf("%s: partnership %q unknown or not active on %s", spec.title(), spec.partnership, today.Format("2006-01-02"))
		}
		errs := form.Check(&c.Config.Form, c.Config.Lists, &spec.answers)
		if spec.state == application.Draft {
			if len(errs) == 0 {
				t.Errorf("%s: the draft is complete; it should show what is missing", spec.title())
			}
		} else if len(errs) > 0 {
			t.Errorf("%s: answers do not pass form.Check: %v", spec.title(), errs)
		}
		req := spec.answers.Requested()
		if req > c.MaxPerGrant {
			t.Errorf("%s: requests %d öre, above the maximum", spec.title(), req)
		}
		for _, code := range spec.answers.Targets {
			if !slices.Contains(p.Targets, code) {
				t.Errorf("%s: target %s is not among the partnership's %v", spec.title(), code, p.Targets)
			}
		}
		for _, a := range spec.answers.Activities {
			if a.Start < today.Format("2006-01-02") {
				t.Errorf("%s: activity %q starts before today", spec.title(), a.Title)
			}
		}
		if reached(spec, application.Ready) != (spec.review != nil) {
			t.Errorf("%s: a review is planned exactly for those reaching ready", spec.title())
		}
		if spec.state.Decided() != (spec.decision != nil) {
			t.Errorf("%s: a decision is planned exactly for the decided ones", spec.title())
		}
		if d := spec.decision; d != nil {
			dd := *d
			if dd.Outcome == decision.Granted {
				dd.Amount = req
			}
			if errs := dd.Check(req); errs.Err() != nil {
				t.Errorf("%s: decision: %v", spec.title(), errs)
			}
			if dd.Outcome != decision.Rejected && dd.Amount > c.MaxPerGrant {
				t.Errorf("%s: grants %d öre, over the call's maximum %d", spec.title(), dd.Amount, c.MaxPerGrant)
			}
			if dd.Outcome.State() != spec.state {
				t.Errorf("%s: decision %s leads to %s, planned %s", spec.title(), dd.Outcome, dd.Outcome.State(), spec.state)
			}
			granted += dd.Amount
		}
	}
	slices.Sort(states)
	want := slices.Clone(application.States)
	slices.Sort(want)
	if !slices.Equal(states, want) {
		t.Errorf("planned states %v, want each of %v once", states, want)
	}
	if granted > c.Ceiling {
		t.Errorf("planned grants %d öre, above the ceiling %d", granted, c.Ceiling)
	}
	// The notes say what is invented: the rolling programme, and the
	// pilot partnerships the demo keeps going beyond their sources.
	rp := newRollingProgramme()
	for note, name := range map[string]string{NoteSV: rp.NameSV, NoteEN: rp.NameEN} {
		if !strings.Contains(note, "”"+name+"”") && !strings.Contains(note, "“"+name+"”") {
			t.Errorf("note does not name the invented programme %q: %s", name, note)
		}
		// Växjö's partnerships have no known end; the others that the
		// demo keeps open go on beyond their sources, and the note says so.
		for _, spec := range partnerships() {
			if spec.p.End.IsZero() && spec.swedish != codeVaxjo && !strings.Contains(note, spec.p.Name) {
				t.Errorf("%s is open-ended beyond its sources, but the note does not say so", spec.p.Name)
			}
		}
	}
}

// reached reports whether spec's path passes through s.
func reached(spec applicationSpec, s application.State) bool {
	return slices.Contains(spec.path(), s)
}

// TestRollingCall loads the demo late in 2026 and follows the rolling call:
// open now, an application in every state made through the store, the
// ceiling kept, and open again when the demo starts a year later.
func TestRollingCall(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		s, clk := openStore(t)
		testRollingCall(t, s, clk)
	})
	// PostgreSQL locks and registers differently; the demo must load there
	// too. Skipped without PARTNERSKAP_TEST_POSTGRES, failed on CI.
	t.Run("postgres", func(t *testing.T) {
		clk := clock.NewFixed(now)
		testRollingCall(t, storetest.OpenPostgres(t, clk), clk)
	})
}

func testRollingCall(t *testing.T, s store.Store, clk *clock.Fixed) {
	ctx := context.Background()
	_, err := Load(ctx, s, clk)
	must(t, err)

	// The pilot is untouched: six grants summing to exactly 1 800 000 kr.
	pilot := pilotProgramme(t, s)
	pilotGrants, err := s.GrantList(ctx, grant.Filter{ProgrammeID: pilot.ID})
	must(t, err)
	var pilotSum int64
	for _, g := range pilotGrants {
		pilotSum += g.Amount
	}
	if len(pilotGrants) != 6 || pilotSum != 180_000_000 {
		t.Errorf("pilot: %d grants summing to %d öre, want 6 summing to 180 000 000", len(pilotGrants), pilotSum)
	}
	// Each closed by its approved final report, on this engine too.
	for _, g := range pilotGrants {
		b, err := s.Balance(ctx, g.ID)
		must(t, err)
		if _, err := s.Closure(ctx, g.ID); err != nil || b.Paid != g.Amount || b.Spent != g.Amount || !b.Settled() {
			t.Errorf("pilot grant %d: closure %v, balance %+v", g.ID, err, b)
		}
	}

	// Six partnerships are active today: Arvika's and Lund's have ended.
	ps, err := s.PartnershipList(ctx, partnership.Filter{})
	must(t, err)
	var active []string
	for _, p := range ps {
		if p.IsActive(clock.Today(now)) {
			active = append(active, p.Name)
		}
	}
	if len(active) != 6 || slices.Contains(active, "Arvika – Uasin Gishu") || slices.Contains(active, "Lund – Francistown") {
		t.Errorf("active partnerships on %s: %v, want six, not Arvika's or Lund's", clock.Today(now).Format("2006-01-02"), active)
	}

	// The second programme and its call, open now.
	c, err := findRollingCall(ctx, s)
	must(t, err)
	if c == nil {
		t.Fatal("no rolling call")
	}
	prog, err := s.Programme(ctx, c.ProgrammeID)
	must(t, err)
	if prog.NameEN != "Information and communication support" || prog.Funder != "Sida" || prog.Operator != "ICLD" || prog.TotalBudget != 300_000_000 {
		t.Errorf("rolling programme: %+v", prog)
	}
	if c.TitleEN != "Communication support – rolling" || c.Ceiling != 150_000_000 || c.MaxPerGrant != 30_000_000 ||
		!c.Config.Steps.FormalCheck || !c.Config.Steps.Review {
		t.Errorf("rolling call: %+v", c)
	}
	if c.Status(clk.Now()) != call.Open {
		t.Errorf("rolling call %s at %v", c.Status(clk.Now()), clk.Now())
	}
	stockholm := func(t time.Time) string { return t.In(clock.Stockholm).Format("2006-01-02 15:04") }
	if stockholm(c.OpensAt) != "2026-11-13 00:00" || stockholm(c.ClosesAt) != "2027-01-11 00:00" {
		t.Errorf("rolling call open %s – %s Stockholm time, want 2026-11-13 00:00 – 2027-01-11 00:00", stockholm(c.OpensAt), stockholm(c.ClosesAt))
	}

	// One application in every state, as planned.
	apps, err := s.ApplicationList(ctx, application.Filter{CallID: c.ID})
	must(t, err)
	got := map[application.State]*application.Application{}
	for _, a := range apps {
		if got[a.State] != nil {
			t.Errorf("two applications %s: %q and %q", a.State, got[a.State].Title(), a.Title())
		}
		got[a.State] = a
	}
	for _, st := range application.States {
		if got[st] == nil {
			t.Errorf("no application %s", st)
		}
	}
	if len(apps) != len(application.States) {
		t.Fatalf("%d applications, want %d", len(apps), len(application.States))
	}
	for _, spec := range rollingApplications(clock.Today(now)) {
		a := got[spec.state]
		p, err := s.Partnership(ctx, a.PartnershipID)
		must(t, err)
		if a.Title() != spec.title() || p.Name != spec.partnership {
			t.Errorf("%s: %q of %s, want %q of %s", spec.state, a.Title(), p.Name, spec.title(), spec.partnership)
		}
		// Everything but the draft was submitted and registered this year.
		if (a.RegNumber == "") != (spec.state == application.Draft) || (a.RegNumber != "" && !strings.HasPrefix(a.RegNumber, "2026/")) {
			t.Errorf("%s: registration number %q", spec.state, a.RegNumber)
		}
	}

	// The demo applicant of Kalix has a completion request to answer.
	kalix := got[application.CompletionRequested]
	kalixOrg, err := s.OrganisationByCode(ctx, codeKalix)
	must(t, err)
	timeline, err := s.Timeline(ctx, kalix.ID)
	must(t, err)
	last := timeline[len(timeline)-1]
	if kalix.OrganisationID != kalixOrg.ID || last.To != application.CompletionRequested || !strings.Contains(last.Note, "komplettering") {
		t.Errorf("Kalix: organisation %d, last change %+v", kalix.OrganisationID, last)
	}
	// The demo reviewer has one application to declare on and score.
	reviewer, err := s.UserByEmail(ctx, reviewerEmail)
	must(t, err)
	waiting, err := s.ApplicationList(ctx, application.Filter{ReviewerID: reviewer.ID, States: []application.State{application.InReview}})
	must(t, err)
	if len(waiting) != 1 || waiting[0].ID != got[application.InReview].ID {
		t.Fatalf("reviewer's applications in review: %d", len(waiting))
	}
	if asg, err := s.Assignment(ctx, waiting[0].ID, reviewer.ID); err != nil || asg.Declared {
		t.Errorf("in review: assignment %+v, %v; want undeclared", asg, err)
	}
	// Reviews: submitted, by the demo reviewer, for those that were ready.
	reviews, err := s.ReviewsInCall(ctx, c.ID)
	must(t, err)
	reviewed := map[int64]bool{}
	for _, r := range reviews {
		if r.ReviewerID != reviewer.ID || !r.Submitted() {
			t.Errorf("review of %d by %d, submitted %v", r.ApplicationID, r.ReviewerID, r.Submitted())
		}
		reviewed[r.ApplicationID] = true
	}
	for _, st := range []application.State{application.Ready, application.Granted, application.PartlyGranted, application.Rejected} {
		if !reviewed[got[st].ID] {
			t.Errorf("%s: no review", st)
		}
	}
	if len(reviewed) != 4 {
		t.Errorf("reviewed applications: %d, want 4", len(reviewed))
	}

	// Decisions: granted in full, partly with a reason, rejected with one.
	decisions, err := s.DecisionsInCall(ctx, c.ID)
	must(t, err)
	if len(decisions) != 3 {
		t.Errorf("decisions: %d, want 3", len(decisions))
	}
	for _, d := range decisions {
		a, err := s.Application(ctx, d.ApplicationID)
		must(t, err)
		ok := d.Outcome.State() == a.State && d.RegNumber != ""
		switch d.Outcome {
		case decision.Granted:
			ok = ok && d.Amount == a.Requested && d.GrantID != 0
		case decision.PartlyGranted:
			ok = ok && d.Amount > 0 && d.Amount < a.Requested && d.Reason != "" && d.GrantID != 0
		case decision.Rejected:
			ok = ok && d.Amount == 0 && d.Reason != "" && d.GrantID == 0
		}
		if !ok {
			t.Errorf("decision on %q (%s, requested %d): %+v", a.Title(), a.State, a.Requested, d)
		}
	}
	// The call's grants stay within its ceiling.
	sum, err := s.GrantedInCall(ctx, c.ID)
	must(t, err)
	if sum != 44_000_000 || sum > c.Ceiling {
		t.Errorf("granted in the rolling call: %d öre, want 44 000 000 (within %d)", sum, c.Ceiling)
	}
	// No mail: the demo's history is not news.
	if mails, err := s.MailList(ctx, 10); err != nil || len(mails) != 0 {
		t.Errorf("mails queued: %d, %v", len(mails), err)
	}

	// A second Load adds and changes nothing.
	before := countAll(t, s)
	_, err = Load(ctx, s, clk)
	must(t, err)
	if after := countAll(t, s); after != before {
		t.Errorf("second Load: %+v, was %+v", after, before)
	}

	// A year later the call has closed; starting the demo opens it again,
	// relative to the new today, and changes nothing else.
	later := now.AddDate(1, 0, 0)
	clk.Set(later)
	if c.Status(later) == call.Open {
		t.Fatal("the call is still open a year later; the test shows nothing")
	}
	res, err := Load(ctx, s, clk)
	must(t, err)
	reopened, err := s.Call(ctx, c.ID)
	must(t, err)
	if res.Loaded || reopened.Status(later) != call.Open {
		t.Errorf("a year later: Loaded %v, call %s", res.Loaded, reopened.Status(later))
	}
	if stockholm(reopened.OpensAt) != "2027-11-13 00:00" || stockholm(reopened.ClosesAt) != "2028-01-11 00:00" {
		t.Errorf("reopened %s – %s", stockholm(reopened.OpensAt), stockholm(reopened.ClosesAt))
	}
	if reopened.Ceiling != c.Ceiling || reopened.MaxPerGrant != c.MaxPerGrant || reopened.TitleSV != c.TitleSV ||
		reopened.Cancelled || len(reopened.Config.Form.Sections) != len(c.Config.Form.Sections) {
		t.Errorf("reopening changed more than the dates: %+v", reopened)
	}
	afterYear := countAll(t, s)
	if afterYear.callVersion != before.callVersion+1 || afterYear.applications != before.applications ||
		afterYear.data != before.data || afterYear.registry != before.registry {
		t.Errorf("a year later: %+v, was %+v", afterYear, before)
	}
	// Open, it stays as it is.
	_, err = Load(ctx, s, clk)
	must(t, err)
	if again := countAll(t, s); again != afterYear {
		t.Errorf("third Load: %+v, was %+v", again, afterYear)
	}
}

// failingStore fails the n-th change of an application's state, as a
// process killed half-way through the rolling call would stop.
type failingStore struct {
	store.Store
	n, calls int
}

var errKilled = errors.New("killed")

func (f *failingStore) fail() error {
	f.calls++
	if f.calls == f.n {
		return errKilled
	}
	return nil
}

func (f *failingStore) Transition(ctx context.Context, by audit.Actor, id int64, e application.Event, note string, mails []mail.Message) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.Transition(ctx, by, id, e, note, mails)
}

func (f *failingStore) SaveReview(ctx context.Context, by audit.Actor, r *review.Review, submit bool) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.SaveReview(ctx, by, r, submit)
}

func (f *failingStore) Decide(ctx context.Context, by audit.Actor, d *decision.Decision, mails []mail.Message) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.Decide(ctx, by, d, mails)
}

// TestInterruptedRolling stops a first Load in the middle of the rolling
// call's applications; the next Load finishes them without duplicates.
func TestInterruptedRolling(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{2, 11} {
		s, clk := openStore(t)
		if _, err := Load(ctx, &failingStore{Store: s, n: n}, clk); !errors.Is(err, errKilled) {
			t.Fatalf("interrupted at %d: %v", n, err)
		}
		res, err := Load(ctx, s, clk)
		must(t, err)
		c, err := findRollingCall(ctx, s)
		must(t, err)
		apps, err := s.ApplicationList(ctx, application.Filter{CallID: c.ID})
		must(t, err)
		var states []application.State
		for _, a := range apps {
			states = append(states, a.State)
		}
		slices.Sort(states)
		want := slices.Clone(application.States)
		slices.Sort(want)
		if !res.Loaded || !slices.Equal(states, want) {
			t.Errorf("interrupted at %d, then loaded: %v", n, states)
		}
		if sum, err := s.GrantedInCall(ctx, c.ID); err != nil || sum != 44_000_000 {
			t.Errorf("interrupted at %d: granted %d, %v", n, sum, err)
		}
	}
}

// TestGrantLives: loaded after the pilot, the demo shows its six grants
// carried out (accepted, paid in full, activities with reach, surveys
// answered before and after with knowledge up a little) and closed (the
// final report approved, all that was paid spent, nothing to repay), and
// the rolling call's grants under way. A second load adds nothing.
func TestGrantLives(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	_, err := Load(ctx, s, clk)
	must(t, err)

	officer, err := s.UserByEmail(ctx, "handlaggare@demo.partnerskap.se")
	must(t, err)
	pilot := pilotProgramme(t, s)
	grants, err := s.GrantList(ctx, grant.Filter{ProgrammeID: pilot.ID})
	must(t, err)
	if len(grants) != 6 {
		t.Fatalf("pilot grants: %d", len(grants))
	}
	for _, g := range grants {
		p, err := s.Partnership(ctx, g.PartnershipID)
		must(t, err)
		if _, err := s.Acceptance(ctx, g.ID); err != nil {
			t.Errorf("%s: acceptance: %v", p.Name, err)
		}
		b, err := s.Balance(ctx, g.ID)
		must(t, err)
		if b.Paid != g.Amount || grant.StageOf(false, true, false, b) != grant.FullyPaid {
			t.Errorf("%s: paid %d of %d", p.Name, b.Paid, g.Amount)
		}
		acts, err := s.ActivityList(ctx, g.ID)
		must(t, err)
		if len(acts) != 3 {
			t.Errorf("%s: %d activities, want 3", p.Name, len(acts))
		}
		for _, a := range acts {
			if a.TotalReach() <= 0 || a.Date.Year() != 2021 || a.CreatedBy == 0 && g.OrganisationID == orgID(t, s, codeKalix) {
				t.Errorf("%s: activity %+v", p.Name, a)
			}
		}
		sv, err := s.Survey(ctx, g.ID)
		must(t, err)
		for _, ph := range survey.Phases {
			if got := sv.Window(ph).Status(clk.Now()); got != "closed" || sv.Window(ph).LastDay().Year() != 2021 {
				t.Errorf("%s: %s %s, last day %v", p.Name, ph, got, sv.Window(ph).LastDay())
			}
		}
		rs, err := s.Responses(ctx, g.ID)
		must(t, err)
		n := map[survey.Phase]int{}
		for _, r := range rs {
			n[r.Phase]++
		}
		if n[survey.Baseline] < 20 || n[survey.Baseline] > 40 || n[survey.FollowUp] < 20 || n[survey.FollowUp] > 40 {
			t.Errorf("%s: responses %v, want 20–40 per phase", p.Name, n)
		}
		know := survey.Results(sv.Questions, rs, "")[0]
		if know.Question.Key != "know_partnership" || know.Change <= 0 || know.Pairs < 10 || know.PairedChange <= 0 || know.PairedChange > 1.5 {
			t.Errorf("%s: know_partnership %+v, want a modest rise with pairs", p.Name, know)
		}
		// Closed: the final report approved by the demo officer, all
		// that was paid reported as spent, nothing to repay.
		if cl, err := s.Closure(ctx, g.ID); err != nil || cl.By != officer.ID {
			t.Errorf("%s: closure %+v, %v", p.Name, cl, err)
		}
		reps, err := s.Reports(ctx, g.ID)
		must(t, err)
		if len(reps) != 1 || reps[0].Kind != report.Final || reps[0].State != report.Approved || reps[0].ApprovedBy != officer.ID ||
			reps[0].RegNumber == "" || reps[0].Spent() != g.Amount || reps[0].Done == "" || reps[0].Results == "" || reps[0].Lessons == "" {
			t.Errorf("%s: reports %+v", p.Name, reps)
		}
		if b.Paid != 30_000_000 || b.Spent != 30_000_000 || b.ToRepay != 0 || b.Repaid != 0 || !b.Settled() {
			t.Errorf("%s: balance %+v, want paid = spent = 30 000 000 öre, nothing to repay", p.Name, b)
		}
		if p.Name == "Kalix – Masaka" {
			t.Logf("Kalix – Masaka, know_partnership: baseline mean %.2f (n=%d), follow-up %.2f (n=%d), change %+.2f; %d pairs, paired change %+.2f",
				know.Baseline.Mean, know.Baseline.Answered, know.FollowUp.Mean, know.FollowUp.Answered, know.Change, know.Pairs, know.PairedChange)
		}
	}

	// The rolling call's two grants: accepted, 80 % paid as the plan
	// says, one activity, the baseline survey taking answers.
	c, err := findRollingCall(ctx, s)
	must(t, err)
	rolling, err := s.GrantList(ctx, grant.Filter{CallID: c.ID})
	must(t, err)
	if len(rolling) != 2 {
		t.Fatalf("rolling grants: %d", len(rolling))
	}
	for _, g := range rolling {
		b, err := s.Balance(ctx, g.ID)
		must(t, err)
		if _, err := s.Acceptance(ctx, g.ID); err != nil || b.Paid != g.Amount*80/100 || grant.StageOf(false, true, false, b) != grant.UnderWay {
			t.Errorf("grant %d: acceptance %v, paid %d of %d", g.ID, err, b.Paid, g.Amount)
		}
		if _, err := s.Closure(ctx, g.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("grant %d: closure %v, want none", g.ID, err)
		}
		if reps, err := s.Reports(ctx, g.ID); err != nil || len(reps) != 0 {
			t.Errorf("grant %d: %d reports, %v", g.ID, len(reps), err)
		}
		if acts, err := s.ActivityList(ctx, g.ID); err != nil || len(acts) != 1 {
			t.Errorf("grant %d: %d activities, %v", g.ID, len(acts), err)
		}
		sv, err := s.Survey(ctx, g.ID)
		must(t, err)
		rs, err := s.Responses(ctx, g.ID)
		must(t, err)
		if !sv.IsOpen(survey.Baseline, clk.Now()) || sv.FollowUp.Status(clk.Now()) != "not_opened" || len(rs) < 10 {
			t.Errorf("grant %d: survey %+v with %d answers", g.ID, sv, len(rs))
		}
		for _, r := range rs {
			if r.Phase != survey.Baseline {
				t.Errorf("grant %d: a follow-up answer before the follow-up opened", g.ID)
			}
		}
	}
	if mails, err := s.MailList(ctx, 10); err != nil || len(mails) != 0 {
		t.Errorf("mails queued: %d, %v", len(mails), err)
	}

	// Loading again, also as a resumed load, adds nothing.
	before := countAll(t, s)
	if before.reports != 6 || before.closures != 6 {
		t.Errorf("reports %d, closures %d, want 6 each", before.reports, before.closures)
	}
	_, err = Load(ctx, s, clk)
	must(t, err)
	if again := countAll(t, s); again != before {
		t.Errorf("second Load: %+v, was %+v", again, before)
	}
	must(t, s.SetSetting(ctx, actor, settingKey, stateLoading))
	_, err = Load(ctx, s, clk)
	must(t, err)
	after := countAll(t, s)
	after.audit, before.audit = 0, 0
	if after != before {
		t.Errorf("resumed Load: %+v, was %+v", after, before)
	}
}

// reportFailingStore fails the n-th step of a final report (save, submit,
// approve), as a process killed while closing the pilot's grants would.
type reportFailingStore struct {
	store.Store
	n, calls int
}

func (f *reportFailingStore) fail() error {
	f.calls++
	if f.calls == f.n {
		return errKilled
	}
	return nil
}

func (f *reportFailingStore) SaveReport(ctx context.Context, by audit.Actor, r *report.Report) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Store.SaveReport(ctx, by, r)
}

func (f *reportFailingStore) SubmitReport(ctx context.Context, by audit.Actor, id int64, version int, mails []mail.Message) (*registry.Entry, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return f.Store.SubmitReport(ctx, by, id, version, mails)
}

func (f *reportFailingStore) ApproveReport(ctx context.Context, by audit.Actor, id int64, note string, mails []mail.Message) (*report.Report, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return f.Store.ApproveReport(ctx, by, id, note, mails)
}

// TestInterruptedClosing stops a first Load while it saves, submits or
// approves a pilot grant's final report; the next Load closes every pilot
// grant with one report each.
func TestInterruptedClosing(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{1, 2, 3, 8} {
		s, clk := openStore(t)
		if _, err := Load(ctx, &reportFailingStore{Store: s, n: n}, clk); !errors.Is(err, errKilled) {
			t.Fatalf("interrupted at %d: %v", n, err)
		}
		_, err := Load(ctx, s, clk)
		must(t, err)
		if got := countAll(t, s); got.reports != 6 || got.closures != 6 {
			t.Errorf("interrupted at %d, then loaded: %d reports, %d closures", n, got.reports, got.closures)
		}
	}
}

// TestGrantLivesDuringPilot: a demo loaded while the pilot runs (in June
// 2021) leaves its grants waiting for the grantees.
func TestGrantLivesDuringPilot(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2021, 6, 20, 10, 0, 0, 0, time.UTC))
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), clk)
	must(t, err)
	t.Cleanup(func() { s.Close() })
	_, err = Load(ctx, s, clk)
	must(t, err)
	grants, err := s.GrantList(ctx, grant.Filter{ProgrammeID: pilotProgramme(t, s).ID})
	must(t, err)
	for _, g := range grants {
		if _, err := s.Acceptance(ctx, g.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("grant %d accepted during the pilot: %v", g.ID, err)
		}
		if acts, _ := s.ActivityList(ctx, g.ID); len(acts) != 0 {
			t.Errorf("grant %d has activities during the pilot", g.ID)
		}
		if reps, _ := s.Reports(ctx, g.ID); len(reps) != 0 {
			t.Errorf("grant %d has reports during the pilot", g.ID)
		}
	}
}

func orgID(t *testing.T, s store.Store, code string) int64 {
	t.Helper()
	o, err := s.OrganisationByCode(context.Background(), code)
	must(t, err)
	return o.ID
}
