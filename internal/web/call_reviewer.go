package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// A call's reviewers, chosen by the officers of its programme: an existing
// reviewer account added, a new person invited by e-mail as a reviewer of
// this call (the one invitation, user_invite.go), one removed unless they
// have submitted a review in the call. An application in the call is
// assigned only to one of them (application_case.go). To anyone who does
// not handle the call's programme these pages do not exist (404).

type callReviewerRow struct {
	ID       int64
	Name     string
	Email    string
	Disabled bool
}

type callReviewersPage struct {
	*Base
	Call      *call.Call
	Programme *programme.Programme
	Reviewers []callReviewerRow
	Choices   []option // reviewer accounts not yet the call's
	Reviewer  string   // the account chosen, as sent
	Email     string
	Name      string
	Lang      string
	Pending   []pendingInvite
}

// reviewerCall loads the call of the path for one of its programme's
// officers.
func (s *Server) reviewerCall(r *http.Request, b *Base) (*call.Call, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, err := s.store.Call(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !policy.ChooseReviewers(b.User, c.ProgrammeID) {
		return nil, store.ErrNotFound
	}
	return c, nil
}

func (s *Server) renderCallReviewers(w http.ResponseWriter, r *http.Request, b *Base, status int, c *call.Call, page callReviewersPage) error {
	ctx := r.Context()
	page.Base, page.Call = b, c
	if page.Lang == "" {
		page.Lang = b.Lang
	}
	var err error
	if page.Programme, err = s.store.Programme(ctx, c.ProgrammeID); err != nil {
		return err
	}
	members, err := s.store.CallReviewers(ctx, c.ID)
	if err != nil {
		return err
	}
	in := map[int64]bool{}
	for _, u := range members {
		in[u.ID] = true
		page.Reviewers = append(page.Reviewers, callReviewerRow{ID: u.ID, Name: u.Name, Email: u.Email, Disabled: u.Disabled})
	}
	users, err := s.store.UserList(ctx)
	if err != nil {
		return err
	}
	page.Choices = []option{{Value: "", Label: b.T("form.choose")}}
	for _, u := range users {
		if u.Has(user.Reviewer) && !u.Disabled && !in[u.ID] {
			page.Choices = append(page.Choices, option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " (" + u.Email + ")"})
		}
	}
	if page.Pending, err = s.pendingInvites(ctx, b, store.InviteFilter{CallID: c.ID}); err != nil {
		return err
	}
	b.Title = b.T("callreviewers.title", "Call", c.Title(b.Lang))
	return s.render(w, b, status, "call_reviewers", page)
}

func (s *Server) callReviewers(w http.ResponseWriter, r *http.Request, b *Base) error {
	c, err := s.reviewerCall(r, b)
	if err != nil {
		return err
	}
	return s.renderCallReviewers(w, r, b, http.StatusOK, c, callReviewersPage{})
}

// callReviewerAdd makes an existing reviewer account a reviewer of the
// call.
func (s *Server) callReviewerAdd(w http.ResponseWriter, r *http.Request, b *Base) error {
	c, err := s.reviewerCall(r, b)
	if err != nil {
		return err
	}
	typed := r.PostFormValue("reviewer")
	id, _ := strconv.ParseInt(typed, 10, 64)
	switch {
	case typed == "":
		err = validate.Errors{"reviewer": "error.required"}
	case id <= 0:
		err = call.ErrNotReviewer
	default:
		err = s.store.AddCallReviewer(r.Context(), actor(b.User), c.ID, id)
		if errors.Is(err, store.ErrNotFound) {
			err = call.ErrNotReviewer // no such account: as if it were no reviewer
		}
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderCallReviewers(w, r, b, status, c, callReviewersPage{Reviewer: typed})
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("call.reviewers", c.ID), http.StatusSeeOther)
	return nil
}

// callReviewerInvite invites a person by e-mail to review in this call.
func (s *Server) callReviewerInvite(w http.ResponseWriter, r *http.Request, b *Base) error {
	c, err := s.reviewerCall(r, b)
	if err != nil {
		return err
	}
	page := callReviewersPage{Email: strings.TrimSpace(r.PostFormValue("invite_email")), Name: strings.TrimSpace(r.PostFormValue("invite_name")),
		Lang: inviteLang(r, "invite_lang")}
	inv := &user.Invite{Email: page.Email, Name: page.Name, Role: user.Reviewer, CallID: c.ID}
	what, err := s.inviteWhat(r.Context(), page.Lang, inv)
	if err == nil {
		err = s.sendInvite(r.Context(), b, inv, page.Lang, what, "")
	}
	if status, ok := formFailed(err, b); ok {
		if errors.Is(err, user.ErrTooManyInvites) {
			status = http.StatusTooManyRequests
		}
		b.Errors = prefixed(b.Errors, "invite_")
		return s.renderCallReviewers(w, r, b, status, c, page)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.invited")
	http.Redirect(w, r, b.URL("call.reviewers", c.ID), http.StatusSeeOther)
	return nil
}

// callReviewerRemove takes a reviewer from the call, unless they have
// submitted a review in it.
func (s *Server) callReviewerRemove(w http.ResponseWriter, r *http.Request, b *Base) error {
	c, err := s.reviewerCall(r, b)
	if err != nil {
		return err
	}
	uid, err := pathID(r, "uid")
	if err != nil {
		return err
	}
	err = s.store.RemoveCallReviewer(r.Context(), actor(b.User), c.ID, uid)
	if errors.Is(err, call.ErrReviewerHasReviews) {
		formFailed(err, b)
		return s.renderCallReviewers(w, r, b, http.StatusConflict, c, callReviewersPage{})
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.reviewer_removed")
	http.Redirect(w, r, b.URL("call.reviewers", c.ID), http.StatusSeeOther)
	return nil
}

// callReviewerWithdraw withdraws a pending invitation to review in the
// call.
func (s *Server) callReviewerWithdraw(w http.ResponseWriter, r *http.Request, b *Base) error {
	c, err := s.reviewerCall(r, b)
	if err != nil {
		return err
	}
	iid, err := pathID(r, "iid")
	if err != nil {
		return err
	}
	inv, err := s.store.Invite(r.Context(), iid)
	if err != nil {
		return err
	}
	if inv.CallID != c.ID {
		return store.ErrNotFound
	}
	if err := s.store.WithdrawInvite(r.Context(), actor(b.User), iid); err != nil {
		return err
	}
	setFlash(w, "flash.invite_withdrawn")
	http.Redirect(w, r, b.URL("call.reviewers", c.ID), http.StatusSeeOther)
	return nil
}
