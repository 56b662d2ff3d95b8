package web

import (
	"bytes"
	"context"
	"errors"
	"image"
	_ "image/jpeg" // to read a JPEG's size
	_ "image/png"  // to read a PNG's size
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	_ "golang.org/x/image/webp" // WebP story images: their size is read like the others'

	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/filestore"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/story"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// The writers' side of stories (grantees' and partners' contact people):
// their list, the form, the preview, publishing; and the officers' list
// with hiding and unhiding.

// CanWriteStories reports whether the signed-in user may have stories to
// write (an applicant or partner role), for the workspace navigation; the
// pages check the partnership itself (policy.StoryWriterFor).
func (b *Base) CanWriteStories() bool {
	return b.User != nil && !b.User.Disabled && (b.User.Has(user.Applicant) || b.User.Has(user.PartnerRole))
}

// writablePartnerships returns the partnerships u writes stories for, in
// Swedish order.
func (s *Server) writablePartnerships(ctx context.Context, u *user.User) ([]*partnership.Partnership, error) {
	ps, err := s.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		return nil, err
	}
	var out []*partnership.Partnership
	for _, p := range ps {
		if policy.StoryWriterFor(u, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// myStoriesPage lists the stories of the user's partnerships in every state.
type myStoriesPage struct {
	*Base
	Groups []myStoryGroup
}

type myStoryGroup struct {
	P       *partnership.Partnership
	Stories []storyCard
}

func (s *Server) myStories(w http.ResponseWriter, r *http.Request, b *Base) error {
	ctx := r.Context()
	ps, err := s.writablePartnerships(ctx, b.User)
	if err != nil {
		return err
	}
	if len(ps) == 0 && !b.CanWriteStories() {
		return errForbidden
	}
	page := myStoriesPage{Base: b}
	for _, p := range ps {
		list, err := s.store.StoryList(ctx, story.Filter{PartnershipID: p.ID})
		if err != nil {
			return err
		}
		page.Groups = append(page.Groups, myStoryGroup{P: p, Stories: storyCards(list, b.Lang, nil)})
	}
	b.Title = b.T("story.mine_title")
	return s.render(w, b, http.StatusOK, "story_mine", page)
}

// storyForm holds what was typed, so a refused form shows it again.
type storyForm struct {
	Partnership                      string
	TitleSV, BodySV, TitleEN, BodyEN string
	AltSV, AltEN                     string
	Goals                            []string
	Version                          string
	RemoveImage                      bool
}

func storyFormFrom(st *story.Story) storyForm {
	f := storyForm{Partnership: strconv.FormatInt(st.PartnershipID, 10), TitleSV: st.TitleSV, BodySV: st.BodySV, TitleEN: st.TitleEN, BodyEN: st.BodyEN,
		Version: strconv.Itoa(st.Version)}
	for _, g := range st.Goals {
		f.Goals = append(f.Goals, strconv.Itoa(g))
	}
	if st.Image != nil {
		f.AltSV, f.AltEN = st.Image.AltSV, st.Image.AltEN
	}
	return f
}

func storyFormOf(v url.Values) storyForm {
	return storyForm{Partnership: v.Get("partnership"), TitleSV: v.Get("title_sv"), BodySV: v.Get("body_sv"), TitleEN: v.Get("title_en"),
		BodyEN: v.Get("body_en"), AltSV: v.Get("image_alt_sv"), AltEN: v.Get("image_alt_en"), Goals: v["goals"], Version: v.Get("version"),
		RemoveImage: v.Get("remove_image") != ""}
}

// story turns the form into a story; goals that are not numbers are field
// errors here, the rest is story.Validate's.
func (f storyForm) story(id, partnershipID int64, errs validate.Errors) *story.Story {
	v, _ := strconv.Atoi(f.Version)
	st := &story.Story{ID: id, PartnershipID: partnershipID, TitleSV: f.TitleSV, BodySV: f.BodySV, TitleEN: f.TitleEN, BodyEN: f.BodyEN, Version: v}
	for _, g := range f.Goals {
		n, err := strconv.Atoi(g)
		if err != nil {
			errs.Add("goals", "error.invalid_choice")
			continue
		}
		st.Goals = append(st.Goals, n)
	}
	return st
}

// storyFormPage is the form to write a story or edit one.
type storyFormPage struct {
	*Base
	Form          storyForm
	Editing       *story.Story             // nil for a new story
	P             *partnership.Partnership // the story's partnership when editing
	Partnerships  []option                 // to choose from, for a new story
	GoalOptions   []option
	Uploads       bool // a file store is configured
	ImageRejected bool // an image was chosen and refused: it must be chosen again
}

// ErrorList lists the form's errors in the order of its fields.
func (p storyFormPage) ErrorList() errorSummary {
	return p.ErrorSummary("form", "partnership=story.partnership", "title_sv=story.title_sv", "body_sv=story.body_sv",
		"title_en=story.title_en", "body_en=story.body_en", "goals=story.goals", "image=story.image",
		"image_alt_sv=story.image_alt_sv", "image_alt_en=story.image_alt_en")
}

func (s *Server) renderStoryForm(w http.ResponseWriter, r *http.Request, b *Base, status int, f storyForm, editing *story.Story, p *partnership.Partnership) error {
	page := storyFormPage{Base: b, Form: f, Editing: editing, P: p, Uploads: s.cfg.Files != nil,
		ImageRejected: b.Errors.Has("image")}
	for _, g := range sdg.Goals() {
		page.GoalOptions = append(page.GoalOptions, option{Value: strconv.Itoa(g.Number), Label: b.T("goal.title", "Number", g.Number, "Name", g.Short.In(b.Lang))})
	}
	if editing == nil {
		ps, err := s.writablePartnerships(r.Context(), b.User)
		if err != nil {
			return err
		}
		if len(ps) != 1 {
			page.Partnerships = append(page.Partnerships, option{Value: "", Label: b.T("form.choose")})
		}
		for _, p := range ps {
			page.Partnerships = append(page.Partnerships, option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
		}
		b.Title = b.T("story.new_title")
	} else {
		b.Title = b.T("story.edit_title", "Name", editing.Title(b.Lang))
	}
	return s.render(w, b, status, "story_form", page)
}

// loadWritableStory loads the story {id} for its writers: 404 when there
// is none, 403 for anyone who does not write its partnership's stories.
func (s *Server) loadWritableStory(r *http.Request, b *Base) (*story.Story, *partnership.Partnership, error) {
	st, err := s.loadStory(r)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.store.Partnership(r.Context(), st.PartnershipID)
	if err != nil {
		return nil, nil, err
	}
	if !policy.StoryWriterFor(b.User, p) {
		return nil, nil, errForbidden
	}
	return st, p, nil
}

func (s *Server) storyNew(w http.ResponseWriter, r *http.Request, b *Base) error {
	ps, err := s.writablePartnerships(r.Context(), b.User)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return errForbidden
	}
	f := storyForm{Partnership: r.URL.Query().Get("partnerskap")}
	if len(ps) == 1 {
		f.Partnership = strconv.FormatInt(ps[0].ID, 10)
	}
	return s.renderStoryForm(w, r, b, http.StatusOK, f, nil, nil)
}

func (s *Server) storyCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	ctx := r.Context()
	post, err := s.readStoryPost(w, r)
	if err != nil {
		return err
	}
	f := storyFormOf(post.values)
	errs := validate.Errors{}
	pid, _ := strconv.ParseInt(f.Partnership, 10, 64)
	p, err := s.store.Partnership(ctx, pid)
	switch {
	case errors.Is(err, store.ErrNotFound):
		errs.Add("partnership", "error.required")
	case err != nil:
		return err
	case !policy.StoryWriterFor(b.User, p):
		return errForbidden
	}
	st := f.story(0, pid, errs)
	err = s.saveStory(ctx, b, st, f, post, errs, nil, s.store.CreateStory)
	if status, ok := formFailed(err, b); ok {
		return s.renderStoryForm(w, r, b, status, f, nil, nil)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.created")
	http.Redirect(w, r, b.URL("mystory.edit", st.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) storyEdit(w http.ResponseWriter, r *http.Request, b *Base) error {
	st, p, err := s.loadWritableStory(r, b)
	if err != nil {
		return err
	}
	return s.renderStoryForm(w, r, b, http.StatusOK, storyFormFrom(st), st, p)
}

func (s *Server) storyUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	stored, p, err := s.loadWritableStory(r, b)
	if err != nil {
		return err
	}
	post, err := s.readStoryPost(w, r)
	if err != nil {
		return err
	}
	f := storyFormOf(post.values)
	errs := validate.Errors{}
	st := f.story(stored.ID, stored.PartnershipID, errs)
	err = s.saveStory(r.Context(), b, st, f, post, errs, stored, s.store.UpdateStory)
	if status, ok := formFailed(err, b); ok {
		return s.renderStoryForm(w, r, b, status, f, stored, p)
	}
	if err != nil {
		return err
	}
	if old := stored.Image; old != nil && (st.Image == nil || st.Image.Key != old.Key) {
		s.deleteStoryImage(r.Context(), old.Key) // replaced or removed
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("mystory.edit", st.ID), http.StatusSeeOther)
	return nil
}

// saveStory completes st with its image (the stored one kept unless
// removed or replaced by an upload), stores an upload's bytes and saves
// st with save; when saving fails the new bytes are deleted again. A
// refused upload is a field error, reported with any others.
func (s *Server) saveStory(ctx context.Context, b *Base, st *story.Story, f storyForm, post *storyPost, errs validate.Errors,
	stored *story.Story, save func(context.Context, audit.Actor, *story.Story) error) error {
	if post.imageErr != "" {
		errs.Add("image", post.imageErr)
	}
	switch {
	case post.image != nil:
		st.Image = &story.Image{ContentType: post.imageType}
	case stored != nil && stored.Image != nil && !f.RemoveImage:
		im := *stored.Image
		st.Image = &im
	}
	if st.Image != nil {
		st.Image.AltSV, st.Image.AltEN = f.AltSV, f.AltEN
	}
	// Check everything at once, before storing any bytes: the page lists
	// every problem, and a refused form leaves no file behind.
	check := *st
	if post.image != nil {
		im := *st.Image
		im.Key, im.Size = "pending", int64(len(post.image))
		check.Image = &im
	}
	check.Normalize()
	for k, v := range check.Validate() {
		errs.Add(k, v)
	}
	if len(errs) > 0 {
		return errs
	}
	if post.image == nil {
		return save(ctx, actor(b.User), st)
	}
	key := filestore.NewKey()
	size, _, err := s.cfg.Files.Put(ctx, key, bytes.NewReader(post.image))
	if err != nil {
		return err
	}
	st.Image.Key, st.Image.Size = key, size
	if err := save(ctx, actor(b.User), st); err != nil {
		s.deleteStoryImage(ctx, key)
		return err
	}
	return nil
}

// deleteStoryImage deletes image bytes no story refers to any more; a
// failure only leaves an orphan in the file store, so it is logged.
func (s *Server) deleteStoryImage(ctx context.Context, key string) {
	if s.cfg.Files == nil {
		return
	}
	if err := s.cfg.Files.Delete(ctx, key); err != nil {
		s.log.Warn("delete story image", "key", key, "err", err)
	}
}

// maxStoryBody bounds a posted story: the text fields and one image well
// over the largest accepted. The form puts the file last, so even when a
// far larger file stops the reading, the text typed before it is kept.
const maxStoryBody = 4*story.MaxImageSize + 1<<20

// maxStoryField bounds one text field (a body is at most story.MaxBody
// characters, up to four bytes each).
const maxStoryField = 4*story.MaxBody + 1<<10

// maxImagePixels bounds an image's width × height: a photograph of 40
// megapixels is plenty, and a larger one (or a small file that unpacks to
// a huge picture) would strain every reader's browser.
const maxImagePixels = 40_000_000

// storyPost is a posted story form: its fields, and the image if one was
// chosen and accepted, or why it was refused.
type storyPost struct {
	values    url.Values
	image     []byte
	imageType string
	imageErr  string // a message key; "" when no image was refused
}

// readStoryPost reads the story form, multipart (with an image) or plain.
// The multipart form is read part by part rather than with
// ParseMultipartForm, so an image too large is refused on its field while
// the text fields before it are kept.
func (s *Server) readStoryPost(w http.ResponseWriter, r *http.Request) (*storyPost, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxStoryBody)
	post := &storyPost{values: url.Values{}}
	mr, err := r.MultipartReader()
	if err != nil {
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, errTooLarge
			}
			return nil, err
		}
		post.values = r.PostForm
		return post, nil
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			// The rest is past the limit: what came before is kept.
			if post.imageErr == "" && post.image == nil {
				post.imageErr = story.ErrImageSize
			}
			break
		}
		if err != nil {
			return nil, err
		}
		name := part.FormName()
		if name == "image" {
			if err := s.readStoryImage(part, post); err != nil {
				if errors.As(err, &tooBig) {
					post.image, post.imageErr = nil, story.ErrImageSize
					break
				}
				return nil, err
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, maxStoryField))
		if err != nil {
			if errors.As(err, &tooBig) {
				break
			}
			return nil, err
		}
		post.values.Add(name, string(v))
	}
	return post, nil
}

// readStoryImage reads the image part: nothing when no file was chosen; a
// file too large, not an image of an accepted type, or a picture too
// large is refused with its reason.
func (s *Server) readStoryImage(part io.Reader, post *storyPost) error {
	data, err := io.ReadAll(io.LimitReader(part, story.MaxImageSize+1))
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return nil // no file chosen
	}
	if len(data) > story.MaxImageSize {
		post.imageErr = story.ErrImageSize
		_, err := io.Copy(io.Discard, part) // the rest of it, to reach the parts after
		return err
	}
	if s.cfg.Files == nil {
		return nil
	}
	ctype, err := attachment.Detect(data)
	if err != nil || !slices.Contains(story.ImageTypes, ctype) {
		post.imageErr = story.ErrImageType
		return nil
	}
	// Every accepted type is read (WebP by golang.org/x/image/webp): an
	// image whose header does not read, or that would unfold to too many
	// pixels in a reader's browser, is refused.
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		post.imageErr = story.ErrImageType
		return nil
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		post.imageErr = story.ErrImageSize
		return nil
	}
	post.image, post.imageType = data, ctype
	return nil
}

// storyPreview shows the story as the public will see it, in any state,
// to its writers, with the buttons to publish or unpublish.
func (s *Server) storyPreview(w http.ResponseWriter, r *http.Request, b *Base) error {
	st, _, err := s.loadWritableStory(r, b)
	if err != nil {
		return err
	}
	page, err := s.newStoryPage(r.Context(), b, st, "preview")
	if err != nil {
		return err
	}
	b.Title = b.T("story.preview_title", "Name", page.Heading)
	return s.render(w, b, http.StatusOK, "story", page)
}

// storyPublish and storyUnpublish change the state at the version the
// writer saw; what the state or a stale version refuses is shown on the
// form.
func (s *Server) storyPublish(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.storyStateChange(w, r, b, story.Publish, "flash.story.published")
}

func (s *Server) storyUnpublish(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.storyStateChange(w, r, b, story.Unpublish, "flash.story.unpublished")
}

func (s *Server) storyStateChange(w http.ResponseWriter, r *http.Request, b *Base, e story.Event, flash string) error {
	stored, p, err := s.loadWritableStory(r, b)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err = s.store.ChangeStoryState(r.Context(), actor(b.User), stored.ID, version, e, "")
	status, failed := formFailed(err, b)
	switch {
	case errors.Is(err, story.ErrHidden):
		b.Errors, status, failed = validate.Errors{"form": "error.story.hidden"}, http.StatusConflict, true
	case errors.Is(err, story.ErrTransition):
		b.Errors, status, failed = validate.Errors{"form": "error.story.transition"}, http.StatusConflict, true
	}
	if failed {
		if fresh, err := s.store.Story(r.Context(), stored.ID); err == nil {
			stored = fresh
		}
		return s.renderStoryForm(w, r, b, status, storyFormFrom(stored), stored, p)
	}
	if err != nil {
		return err
	}
	setFlash(w, flash)
	http.Redirect(w, r, b.URL("mystory.edit", stored.ID), http.StatusSeeOther)
	return nil
}

// ImageAccept is the file input's accept list: the image types taken.
func (p storyFormPage) ImageAccept() string {
	return strings.Join(story.ImageTypes, ",") + ",.jpg,.jpeg,.png,.webp"
}
