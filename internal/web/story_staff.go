package web

import (
	"errors"
	"net/http"

	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/story"
	"github.com/icld/partnerskap/internal/validate"
)

// CanModerateStories reports whether the signed-in user may hide stories.
func (b *Base) CanModerateStories() bool { return policy.ModerateStories(b.User) }

// staffStoriesPage lists the stories the public sees or an officer hid.
type staffStoriesPage struct {
	*Base
	Stories []storyCard
}

func (s *Server) staffStories(w http.ResponseWriter, r *http.Request, b *Base) error {
	if !policy.ModerateStories(b.User) {
		return errForbidden
	}
	ctx := r.Context()
	list, err := s.store.StoryList(ctx, story.Filter{States: []story.State{story.Published, story.Hidden}})
	if err != nil {
		return err
	}
	names, err := s.partnershipsByID(ctx)
	if err != nil {
		return err
	}
	b.Title = b.T("story.staff_title")
	return s.render(w, b, http.StatusOK, "story_staff", staffStoriesPage{Base: b, Stories: storyCards(list, b.Lang, names)})
}

// staffStory shows an officer a story, published or hidden, with the form
// to hide it (with a reason) or unhide it. Drafts are the writers' own.
func (s *Server) staffStory(w http.ResponseWriter, r *http.Request, b *Base) error {
	st, err := s.moderatedStory(r, b)
	if err != nil {
		return err
	}
	page, err := s.newStoryPage(r.Context(), b, st, "moderate")
	if err != nil {
		return err
	}
	return s.render(w, b, http.StatusOK, "story", page)
}

func (s *Server) moderatedStory(r *http.Request, b *Base) (*story.Story, error) {
	if !policy.ModerateStories(b.User) {
		return nil, errForbidden
	}
	st, err := s.loadStory(r)
	if err != nil {
		return nil, err
	}
	if st.State == story.Draft {
		return nil, store.ErrNotFound
	}
	return st, nil
}

func (s *Server) staffStoryHide(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.staffStoryChange(w, r, b, story.Hide, "flash.story.hidden")
}

func (s *Server) staffStoryUnhide(w http.ResponseWriter, r *http.Request, b *Base) error {
	return s.staffStoryChange(w, r, b, story.Unhide, "flash.story.unhidden")
}

func (s *Server) staffStoryChange(w http.ResponseWriter, r *http.Request, b *Base, e story.Event, flash string) error {
	st, err := s.moderatedStory(r, b)
	if err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	_, err = s.store.ChangeStoryState(r.Context(), actor(b.User), st.ID, 0, e, reason)
	status, failed := formFailed(err, b)
	if errors.Is(err, story.ErrTransition) || errors.Is(err, story.ErrHidden) {
		b.Errors, status, failed = validate.Errors{"form": "error.story.transition"}, http.StatusConflict, true
	}
	if failed {
		if fresh, err := s.store.Story(r.Context(), st.ID); err == nil {
			st = fresh
		}
		page, err := s.newStoryPage(r.Context(), b, st, "moderate")
		if err != nil {
			return err
		}
		page.Reason = reason
		return s.render(w, b, status, "story", page)
	}
	if err != nil {
		return err
	}
	setFlash(w, flash)
	http.Redirect(w, r, b.URL("staff.story", st.ID), http.StatusSeeOther)
	return nil
}
