package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/store"
)

// testCaseNumbers follows an application's case through the registry:
// the first submission opens case 2021/0001 and is its document 1; the
// completion request, the resubmission, the decision, a document the
// officer registers and the grant's report are its documents 2 to 6,
// registered while another application's case is 2021/0002. The
// application's number stays 2021/0001 throughout and the resubmission
// returns it to the formal check; a search for the case number finds
// exactly its documents.
func testCaseNumbers(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	a := e.create(e.call, e.answers("Återbruk i Kalix", "100 000"))
	b := e.create(e.call, e.answers("Vatten och skola", "50 000"))
	// A draft has no case to register a document in.
	if _, err := s.RegisterDocument(ctx(), officer, a.ID, "Brev"); !errors.Is(err, application.ErrTransition) {
		t.Errorf("document in a draft's case: %v", err)
	}
	clk.Set(Start.Add(time.Hour))
	var got []string
	got = append(got, e.submit(a).Number)
	got = append(got, e.submit(b).Number)
	e.move(a, application.StartCheck)
	must(t, s.Transition(ctx(), officer, a.ID, application.RequestCompletion, "Budgeten saknar underlag.", nil))
	e.reload(a)
	if a.RegNumber != "2021/0001" {
		t.Errorf("after the completion request: number %q, want 2021/0001", a.RegNumber)
	}
	a.Answers.Values["title"] = "Återbruk i Kalix, reviderad"
	must(t, s.SaveDraft(ctx(), applicant, a))
	re := e.submit(a)
	got = append(got, re.Number)
	if a.RegNumber != "2021/0001" || a.State != application.FormalCheck || a.Submissions != 2 {
		t.Errorf("resubmitted: number %q, state %s, submissions %d; want 2021/0001, formal check, 2", a.RegNumber, a.State, a.Submissions)
	}
	e.move(a, application.PassCheck)
	d := &decision.Decision{ApplicationID: a.ID, Outcome: decision.Granted}
	must(t, s.Decide(ctx(), officer, d, nil))
	got = append(got, d.RegNumber)
	wantField(t, errOf(s.RegisterDocument(ctx(), officer, a.ID, "  ")), "title", "error.required")
	doc, err := s.RegisterDocument(ctx(), officer, a.ID, " E-post från Kalix om startdatum ")
	must(t, err)
	if doc.Kind != registry.Document || doc.Title != "E-post från Kalix om startdatum" || doc.ApplicationID != a.ID {
		t.Errorf("document: %+v", doc)
	}
	got = append(got, doc.Number)
	// The report comes the year after: it is still a document of the
	// 2021 case, and a new case that year is 2022/0001.
	clk.Set(time.Date(2022, 1, 20, 10, 0, 0, 0, time.UTC))
	g, err := s.Grant(ctx(), d.GrantID)
	must(t, err)
	r := finalReport(g, "100 000", "")
	must(t, s.SaveReport(ctx(), grantee, r))
	rep, err := s.SubmitReport(ctx(), grantee, r.ID, r.Version, nil)
	must(t, err)
	got = append(got, rep.Number)
	want := []string{"2021/0001-1", "2021/0002-1", "2021/0001-3", "2021/0001-4", "2021/0001-5", "2021/0001-6"}
	if !slices.Equal(got, want) {
		t.Errorf("numbers %v, want %v", got, want)
	}
	winter := e.newCall("Vinterutlysning", clk.Now(), clk.Now().Add(30*24*time.Hour), 100_000_000, application.Steps{})
	if n := e.submit(e.create(winter, e.answers("Nytt år", "10 000"))).Number; n != "2022/0001-1" {
		t.Errorf("first case of 2022: %s, want 2022/0001-1", n)
	}
	// Every number cites the case; the snapshots, decision and report
	// keep their documents' numbers.
	e.reload(a)
	if a.RegNumber != "2021/0001" {
		t.Errorf("application number %q, want 2021/0001", a.RegNumber)
	}
	snaps, err := s.Snapshots(ctx(), a.ID)
	must(t, err)
	if len(snaps) != 2 || snaps[0].RegNumber != "2021/0001-1" || snaps[1].RegNumber != "2021/0001-3" {
		t.Errorf("snapshots: %+v", snaps)
	}
	if dd, err := s.Decision(ctx(), a.ID); err != nil || dd.RegNumber != "2021/0001-4" {
		t.Errorf("decision: %+v, %v", dd, err)
	}
	if rr, err := s.Report(ctx(), r.ID); err != nil || rr.RegNumber != "2021/0001-6" {
		t.Errorf("report: %+v, %v", rr, err)
	}
	// Searching the case number finds its documents, newest first, with
	// their kinds; the other case is not among them.
	list, err := s.RegistryList(ctx(), registry.Filter{Query: "2021/0001"})
	must(t, err)
	var nums []string
	var kinds []registry.Kind
	for _, en := range list {
		nums = append(nums, en.Number)
		kinds = append(kinds, en.Kind)
		if en.ApplicationID != a.ID || en.Year != 2021 || en.Seq != 1 || en.CaseNumber() != "2021/0001" || en.FormerNumber != "" {
			t.Errorf("entry of the case: %+v", en)
		}
	}
	if !slices.Equal(nums, []string{"2021/0001-6", "2021/0001-5", "2021/0001-4", "2021/0001-3", "2021/0001-2", "2021/0001-1"}) ||
		!slices.Equal(kinds, []registry.Kind{registry.Report, registry.Document, registry.Decision, registry.Resubmission, registry.CompletionRequest, registry.Application}) {
		t.Errorf("case 2021/0001: %v %v", nums, kinds)
	}
	if list[4].Title != "Begäran om komplettering: Återbruk i Kalix" {
		t.Errorf("completion request: %+v", list[4])
	}
	e.wantSeqs(2021, 2)
	e.wantSeqs(2022, 1)
}

// errOf keeps the error of a call that also returns a value.
func errOf[T any](_ T, err error) error { return err }

// testConcurrentCaseDocuments registers documents at once: many in each
// of two cases while new applications are submitted, each opening a case.
// Every case's documents are numbered 1..k and the year's cases 1..n,
// each number once.
func testConcurrentCaseDocuments(t *testing.T, s store.Store, clk *clock.Fixed) {
	e := newAppEnv(t, s, clk)
	cases := []*application.Application{
		e.create(e.call, e.answers("Första ärendet", "10 000")),
		e.create(e.call, e.answers("Andra ärendet", "10 000")),
	}
	for _, a := range cases {
		e.submit(a)
	}
	const perCase, fresh = 12, 8
	apps := make([]*application.Application, fresh)
	for i := range apps {
		apps[i] = e.create(e.call, e.answers(fmt.Sprintf("Ny ansökan %d", i), "10 000"))
	}
	var mu sync.Mutex
	numbers := map[int64][]string{} // application → its new documents' numbers
	var wg sync.WaitGroup
	fail := make(chan error, 2*perCase+fresh)
	for i := range perCase {
		for _, a := range cases {
			wg.Go(func() {
				en, err := s.RegisterDocument(ctx(), officer, a.ID, fmt.Sprintf("Handling %d", i))
				if err != nil {
					fail <- err
					return
				}
				mu.Lock()
				numbers[a.ID] = append(numbers[a.ID], en.Number)
				mu.Unlock()
			})
		}
	}
	for _, a := range apps {
		wg.Go(func() {
			en, err := s.SubmitApplication(ctx(), applicant, a.ID, a.Version, nil)
			if err != nil {
				fail <- err
				return
			}
			mu.Lock()
			numbers[a.ID] = append(numbers[a.ID], en.Number)
			mu.Unlock()
		})
	}
	wg.Wait()
	close(fail)
	for err := range fail {
		t.Fatalf("registration: %v", err)
	}
	for i, a := range cases {
		var want []string
		for d := 2; d <= perCase+1; d++ {
			want = append(want, registry.FormatDoc("", 2021, i+1, d))
		}
		got := numbers[a.ID]
		slices.Sort(got)
		slices.SortFunc(want, func(x, y string) int { return slices.Compare([]byte(x), []byte(y)) })
		if !slices.Equal(got, want) {
			t.Errorf("case %d: %v, want %v", i+1, got, want)
		}
	}
	seen := map[string]bool{}
	for _, a := range apps {
		got := numbers[a.ID]
		if len(got) != 1 {
			t.Fatalf("application %d: %v", a.ID, got)
		}
		e.reload(a)
		if seen[a.RegNumber] || got[0] != a.RegNumber+"-1" {
			t.Errorf("application %d: number %s, document %s", a.ID, a.RegNumber, got[0])
		}
		seen[a.RegNumber] = true
	}
	e.wantSeqs(2021, len(cases)+fresh)
}
