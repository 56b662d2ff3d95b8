// Package privacy holds the rules for the personal data partnerskap keeps
// (GDPR): how an erased person is named from then on, how their name and
// e-mail address are found and replaced in free text, who may not be
// erased, and how long the personal data of rejected and withdrawn
// applications is kept.
//
// What is personal data and what is the public record is documented in
// docs/PRIVACY.md: the store applies these rules in one transaction
// (store.ErasePerson, store.ApplyRetention).
package privacy

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/icld/partnerskap/internal/form"
)

// ErasedName is the name an erased person has from then on: the same in
// both languages, since it is stored in place of the name, and unique by
// the person's id so that the case files still tell two erased persons
// apart.
func ErasedName(id int64) string { return fmt.Sprintf("Raderad person %d", id) }

// ErasedEmail is the address an erased person has from then on: unique
// (users.email is) and undeliverable (.invalid is reserved, RFC 2606).
func ErasedEmail(id int64) string { return fmt.Sprintf("raderad-%d@invalid", id) }

// IsErased reports whether email is the address of an erased person.
func IsErased(email string) bool {
	return strings.HasPrefix(email, "raderad-") && strings.HasSuffix(email, "@invalid")
}

// Subject is whom an erasure looks for in free text: their name and e-mail
// address, each replaced by the erased person's.
type Subject struct {
	ID    int64
	Name  string
	Email string
}

// minNameRunes is the shortest name searched for in free text: shorter
// ones ("Bo") would match inside too many ordinary words' company. Such a
// name still goes from every column that names the person by id.
const minNameRunes = 4

// terms returns the strings looked for and what replaces each.
func (p Subject) terms() [][2]string {
	var out [][2]string
	if e := strings.TrimSpace(p.Email); e != "" {
		out = append(out, [2]string{e, ErasedEmail(p.ID)})
	}
	if n := strings.TrimSpace(p.Name); utf8.RuneCountInString(n) >= minNameRunes {
		out = append(out, [2]string{n, ErasedName(p.ID)})
	}
	return out
}

// Mentions reports whether text holds the person's name or e-mail address,
// ignoring case, as a whole word (so "Anna Berg" is not found in
// "Anna Bergström").
func (p Subject) Mentions(text string) bool {
	for _, t := range p.terms() {
		if len(find(text, t[0])) > 0 {
			return true
		}
	}
	return false
}

// Scrub replaces the person's name and e-mail address in text (as
// Mentions finds them) with the erased person's, and reports whether it
// changed anything. The replacements hold no character that JSON escapes,
// so a JSON document stays valid.
func (p Subject) Scrub(text string) (string, bool) {
	changed := false
	for _, t := range p.terms() {
		spans := find(text, t[0])
		if len(spans) == 0 {
			continue
		}
		var b strings.Builder
		last := 0
		for _, sp := range spans {
			b.WriteString(text[last:sp[0]])
			b.WriteString(t[1])
			last = sp[1]
		}
		b.WriteString(text[last:])
		text, changed = b.String(), true
	}
	return text, changed
}

// find returns the byte spans of the whole-word, case-insensitive
// occurrences of term in text.
func find(text, term string) [][2]int {
	lt, lterm := foldString(text), foldString(term)
	if len(lt.s) == 0 || lterm.s == "" {
		return nil
	}
	var out [][2]int
	from := 0
	for {
		i := strings.Index(lt.s[from:], lterm.s)
		if i < 0 {
			return out
		}
		start := from + i
		end := start + len(lterm.s)
		if boundary(lt.s, start, end) {
			out = append(out, [2]int{lt.pos[start], lt.pos[end]})
			from = end
		} else {
			_, size := utf8.DecodeRuneInString(lt.s[start:])
			from = start + size
		}
		if from >= len(lt.s) {
			return out
		}
	}
}

// folded is a lower-cased string with, for each byte offset in it (and
// its end), the offset in the original.
type folded struct {
	s   string
	pos []int
}

func foldString(s string) folded {
	var b strings.Builder
	pos := make([]int, 0, len(s)+1)
	for i, r := range s {
		l := unicode.ToLower(r)
		n := utf8.RuneLen(l)
		if n < 0 {
			l, n = utf8.RuneError, 3
		}
		b.WriteRune(l)
		for k := 0; k < n; k++ {
			pos = append(pos, i)
		}
	}
	pos = append(pos, len(s))
	return folded{b.String(), pos}
}

// boundary reports whether s[start:end] is not part of a longer word.
func boundary(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if wordRune(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if wordRune(r) {
			return false
		}
	}
	return true
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// ErrLastAdministrator refuses erasing the only active administrator: no
// one could then administer the system.
var ErrLastAdministrator = errors.New("privacy: the last active administrator cannot be erased")

// ErrSelf refuses an administrator erasing themselves: another
// administrator does it, so that two people are involved.
var ErrSelf = errors.New("privacy: administrators cannot erase themselves")

// CheckErase says whether the person with id may be erased by the
// administrator by, given whether the person is an active administrator and
// how many active administrators there are.
func CheckErase(by, id int64, activeAdmin bool, activeAdmins int) error {
	if by != 0 && by == id {
		return ErrSelf
	}
	if activeAdmin && activeAdmins <= 1 {
		return ErrLastAdministrator
	}
	return nil
}

// Retention is how long the personal data of a rejected or withdrawn
// application is kept after the rejection or withdrawal.
type Retention struct {
	Days int
}

// DefaultRetentionDays is two years: long enough for an appeal
// (three weeks), a new application in the next rounds (which often builds
// on the rejected one) and the programme's yearly follow-up by the funder,
// and no longer than the two-year period the Swedish archive rules commonly
// allow for culling (gallring) of rejected grant applications' supporting
// material.
const DefaultRetentionDays = 730

// Minimum and maximum retention an administrator may set: at least the
// appeal period, at most ten years.
const (
	MinRetentionDays = 30
	MaxRetentionDays = 3650
)

// ErrRetentionRange is the error for a retention outside the limits.
var ErrRetentionRange = errors.New("privacy: retention out of range")

// ParseRetention reads a retention in days as typed or stored; empty is
// the default.
func ParseRetention(s string) (Retention, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Retention{DefaultRetentionDays}, nil
	}
	var d int
	if _, err := fmt.Sscanf(s, "%d", &d); err != nil || fmt.Sprint(d) != s {
		return Retention{}, ErrRetentionRange
	}
	if d < MinRetentionDays || d > MaxRetentionDays {
		return Retention{}, ErrRetentionRange
	}
	return Retention{d}, nil
}

// Cutoff is the moment before which a rejection or withdrawal has been
// kept long enough at now.
func (r Retention) Cutoff(now time.Time) time.Time {
	return now.AddDate(0, 0, -r.Days)
}

// RetentionSetting is the settings key the retention is stored under.
const RetentionSetting = "privacy.retention_days"

// RetainedStates are the application states whose personal data the
// retention removes: no grant came of them.
var RetainedStates = []string{"rejected", "withdrawn"}

// StripAnswers removes from a the personal data the retention removes:
// the answers to f's fields marked personal and every attachment
// reference (the files go too). It reports whether a changed.
func StripAnswers(f *form.Form, a *form.Answers) bool {
	changed := false
	for _, fl := range f.Fields() {
		if !fl.Personal {
			continue
		}
		if _, ok := a.Values[fl.Key]; ok {
			delete(a.Values, fl.Key)
			changed = true
		}
		if _, ok := a.Multi[fl.Key]; ok {
			delete(a.Multi, fl.Key)
			changed = true
		}
	}
	if len(a.Files) > 0 {
		a.Files = nil
		changed = true
	}
	return changed
}
