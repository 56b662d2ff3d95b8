package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/validate"
)

// sectionView and fieldView are a call's form with an application's
// answers, ready for the template: labels in the page's language, values
// as typed, errors translated, and the blocks as rows (with one blank row
// to add to, so adding works without JavaScript).
type sectionView struct {
	Key    string
	Title  string
	Help   string
	Fields []fieldView
}

type fieldView struct {
	Key       string
	Kind      form.Kind
	Label     string
	Help      string
	Required  bool
	WordLimit int
	Words     int
	Value     string
	Values    []string
	Error     string
	Options   []option
	Rows      []rowView
	Files     []*attachment.Attachment
	// Lists for the blocks' selects.
	TargetGroups, Channels, Categories []option
}

type rowView struct {
	Index  int
	Cells  map[string]string
	Errors map[string]string
	Blank  bool
}

// Has reports whether v is among the field's values.
func (f fieldView) Has(v string) bool {
	for _, x := range f.Values {
		if x == v {
			return true
		}
	}
	return false
}

// Describe is the aria-describedby of the field's control. A long text's
// word limit is shown in the hint even when the field has no help text.
func (f fieldView) Describe() string {
	var ids []string
	if f.Help != "" || (f.Kind == form.LongText && f.WordLimit > 0) {
		ids = append(ids, f.Key+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.Key+"-error")
	}
	return strings.Join(ids, " ")
}

func options(opts []form.Option, lang string) []option {
	out := make([]option, 0, len(opts))
	for _, o := range opts {
		out = append(out, option{Value: o.Value, Label: o.Label.In(lang)})
	}
	return out
}

// formView builds the view of c's form filled with a. errs are keyed as
// form.Check keys them.
func (b *Base) formView(c *call.Call, a *form.Answers, errs validate.Errors, files []*attachment.Attachment, blank bool) []sectionView {
	lang := b.Lang
	lists := c.Config.Lists
	tg, ch, cat := options(lists.TargetGroups, lang), options(lists.Channels, lang), options(lists.BudgetCategories, lang)
	var targets []option
	for _, g := range sdg.Goals() {
		group := b.T("goal.title", "Number", g.Number, "Name", g.Short.In(lang))
		for _, t := range g.Targets {
			label := t.Code + " " + t.ShortSV
			if lang == "en" {
				label = t.Code + " " + t.TitleEN
			}
			targets = append(targets, option{Value: t.Code, Label: label, Group: group})
		}
	}
	tr := func(key string) string {
		if key == "" {
			return ""
		}
		return b.T(key)
	}
	rowErrs := func(key string, i int) map[string]string {
		out := map[string]string{}
		prefix := key + "." + strconv.Itoa(i) + "."
		for k, v := range errs {
			if col, ok := strings.CutPrefix(k, prefix); ok {
				out[col] = b.T(v)
			}
		}
		return out
	}
	var out []sectionView
	for _, sec := range c.Config.Form.Sections {
		sv := sectionView{Key: sec.Key, Title: sec.Title.In(lang), Help: sec.Help.In(lang)}
		for _, fl := range sec.Fields {
			fv := fieldView{Key: fl.Key, Kind: fl.Kind, Label: fl.Label.In(lang), Help: fl.Help.In(lang), Required: fl.Required,
				WordLimit: fl.WordLimit, Value: a.Values[fl.Key], Error: tr(errs[fl.Key]), Options: options(fl.Options, lang),
				TargetGroups: tg, Channels: ch, Categories: cat}
			fv.Words = len(strings.Fields(fv.Value))
			switch fl.Kind {
			case form.MultiChoice:
				fv.Values = a.Multi[fl.Key]
			case form.SDGTargets:
				fv.Values, fv.Options = a.Targets, targets
			case form.File:
				for _, f := range files {
					if f.FieldKey == fl.Key {
						fv.Files = append(fv.Files, f)
					}
				}
			case form.TargetGroups:
				for i, row := range a.TargetGroups {
					fv.Rows = append(fv.Rows, rowView{Index: i, Cells: map[string]string{"group": row.Group, "message": row.Message}, Errors: rowErrs(fl.Key, i)})
				}
			case form.Activities:
				for i, row := range a.Activities {
					fv.Rows = append(fv.Rows, rowView{Index: i, Cells: map[string]string{"title": row.Title, "target_group": row.TargetGroup,
						"channel": row.Channel, "start": row.Start, "end": row.End, "cost": row.Cost}, Errors: rowErrs(fl.Key, i)})
				}
			case form.Budget:
				for i, row := range a.Budget {
					fv.Rows = append(fv.Rows, rowView{Index: i, Cells: map[string]string{"category": row.Category, "description": row.Description,
						"amount": row.Amount}, Errors: rowErrs(fl.Key, i)})
				}
			}
			if blank && (fl.Kind == form.TargetGroups || fl.Kind == form.Activities || fl.Kind == form.Budget) {
				fv.Rows = append(fv.Rows, rowView{Index: len(fv.Rows), Cells: map[string]string{}, Errors: map[string]string{}, Blank: true})
			}
			sv.Fields = append(sv.Fields, fv)
		}
		out = append(out, sv)
	}
	return out
}

// parseAnswers reads the answers from a posted form. Rows left entirely
// empty are dropped: that is how a row is removed without JavaScript.
// Attachments are kept from the stored answers (prev); uploads and
// removals are handled by the caller.
func parseAnswers(r *http.Request, c *call.Call, prev *form.Answers) form.Answers {
	a := form.Answers{Values: map[string]string{}, Multi: map[string][]string{}, Files: prev.Files}
	rows := func(key string, cols ...string) [][]string {
		var out [][]string
		for i := 0; i < 101; i++ {
			prefix := key + "." + strconv.Itoa(i) + "."
			present, empty := false, true
			row := make([]string, len(cols))
			for j, col := range cols {
				vals, ok := r.PostForm[prefix+col]
				if ok {
					present = true
					row[j] = strings.TrimSpace(vals[0])
					if row[j] != "" {
						empty = false
					}
				}
			}
			if !present {
				break
			}
			if !empty {
				out = append(out, row)
			}
		}
		return out
	}
	for _, fl := range c.Config.Form.Fields() {
		switch fl.Kind {
		case form.MultiChoice:
			a.Multi[fl.Key] = r.PostForm[fl.Key]
		case form.SDGTargets:
			a.Targets = r.PostForm[fl.Key]
		case form.File:
		case form.TargetGroups:
			for _, row := range rows(fl.Key, "group", "message") {
				a.TargetGroups = append(a.TargetGroups, form.TargetGroup{Group: row[0], Message: row[1]})
			}
		case form.Activities:
			for _, row := range rows(fl.Key, "title", "target_group", "channel", "start", "end", "cost") {
				a.Activities = append(a.Activities, form.Activity{Title: row[0], TargetGroup: row[1], Channel: row[2], Start: row[3], End: row[4], Cost: row[5]})
			}
		case form.Budget:
			for _, row := range rows(fl.Key, "category", "description", "amount") {
				a.Budget = append(a.Budget, form.BudgetLine{Category: row[0], Description: row[1], Amount: row[2]})
			}
		default:
			if v := r.PostFormValue(fl.Key); v != "" {
				a.Values[fl.Key] = v
			}
		}
	}
	return a
}

// Views the application templates pass to their partials.
type sectionData struct {
	*Base
	S sectionView
}

type fieldData struct {
	*Base
	F fieldView
}

type cellData struct {
	ID, Name, Label, Value, Error, Col, Choose string
	Options                                    []option
}

// sectionOf, fieldOf and cellOf give the form's partials what they render.
func sectionOf(pg pager, s sectionView) sectionData { return sectionData{Base: pg.base(), S: s} }

func fieldOf(b *Base, f fieldView) fieldData { return fieldData{Base: b, F: f} }

func cellOf(pg pager, key string, row rowView, col, labelKey string, opts []option) cellData {
	b := pg.base()
	name := key + "." + strconv.Itoa(row.Index) + "." + col
	return cellData{ID: strings.ReplaceAll(name, ".", "-"), Name: name, Label: b.T(labelKey), Value: row.Cells[col],
		Error: row.Errors[col], Col: col, Choose: b.T("form.choose"), Options: opts}
}

// kilobytes rounds a file size up to whole KB.
func kilobytes(size int64) int64 { return (size + 1023) / 1024 }
