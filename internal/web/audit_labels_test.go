package web_test

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/i18n"
)

// auditSink is a function that writes an audit entry from its arguments:
// the index of the action argument, and either the index of the entity
// argument or the entity it always writes.
type auditSink struct {
	action, entity int
	fixedEntity    string
}

// auditSinks are every function through which an action reaches
// store.writeAudit. A new wrapper that passes its own parameter on makes
// TestAuditActionsTranslated fail until it is listed here, so no action
// can slip past the check.
var auditSinks = map[string]auditSink{
	"writeAudit":        {action: 3, entity: 4},
	"RecordEvent":       {action: 2, entity: 3},
	"RecordEventDetail": {action: 2, entity: 3},
	"moveMoney":         {action: 2, entity: -1, fixedEntity: "grant"},
	"recordMovement":    {action: 3, entity: -1, fixedEntity: "grant"},
	"changeUser":        {action: 3, entity: -1, fixedEntity: "user"},
}

// TestAuditActionsTranslated walks every action the code can write to the
// audit log (the literal actions of store.writeAudit and the functions
// that lead to it, and every value of a domain Event passed as one) and
// checks that the officers' log names it, and the kind of record, in both
// languages: no "pay" or "settle" on a Swedish page.
func TestAuditActionsTranslated(t *testing.T) {
	dirs, err := filepath.Glob("../*")
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := auditActions(t, auditSinks, dirs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) < 40 {
		t.Fatalf("found only %d actions: the scan is broken", len(pairs))
	}
	for _, must := range [][2]string{{"grant", "pay"}, {"grant", "settle"}, {"story", "publish"}, {"application", "withdraw"}, {"user", "login"}} {
		if !slices.Contains(pairs, must) {
			t.Errorf("the scan misses %s %s", must[0], must[1])
		}
	}
	for _, lang := range i18n.Langs {
		keys, err := i18n.Keys(lang)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pairs {
			entity, action := p[0], p[1]
			if !slices.Contains(keys, "audit.action."+entity+"."+action) && !slices.Contains(keys, "audit.action."+action) {
				t.Errorf("%s: the action %q on %s has no audit.action.%s.%s or audit.action.%s", lang, action, entity, entity, action, action)
			}
			if (i == 0 || pairs[i-1][0] != entity) && !slices.Contains(keys, "audit.entity."+entity) {
				t.Errorf("%s: the kind of record %q has no audit.entity.%s", lang, entity, entity)
			}
		}
	}
}

// TestTimelineEventsTranslated: every event an application's timeline
// records (store.addChange) is named in both languages, on the
// applicant's page and the officer's case (app.event.*).
func TestTimelineEventsTranslated(t *testing.T) {
	pairs, err := auditActions(t, map[string]auditSink{"addChange": {action: 6, entity: -1, fixedEntity: "application"}}, "../store")
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) < 8 {
		t.Fatalf("found only %d events: the scan is broken", len(pairs))
	}
	for _, lang := range i18n.Langs {
		keys, err := i18n.Keys(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pairs {
			if !slices.Contains(keys, "app.event."+p[1]) {
				t.Errorf("%s: the timeline event %q has no app.event.%s", lang, p[1], p[1])
			}
		}
	}
}

// auditActions returns the (entity, action) pairs the non-test Go files of
// dirs can write to the audit log, sorted.
func auditActions(t *testing.T, sinks map[string]auditSink, dirs ...string) ([][2]string, error) {
	t.Helper()
	fset := token.NewFileSet()
	seen := map[[2]string]bool{}
	for _, dir := range dirs {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				return nil, err
			}
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					sink, ok := sinks[calleeName(call)]
					if !ok || len(call.Args) <= sink.action {
						return true
					}
					where := fset.Position(call.Pos()).String()
					entities := []string{sink.fixedEntity}
					if sink.entity >= 0 {
						entities = resolveEntity(t, sinks, fn, call.Args[sink.entity], where)
					}
					for _, a := range resolveAction(t, sinks, fn, call.Args[sink.action], where) {
						for _, e := range entities {
							seen[[2]string{e, a}] = true
						}
					}
					return true
				})
			}
		}
	}
	var out [][2]string
	for p := range seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0]+" "+out[i][1] < out[j][0]+" "+out[j][1] })
	return out, nil
}

func calleeName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// isForwarded reports whether name is a parameter of fn, a sink itself:
// its callers are scanned instead.
func isForwarded(t *testing.T, sinks map[string]auditSink, fn *ast.FuncDecl, name, where string) bool {
	t.Helper()
	for _, field := range fn.Type.Params.List {
		for _, n := range field.Names {
			if n.Name == name {
				if _, ok := sinks[fn.Name.Name]; !ok {
					t.Errorf("%s: %s passes its parameter %s on: list %s among the sinks", where, fn.Name.Name, name, fn.Name.Name)
				}
				return true
			}
		}
	}
	return false
}

// resolveAction tells the actions expr can hold: a literal, a local
// variable given literals, or string(e) of a domain Event parameter (every
// Event constant of that package).
func resolveAction(t *testing.T, sinks map[string]auditSink, fn *ast.FuncDecl, expr ast.Expr, where string) []string {
	t.Helper()
	switch x := expr.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(x.Value); err == nil {
			return []string{s}
		}
	case *ast.Ident:
		if isForwarded(t, sinks, fn, x.Name, where) {
			return nil
		}
		if vals := literalsAssigned(fn, x.Name); len(vals) > 0 {
			return vals
		}
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "string" && len(x.Args) == 1 {
			switch arg := x.Args[0].(type) {
			case *ast.Ident: // string(e), e a parameter of type pkg.Event
				if pkg := paramPackage(fn, arg.Name); pkg != "" {
					if vals := eventConstants(t, pkg, ""); len(vals) > 0 {
						return vals
					}
				}
			case *ast.SelectorExpr: // string(pkg.Submit)
				if pkg, ok := arg.X.(*ast.Ident); ok {
					if vals := eventConstants(t, pkg.Name, arg.Sel.Name); len(vals) == 1 {
						return vals
					}
				}
			}
		}
	}
	t.Errorf("%s: cannot tell which action %s writes to the audit log; write a literal or teach this test", where, exprString(expr))
	return nil
}

// resolveEntity tells the kind of record expr names: a literal, or a
// literal prefix before ":" ("setting:"+key).
func resolveEntity(t *testing.T, sinks map[string]auditSink, fn *ast.FuncDecl, expr ast.Expr, where string) []string {
	t.Helper()
	switch x := expr.(type) {
	case *ast.BasicLit:
		s, _ := strconv.Unquote(x.Value)
		kind, _, _ := strings.Cut(s, ":")
		return []string{kind}
	case *ast.BinaryExpr:
		if lit, ok := x.X.(*ast.BasicLit); ok {
			s, _ := strconv.Unquote(lit.Value)
			kind, _, _ := strings.Cut(s, ":")
			return []string{kind}
		}
	case *ast.Ident:
		if isForwarded(t, sinks, fn, x.Name, where) {
			return nil
		}
	}
	t.Errorf("%s: cannot tell which record %s names in the audit log", where, exprString(expr))
	return nil
}

// literalsAssigned returns the string literals assigned to name in fn.
func literalsAssigned(fn *ast.FuncDecl, name string) []string {
	var out []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == name {
				if lit, ok := as.Rhs[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, s)
				}
			}
		}
		return true
	})
	return out
}

// paramPackage returns the package of a parameter typed pkg.Event.
func paramPackage(fn *ast.FuncDecl, name string) string {
	for _, field := range fn.Type.Params.List {
		sel, ok := field.Type.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Event" {
			continue
		}
		for _, n := range field.Names {
			if n.Name == name {
				if pkg, ok := sel.X.(*ast.Ident); ok {
					return pkg.Name
				}
			}
		}
	}
	return ""
}

// eventConstants returns the values of the constants of type Event in the
// domain package internal/<pkg>, or of the one named name.
func eventConstants(t *testing.T, pkg, name string) []string {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), filepath.Join("..", pkg), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, s := range gd.Specs {
					vs := s.(*ast.ValueSpec)
					if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Event" {
						continue
					}
					for i, v := range vs.Values {
						if name != "" && vs.Names[i].Name != name {
							continue
						}
						if lit, ok := v.(*ast.BasicLit); ok {
							s, _ := strconv.Unquote(lit.Value)
							out = append(out, s)
						}
					}
				}
			}
		}
	}
	return out
}

func exprString(e ast.Expr) string {
	var b strings.Builder
	printer.Fprint(&b, token.NewFileSet(), e)
	return b.String()
}
