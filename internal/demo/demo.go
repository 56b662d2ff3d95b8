// Package demo loads the demo programmes so that a new user of
// `partnerskap serve --demo` sees a living system at once: ICLD's 2021 pilot
// of information and communication support (the six real grantees, their
// real partnerships abroad, one call, six grants), a sign-in per role, and
// an invented second programme whose rolling call is open whenever the demo
// starts and holds an application in every state, from draft to decision
// (rolling.go).
//
// It writes through the store interface only, as the system actor "demo",
// so the store's rules (budgets, ceilings, membership) check the demo data
// as they would an officer's.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/auth"
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

// Account is a demo sign-in, printed at start-up.
type Account struct {
	Role                  user.RoleKind
	Email, Name, Password string
}

// Result says what Load did.
type Result struct {
	Loaded   bool // false when the demo was already loaded
	Accounts []Account
}

// ErrNotDemo is returned for a database that holds data of its own: the
// demo is never mixed into real data.
var ErrNotDemo = errors.New("the database already holds data that is not the demo's: use an empty data directory for the demo, or start without --demo")

// The setting "demo" marks the demo. It reads "loading" while Load runs and
// "loaded <time>" once it is done, so a load that was interrupted (the
// process killed half-way) is finished by the next Load instead of being
// mistaken for somebody else's data.
const (
	settingKey   = "demo"
	stateLoading = "loading"
	stateLoaded  = "loaded"
)

// actor makes every demo change, so the audit log shows where it came from.
var actor = audit.System("demo")

// Accounts returns the demo sign-ins, one per role.
func Accounts() []Account {
	var out []Account
	for _, a := range accountSpecs() {
		out = append(out, a.Account)
	}
	return out
}

// Load loads the demo into s unless it is already there. It refuses, with
// ErrNotDemo, a database that holds other data. clk dates the mark it
// leaves in the settings and the rolling call; it must tell the same time
// as the store's clock, which checks that the call is open.
//
// Every Load, also of a demo loaded before, moves the rolling call's dates
// when it is no longer open, so the demo always has an open call.
func Load(ctx context.Context, s store.Store, clk clock.Clock) (*Result, error) {
	res := &Result{Accounts: Accounts()}
	now := clk.Now()
	state, err := s.Setting(ctx, settingKey)
	switch {
	case errors.Is(err, store.ErrNotFound):
		state = ""
		n, err := s.UserDataCount(ctx)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		if n > 0 {
			return nil, fmt.Errorf("demo: %w (%d records found)", ErrNotDemo, n)
		}
	case err != nil:
		return nil, fmt.Errorf("demo: %w", err)
	}
	// The reference organisations come first: the demo's grantees are
	// among them. Loading them again adds only what is missing.
	if _, err := s.LoadReferenceOrganisations(ctx, actor, organisation.Reference()); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if state != "" && state != stateLoading {
		// Loaded before: only keep the rolling call open (and mark the
		// demo's accounts, for a demo loaded before they were marked).
		if err := markAccounts(ctx, s); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		c, err := findRollingCall(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		if c != nil {
			if err := keepOpen(ctx, s, c, now); err != nil {
				return nil, fmt.Errorf("demo: %w", err)
			}
		}
		if err := callReviewers(ctx, s); err != nil { // reviewers.go
			return nil, fmt.Errorf("demo: %w", err)
		}
		return res, nil
	}
	if err := s.SetSetting(ctx, actor, settingKey, stateLoading); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	l := &loader{s: s, now: now}
	if err := l.load(ctx); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := s.SetSetting(ctx, actor, settingKey, stateLoaded+" "+now.UTC().Format(time.RFC3339)); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	res.Loaded = true
	return res, nil
}

// loader creates each demo record that is missing, found by its natural
// key (a name, an e-mail address), so that loading again after an
// interruption creates no duplicates.
type loader struct {
	s            store.Store
	now          time.Time
	swedish      map[string]*organisation.Organisation // by SCB code
	partners     map[string]*organisation.Organisation // by name
	partnerships map[string]*partnership.Partnership   // by name
}

func (l *loader) load(ctx context.Context) error {
	if err := l.organisations(ctx); err != nil {
		return err
	}
	prog, err := l.programme(ctx, newProgramme())
	if err != nil {
		return err
	}
	c, err := l.call(ctx, newCall(prog.ID))
	if err != nil {
		return err
	}
	l.partnerships = map[string]*partnership.Partnership{}
	for _, spec := range partnerships() {
		p, err := l.partnership(ctx, spec)
		if err != nil {
			return err
		}
		l.partnerships[p.Name] = p
		if spec.grant {
			if err := l.grant(ctx, c, p, l.swedish[spec.swedish]); err != nil {
				return err
			}
		}
	}
	if err := l.users(ctx); err != nil {
		return err
	}
	if err := l.rolling(ctx); err != nil {
		return err
	}
	if err := callReviewers(ctx, l.s); err != nil { // reviewers.go
		return err
	}
	if err := l.lives(ctx); err != nil {
		return err
	}
	if err := l.material(ctx); err != nil { // material.go
		return err
	}
	return l.stories(ctx) // stories.go
}

// organisations finds the Swedish members and finds or creates the partners.
func (l *loader) organisations(ctx context.Context) error {
	l.swedish = map[string]*organisation.Organisation{}
	for _, code := range []string{codeArvika, codeForshaga, codeKalix, codeLund, codeVaxjo, codeOstergotland} {
		o, err := l.s.OrganisationByCode(ctx, code)
		if err != nil {
			return err
		}
		l.swedish[code] = o
	}
	l.partners = map[string]*organisation.Organisation{}
	for _, o := range partnerOrganisations() {
		existing, err := l.s.OrganisationList(ctx, organisation.Filter{Kind: organisation.Partner, Country: o.Country})
		if err != nil {
			return err
		}
		if found := findOrganisation(existing, o.Name); found != nil {
			l.partners[o.Name] = found
			continue
		}
		if err := l.s.CreateOrganisation(ctx, actor, &o); err != nil {
			return fmt.Errorf("create organisation %q: %w", o.Name, err)
		}
		l.partners[o.Name] = &o
	}
	return nil
}

func findOrganisation(list []*organisation.Organisation, name string) *organisation.Organisation {
	for _, o := range list {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// programme finds the programme named p.NameSV, or creates p.
func (l *loader) programme(ctx context.Context, p *programme.Programme) (*programme.Programme, error) {
	list, err := l.s.ProgrammeList(ctx)
	if err != nil {
		return nil, err
	}
	for _, existing := range list {
		if existing.NameSV == p.NameSV {
			return existing, nil
		}
	}
	if err := l.s.CreateProgramme(ctx, actor, p); err != nil {
		return nil, fmt.Errorf("create programme %q: %w", p.NameSV, err)
	}
	return p, nil
}

// call finds the call titled c.TitleSV in c's programme, or creates c.
func (l *loader) call(ctx context.Context, c *call.Call) (*call.Call, error) {
	list, err := l.s.CallList(ctx, c.ProgrammeID)
	if err != nil {
		return nil, err
	}
	for _, existing := range list {
		if existing.TitleSV == c.TitleSV {
			return existing, nil
		}
	}
	if err := l.s.CreateCall(ctx, actor, c); err != nil {
		return nil, fmt.Errorf("create call %q: %w", c.TitleSV, err)
	}
	return c, nil
}

func (l *loader) partnership(ctx context.Context, spec partnershipSpec) (*partnership.Partnership, error) {
	p := spec.p
	list, err := l.s.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		return nil, err
	}
	for _, existing := range list {
		if existing.Name == p.Name {
			return existing, nil
		}
	}
	p.Swedish = []organisation.Organisation{{ID: l.swedish[spec.swedish].ID}}
	for _, name := range spec.partners {
		p.Partners = append(p.Partners, organisation.Organisation{ID: l.partners[name].ID})
	}
	if err := l.s.CreatePartnership(ctx, actor, &p); err != nil {
		return nil, fmt.Errorf("create partnership %q: %w", p.Name, err)
	}
	return &p, nil
}

func (l *loader) grant(ctx context.Context, c *call.Call, p *partnership.Partnership, applicant *organisation.Organisation) error {
	existing, err := l.s.GrantList(ctx, grant.Filter{CallID: c.ID, PartnershipID: p.ID, OrganisationID: applicant.ID})
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return nil
	}
	g := &grant.Grant{CallID: c.ID, PartnershipID: p.ID, OrganisationID: applicant.ID, Amount: grantAmount, AwardedOn: awardedOn}
	if err := l.s.CreateGrant(ctx, actor, g); err != nil {
		return fmt.Errorf("create grant to %s: %w", applicant.Name, err)
	}
	return nil
}

func (l *loader) users(ctx context.Context) error {
	for _, a := range accountSpecs() {
		_, err := l.s.UserByEmail(ctx, a.Email)
		if err == nil {
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := l.createUser(ctx, a); err != nil {
			return err
		}
	}
	return markAccounts(ctx, l.s)
}

// markAccounts marks the demo's own accounts: while the database is the
// demo's (the "demo" setting), they sign in without a second factor, so
// a newcomer can try every role with the printed password. DEMO ONLY: the
// exemption covers these accounts and no other, and ends when the
// setting does (store.SecondFactors.SecondFactorStatus). A demo loaded
// before the marks existed is marked on its next start.
func markAccounts(ctx context.Context, s store.Store) error {
	for _, a := range accountSpecs() {
		u, err := s.UserByEmail(ctx, a.Email)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := s.MarkDemoAccount(ctx, actor, u.ID); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) createUser(ctx context.Context, a accountSpec) error {
	// The demo's passwords follow the rule every password follows.
	errs := validate.Errors{}
	user.CheckPassword(errs, "password", a.Password, a.Email, a.Name)
	if err := errs.Err(); err != nil {
		return fmt.Errorf("demo account %s: %w", a.Email, err)
	}
	hash, err := auth.HashPassword(a.Password)
	if err != nil {
		return err
	}
	role := user.Role{Kind: a.Role}
	switch {
	case a.orgCode != "":
		role.OrganisationID = l.swedish[a.orgCode].ID
	case a.partner != "":
		role.OrganisationID = l.partners[a.partner].ID
	}
	u := &user.User{Email: a.Email, Name: a.Name, PasswordHash: hash, Lang: a.Lang, Roles: []user.Role{role}}
	if err := l.s.CreateUser(ctx, actor, u); err != nil {
		return fmt.Errorf("create user %s: %w", a.Email, err)
	}
	return nil
}
