// Package story describes the stories grantees and partners write about
// their partnership for the public: a title and a body (Markdown) in
// Swedish, English or both, the global goals it concerns, and perhaps one
// image with alternative text in each of the story's languages.
//
// A story is a draft until its authors publish it; they may unpublish it
// again. A programme officer may hide a story (saying why): the public no
// longer sees it, and its authors cannot publish it again until an officer
// unhides it, which gives it back the state it had.
package story

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/validate"
)

// State is where a story stands.
type State string

const (
	Draft     State = "draft"     // being written; only its authors see it
	Published State = "published" // on the public site and in the feeds
	Hidden    State = "hidden"    // taken off the public site by an officer
)

// Event is something done to a story's state.
type Event string

const (
	Publish   Event = "publish"   // an author puts it on the public site
	Unpublish Event = "unpublish" // an author takes it off again
	Hide      Event = "hide"      // an officer takes it off, with a reason
	Unhide    Event = "unhide"    // an officer gives it back its state
)

// Errors of state changes.
var (
	// ErrHidden is returned when an author publishes or unpublishes a
	// story an officer has hidden: only an officer can undo that.
	ErrHidden = errors.New("story: hidden by an officer")
	// ErrTransition is returned for an event the story's state does not
	// allow (publishing a published story, unhiding a visible one).
	ErrTransition = errors.New("story: not possible in this state")
)

// Limits on what one story may hold.
const (
	MaxTitle  = 200
	MaxBody   = 20_000 // characters of Markdown: a long article, not a book
	MaxAlt    = 300
	MaxReason = 1000
	// MaxImageSize is the largest image accepted: 5 MiB, plenty for a
	// photograph on a web page.
	MaxImageSize = 5 << 20
)

// ImageTypes are the content types accepted for a story's image, as
// attachment.Check detects them from the content: photographs and
// pictures every browser shows. GIF and SVG are left out (SVG can carry
// scripts).
var ImageTypes = []string{"image/jpeg", "image/png", "image/webp"}

// Error keys for the story form, shown next to the field they concern.
const (
	ErrNoLanguage = "error.story.no_language" // neither language has a title and a body
	ErrAltMissing = "error.story.alt_missing" // an image without alternative text in a language of the story
	ErrImageType  = "error.story.image_type"  // not a JPEG, PNG or WebP image
	ErrImageSize  = "error.story.image_size"  // over MaxImageSize
)

// Image is a story's picture: its bytes are in the file store under Key.
type Image struct {
	Key         string // the file store's key
	ContentType string // as detected from the content
	Size        int64  // bytes
	AltSV       string // alternative text in Swedish
	AltEN       string // alternative text in English
}

// Alt returns the alternative text in lang, or in the other language when
// there is none in lang.
func (im *Image) Alt(lang string) string {
	if lang == "en" && im.AltEN != "" || im.AltSV == "" {
		return im.AltEN
	}
	return im.AltSV
}

// Hiding says who hid a story, when and why.
type Hiding struct {
	By     int64  // the officer's user id (0 for the system)
	ByName string // the officer's name as it was
	At     time.Time
	Reason string
	From   State // the state it had, given back when it is unhidden
}

// Story is a public post about a partnership.
type Story struct {
	ID            int64
	PartnershipID int64
	TitleSV       string
	BodySV        string // Markdown
	TitleEN       string
	BodyEN        string // Markdown
	Goals         []int  // SDG goals, 1–17, in order
	Image         *Image // nil for none
	State         State
	PublishedAt   time.Time // when first published; zero for a story never published
	Hiding        *Hiding   // set while Hidden
	AuthorID      int64     // who started it (0 for the system)
	AuthorName    string
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Filter selects stories for lists.
type Filter struct {
	PartnershipID int64   // one partnership's; 0 for all
	Goal          int     // tagged with this goal; 0 for any
	States        []State // in these states; nil for any
	Limit         int     // at most this many; 0 for all
}

// Public selects what the public sees: published stories, newest first.
func Public() Filter { return Filter{States: []State{Published}} }

// Languages lists the languages the story is written in ("sv", "en"): those
// with both a title and a body.
func (s *Story) Languages() []string {
	var out []string
	if s.TitleSV != "" && s.BodySV != "" {
		out = append(out, "sv")
	}
	if s.TitleEN != "" && s.BodyEN != "" {
		out = append(out, "en")
	}
	return out
}

// Has reports whether the story is written in lang.
func (s *Story) Has(lang string) bool { return slices.Contains(s.Languages(), lang) }

// TextLang is the language the story is shown in on a page in lang: lang
// itself when the story is written in it, else the language it has. A
// page marks the text with it (lang="sv" on an English page), so a screen
// reader reads it with the right voice.
func (s *Story) TextLang(lang string) string {
	if s.Has(lang) {
		return lang
	}
	if langs := s.Languages(); len(langs) > 0 {
		return langs[0]
	}
	return lang
}

// Title returns the title in lang, or in the language the story has.
func (s *Story) Title(lang string) string {
	if s.TextLang(lang) == "en" {
		return s.TitleEN
	}
	return s.TitleSV
}

// Body returns the Markdown body in lang, or in the language the story has.
func (s *Story) Body(lang string) string {
	if s.TextLang(lang) == "en" {
		return s.BodyEN
	}
	return s.BodySV
}

// IsPublic reports whether the public may see the story.
func (s *Story) IsPublic() bool { return s.State == Published }

// Normalize trims what was typed and puts the goals in order without
// repeats; line endings become "\n".
func (s *Story) Normalize() {
	trimBody := func(b string) string { return strings.TrimSpace(strings.ReplaceAll(b, "\r\n", "\n")) }
	s.TitleSV, s.TitleEN = strings.TrimSpace(s.TitleSV), strings.TrimSpace(s.TitleEN)
	s.BodySV, s.BodyEN = trimBody(s.BodySV), trimBody(s.BodyEN)
	if s.Image != nil {
		s.Image.AltSV, s.Image.AltEN = strings.TrimSpace(s.Image.AltSV), strings.TrimSpace(s.Image.AltEN)
	}
	var goals []int
	for _, g := range s.Goals {
		if !slices.Contains(goals, g) {
			goals = append(goals, g)
		}
	}
	slices.Sort(goals)
	s.Goals = goals
	if s.State == "" {
		s.State = Draft
	}
}

// Validate checks what the authors wrote: at least one language complete
// (a title and a body), no half-written language, goals among the 17,
// and, with an image, alternative text in each language of the story.
// Field keys are the form's: title_sv, body_sv, title_en, body_en, goals,
// image, image_alt_sv, image_alt_en.
func (s *Story) Validate() validate.Errors {
	e := validate.Errors{}
	if s.PartnershipID == 0 {
		e.Add("partnership", "error.required")
	}
	for _, l := range []struct{ lang, title, body string }{{"sv", s.TitleSV, s.BodySV}, {"en", s.TitleEN, s.BodyEN}} {
		e.MaxLen("title_"+l.lang, l.title, MaxTitle)
		e.MaxLen("body_"+l.lang, l.body, MaxBody)
		switch {
		case l.title != "" && l.body == "":
			e.Add("body_"+l.lang, "error.required")
		case l.title == "" && l.body != "":
			e.Add("title_"+l.lang, "error.required")
		}
	}
	if s.TitleSV == "" && s.BodySV == "" && s.TitleEN == "" && s.BodyEN == "" {
		e.Add("title_sv", ErrNoLanguage)
	}
	for _, g := range s.Goals {
		if g < 1 || g > 17 {
			e.Add("goals", "error.invalid_choice")
		}
	}
	if im := s.Image; im != nil {
		if !slices.Contains(ImageTypes, im.ContentType) {
			e.Add("image", ErrImageType)
		}
		if im.Size <= 0 || im.Size > MaxImageSize || im.Key == "" {
			e.Add("image", ErrImageSize)
		}
		for _, l := range []struct{ lang, alt string }{{"sv", im.AltSV}, {"en", im.AltEN}} {
			e.MaxLen("image_alt_"+l.lang, l.alt, MaxAlt)
			if l.alt == "" && s.Has(l.lang) {
				e.Add("image_alt_"+l.lang, ErrAltMissing)
			}
		}
	}
	switch s.State {
	case Draft, Published, Hidden:
	default:
		e.Add("state", "error.invalid_choice")
	}
	return e
}

// Apply changes the story's state by event e at now; by is who does it
// and reason why (required to hide). The caller checks who may do what:
// authors publish and unpublish, officers hide and unhide.
func (s *Story) Apply(e Event, byID int64, byName, reason string, now time.Time) error {
	switch e {
	case Publish:
		switch s.State {
		case Hidden:
			return ErrHidden
		case Published:
			return ErrTransition
		}
		if err := s.Validate().Err(); err != nil {
			return err
		}
		s.State = Published
		if s.PublishedAt.IsZero() {
			s.PublishedAt = now
		}
	case Unpublish:
		switch s.State {
		case Hidden:
			return ErrHidden
		case Draft:
			return ErrTransition
		}
		s.State = Draft
	case Hide:
		if s.State == Hidden {
			return ErrTransition
		}
		reason = strings.TrimSpace(reason)
		errs := validate.Errors{}
		errs.Required("reason", reason)
		errs.MaxLen("reason", reason, MaxReason)
		if err := errs.Err(); err != nil {
			return err
		}
		s.Hiding = &Hiding{By: byID, ByName: byName, At: now, Reason: reason, From: s.State}
		s.State = Hidden
	case Unhide:
		if s.State != Hidden || s.Hiding == nil {
			return ErrTransition
		}
		s.State = s.Hiding.From
		if s.State != Published {
			s.State = Draft
		}
		s.Hiding = nil
	default:
		return ErrTransition
	}
	return nil
}
