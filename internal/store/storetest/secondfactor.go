package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
)

// testSecondFactor checks enrolment, codes used once (TOTP steps and
// recovery codes, also when tried at once), pending sessions, disabling,
// an administrator's reset (ending the person's sessions), new recovery
// codes, the demo exemption and the audit log.
func testSecondFactor(t *testing.T, s store.Store, clk *clock.Fixed) {
	u := &user.User{Email: "tvasteg@kalix.se", Name: "Örjan Åkesson", Roles: []user.Role{{Kind: user.Officer}}}
	must(t, s.CreateUser(ctx(), officer, u))
	me := audit.Actor{UserID: u.ID, Name: u.Name}
	now := clk.Now()

	st, err := s.SecondFactorStatus(ctx(), u.ID)
	must(t, err)
	if st.Enrolled || st.DemoExempt {
		t.Fatalf("new user: %+v", st)
	}
	if _, err := s.SecondFactorStatus(ctx(), 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("status of no user: %v", err)
	}
	if _, err := s.UseSecondFactor(ctx(), u.ID, "123456", now); !errors.Is(err, user.ErrWrongCode) {
		t.Errorf("code without a factor: %v", err)
	}

	secret, _, err := user.NewTOTPSecret(u.Email)
	must(t, err)
	codes, hashes := user.NewRecoveryCodes()
	enrolStep := user.TOTPStep(now)
	must(t, s.EnrolSecondFactor(ctx(), me, u.ID, secret, hashes, enrolStep))
	if err := s.EnrolSecondFactor(ctx(), me, u.ID, secret, hashes, enrolStep); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second enrolment: %v, want a conflict", err)
	}
	st, err = s.SecondFactorStatus(ctx(), u.ID)
	must(t, err)
	if !st.Enrolled || st.RecoveryLeft != user.RecoveryCodeCount || st.EnrolledAt.IsZero() {
		t.Fatalf("enrolled: %+v", st)
	}

	// The code that confirmed the enrolment (this step) is spent; the
	// next step's code works once.
	code := func(at time.Time) string {
		c, err := user.TOTPCode(secret, at)
		must(t, err)
		return c
	}
	if _, err := s.UseSecondFactor(ctx(), u.ID, code(now), now); !errors.Is(err, user.ErrWrongCode) {
		t.Errorf("the enrolment's code again: %v", err)
	}
	later := now.Add(user.TOTPPeriod)
	if rec, err := s.UseSecondFactor(ctx(), u.ID, code(later), later); err != nil || rec {
		t.Errorf("next code: recovery %v, %v", rec, err)
	}
	if _, err := s.UseSecondFactor(ctx(), u.ID, code(later), later); !errors.Is(err, user.ErrWrongCode) {
		t.Errorf("replayed code: %v", err)
	}
	if _, err := s.UseSecondFactor(ctx(), u.ID, "000000", later.Add(time.Hour)); !errors.Is(err, user.ErrWrongCode) && code(later.Add(time.Hour)) != "000000" {
		t.Errorf("wrong code: %v", err)
	}

	// Twenty requests with the same recovery code at once: one succeeds.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, wrong := 0, 0
	for range 20 {
		wg.Go(func() {
			_, err := s.UseSecondFactor(ctx(), u.ID, strings.ToUpper(codes[0]), later)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, user.ErrWrongCode):
				wrong++
			default:
				t.Errorf("recovery code at once: %v", err)
			}
		})
	}
	wg.Wait()
	if ok != 1 || wrong != 19 {
		t.Errorf("the same recovery code 20 times at once: %d succeeded, %d refused; want 1 and 19", ok, wrong)
	}
	st, err = s.SecondFactorStatus(ctx(), u.ID)
	must(t, err)
	if st.RecoveryLeft != user.RecoveryCodeCount-1 {
		t.Errorf("recovery codes left: %d", st.RecoveryLeft)
	}

	// New recovery codes replace the old ones.
	newCodes, newHashes := user.NewRecoveryCodes()
	must(t, s.RegenerateRecoveryCodes(ctx(), me, u.ID, newHashes))
	if _, err := s.UseSecondFactor(ctx(), u.ID, codes[1], later); !errors.Is(err, user.ErrWrongCode) {
		t.Errorf("an old recovery code after regenerating: %v", err)
	}
	if rec, err := s.UseSecondFactor(ctx(), u.ID, newCodes[1], later); err != nil || !rec {
		t.Errorf("a new recovery code: %v, %v", rec, err)
	}

	// Pending sessions: found by SessionAuth only, not listed, no sign-in.
	must(t, s.CreateSession(ctx(), user.Session{TokenHash: []byte("pending"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.PendingSignIn), Pending: true}))
	if _, err := s.SessionUser(ctx(), []byte("pending"), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SessionUser of a pending session: %v", err)
	}
	if got, pending, err := s.SessionAuth(ctx(), []byte("pending"), now); err != nil || !pending || got.ID != u.ID {
		t.Errorf("SessionAuth of a pending session: %v, %v", pending, err)
	}
	if _, _, err := s.SessionAuth(ctx(), []byte("pending"), now.Add(user.PendingSignIn)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("pending session after %v: %v", user.PendingSignIn, err)
	}
	if got, err := s.User(ctx(), u.ID); err != nil || !got.LastLoginAt.IsZero() {
		t.Errorf("a pending session counted as a sign-in: %v, %v", got.LastLoginAt, err)
	}
	must(t, s.CreateSession(ctx(), user.Session{TokenHash: []byte("full"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime)}))
	if _, pending, err := s.SessionAuth(ctx(), []byte("full"), now); err != nil || pending {
		t.Errorf("SessionAuth of a complete session: %v, %v", pending, err)
	}
	if list, err := s.UserSessions(ctx(), u.ID, now); err != nil || len(list) != 1 {
		t.Errorf("listed sessions: %d, %v; want the complete one", len(list), err)
	}

	// An administrator's reset removes the factor and ends every session.
	alva := &user.User{Email: "alva.reset@icld.se", Name: "Alva Administratör", Roles: []user.Role{{Kind: user.Administrator}}}
	must(t, s.CreateUser(ctx(), officer, alva))
	admin := audit.Actor{UserID: alva.ID, Name: alva.Name}
	// Nobody but an administrator resets one (the store re-checks the one
	// acting, as for roles).
	if err := s.ResetSecondFactor(ctx(), audit.Actor{UserID: u.ID, Name: u.Name}, alva.ID); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a non-administrator's reset: %v, want a conflict", err)
	}
	must(t, s.ResetSecondFactor(ctx(), admin, u.ID))
	st, err = s.SecondFactorStatus(ctx(), u.ID)
	must(t, err)
	if st.Enrolled || st.RecoveryLeft != 0 {
		t.Errorf("after reset: %+v", st)
	}
	for _, tok := range []string{"full", "pending"} {
		if _, _, err := s.SessionAuth(ctx(), []byte(tok), now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session %s after reset: %v", tok, err)
		}
	}
	if _, err := s.UseSecondFactor(ctx(), u.ID, newCodes[2], later); !errors.Is(err, user.ErrWrongCode) {
		t.Errorf("a recovery code after reset: %v", err)
	}
	if err := s.RegenerateRecoveryCodes(ctx(), me, u.ID, newHashes); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("recovery codes without a factor: %v", err)
	}

	// Enrol again, then disable.
	must(t, s.EnrolSecondFactor(ctx(), me, u.ID, secret, hashes, 0))
	must(t, s.DisableSecondFactor(ctx(), me, u.ID))
	if err := s.DisableSecondFactor(ctx(), me, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("disable twice: %v", err)
	}

	// The audit log has each change and never the secret or a code.
	log, err := s.AuditLog(ctx(), audit.Filter{Entity: "user", EntityID: u.ID})
	must(t, err)
	seen := map[string]int{}
	for _, e := range log {
		seen[e.Action]++
		for _, raw := range []string{string(e.Before), string(e.After)} {
			if strings.Contains(raw, secret) || strings.Contains(raw, codes[0]) || strings.Contains(raw, newCodes[1]) {
				t.Errorf("audit entry %s holds a secret: %s", e.Action, raw)
			}
		}
	}
	for action, n := range map[string]int{"second_factor.enrol": 2, "second_factor.recovery_used": 2, "second_factor.recovery_codes": 1,
		"second_factor.reset": 1, "second_factor.disable": 1} {
		if seen[action] != n {
			t.Errorf("audit %s: %d entries, want %d", action, seen[action], n)
		}
	}
	for _, e := range log {
		if e.Action == "second_factor.reset" && e.Actor.UserID != admin.UserID {
			t.Errorf("reset logged as by %+v", e.Actor)
		}
	}

	// Becoming an officer without a factor ends one's sessions (the next
	// sign-in enrols); with a factor, they stay.
	for _, enrolled := range []bool{false, true} {
		a := &user.User{Email: fmt.Sprintf("blir.handlaggare.%v@kalix.se", enrolled), Name: "Blir Handläggare",
			Roles: []user.Role{{Kind: user.Reviewer}}}
		must(t, s.CreateUser(ctx(), officer, a))
		if enrolled {
			must(t, s.EnrolSecondFactor(ctx(), me, a.ID, secret, hashes, 0))
		}
		tok := []byte(fmt.Sprintf("promoted-%v", enrolled))
		must(t, s.CreateSession(ctx(), user.Session{TokenHash: tok, UserID: a.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime)}))
		must(t, s.SetUserRoles(ctx(), officer, a.ID, []user.Role{{Kind: user.Reviewer}, {Kind: user.Officer}}))
		_, err := s.SessionUser(ctx(), tok, now)
		if enrolled && err != nil {
			t.Errorf("an officer's role given to one with a factor ended the session: %v", err)
		}
		if !enrolled && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an officer's role given to one without a factor kept the session: %v", err)
		}
	}

	// The demo exemption: only a marked account, and only while the
	// database is the demo's.
	must(t, s.MarkDemoAccount(ctx(), audit.System("demo"), u.ID))
	if st, _ := s.SecondFactorStatus(ctx(), u.ID); st.DemoExempt {
		t.Error("a demo account is exempt in a database that is not the demo's")
	}
	must(t, s.SetSetting(ctx(), audit.System("demo"), "demo", "loaded 2021-06-01T10:00:00Z"))
	if st, _ := s.SecondFactorStatus(ctx(), u.ID); !st.DemoExempt {
		t.Error("a demo account is not exempt in the demo")
	}
	other := &user.User{Email: "annan@kalix.se", Name: "Anna Annan", Roles: []user.Role{{Kind: user.Officer}}}
	must(t, s.CreateUser(ctx(), officer, other))
	if st, _ := s.SecondFactorStatus(ctx(), other.ID); st.DemoExempt {
		t.Error("an account the demo did not create is exempt")
	}
}
