package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/organisation"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store/sqlite"
	_ "modernc.org/sqlite"
)

// BenchmarkCreateGrant measures a whole durable grant: lock, read the
// call, the partnership and the call's sum, check, insert, audit, commit
// with synchronous=FULL. BenchmarkRawInsert, run beside it, is the limit:
// one single-row INSERT per durable commit on the same disk.
func BenchmarkCreateGrant(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), clock.System{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	by := audit.System("bench")
	if _, err := s.LoadReferenceOrganisations(ctx, by, organisation.Reference()); err != nil {
		b.Fatal(err)
	}
	kalix, _ := s.OrganisationByCode(ctx, "2514")
	masaka := &organisation.Organisation{Kind: organisation.Partner, Country: "UG", Name: "Masaka"}
	must(b, s.CreateOrganisation(ctx, by, masaka))
	p := &partnership.Partnership{Name: "Kalix – Masaka", ThemeSV: "Miljö", Start: clock.Date(2020, 1, 1), Status: partnership.Active,
		Swedish: []organisation.Organisation{{ID: kalix.ID}}, Partners: []organisation.Organisation{{ID: masaka.ID}}}
	must(b, s.CreatePartnership(ctx, by, p))
	prog := &programme.Programme{NameSV: "P", Funder: "Sida", Operator: "ICLD", TotalBudget: 1 << 60}
	must(b, s.CreateProgramme(ctx, by, prog))
	c := &call.Call{ProgrammeID: prog.ID, TitleSV: "C", OpensAt: time.Now(), ClosesAt: time.Now().Add(time.Hour), Ceiling: 1 << 60, MaxPerGrant: 100}
	must(b, s.CreateCall(ctx, by, c))
	b.ResetTimer()
	for b.Loop() {
		must(b, s.CreateGrant(ctx, by, &grant.Grant{CallID: c.ID, PartnershipID: p.ID, OrganisationID: kalix.ID, Amount: 100, AwardedOn: clock.Date(2021, 6, 1)}))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

func BenchmarkRawInsert(b *testing.B) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "raw.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.Exec("INSERT INTO t (v) VALUES (1)"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSubmitDeadlineRush submits applications from 8 goroutines at
// once, as on a closing day: each submission checks the answers, freezes a
// version, takes the next registration number, records the timeline and
// audit and queues two mails, in one durable transaction. The single writer
// connection queues them in Go, so none fails with SQLITE_BUSY.
func BenchmarkSubmitDeadlineRush(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), clock.System{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	by := audit.System("bench")
	if _, err := s.LoadReferenceOrganisations(ctx, by, organisation.Reference()); err != nil {
		b.Fatal(err)
	}
	kalix, _ := s.OrganisationByCode(ctx, "2514")
	masaka := &organisation.Organisation{Kind: organisation.Partner, Country: "UG", Name: "Masaka"}
	must(b, s.CreateOrganisation(ctx, by, masaka))
	p := &partnership.Partnership{Name: "Kalix – Masaka", ThemeSV: "Miljö", Start: clock.Date(2020, 1, 1), Status: partnership.Active,
		Swedish: []organisation.Organisation{{ID: kalix.ID}}, Partners: []organisation.Organisation{{ID: masaka.ID}}}
	must(b, s.CreatePartnership(ctx, by, p))
	prog := &programme.Programme{NameSV: "P", Funder: "Sida", Operator: "ICLD", TotalBudget: 1 << 60}
	must(b, s.CreateProgramme(ctx, by, prog))
	c := &call.Call{ProgrammeID: prog.ID, TitleSV: "C", OpensAt: time.Now().Add(-time.Hour), ClosesAt: time.Now().Add(time.Hour),
		Ceiling: 1 << 60, MaxPerGrant: 1 << 40, Config: call.DefaultConfig()}
	must(b, s.CreateCall(ctx, by, c))
	answers := form.Answers{
		Values:       map[string]string{"title": "Utställning", "summary": "Om partnerskapet.", "objectives": "Kunskap.", "survey_plan": "Före och efter."},
		TargetGroups: []form.TargetGroup{{Group: "pupils", Message: "Plasten i Masaka och Kalix."}},
		Activities:   []form.Activity{{Title: "Utställning", TargetGroup: "pupils", Channel: "exhibition", Start: "2027-01-01", End: "2027-02-01", Cost: "10 000"}},
		Budget:       []form.BudgetLine{{Category: "communicator", Description: "Kommunikatör", Amount: "100 000"}},
		Targets:      []string{"12.5"},
	}
	// The drafts are made before the clock starts: the rush is the submits.
	apps := make([]*application.Application, b.N)
	for i := range apps {
		a := &application.Application{CallID: c.ID, PartnershipID: p.ID, OrganisationID: kalix.ID, Answers: answers}
		must(b, s.CreateApplication(ctx, by, a))
		apps[i] = a
	}
	mails := func() []mail.Message {
		return []mail.Message{{To: "a@kalix.se", Subject: "Mottagen", Body: "Tack"}, {To: "h@icld.se", Subject: "Ny", Body: "Ny ansökan"}}
	}
	next := make(chan *application.Application, len(apps))
	for _, a := range apps {
		next <- a
	}
	close(next)
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range next {
				if _, err := s.SubmitApplication(ctx, by, a.ID, a.Version, mails()); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}
