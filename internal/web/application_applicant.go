package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/filestore"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

type appPage struct {
	*Base
	Row       appRow
	Programme *programme.Programme
	CallOpen  bool
	Editable  bool
	Sections  []sectionView
	Answers   []answerSection     // the answers read-only, once the application is not editable
	Missing   []fieldError        // what the draft still lacks, for the checklist
	Summary   errorSummary        // the errors of a save or submit that failed, in form order
	Request   *application.Change // the officer's latest completion request, while it is open
	Requested int64
	Version   int
	Timeline  []application.Change
	Snapshots []application.Snapshot
	Decision  *decision.Decision
}

// loadOwnApplication loads the application with the id in the path and
// refuses anyone who is not an applicant of its organisation. An
// application of another organisation answers 404, as if it did not exist,
// so numbers can't be probed.
func (s *Server) loadOwnApplication(r *http.Request, b *Base) (*application.Application, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	a, err := s.store.Application(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !policy.ApplicantFor(b.User, a.OrganisationID) {
		return nil, store.ErrNotFound
	}
	return a, nil
}

func (s *Server) appPage(w http.ResponseWriter, r *http.Request, b *Base) error {
	a, err := s.loadOwnApplication(r, b)
	if err != nil {
		return err
	}
	return s.renderApp(w, r, b, http.StatusOK, a, nil)
}

// renderApp shows the application. typed, when not nil, holds what the
// user posted, shown instead of the stored answers (after an error).
func (s *Server) renderApp(w http.ResponseWriter, r *http.Request, b *Base, status int, a *application.Application, typed *form.Answers) error {
	ctx := r.Context()
	row, err := s.appRowOf(ctx, a)
	if err != nil {
		return err
	}
	prog, err := s.store.Programme(ctx, row.Call.ProgrammeID)
	if err != nil {
		return err
	}
	files, err := s.store.AttachmentList(ctx, a.ID)
	if err != nil {
		return err
	}
	answers := a.Answers
	if typed != nil {
		answers = *typed
	}
	page := appPage{Base: b, Row: row, Programme: prog, CallOpen: row.Call.Status(s.clock.Now()) == call.Open,
		Editable: a.State.Editable(), Requested: answers.Requested(), Version: a.Version}
	missing := form.Check(&row.Call.Config.Form, row.Call.Config.Lists, &answers)
	shown := b.Errors
	if len(shown) == 0 && !a.State.Editable() {
		shown = nil
	}
	page.Sections = b.formView(row.Call, &answers, shown, files, page.Editable)
	if !page.Editable {
		// Read as the officer reads it: amounts as money, targets titled.
		page.Answers = answerSections(b, row.Call, &answers, files, a.ID)
	}
	// One list of what to fix: after a failed submit, the errors (the
	// checklist would repeat them); otherwise the checklist of what is
	// still missing. Both name each field and follow the form's order.
	page.Summary = b.appSummary(page.Sections, b.Errors)
	if page.Editable && !page.Summary.HasFields() {
		page.Missing = b.appProblems(page.Sections, missing)
	}
	timeline, err := s.store.Timeline(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, c := range timeline {
		// Who reviews is the programme's business, not the applicant's.
		if c.Event != "assign_reviewer" {
			page.Timeline = append(page.Timeline, c)
		}
		if c.Event == application.RequestCompletion && a.State == application.CompletionRequested {
			page.Request = &c
		}
	}
	if page.Snapshots, err = s.store.Snapshots(ctx, a.ID); err != nil {
		return err
	}
	if a.State.Decided() {
		if page.Decision, err = s.store.Decision(ctx, a.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	// The project's name once it has one; until then, the partnership's.
	name := strings.TrimSpace(a.Title())
	if name == "" {
		name = row.Partnership.Name
	}
	b.Title = b.T("apply.app_title", "Name", name)
	return s.render(w, b, status, "app", page)
}

// appSummary is the error summary of the application form: the errors
// about the whole form first, then each field's in the form's order.
func (b *Base) appSummary(secs []sectionView, errs validate.Errors) errorSummary {
	var items []fieldError
	rest := validate.Errors{}
	for k, v := range errs {
		if k == "form" || k == "call" {
			items = append(items, fieldError{Name: k, Message: b.T(v)})
			continue
		}
		rest[k] = v
	}
	slices.SortFunc(items, func(x, y fieldError) int { return strings.Compare(y.Name, x.Name) }) // form, then call
	items = append(items, b.appProblems(secs, rest)...)
	return errorSummary{Heading: b.T("form.errors", "Count", len(items)), Items: items}
}

// HasFields reports whether the summary names a field (not only the form).
func (e errorSummary) HasFields() bool {
	return slices.ContainsFunc(e.Items, func(f fieldError) bool { return f.Name != "form" && f.Name != "call" })
}

// blockColumns are the message keys of the blocks' columns, as the form
// labels them.
var blockColumns = map[string]string{"group": "apply.col.group", "target_group": "apply.col.group", "message": "apply.col.message",
	"title": "apply.col.title", "channel": "apply.col.channel", "start": "apply.col.start", "end": "apply.col.end", "cost": "apply.col.cost",
	"category": "apply.col.category", "description": "apply.col.description", "amount": "apply.col.amount"}

// appProblems lists errs (keyed as form.Check keys them) in the order of
// the form, each with its field's label and linked to its control; an
// error in a row of a block names the row and the column.
func (b *Base) appProblems(secs []sectionView, errs validate.Errors) []fieldError {
	var out []fieldError
	seen := map[string]bool{}
	for _, sec := range secs {
		for _, f := range sec.Fields {
			if msg, ok := errs[f.Key]; ok {
				out = append(out, fieldError{Name: f.Key, Label: f.Label, Message: b.T(msg)})
				seen[f.Key] = true
			}
			type rowErr struct {
				row int
				col string
				key string
			}
			var rows []rowErr
			for k := range errs {
				rest, ok := strings.CutPrefix(k, f.Key+".")
				if !ok {
					continue
				}
				i, col, _ := strings.Cut(rest, ".")
				n, err := strconv.Atoi(i)
				if err != nil {
					continue
				}
				rows = append(rows, rowErr{n, col, k})
			}
			slices.SortFunc(rows, func(x, y rowErr) int {
				if x.row != y.row {
					return x.row - y.row
				}
				return strings.Compare(x.col, y.col)
			})
			for _, re := range rows {
				label := f.Label + " – " + b.T("apply.row", "Number", re.row+1)
				if key, ok := blockColumns[re.col]; ok {
					label += " – " + b.T(key)
				}
				out = append(out, fieldError{Name: strings.ReplaceAll(re.key, ".", "-"), Label: label, Message: b.T(errs[re.key])})
				seen[re.key] = true
			}
		}
	}
	var rest []string
	for k := range errs {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, fieldError{Name: k, Message: b.T(errs[k])})
	}
	return out
}

// maxUpload bounds a whole posted application form: the answers plus a
// few attachments at their maximum size.
const maxUpload = 4*attachment.MaxSize + 1<<20

// appSave saves the draft (action=save), submits it (action=submit) or
// withdraws the application (action=withdraw). Uploaded files are stored
// with the save, so what was typed is never lost to an upload.
func (s *Server) appSave(w http.ResponseWriter, r *http.Request, b *Base) error {
	a, err := s.loadOwnApplication(r, b)
	if err != nil {
		return err
	}
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			b.Errors = validate.Errors{"form": "error.file.too_large"}
			return s.renderApp(w, r, b, http.StatusRequestEntityTooLarge, a, nil)
		}
		return err
	}
	action := r.PostFormValue("action")
	if action == "withdraw" {
		return s.appWithdraw(w, r, b, a)
	}
	c, err := s.store.Call(ctx, a.CallID)
	if err != nil {
		return err
	}
	if !a.State.Editable() {
		if action == "submit" && a.State == application.Submitted {
			// A double-clicked submit: the first one went through.
			http.Redirect(w, r, b.URL("app", a.ID), http.StatusSeeOther)
			return nil
		}
		b.Errors = validate.Errors{"form": "error.application.not_editable"}
		return s.renderApp(w, r, b, http.StatusConflict, a, nil)
	}
	typed := parseAnswers(r, c, &a.Answers)
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	b.Errors = validate.Errors{}
	if err := s.takeUploads(ctx, r, b, a, c, &typed); err != nil {
		return err
	}
	if remove := r.PostForm["remove_file"]; len(remove) > 0 {
		if err := s.removeAttachments(ctx, b, a, remove); err != nil {
			return err
		}
		typed.Files = removeFiles(typed.Files, remove)
	}
	draft := *a
	draft.Answers, draft.Version = typed, version
	err = s.store.SaveDraft(ctx, actor(b.User), &draft)
	switch {
	case errors.Is(err, store.ErrConflict) && r.Header.Get("X-Autosave") == "1":
		w.WriteHeader(http.StatusConflict)
		return nil
	case errors.Is(err, store.ErrConflict):
		b.Errors.Add("form", "error.application.stale")
		cur, err := s.store.Application(ctx, a.ID)
		if err != nil {
			return err
		}
		return s.renderApp(w, r, b, http.StatusConflict, cur, &typed)
	case errors.Is(err, application.ErrTransition):
		b.Errors.Add("form", "error.application.not_editable")
		return s.renderApp(w, r, b, http.StatusConflict, a, &typed)
	case err != nil:
		return err
	}
	if len(b.Errors) > 0 { // an upload was refused; the rest is saved
		return s.renderApp(w, r, b, http.StatusUnprocessableEntity, &draft, nil)
	}
	if r.Header.Get("X-Autosave") == "1" && action == "save" {
		// The script only needs the new version for its next save.
		w.Header().Set("X-Version", strconv.Itoa(draft.Version))
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	if action != "submit" {
		setFlash(w, "flash.saved")
		http.Redirect(w, r, b.URL("app", a.ID), http.StatusSeeOther)
		return nil
	}
	mails, err := s.notify.Submitted(ctx, &draft, c)
	if err != nil {
		return err
	}
	entry, err := s.store.SubmitApplication(ctx, actor(b.User), a.ID, draft.Version, mails)
	var verr validate.Errors
	switch {
	case errors.As(err, &verr):
		b.Errors = verr
		return s.renderApp(w, r, b, http.StatusUnprocessableEntity, &draft, nil)
	case errors.Is(err, store.ErrConflict), errors.Is(err, application.ErrTransition):
		cur, err := s.store.Application(ctx, a.ID)
		if err != nil {
			return err
		}
		if cur.State == application.Submitted {
			http.Redirect(w, r, b.URL("app", a.ID), http.StatusSeeOther)
			return nil
		}
		b.Errors = validate.Errors{"form": "error.application.stale"}
		return s.renderApp(w, r, b, http.StatusConflict, cur, &typed)
	case err != nil:
		return err
	}
	flash := "flash.submitted"
	if a.State == application.CompletionRequested {
		flash = "flash.resubmitted"
	}
	// The first submission opens the case; a resubmission is a document in it.
	setFlash(w, flash, "Number", entry.Number, "Case", entry.CaseNumber())
	http.Redirect(w, r, b.URL("app", a.ID), http.StatusSeeOther)
	return nil
}

// withdrawPage asks the applicant to confirm withdrawing, and says what
// it means.
type withdrawPage struct {
	*Base
	Row      appRow
	CallOpen bool
	Note     string
}

// appWithdrawPage asks before an application is withdrawn: withdrawing is
// final (application.Withdrawn ends the workflow), so it is a page of its
// own, reached from apart from Submit, that works without a script. An
// application that can no longer be withdrawn leads back to its page.
func (s *Server) appWithdrawPage(w http.ResponseWriter, r *http.Request, b *Base) error {
	a, err := s.loadOwnApplication(r, b)
	if err != nil {
		return err
	}
	if a.State.Final() {
		http.Redirect(w, r, b.URL("app", a.ID), http.StatusSeeOther)
		return nil
	}
	return s.renderWithdraw(w, r, b, http.StatusOK, a, "")
}

func (s *Server) renderWithdraw(w http.ResponseWriter, r *http.Request, b *Base, status int, a *application.Application, note string) error {
	row, err := s.appRowOf(r.Context(), a)
	if err != nil {
		return err
	}
	b.Title = b.T("withdraw.title")
	page := withdrawPage{Base: b, Row: row, CallOpen: row.Call.Status(s.clock.Now()) == call.Open, Note: note}
	return s.render(w, b, status, "app_withdraw", page)
}

// appWithdraw withdraws the application when the form confirms it
// (confirm=yes, sent by the confirmation page); otherwise it asks.
func (s *Server) appWithdraw(w http.ResponseWriter, r *http.Request, b *Base, a *application.Application) error {
	note := r.PostFormValue("note")
	if r.PostFormValue("confirm") != "yes" {
		return s.renderWithdraw(w, r, b, http.StatusOK, a, note)
	}
	err := s.store.Transition(r.Context(), actor(b.User), a.ID, application.Withdraw, note, nil)
	var verr validate.Errors
	if errors.As(err, &verr) {
		b.Errors = verr
		return s.renderWithdraw(w, r, b, http.StatusUnprocessableEntity, a, note)
	}
	if errors.Is(err, application.ErrTransition) {
		b.Errors = validate.Errors{"form": "error.application.transition"}
		return s.renderApp(w, r, b, http.StatusConflict, a, nil)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.withdrawn")
	http.Redirect(w, r, b.URL("app", a.ID), http.StatusSeeOther)
	return nil
}

// takeUploads stores each uploaded file of the form's file fields after
// checking its content, and adds it to the answers. A refused file is an
// error on its field; the other answers are still saved.
func (s *Server) takeUploads(ctx context.Context, r *http.Request, b *Base, a *application.Application, c *call.Call, typed *form.Answers) error {
	if r.MultipartForm == nil || s.cfg.Files == nil {
		return nil
	}
	for _, fl := range c.Config.Form.Fields() {
		if fl.Kind != form.File {
			continue
		}
		for _, fh := range r.MultipartForm.File[fl.Key] {
			if fh.Size == 0 && fh.Filename == "" {
				continue
			}
			if fh.Size > attachment.MaxSize {
				b.Errors.Add(fl.Key, "error.file.too_large")
				continue
			}
			f, err := fh.Open()
			if err != nil {
				return err
			}
			data, err := io.ReadAll(io.LimitReader(f, attachment.MaxSize+1))
			f.Close()
			if err != nil {
				return err
			}
			ctype, err := attachment.Detect(data)
			if err != nil {
				b.Errors.Add(fl.Key, err.Error())
				continue
			}
			key := filestore.NewKey()
			size, sum, err := s.cfg.Files.Put(ctx, key, bytes.NewReader(data))
			if err != nil {
				return err
			}
			att := &attachment.Attachment{ApplicationID: a.ID, FieldKey: fl.Key, Filename: attachment.SafeName(fh.Filename, ctype), ContentType: ctype,
				Size: size, SHA256: sum, StorageKey: key, UploadedBy: b.User.ID}
			if err := s.store.AddAttachment(ctx, actor(b.User), att); err != nil {
				s.cfg.Files.Delete(ctx, key) // leave no file without its record
				var verr validate.Errors
				if errors.As(err, &verr) || errors.Is(err, application.ErrTransition) {
					b.Errors.Add(fl.Key, "error.application.not_editable")
					continue
				}
				return err
			}
			if typed.Files == nil {
				typed.Files = map[string][]int64{}
			}
			typed.Files[fl.Key] = append(typed.Files[fl.Key], att.ID)
		}
	}
	return nil
}

// removeAttachments deletes the attachments the applicant asked to remove.
// One that a submitted version still refers to stays stored (the frozen
// version must keep its files) and only leaves the draft.
func (s *Server) removeAttachments(ctx context.Context, b *Base, a *application.Application, ids []string) error {
	for _, sid := range ids {
		id, err := strconv.ParseInt(sid, 10, 64)
		if err != nil {
			continue
		}
		att, err := s.store.Attachment(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && att.ApplicationID != a.ID) {
			continue
		}
		if err != nil {
			return err
		}
		err = s.store.DeleteAttachment(ctx, actor(b.User), id)
		switch {
		case err == nil:
			if s.cfg.Files != nil {
				if err := s.cfg.Files.Delete(ctx, att.StorageKey); err != nil {
					s.log.Warn("delete attachment file", "key", att.StorageKey, "err", err)
				}
			}
		case errors.Is(err, application.ErrTransition):
		default:
			return err
		}
	}
	return nil
}

func removeFiles(files map[string][]int64, remove []string) map[string][]int64 {
	out := map[string][]int64{}
	for k, ids := range files {
		for _, id := range ids {
			if !slices.Contains(remove, strconv.FormatInt(id, 10)) {
				out[k] = append(out[k], id)
			}
		}
	}
	return out
}

// appFile downloads an attachment for its applicant, the programme's
// officers, or a reviewer assigned without a conflict.
func (s *Server) appFile(w http.ResponseWriter, r *http.Request, b *Base) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file")
	if err != nil {
		return err
	}
	ctx := r.Context()
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return err
	}
	if ok, _, err := s.mayRead(ctx, b, a); err != nil || !ok {
		if err != nil {
			return err
		}
		return store.ErrNotFound
	}
	att, err := s.store.Attachment(ctx, fileID)
	if err != nil {
		return err
	}
	if att.ApplicationID != a.ID || s.cfg.Files == nil {
		return store.ErrNotFound
	}
	rc, err := s.cfg.Files.Open(ctx, att.StorageKey)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", att.ContentType)
	h.Set("Content-Length", strconv.FormatInt(att.Size, 10))
	h.Set("Content-Disposition", contentDisposition(att.Filename))
	h.Set("Cache-Control", "private, no-store")
	_, err = io.Copy(w, rc)
	return err
}

// mayRead reports whether the signed-in user may read application a
// (its answers and attachments): its applicants, the officers of its
// programme, and its reviewers who declared no conflict of interest; and
// whether they may also learn who applied (identity), as anything naming
// the applicant or the partnership does (the decision letter): not its
// reviewers under blind review (policy.ReviewerSeesApplicant).
func (s *Server) mayRead(ctx context.Context, b *Base, a *application.Application) (read, identity bool, err error) {
	if policy.ApplicantFor(b.User, a.OrganisationID) {
		return true, true, nil
	}
	c, err := s.store.Call(ctx, a.CallID)
	if err != nil {
		return false, false, err
	}
	if policy.Can(b.User, policy.ManageProgramme, c.ProgrammeID) {
		return true, true, nil
	}
	if policy.Can(b.User, policy.Review, 0) {
		as, err := s.store.Assignment(ctx, a.ID, b.User.ID)
		if errors.Is(err, store.ErrNotFound) {
			return false, false, nil
		}
		if err != nil {
			return false, false, err
		}
		read = as.Declared && !as.Conflict
		return read, read && policy.ReviewerSeesApplicant(c.Config.Steps), nil
	}
	return false, false, nil
}
