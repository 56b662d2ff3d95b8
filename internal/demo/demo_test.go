package demo

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/auth"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/country"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/sqlite"
	"github.com/icld/partnerskap/internal/user"
)

var now = time.Date(2021, 9, 1, 10, 0, 0, 0, time.UTC)

func openStore(t *testing.T) store.Store {
	t.Helper()
	// A temp file, not :memory:, which would give each pooled connection
	// its own empty database.
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"), clock.NewFixed(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
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

func TestLoad(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	res, err := Load(ctx, s, clock.NewFixed(now))
	must(t, err)
	if !res.Loaded {
		t.Fatal("first Load: Loaded = false")
	}
	if len(res.Accounts) != len(user.RoleKinds) {
		t.Errorf("accounts: %d, want one per role (%d)", len(res.Accounts), len(user.RoleKinds))
	}

	progs, err := s.ProgrammeList(ctx)
	must(t, err)
	if len(progs) != 1 || progs[0].NameEN != "Information and communication support (pilot 2021)" ||
		progs[0].Funder != "Sida" || progs[0].Operator != "ICLD" || progs[0].TotalBudget != 180_000_000 {
		t.Fatalf("programmes: %+v", progs)
	}
	prog := progs[0]
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

	// Every change was made by the demo's actor.
	entries, err := s.AuditLog(ctx, audit.Filter{Entity: "grant", Limit: 100})
	must(t, err)
	if len(entries) != 6 {
		t.Errorf("grant audit entries: %d, want 6", len(entries))
	}
	for _, e := range entries {
		if e.Actor.Name != "system:demo" {
			t.Errorf("grant %d created by %q", e.EntityID, e.Actor.Name)
		}
	}

	// A second Load creates nothing and gives the same accounts.
	before, err := s.UserDataCount(ctx)
	must(t, err)
	again, err := Load(ctx, s, clock.NewFixed(now))
	must(t, err)
	if again.Loaded || !slices.Equal(again.Accounts, res.Accounts) {
		t.Errorf("second Load: Loaded %v, accounts %+v", again.Loaded, again.Accounts)
	}
	after, err := s.UserDataCount(ctx)
	must(t, err)
	if after != before {
		t.Errorf("second Load: %d records, was %d", after, before)
	}

	// A load interrupted half-way (the mark still says "loading") is
	// finished by the next one, without duplicates.
	must(t, s.SetSetting(ctx, actor, settingKey, stateLoading))
	resumed, err := Load(ctx, s, clock.NewFixed(now))
	must(t, err)
	after, err = s.UserDataCount(ctx)
	must(t, err)
	if !resumed.Loaded || after != before {
		t.Errorf("resumed Load: Loaded %v, %d records, was %d", resumed.Loaded, after, before)
	}
	if v, err := s.Setting(ctx, settingKey); err != nil || !strings.HasPrefix(v, stateLoaded+" ") {
		t.Errorf("demo setting after resume: %q, %v", v, err)
	}
}

func TestRefusesOtherData(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	must(t, s.CreateProgramme(ctx, audit.Actor{Name: "test"}, &programme.Programme{NameSV: "Eget program", Funder: "Sida", Operator: "ICLD", TotalBudget: 100}))
	_, err := Load(ctx, s, clock.NewFixed(now))
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
