package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/sdg"
)

// An application's answers, read-only, as every reader sees them: the
// officer's case, the reviewer's page and the applicant's own page once
// the application is no longer editable all lay them out here, so amounts
// read as money and SDG targets carry their titles the same way on each.

// answerSection is a section of the call's form with the answers given.
type answerSection struct {
	Title  string
	Fields []answerField
}

// answerField is one answer as a reader sees it: lines of text, or a
// table for the built-in blocks, or files.
type answerField struct {
	Key    string
	Label  string
	Lines  []string   // simple answers, one entry per line or choice
	Head   []string   // column headings of a block
	Num    []bool     // which of a block's columns hold amounts (aligned right)
	Rows   [][]string // a block's rows, cells as shown
	Files  []fileLink
	IsFile bool   // an attachments question: empty means no files, not unanswered
	Total  string // the budget's total, computed
}

// Empty reports whether nothing was answered.
func (f answerField) Empty() bool { return len(f.Lines) == 0 && len(f.Rows) == 0 && len(f.Files) == 0 }

// flat is the answer as one string, to compare versions.
func (f answerField) flat() []string {
	out := append([]string(nil), f.Lines...)
	for _, r := range f.Rows {
		out = append(out, strings.Join(r, " · "))
	}
	for _, fl := range f.Files {
		out = append(out, fl.Name)
	}
	return out
}

type fileLink struct {
	Name string
	URL  string
	Size string
}

func formOptionLabel(opts []form.Option, v, lang string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label.In(lang)
		}
	}
	return v
}

// shownAmount writes an amount the applicant typed as money in the page's
// language ("60 000 kr", "SEK 60,000"), or as typed if it is not one.
func shownAmount(v, lang string) string {
	if strings.TrimSpace(v) == "" {
		return v
	}
	ore, err := money.Parse(v)
	if err != nil {
		return v
	}
	return money.Format(ore, lang)
}

// NumCol reports whether column i of a block holds amounts.
func (f answerField) NumCol(i int) bool { return i < len(f.Num) && f.Num[i] }

// answerSections lays out answers by the call's form, in the page's
// language. Amounts show as money when they read as one, else as typed.
func answerSections(b *Base, c *call.Call, a *form.Answers, files []*attachment.Attachment, appID int64) []answerSection {
	lang := b.Lang
	lists := c.Config.Lists
	var out []answerSection
	for _, sec := range c.Config.Form.Sections {
		as := answerSection{Title: sec.Title.In(lang)}
		for _, fl := range sec.Fields {
			af := answerField{Key: fl.Key, Label: fl.Label.In(lang)}
			v := strings.TrimSpace(a.Values[fl.Key])
			switch fl.Kind {
			case form.ShortText, form.Number, form.Date:
				if v != "" {
					af.Lines = []string{v}
				}
			case form.Money:
				if v != "" {
					af.Lines = []string{shownAmount(v, lang)}
				}
			case form.LongText:
				if v != "" {
					af.Lines = strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n")
				}
			case form.SingleChoice:
				if v != "" {
					af.Lines = []string{formOptionLabel(fl.Options, v, lang)}
				}
			case form.MultiChoice:
				for _, x := range a.Multi[fl.Key] {
					af.Lines = append(af.Lines, formOptionLabel(fl.Options, x, lang))
				}
			case form.File:
				af.IsFile = true
				for _, id := range a.Files[fl.Key] {
					// An earlier version may name a file deleted since.
					link := fileLink{Name: b.T("case.file_removed", "ID", id)}
					for _, f := range files {
						if f.ID == id {
							link = fileLink{Name: f.Filename, URL: b.URL("app.file", appID, f.ID), Size: sizeText(f.Size, lang)}
						}
					}
					af.Files = append(af.Files, link)
				}
			case form.TargetGroups:
				af.Head = []string{b.T("case.col.target_group"), b.T("case.col.message")}
				for _, tg := range a.TargetGroups {
					af.Rows = append(af.Rows, []string{formOptionLabel(lists.TargetGroups, tg.Group, lang), tg.Message})
				}
			case form.Activities:
				af.Head = []string{b.T("case.col.activity"), b.T("case.col.target_group"), b.T("case.col.channel"), b.T("case.col.period"), b.T("case.col.cost")}
				af.Num = []bool{false, false, false, false, true}
				for _, act := range a.Activities {
					af.Rows = append(af.Rows, []string{act.Title, formOptionLabel(lists.TargetGroups, act.TargetGroup, lang),
						formOptionLabel(lists.Channels, act.Channel, lang), act.Start + " – " + act.End, shownAmount(act.Cost, lang)})
				}
			case form.Budget:
				af.Head = []string{b.T("case.col.category"), b.T("case.col.description"), b.T("case.col.amount")}
				af.Num = []bool{false, false, true}
				for _, l := range a.Budget {
					af.Rows = append(af.Rows, []string{formOptionLabel(lists.BudgetCategories, l.Category, lang), l.Description, shownAmount(l.Amount, lang)})
				}
				af.Total = money.Format(a.Requested(), lang)
			case form.SDGTargets:
				for _, code := range a.Targets {
					t := sdg.TargetByCode(code)
					switch {
					case t == nil:
						af.Lines = append(af.Lines, code)
					case lang == "en":
						af.Lines = append(af.Lines, code+" "+t.TitleEN)
					default:
						af.Lines = append(af.Lines, code+" "+t.ShortSV)
					}
				}
			}
			as.Fields = append(as.Fields, af)
		}
		out = append(out, as)
	}
	return out
}

func sizeText(n int64, lang string) string {
	kb := (n + 1023) / 1024
	s := strconv.FormatInt(kb, 10) + " kB"
	if kb >= 1024 {
		mb := strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
		if lang != "en" {
			mb = strings.Replace(mb, ".", ",", 1)
		}
		s = mb + " MB"
	}
	return s
}

// fieldChange is one answer that differs between two versions.
type fieldChange struct {
	Section, Label string
	Before, After  []string
}

// diffSections lists the answers that changed from old to new, in form order.
func diffSections(old, new []answerSection) []fieldChange {
	var out []fieldChange
	for i, sec := range new {
		for j, f := range sec.Fields {
			if i >= len(old) || j >= len(old[i].Fields) {
				continue
			}
			before, after := old[i].Fields[j].flat(), f.flat()
			if !slices.Equal(before, after) {
				out = append(out, fieldChange{Section: sec.Title, Label: f.Label, Before: before, After: after})
			}
		}
	}
	return out
}

type answersData struct {
	*Base
	Sections []answerSection
}

func answersOf(pg pager, secs []answerSection) answersData {
	return answersData{Base: pg.base(), Sections: secs}
}
