// Package activity describes what a grantee actually did with a grant: an
// activity on a date, aimed at a target group through a channel, the people
// it reached in each target group, what it cost, the evidence that it took
// place and the SDG targets it concerned. Planned activities are part of
// the application (form.Activity); these are the ones carried out, which
// the reports and the programme's reach figures are built from.
//
// The target groups and channels are the call's lists (form.Lists), data an
// officer configures, so this package checks values against the lists it is
// given rather than against a fixed set.
//
// Evidence is a link, an uploaded file (a photo of the exhibition, the
// printed folder), or both. The file's bytes are kept in the file store the
// application attachments use; the activity holds what describes them.
package activity

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/validate"
)

// MaxReach is the most people one activity may report for one target
// group: about the population of Sweden (10.6 million in 2024). The
// audience is Swedish politicians, civil servants and citizens, so a larger
// number is a typing mistake, not a success.
const MaxReach = 10_600_000

// Limits on what one activity may hold.
const (
	maxTitle    = 300
	maxEvidence = 2000
	maxTargets  = 50
)

// Error keys, shown next to the field they concern.
const (
	ErrReachNumber   = "error.activity.reach_number"   // not a whole number
	ErrReachNegative = "error.activity.reach_negative" // below zero
	ErrReachAbsurd   = "error.activity.reach_absurd"   // above the population of Sweden
	ErrDateFuture    = "error.activity.date_future"    // not carried out yet
	ErrEvidenceURL   = "error.activity.evidence_url"   // not an http(s) link
)

// Activity is one activity a grantee carried out.
type Activity struct {
	ID          int64
	GrantID     int64
	Date        time.Time        // a date (midnight UTC), when it took place
	Title       string           // what it was
	TargetGroup string           // the main target group: a value of the call's target groups
	Channel     string           // a value of the call's channels
	Reach       map[string]int64 // people reached per target group; groups with none are left out
	Cost        string           // kronor as typed; "" when not given
	Evidence    string           // an http(s) link showing it took place; "" for none
	File        *EvidenceFile    // an uploaded file showing it took place; nil for none
	Targets     []string         // SDG target codes, in the UN's order
	Version     int
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// EvidenceFile is an uploaded file showing that an activity took place:
// its content checked by attachment.Check, its bytes kept in the file
// store under StorageKey.
type EvidenceFile struct {
	Filename    string // as shown and offered for download (attachment.SafeName)
	ContentType string // the type its content was found to be
	Size        int64  // bytes
	SHA256      string // lower-case hex
	StorageKey  string // the file store's key
}

// CostOre returns the cost in öre, 0 when none (or none readable) is given.
func (a *Activity) CostOre() int64 {
	if strings.TrimSpace(a.Cost) == "" {
		return 0
	}
	ore, err := money.Parse(a.Cost)
	if err != nil || ore < 0 {
		return 0
	}
	return ore
}

// TotalReach returns the people reached in all target groups. Each
// activity counts its own audience, so a person reached twice counts twice:
// totals are contacts, not unique people.
func (a *Activity) TotalReach() int64 {
	var n int64
	for _, v := range a.Reach {
		n += v
	}
	return n
}

// Normalize trims what was typed, drops groups reached by nobody, and puts
// the targets in order without repeats.
func (a *Activity) Normalize() {
	a.Title = strings.TrimSpace(a.Title)
	a.TargetGroup = strings.TrimSpace(a.TargetGroup)
	a.Channel = strings.TrimSpace(a.Channel)
	a.Cost = strings.TrimSpace(a.Cost)
	a.Evidence = strings.TrimSpace(a.Evidence)
	for g, n := range a.Reach {
		if n == 0 {
			delete(a.Reach, g)
		}
	}
	if len(a.Reach) == 0 {
		a.Reach = nil
	}
	var targets []string
	for _, t := range a.Targets {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	sdg.SortTargets(targets)
	a.Targets = targets
}

// Validate checks the activity against the call's lists on today (a
// date): field errors keyed by the form's field names, with reach errors
// under "reach.<group>" (e.g. "reach.pupils").
func (a *Activity) Validate(lists form.Lists, today time.Time) validate.Errors {
	e := validate.Errors{}
	if a.GrantID == 0 {
		e.Add("grant", "error.required")
	}
	if a.Date.IsZero() {
		e.Add("date", "error.required")
	} else if a.Date.After(today) {
		e.Add("date", ErrDateFuture)
	}
	e.Required("title", a.Title)
	e.MaxLen("title", a.Title, maxTitle)
	checkChoice(e, "target_group", a.TargetGroup, lists.TargetGroups)
	checkChoice(e, "channel", a.Channel, lists.Channels)
	for g, n := range a.Reach {
		key := "reach." + g
		switch {
		case !hasOption(lists.TargetGroups, g):
			e.Add(key, "error.invalid_choice")
		case n < 0:
			e.Add(key, ErrReachNegative)
		case n > MaxReach:
			e.Add(key, ErrReachAbsurd)
		}
	}
	if a.Cost != "" {
		if ore, err := money.Parse(a.Cost); err != nil {
			e.Add("cost", err.Error())
		} else if ore < 0 {
			e.Add("cost", money.ErrNegative.Error())
		}
	}
	if a.Evidence != "" {
		e.MaxLen("evidence", a.Evidence, maxEvidence)
		if !isWebLink(a.Evidence) {
			e.Add("evidence", ErrEvidenceURL)
		}
	}
	if f := a.File; f != nil && (f.StorageKey == "" || f.Filename == "" || f.ContentType == "" || f.Size <= 0 || len(f.SHA256) != 64) {
		e.Add("evidence_file", "error.required")
	}
	if len(a.Targets) > maxTargets {
		e.Add("targets", "error.form.too_many_rows")
	}
	for _, t := range a.Targets {
		if sdg.TargetByCode(t) == nil {
			e.Add("targets", "error.invalid_choice")
		}
	}
	return e
}

func checkChoice(e validate.Errors, field, v string, opts []form.Option) {
	switch {
	case v == "":
		e.Add(field, "error.required")
	case !hasOption(opts, v):
		e.Add(field, "error.invalid_choice")
	}
}

func hasOption(opts []form.Option, v string) bool {
	return slices.ContainsFunc(opts, func(o form.Option) bool { return o.Value == v })
}

// isWebLink reports whether s is an absolute http or https address with a
// host: a link a reader can follow, never javascript: or a local file.
func isWebLink(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// ParseReach reads a number of people as typed ("1 200", "1200"); blank is
// none (0). It returns the error key for what cannot be a number of people
// (ErrReachNumber, ErrReachNegative, ErrReachAbsurd) and "" otherwise.
func ParseReach(s string) (int64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ""
	}
	digits := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	digits = strings.Replace(digits, "−", "-", 1)
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		// A huge number is absurd rather than unreadable.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			if strings.HasPrefix(digits, "-") {
				return 0, ErrReachNegative
			}
			return 0, ErrReachAbsurd
		}
		return 0, ErrReachNumber
	}
	switch {
	case n < 0:
		return n, ErrReachNegative
	case n > MaxReach:
		return n, ErrReachAbsurd
	}
	return n, ""
}

// ReachInput writes a count back as a form field shows it ("" for none).
func ReachInput(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}
