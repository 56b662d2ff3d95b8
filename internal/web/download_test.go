package web_test

import (
	"context"
	"encoding/csv"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/export"
	"github.com/icld/partnerskap/internal/organisation"
)

// formulas are names that a spreadsheet would run as formulas if a
// download wrote them as they are.
var formulas = []string{`=HYPERLINK("http://x","y")`, "+1", "-1+1", "@SUM(1;2)", "\t=1+1", "\r=1+1"}

// plantFormulas gives the demo's records formula names where every
// download shows them: Kalix – Masaka and Kalix kommun (the partnerships
// and the grants register), a document in the registry, and an actor in
// the log. It returns what each download must show, neutralised.
func plantFormulas(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	by := audit.Actor{Name: "-1+1"} // an actor with a formula for a name, in the log
	p, err := e.store.Partnership(ctx, e.partnershipID("Kalix – Masaka"))
	if err != nil {
		t.Fatal(err)
	}
	p.Name = formulas[0]
	if err := e.store.UpdatePartnership(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	orgs, err := e.store.OrganisationList(ctx, organisation.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	renamed := 0
	for _, o := range orgs {
		if o.Name == "Kalix kommun" || o.Name == "Växjö kommun" {
			o.Name = formulas[3]
			if renamed == 1 {
				o.Name = formulas[4]
			}
			if err := e.store.UpdateOrganisation(ctx, by, o); err != nil {
				t.Fatal(err)
			}
			renamed++
		}
	}
	if renamed != 2 {
		t.Fatalf("renamed %d organisations, want 2", renamed)
	}
	apps, err := e.store.ApplicationList(ctx, application.Filter{States: []application.State{application.Submitted}})
	if err != nil || len(apps) == 0 {
		t.Fatalf("no submitted application: %v", err)
	}
	for _, title := range []string{formulas[1], formulas[2], formulas[5]} {
		if _, err := e.store.RegisterDocument(ctx, by, apps[0].ID, title); err != nil {
			t.Fatal(err)
		}
	}
}

// downloadIDs fills the {parameters} of download routes that have them:
// a new CSV download with a parameter needs a line here, or
// TestDownloadsAreFormulaSafe fails.
var downloadIDs = map[string]func(e *env) string{}

// mustShow is what each CSV download must show, neutralised, once the
// formulas are planted: proof that the planted data reached the file.
var mustShow = map[string]string{
	"partnerships.csv":    `'=HYPERLINK(`,
	"public.grants":       `'@SUM(1;2)`,
	"audit.export.csv":    `'-1+1`,
	"registry.export.csv": `'+1`,
}

// TestDownloadsAreFormulaSafe walks the route table: every GET route
// whose path ends in .csv, and every one without parameters that answers
// text/csv as it is or with ?format=csv, is downloaded by an
// administrator and a visitor, with records named as formulas, and must
// give a file with a byte order mark in which no cell starts with a
// formula trigger (=, +, -, @, tab, carriage return). A new CSV download
// that bypasses internal/export fails here.
func TestDownloadsAreFormulaSafe(t *testing.T) {
	e := newEnv(t, "https://partnerskap.example")
	plantFormulas(t, e)
	admin, anon := e.login("admin@demo.partnerskap.se"), e.client()
	checked := map[string]bool{}
	for _, reg := range e.web.Registered() {
		name, pattern := reg[0], reg[1]
		method, path, ok := strings.Cut(pattern, " ")
		if !ok || method != "GET" {
			continue
		}
		path = strings.TrimSuffix(path, "{$}")
		isCSV := strings.HasSuffix(path, ".csv")
		if strings.Contains(path, "{") {
			fill, ok := downloadIDs[name]
			if !ok {
				if isCSV {
					t.Errorf("%s (%s): a CSV download with parameters: add it to downloadIDs", name, pattern)
				}
				continue
			}
			path = fill(e)
		}
		for _, c := range []struct {
			who    string
			client func() *http.Client
		}{{"admin", func() *http.Client { return admin }}, {"anon", func() *http.Client { return anon }}} {
			for _, suffix := range []string{"", "?format=csv"} {
				res := e.get(c.client(), path+suffix)
				if !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
					if isCSV && c.who == "admin" && suffix == "" {
						t.Errorf("%s %s: status %d, %q: a .csv route that gives no CSV to an administrator", name, path, res.status, res.header.Get("Content-Type"))
					}
					continue
				}
				checked[name] = true
				checkFormulaSafe(t, name+" "+path+suffix+" as "+c.who, res.body)
				if want := mustShow[name]; want != "" && !strings.Contains(res.body, want) {
					t.Errorf("%s %s as %s: no %q: the planted data is not in the file\n%s", name, path+suffix, c.who, want, res.body)
				}
			}
		}
	}
	for name := range mustShow {
		if !checked[name] {
			t.Errorf("%s: not found as a CSV download", name)
		}
	}
	t.Logf("CSV downloads checked: %v", checked)
}

// checkFormulaSafe parses a CSV download: a byte order mark, then records
// with no cell starting with a formula trigger (a plain number is one).
func checkFormulaSafe(t *testing.T, what, body string) {
	t.Helper()
	rest, ok := strings.CutPrefix(body, export.BOM)
	if !ok {
		t.Errorf("%s: no byte order mark: %.40q", what, body)
	}
	r := csv.NewReader(strings.NewReader(rest))
	records, err := r.ReadAll()
	if err != nil {
		t.Errorf("%s: does not parse: %v", what, err)
		return
	}
	if len(records) < 2 {
		t.Errorf("%s: %d records, want a header and rows", what, len(records))
	}
	for i, rec := range records {
		for j, cell := range rec {
			if cell != "" && strings.IndexByte(export.Triggers, cell[0]) >= 0 && !export.IsNumber(cell) {
				t.Errorf("%s: record %d cell %d starts with a formula trigger: %q", what, i, j, cell)
			}
		}
	}
}

// TestCSVOnlyThroughExport: no code outside internal/export writes CSV or
// names its media type, so every CSV download goes through the writer
// that neutralises formulas.
func TestCSVOnlyThroughExport(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "export" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && id.Name == "csv" && x.Sel.Name == "NewWriter" {
					t.Errorf("%s: csv.NewWriter outside internal/export: write downloads with export.NewCSV", fset.Position(x.Pos()))
				}
			case *ast.BasicLit:
				if s, err := strconv.Unquote(x.Value); err == nil && strings.Contains(s, "text/csv") {
					t.Errorf("%s: the CSV media type outside internal/export: use export.CSVContentType", fset.Position(x.Pos()))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
