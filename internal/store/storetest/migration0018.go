package storetest

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/store"
)

// Pre0018 is registry data as it stood before migration 0018, when every
// document had its own number in the year: application 1 was submitted
// (2021/0001), completed and resubmitted (2021/0003) and decided
// (2021/0004, confidential), and its report came in the next year under a
// prefix (KOM 2022/0001); application 2 was submitted once (2021/0002);
// a grant recorded without an application reported (2021/0005). Both
// engines run it on the schema of migration 0017, with foreign keys not
// checked (the rows they point to do not matter here).
const Pre0018 = `
INSERT INTO applications (id, call_id, partnership_id, organisation_id, state, answers, requested, version, submissions, created_at, updated_at, submitted_at, reg_number) VALUES
 (1, 1, 1, 1, 'granted', '{}', 100, 5, 2, '2021-03-01T10:00:00Z', '2021-03-10T10:00:00Z', '2021-03-05T10:00:00Z', '2021/0003'),
 (2, 1, 1, 1, 'submitted', '{}', 100, 2, 1, '2021-03-01T10:00:00Z', '2021-03-02T10:00:00Z', '2021-03-02T10:00:00Z', '2021/0002'),
 (3, 1, 1, 1, 'draft', '{}', 100, 1, 0, '2021-03-01T10:00:00Z', '2021-03-01T10:00:00Z', NULL, '');
INSERT INTO application_snapshots (application_id, number, answers, requested, submitted_at, reg_number) VALUES
 (1, 1, '{}', 100, '2021-03-01T10:00:00Z', '2021/0001'),
 (1, 2, '{}', 100, '2021-03-05T10:00:00Z', '2021/0003'),
 (2, 1, '{}', 100, '2021-03-02T10:00:00Z', '2021/0002');
INSERT INTO decisions (application_id, outcome, amount, decider_name, decided_at, reg_number) VALUES
 (1, 'granted', 100, 'Handläggare', '2021-03-10T10:00:00Z', '2021/0004');
INSERT INTO reports (id, grant_id, kind, state, submitted_at, reg_number, created_at, updated_at) VALUES
 (1, 1, 'final', 'submitted', '2022-01-20T10:00:00Z', 'KOM 2022/0001', '2022-01-20T10:00:00Z', '2022-01-20T10:00:00Z'),
 (2, 2, 'final', 'submitted', '2021-12-01T10:00:00Z', '2021/0005', '2021-12-01T10:00:00Z', '2021-12-01T10:00:00Z'),
 (3, 3, 'final', 'draft', NULL, '', '2021-12-01T10:00:00Z', '2021-12-01T10:00:00Z');
INSERT INTO registry (id, year, seq, number, kind, title, application_id, at, confidential, reason, by_user) VALUES
 (1, 2021, 1, '2021/0001', 'application', 'Återbruk i Kalix', 1, '2021-03-01T10:00:00Z', FALSE, '', NULL),
 (2, 2021, 2, '2021/0002', 'application', 'Vatten och skola', 2, '2021-03-02T10:00:00Z', FALSE, '', NULL),
 (3, 2021, 3, '2021/0003', 'resubmission', 'Återbruk i Kalix', 1, '2021-03-05T10:00:00Z', FALSE, '', NULL),
 (4, 2021, 4, '2021/0004', 'decision', 'Beslut: Återbruk i Kalix', 1, '2021-03-10T10:00:00Z', TRUE, 'OSL 21 kap. 3 §', NULL),
 (5, 2021, 5, '2021/0005', 'report', 'Slutrapport: Arvika – Ndola', NULL, '2021-12-01T10:00:00Z', FALSE, '', NULL),
 (6, 2022, 1, 'KOM 2022/0001', 'report', 'Slutrapport: Kalix – Masaka', 1, '2022-01-20T10:00:00Z', FALSE, '', NULL);
`

// CheckMigration0018 checks what migration 0018 made of Pre0018: an
// application's documents are numbered within the case of its first
// submission, keep their old numbers as former numbers (findable), and the
// application, its snapshots, decision and report cite the new numbers.
func CheckMigration0018(t *testing.T, s store.Store) {
	t.Helper()
	list, err := s.RegistryList(ctx(), registry.Filter{})
	must(t, err)
	type row struct{ number, former string }
	var got []row
	for _, e := range list {
		got = append(got, row{e.Number, e.Former()})
	}
	want := []row{{"2021/0005-1", ""}, {"2021/0002-1", ""}, {"2021/0001-4", "KOM 2022/0001"}, {"2021/0001-3", "2021/0004"},
		{"2021/0001-2", "2021/0003"}, {"2021/0001-1", ""}}
	if !slices.Equal(got, want) {
		t.Errorf("registry after 0018:\n got %v\nwant %v", got, want)
	}
	for _, e := range list {
		if e.Number == "2021/0001-3" && (!e.Confidential || e.Reason != "OSL 21 kap. 3 §" || e.Kind != registry.Decision) {
			t.Errorf("the decision's entry: %+v", e)
		}
	}
	for q, want := range map[string][]string{
		"2021/0001":     {"2021/0001-4", "2021/0001-3", "2021/0001-2", "2021/0001-1"},
		"2021/0003":     {"2021/0001-2"}, // a former number still finds its document
		"kom 2022/0001": {"2021/0001-4"},
	} {
		found, err := s.RegistryList(ctx(), registry.Filter{Query: q})
		must(t, err)
		var nums []string
		for _, e := range found {
			nums = append(nums, e.Number)
		}
		if !slices.Equal(nums, want) {
			t.Errorf("search %q: %v, want %v", q, nums, want)
		}
	}
	for id, want := range map[int64]string{1: "2021/0001", 2: "2021/0002", 3: ""} {
		a, err := s.Application(ctx(), id)
		must(t, err)
		if a.RegNumber != want {
			t.Errorf("application %d: number %q, want %q", id, a.RegNumber, want)
		}
	}
	for id, want := range map[int64][]string{1: {"2021/0001-1", "2021/0001-2"}, 2: {"2021/0002-1"}} {
		snaps, err := s.Snapshots(ctx(), id)
		must(t, err)
		var nums []string
		for _, sn := range snaps {
			nums = append(nums, sn.RegNumber)
		}
		if !slices.Equal(nums, want) {
			t.Errorf("snapshots of %d: %v, want %v", id, nums, want)
		}
	}
	d, err := s.Decision(ctx(), 1)
	must(t, err)
	if d.RegNumber != "2021/0001-3" {
		t.Errorf("decision: %q, want 2021/0001-3", d.RegNumber)
	}
	for id, want := range map[int64]string{1: "2021/0001-4", 2: "2021/0005-1", 3: ""} {
		r, err := s.Report(ctx(), id)
		must(t, err)
		if r.RegNumber != want {
			t.Errorf("report %d: %q, want %q", id, r.RegNumber, want)
		}
	}
	// Numbering goes on in the case, without gaps.
	e, err := s.RegisterDocument(ctx(), Officer, 1, "Brev från Kalix")
	must(t, err)
	if e.Number != "2021/0001-5" || e.Year != 2021 || e.Seq != 1 || e.Doc != 5 {
		t.Errorf("next document of the case: %+v", e)
	}
}

// MigrateTo0017 brings an empty database to the schema of migration 0017
// by running the migration files in dir (an engine's migrations folder)
// up to it and recording them in schema_migrations (created by create),
// so that opening the store afterwards runs 0018 and later on it.
func MigrateTo0017(t *testing.T, db *sql.DB, dir, create string) {
	t.Helper()
	must(t, errOf(db.ExecContext(ctx(), create)))
	names, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	must(t, err)
	sort.Strings(names)
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		must(t, err)
		if version >= 18 {
			break
		}
		body, err := os.ReadFile(name)
		must(t, err)
		if _, err := db.ExecContext(ctx(), string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		must(t, errOf(db.ExecContext(ctx(), fmt.Sprintf("INSERT INTO schema_migrations (version, applied_at) VALUES (%d, '2021-01-01T00:00:00Z')", version))))
	}
}
