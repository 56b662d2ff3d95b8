// Package material describes the material bank: what grantees produce to
// communicate their partnership — presentations, films, exhibition panels,
// school lesson kits, press texts, strategies — published with a licence,
// so that anyone can find it and other municipalities can reuse it.
//
// An item comes from one partnership and is either a file (its content
// checked by attachment.CheckType, its bytes kept in the file store the
// application attachments use) or a link to where it lives, such as a film
// on a video site. It is public only while it is published; an officer can
// take any item down, with a reason the publisher sees.
package material

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/validate"
)

// Kind is what sort of material an item is.
type Kind string

const (
	Presentation Kind = "presentation"
	Film         Kind = "film"
	Exhibition   Kind = "exhibition" // exhibition panels
	LessonKit    Kind = "lesson_kit" // a school lesson kit
	PressText    Kind = "press_text"
	Strategy     Kind = "strategy" // a communication strategy or plan
	Report       Kind = "report"
	Other        Kind = "other"
)

// Kinds lists every kind, in the order forms and filters offer them.
var Kinds = []Kind{Presentation, Film, Exhibition, LessonKit, PressText, Strategy, Report, Other}

// Languages are the languages the material itself may be in (ISO 639-1):
// Swedish and English, the world languages of the programme's partner
// countries, and the national languages of the pilot's partners (Swahili
// in Kenya, Luganda in Uganda, Nyanja in Zambia, Setswana in Botswana,
// Vietnamese, Albanian in Kosovo). A short list keeps the filter usable;
// a material in another language picks the nearest or is described in
// its text.
var Languages = []string{"sv", "en", "fr", "es", "pt", "ar", "sw", "lg", "ny", "tn", "vi", "sq"}

// Licence is a licence a publisher may choose. Open licences let anyone
// reuse the material on their terms; "all rights reserved" means asking
// the partnership first.
type Licence struct {
	Code string // SPDX identifier, or AllRightsReserved
	Name string // as it is written everywhere: "CC BY 4.0"
	deed string // the licence deed, without its language suffix
	Open bool   // others may reuse it without asking
}

// AllRightsReserved is the code of the one licence that is not open.
const AllRightsReserved = "all-rights-reserved"

// Licences lists the licences offered, the recommended one first.
var Licences = []Licence{
	{Code: "CC-BY-4.0", Name: "CC BY 4.0", deed: "https://creativecommons.org/licenses/by/4.0/", Open: true},
	{Code: "CC-BY-SA-4.0", Name: "CC BY-SA 4.0", deed: "https://creativecommons.org/licenses/by-sa/4.0/", Open: true},
	{Code: "CC-BY-NC-4.0", Name: "CC BY-NC 4.0", deed: "https://creativecommons.org/licenses/by-nc/4.0/", Open: true},
	{Code: "CC0-1.0", Name: "CC0 1.0", deed: "https://creativecommons.org/publicdomain/zero/1.0/", Open: true},
	{Code: AllRightsReserved, Name: "", Open: false},
}

// LicenceByCode returns the licence with code, or nil.
func LicenceByCode(code string) *Licence {
	for i := range Licences {
		if Licences[i].Code == code {
			return &Licences[i]
		}
	}
	return nil
}

// DeedURL is the licence deed in lang ("sv" or "en"): the human-readable
// summary Creative Commons publishes in both; "" for all rights reserved.
func (l *Licence) DeedURL(lang string) string {
	if l == nil || l.deed == "" {
		return ""
	}
	if lang != "sv" {
		lang = "en"
	}
	return l.deed + "deed." + lang
}

// TargetGroups are the target groups an item may be made for: the
// programme's own vocabulary, the one new calls start with
// (form.DefaultLists), so material and activities speak of the same
// people.
func TargetGroups() []form.Option { return form.DefaultLists().TargetGroups }

// IsTargetGroup reports whether v is one of TargetGroups.
func IsTargetGroup(v string) bool {
	return slices.ContainsFunc(TargetGroups(), func(o form.Option) bool { return o.Value == v })
}

// State is where an item stands.
type State string

const (
	Draft     State = "draft"     // seen only by its publishers (and officers)
	Published State = "published" // public
	Removed   State = "removed"   // taken down by an officer, with a reason
)

// File is an item's uploaded file.
type File struct {
	Filename    string // as offered for download (attachment.SafeName)
	ContentType string // the type its content was found to be
	Size        int64  // bytes
	SHA256      string // lower-case hex
	StorageKey  string // the file store's key
}

// Item is one material in the bank.
type Item struct {
	ID            int64
	PartnershipID int64
	Kind          Kind
	TitleSV       string
	TitleEN       string
	DescriptionSV string
	DescriptionEN string
	Languages     []string // of the material itself, in the order of Languages
	Licence       string   // a Licence's Code
	Author        string   // who made it, as it is to be credited
	TargetGroups  []string // values of TargetGroups, in its order
	Goals         []int    // SDG goals, sorted
	File          *File    // the file; nil for a link
	Link          string   // an https address; "" for a file
	State         State
	RemovedReason string // why an officer took it down
	Downloads     int64
	PublishedAt   time.Time // when it was last published; zero if never
	Version       int
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Title returns the title in lang, falling back to the other language.
func (it *Item) Title(lang string) string {
	if it.TextLang(lang) == "en" {
		return it.TitleEN
	}
	return it.TitleSV
}

// Description returns the description in the language Title chose.
func (it *Item) Description(lang string) string {
	if it.TextLang(lang) == "en" {
		return it.DescriptionEN
	}
	return it.DescriptionSV
}

// TextLang is the language Title and Description are in for a reader of
// lang: lang itself, or the other one when the item has no text in lang
// (so a page can mark it with a lang attribute).
func (it *Item) TextLang(lang string) string {
	if lang == "en" && it.TitleEN == "" {
		return "sv"
	}
	if lang != "en" && it.TitleSV == "" {
		return "en"
	}
	return lang
}

// IsPublic reports whether the public may see and download the item.
func (it *Item) IsPublic() bool { return it.State == Published }

// LicenceInfo returns the item's licence.
func (it *Item) LicenceInfo() *Licence { return LicenceByCode(it.Licence) }

// Limits on what one item may hold.
const (
	MaxSize        = 25 << 20 // the largest file: 25 MiB, a print-ready set of exhibition panels
	maxTitle       = 200
	maxDescription = 5000
	maxAuthor      = 200
	maxLink        = 2000
	maxReason      = 1000
)

// Error keys, shown next to the field they concern.
const (
	ErrFileOrLink    = "error.material.file_or_link"   // neither a file nor a link
	ErrBothFileLink  = "error.material.both_file_link" // a file and a link
	ErrLinkHTTPS     = "error.material.link_https"     // a link that is not an https address
	ErrLanguageHalf  = "error.material.language_half"  // a title without a description, or the reverse
	ErrNeedsLanguage = "error.material.needs_language" // no language has both title and description
	ErrFileType      = "error.material.file_type"      // a file type the bank does not take
	ErrFileTooLarge  = "error.material.file_too_large" // over MaxSize
	ErrChoice        = "error.invalid_choice"          // a value outside its list
	ErrRequired      = "error.required"                // nothing chosen or typed
	ErrGoal          = "error.material.goal"           // not a goal from 1 to 17
)

// ContentTypes are the file types the bank takes, of those
// attachment.CheckType recognises by content: PDF, images, and the open
// XML formats of Office and OpenDocument. The legacy binary Office formats
// are left out: they are often macro carriers and anyone publishing today
// can save as PDF or the XML format instead. ZIP archives (a lesson kit
// as a folder) are not taken either: an archive can hold anything,
// including programs and web pages, which cannot be checked; a kit is
// published as one PDF or presentation, or as several items.
var ContentTypes = []string{
	"application/pdf",
	"image/png",
	"image/jpeg",
	"image/gif",
	"image/webp",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.presentation",
}

// Accept is the file input's accept attribute: the extensions of
// ContentTypes, a hint to the browser only (the content decides).
const Accept = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp"

// AcceptsType reports whether the bank takes files of contentType.
func AcceptsType(contentType string) bool { return slices.Contains(ContentTypes, contentType) }

// Normalize trims the text and puts the lists in their order, each value
// once, so an item compares and stores the same however it was typed.
func (it *Item) Normalize() {
	for _, s := range []*string{&it.TitleSV, &it.TitleEN, &it.DescriptionSV, &it.DescriptionEN, &it.Author, &it.Link, &it.Licence} {
		*s = strings.TrimSpace(*s)
	}
	it.Languages = inOrder(it.Languages, Languages)
	var groups []string
	for _, o := range TargetGroups() {
		groups = append(groups, o.Value)
	}
	it.TargetGroups = inOrder(it.TargetGroups, groups)
	slices.Sort(it.Goals)
	it.Goals = slices.Compact(it.Goals)
	if len(it.Goals) == 0 {
		it.Goals = nil
	}
}

// inOrder returns the values of list found in vs, in the list's order,
// followed by the values not in the list (so validation can name them).
func inOrder(vs, list []string) []string {
	var out, unknown []string
	for _, v := range list {
		if slices.Contains(vs, v) {
			out = append(out, v)
		}
	}
	for _, v := range vs {
		if !slices.Contains(list, v) && !slices.Contains(unknown, v) {
			unknown = append(unknown, v)
		}
	}
	return append(out, unknown...)
}

// Validate checks what the publisher chose and typed, field by field.
func (it *Item) Validate() validate.Errors {
	errs := validate.Errors{}
	if !slices.Contains(Kinds, it.Kind) {
		errs.Add("kind", choiceOrRequired(string(it.Kind)))
	}
	svStarted := it.TitleSV != "" || it.DescriptionSV != ""
	enStarted := it.TitleEN != "" || it.DescriptionEN != ""
	if !svStarted && !enStarted {
		errs.Add("title_sv", ErrNeedsLanguage)
	}
	for _, l := range []struct {
		started      bool
		title, descr string
		tKey, dKey   string
	}{
		{svStarted, it.TitleSV, it.DescriptionSV, "title_sv", "description_sv"},
		{enStarted, it.TitleEN, it.DescriptionEN, "title_en", "description_en"},
	} {
		if !l.started {
			continue
		}
		if l.title == "" {
			errs.Add(l.tKey, ErrLanguageHalf)
		}
		if l.descr == "" {
			errs.Add(l.dKey, ErrLanguageHalf)
		}
		errs.MaxLen(l.tKey, l.title, maxTitle)
		errs.MaxLen(l.dKey, l.descr, maxDescription)
	}
	if len(it.Languages) == 0 {
		errs.Add("languages", ErrRequired)
	}
	for _, l := range it.Languages {
		if !slices.Contains(Languages, l) {
			errs.Add("languages", ErrChoice)
		}
	}
	if LicenceByCode(it.Licence) == nil {
		errs.Add("licence", choiceOrRequired(it.Licence))
	}
	errs.MaxLen("author", it.Author, maxAuthor)
	if len(it.TargetGroups) == 0 {
		errs.Add("target_groups", ErrRequired)
	}
	for _, g := range it.TargetGroups {
		if !IsTargetGroup(g) {
			errs.Add("target_groups", ErrChoice)
		}
	}
	for _, g := range it.Goals {
		if g < 1 || g > 17 {
			errs.Add("goals", ErrGoal)
		}
	}
	switch {
	case it.File != nil && it.Link != "":
		errs.Add("link", ErrBothFileLink)
	case it.File == nil && it.Link == "":
		errs.Add("file", ErrFileOrLink)
	case it.Link != "":
		if !IsHTTPS(it.Link) {
			errs.Add("link", ErrLinkHTTPS)
		}
	case it.File != nil:
		switch {
		case !AcceptsType(it.File.ContentType):
			errs.Add("file", ErrFileType)
		case it.File.Size <= 0:
			errs.Add("file", "error.file.empty")
		case it.File.Size > MaxSize:
			errs.Add("file", ErrFileTooLarge)
		}
		errs.MaxLen("file", it.File.Filename, 255)
	}
	return errs
}

func choiceOrRequired(v string) string {
	if v == "" {
		return ErrRequired
	}
	return ErrChoice
}

// IsHTTPS reports whether link is an absolute https address with a host
// and no user name or password in it: the only kind of link the bank
// stores and redirects to, so a download never leads to a script
// (javascript:), a file on the reader's machine or a plain-text site.
func IsHTTPS(link string) bool {
	if len(link) > maxLink || strings.ContainsAny(link, " \t\r\n\\") {
		return false
	}
	u, err := url.Parse(link)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil && u.Hostname() != ""
}

// Event is a change of an item's state.
type Event string

const (
	Publish  Event = "publish"  // the publisher makes a draft public
	Withdraw Event = "withdraw" // the publisher takes it back to a draft
	Remove   Event = "remove"   // an officer takes it down, with a reason
	Restore  Event = "restore"  // an officer puts it back up
)

// ErrTransition is returned for an event the state does not allow.
var ErrTransition = errors.New("material: not allowed in this state")

// Apply changes the item's state by e at now. Remove takes down a
// published item and needs a reason (a field error on "reason" without
// one). Publish works on a draft only:
// an item an officer removed comes back by Restore, not by its
// publisher.
func (it *Item) Apply(e Event, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	switch {
	case e == Publish && it.State == Draft, e == Restore && it.State == Removed:
		it.State, it.RemovedReason, it.PublishedAt = Published, "", now
		return nil
	case e == Withdraw && it.State == Published:
		it.State = Draft
		return nil
	case e == Remove && it.State == Published:
		// Only what the public sees is taken down: a draft is private
		// already, and Restore then puts back what was public, never a
		// draft its publisher had not published.
		errs := validate.Errors{}
		errs.Required("reason", reason)
		errs.MaxLen("reason", reason, maxReason)
		if err := errs.Err(); err != nil {
			return err
		}
		it.State, it.RemovedReason = Removed, reason
		return nil
	}
	return ErrTransition
}

// Filter selects items for lists. Zero values select everything; only
// published items unless Unpublished is set.
type Filter struct {
	Kind           Kind
	Language       string
	Licence        string
	TargetGroup    string
	Goal           int
	PartnershipID  int64
	PartnershipIDs []int64 // any of these partnerships (a publisher's own); nil for any
	Query          string  // words in the title, in either language
	Unpublished    bool    // drafts and removed items too
	Limit, Offset  int     // a page of the list; Limit 0 for all
}

// SearchText is what the text filter looks in: the titles, in lower case,
// computed here so both engines match the same way (SQLite's lower()
// leaves å, ä and ö alone).
func (it *Item) SearchText() string {
	return strings.ToLower(it.TitleSV + "\n" + it.TitleEN)
}

// QueryPattern is the Query as a LIKE pattern on SearchText (escaped with
// '\'), or "" for no text filter.
func (f Filter) QueryPattern() string {
	q := strings.ToLower(strings.Join(strings.Fields(f.Query), " "))
	if q == "" {
		return ""
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}
