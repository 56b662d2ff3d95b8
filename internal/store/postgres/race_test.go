package postgres

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/store/postgres/pgtest"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

var tester = audit.Actor{Name: "test"}

// raceRival runs do while a rival transaction holds uncommitted work that
// do must wait for: it runs rivalSQL in the rival, starts do, waits until
// do is blocked by the rival, commits the rival, and returns do's error.
// This makes the race deterministic: do has read what it reads before the
// rival commits, and writes after.
func raceRival(t *testing.T, s *Store, rivalSQL string, do func() error) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rival, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rival.Rollback()
	var rivalPID int
	if err := rival.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&rivalPID); err != nil {
		t.Fatal(err)
	}
	if _, err := rival.ExecContext(ctx, rivalSQL); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- do() }()
	for {
		var waiting bool
		err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid)))", rivalPID).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("finished without waiting for the rival transaction: %v", err)
		case <-time.After(2 * time.Millisecond): // poll pg_stat_activity, not a guess at timing
		}
	}
	if err := rival.Commit(); err != nil {
		t.Fatal(err)
	}
	return <-done
}

// TestUniqueRaceIsFieldError makes the race the check before an insert
// cannot see: another transaction has inserted the same code or address
// and not yet committed. The store's insert then waits on the unique
// index and fails with 23505 once the other commits, which must come out
// as the same field error the check gives.
func TestUniqueRaceIsFieldError(t *testing.T) {
	tests := []struct {
		name  string
		rival string
		do    func(s *Store) error
		field string
		key   string
	}{
		{
			name:  "organisation code",
			rival: `INSERT INTO organisations (kind, code, name, country, created_at, updated_at) VALUES ('municipality', '2514', 'Kalix kommun', 'SE', now(), now())`,
			do: func(s *Store) error {
				return s.CreateOrganisation(context.Background(), tester, &organisation.Organisation{Kind: organisation.Municipality, Code: "2514", Name: "Kalix kommun"})
			},
			field: "code", key: "error.org.duplicate_code",
		},
		{
			name:  "user e-mail",
			rival: `INSERT INTO users (email, name, created_at, updated_at) VALUES ('åsa.öberg@kalix.se', 'Åsa', now(), now())`,
			do: func(s *Store) error {
				return s.CreateUser(context.Background(), tester, &user.User{Email: "Åsa.Öberg@kalix.se", Name: "Åsa Öberg"})
			},
			field: "email", key: "error.user.email_taken",
		},
	}
	pgtest.URL(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t, clock.System{})
			err := raceRival(t, s, tt.rival, func() error { return tt.do(s) })
			var errs validate.Errors
			if !errors.As(err, &errs) || errs[tt.field] != tt.key {
				t.Fatalf("got %v, want a validation error %s=%s", err, tt.field, tt.key)
			}
		})
	}
}

// TestUpdateLocksRow saves each kind of record while another transaction
// has saved a newer version and not yet committed. The store must wait
// for it on the row lock and then see the newer version: ErrConflict.
// Reading the version without the lock would pass the check, then
// overwrite the other's change once it commits: a lost update.
func TestUpdateLocksRow(t *testing.T) {
	pgtest.URL(t)
	ctx := context.Background()
	s := openTest(t, clock.NewFixed(time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	kalix := &organisation.Organisation{Kind: organisation.Municipality, Code: "2514", Name: "Kalix kommun"}
	must(s.CreateOrganisation(ctx, tester, kalix))
	masaka := &organisation.Organisation{Kind: organisation.Partner, Country: "UG", Name: "Masaka"}
	must(s.CreateOrganisation(ctx, tester, masaka))
	ps := &partnership.Partnership{Name: "Kalix – Masaka", ThemeSV: "Miljö", Start: clock.Date(2020, 1, 1), Status: partnership.Active,
		Swedish: []organisation.Organisation{{ID: kalix.ID}}, Partners: []organisation.Organisation{{ID: masaka.ID}}}
	must(s.CreatePartnership(ctx, tester, ps))
	prog := &programme.Programme{NameSV: "Program", Funder: "Sida", Operator: "ICLD", TotalBudget: 1000}
	must(s.CreateProgramme(ctx, tester, prog))
	c := &call.Call{ProgrammeID: prog.ID, TitleSV: "Utlysning", OpensAt: clock.Date(2021, 3, 1), ClosesAt: clock.Date(2021, 4, 1), Ceiling: 100, MaxPerGrant: 10}
	must(s.CreateCall(ctx, tester, c))
	u := &user.User{Email: "a@kalix.se", Name: "A"}
	must(s.CreateUser(ctx, tester, u))

	tests := []struct {
		table string
		id    int64
		do    func() error
	}{
		{"organisations", masaka.ID, func() error { m := *masaka; m.Name = "Masaka DLG"; return s.UpdateOrganisation(ctx, tester, &m) }},
		{"partnerships", ps.ID, func() error { p := *ps; p.Name = "Kalix–Masaka"; return s.UpdatePartnership(ctx, tester, &p) }},
		{"programmes", prog.ID, func() error { p := *prog; p.TotalBudget = 2000; return s.UpdateProgramme(ctx, tester, &p) }},
		{"calls", c.ID, func() error { cc := *c; cc.Ceiling = 200; return s.UpdateCall(ctx, tester, &cc) }},
		{"users", u.ID, func() error { uu := *u; uu.Name = "B"; return s.UpdateUser(ctx, tester, &uu) }},
	}
	for _, tt := range tests {
		t.Run(tt.table, func(t *testing.T) {
			rival := "UPDATE " + tt.table + " SET version = version + 1 WHERE id = " + itoa(tt.id)
			if err := raceRival(t, s, rival, tt.do); !errors.Is(err, store.ErrConflict) {
				t.Errorf("got %v, want ErrConflict", err)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
