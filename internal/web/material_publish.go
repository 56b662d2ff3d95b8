package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/filestore"
	"github.com/icld/partnerskap/internal/material"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/swedish"
	"github.com/icld/partnerskap/internal/validate"
)

// CanMaterial reports whether the signed-in user works in the material
// bank's workspace: publishes for a partnership, or moderates.
func (b *Base) CanMaterial() bool {
	return policy.MaterialPublisher(b.User) || policy.MaterialModerator(b.User)
}

// publisherPartnerships are the partnerships the user may publish for,
// by name in Swedish order.
func (s *Server) publisherPartnerships(ctx context.Context, b *Base) ([]*partnership.Partnership, error) {
	if !policy.MaterialPublisher(b.User) {
		return nil, nil
	}
	all, err := s.store.PartnershipList(ctx, partnership.Filter{})
	if err != nil {
		return nil, err
	}
	var out []*partnership.Partnership
	for _, p := range all {
		if policy.MaterialPublisherFor(b.User, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

type materialMinePage struct {
	*Base
	materialLabels
	Items     []materialRow
	CanCreate bool // publishes for some partnership
	Moderator bool // sees every item
}

// materialMine lists the items a publisher's partnerships have in the
// bank, in every state; an officer sees every item, to moderate.
func (s *Server) materialMine(w http.ResponseWriter, r *http.Request, b *Base) error {
	if !b.CanMaterial() {
		return errForbidden
	}
	ctx := r.Context()
	mine, err := s.publisherPartnerships(ctx, b)
	if err != nil {
		return err
	}
	p := materialMinePage{Base: b, materialLabels: materialLabels{b}, CanCreate: len(mine) > 0, Moderator: policy.MaterialModerator(b.User)}
	f := material.Filter{Unpublished: true}
	if !p.Moderator {
		f.PartnershipIDs = []int64{}
		for _, ps := range mine {
			f.PartnershipIDs = append(f.PartnershipIDs, ps.ID)
		}
	}
	items, _, err := s.store.MaterialList(ctx, f)
	if err != nil {
		return err
	}
	pships, err := s.partnershipsByID(ctx)
	if err != nil {
		return err
	}
	for _, it := range items {
		p.Items = append(p.Items, materialRow{Item: it, Partnership: pships[it.PartnershipID]})
	}
	b.Title = b.T("material.mine.title")
	return s.render(w, b, http.StatusOK, "material_mine", p)
}

// materialForm holds what the publisher typed and chose, so a refused
// form shows it again.
type materialForm struct {
	Partnership, Kind, TitleSV, DescriptionSV, TitleEN, DescriptionEN string
	Languages, Groups, Goals                                          []string
	Licence, Author, Link, Version                                    string
	RemoveFile, Publish                                               bool
	Reason                                                            string // an officer's, for taking the item down
}

func materialFormFrom(it *material.Item) materialForm {
	f := materialForm{Partnership: strconv.FormatInt(it.PartnershipID, 10), Kind: string(it.Kind), TitleSV: it.TitleSV, DescriptionSV: it.DescriptionSV,
		TitleEN: it.TitleEN, DescriptionEN: it.DescriptionEN, Languages: it.Languages, Groups: it.TargetGroups, Licence: it.Licence,
		Author: it.Author, Link: it.Link, Version: strconv.Itoa(it.Version)}
	for _, g := range it.Goals {
		f.Goals = append(f.Goals, strconv.Itoa(g))
	}
	return f
}

// item turns the form into an item of partnership pid; what can't be
// read (a goal that is not a number) is left for Validate to name.
func (f materialForm) item(id, pid int64) *material.Item {
	v, _ := strconv.Atoi(f.Version)
	it := &material.Item{ID: id, PartnershipID: pid, Kind: material.Kind(f.Kind), TitleSV: f.TitleSV, DescriptionSV: f.DescriptionSV,
		TitleEN: f.TitleEN, DescriptionEN: f.DescriptionEN, Languages: f.Languages, TargetGroups: f.Groups, Licence: f.Licence,
		Author: f.Author, Link: f.Link, Version: v}
	for _, g := range f.Goals {
		n, err := strconv.Atoi(g)
		if err != nil {
			n = -1
		}
		it.Goals = append(it.Goals, n)
	}
	it.Normalize()
	return it
}

type materialFormPage struct {
	*Base
	materialLabels
	Form         materialForm
	Editing      *material.Item // nil for a new item
	Partnership  *partnership.Partnership
	Partnerships []option // the publisher's, for a new item
	CanEdit      bool     // a publisher of the item's partnership
	Moderator    bool
	Uploads      bool // a file store is configured
	Accept       string
	Kinds        []option
	Languages    []option
	Licences     []option
	Groups       []option
	Goals        []option
}

// ErrorList lists the form's errors in the order of its fields.
func (p materialFormPage) ErrorList() errorSummary {
	return p.ErrorSummary("form", "partnership=material.partnership", "kind=material.kind", "title_sv=material.title_sv",
		"description_sv=material.description_sv", "title_en=material.title_en", "description_en=material.description_en",
		"languages=material.languages", "target_groups=material.target_groups", "goals=material.goals", "licence=material.licence",
		"author=material.author", "file=material.file", "link=material.link", "reason=material.reason")
}

func (s *Server) renderMaterialForm(w http.ResponseWriter, r *http.Request, b *Base, status int, f materialForm, editing *material.Item) error {
	m := materialLabels{b}
	p := materialFormPage{Base: b, materialLabels: m, Form: f, Editing: editing, Uploads: s.cfg.Files != nil, Accept: material.Accept,
		Moderator: policy.MaterialModerator(b.User), Kinds: append([]option{{Value: "", Label: b.T("form.choose")}}, m.kindOptions()...),
		Languages: m.languageOptions(), Licences: append([]option{{Value: "", Label: b.T("form.choose")}}, m.licenceOptions()...),
		Groups: m.groupOptions(), Goals: m.goalOptions()}
	if editing != nil {
		ps, err := s.store.Partnership(r.Context(), editing.PartnershipID)
		if err != nil {
			return err
		}
		p.Partnership, p.CanEdit = ps, policy.MaterialPublisherFor(b.User, ps)
		b.Title = b.T("material.edit_title", "Title", editing.Title(b.Lang))
	} else {
		mine, err := s.publisherPartnerships(r.Context(), b)
		if err != nil {
			return err
		}
		for _, ps := range mine {
			p.Partnerships = append(p.Partnerships, option{Value: strconv.FormatInt(ps.ID, 10), Label: ps.Name})
		}
		swedish.Sort(p.Partnerships, func(o option) string { return o.Label })
		if len(p.Partnerships) > 1 {
			p.Partnerships = append([]option{{Value: "", Label: b.T("form.choose")}}, p.Partnerships...)
		}
		p.CanEdit = true
		b.Title = b.T("material.new_title")
	}
	return s.render(w, b, status, "material_form", p)
}

// materialNew is the form for a new item.
func (s *Server) materialNew(w http.ResponseWriter, r *http.Request, b *Base) error {
	mine, err := s.publisherPartnerships(r.Context(), b)
	if err != nil {
		return err
	}
	if len(mine) == 0 {
		return errForbidden
	}
	f := materialForm{Licence: material.Licences[0].Code, Partnership: r.URL.Query().Get("partnerskap")}
	if len(mine) == 1 {
		f.Partnership = strconv.FormatInt(mine[0].ID, 10)
	}
	if b.Lang == "en" {
		f.Languages = []string{"en"}
	} else {
		f.Languages = []string{"sv"}
	}
	return s.renderMaterialForm(w, r, b, http.StatusOK, f, nil)
}

// materialCreate saves a new item as a draft, or publishes it at once
// when the publisher pressed "Save and publish".
func (s *Server) materialCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	ctx := r.Context()
	mine, err := s.publisherPartnerships(ctx, b)
	if err != nil {
		return err
	}
	if len(mine) == 0 {
		return errForbidden
	}
	f, up, errs, err := s.parseMaterialBody(w, r)
	if err != nil {
		return err
	}
	pid, _ := strconv.ParseInt(f.Partnership, 10, 64)
	var ps *partnership.Partnership
	for _, x := range mine {
		if x.ID == pid {
			ps = x
		}
	}
	if ps == nil {
		// Not one of the user's: a choice the form did not offer.
		errs.Add("partnership", material.ErrChoice)
		if f.Partnership == "" {
			errs["partnership"] = material.ErrRequired
		}
	}
	it := f.item(0, pid)
	if up != nil {
		it.File = &material.File{Filename: up.filename, ContentType: up.ctype, Size: int64(len(up.data))} // for Validate; stored below
	}
	for k, v := range it.Validate() {
		errs.Add(k, v)
	}
	if len(errs) == 0 {
		err = s.saveMaterial(ctx, b, it, up, s.store.CreateMaterial)
	} else {
		err = errs
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderMaterialForm(w, r, b, status, f, nil)
	}
	if err != nil {
		return err
	}
	flash := "flash.material.saved_draft"
	if f.Publish {
		if _, err := s.store.ChangeMaterialState(ctx, actor(b.User), it.ID, it.Version, material.Publish, ""); err != nil {
			return err
		}
		flash = "flash.material.published"
	}
	setFlash(w, flash)
	http.Redirect(w, r, b.URL("mymaterial.edit", it.ID), http.StatusSeeOther)
	return nil
}

// loadMyMaterial loads the item {id} for its publishers or a moderator;
// anyone else is refused (403: the item exists, but is not theirs).
func (s *Server) loadMyMaterial(r *http.Request, b *Base) (*material.Item, *partnership.Partnership, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	it, err := s.store.Material(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	ps, err := s.store.Partnership(r.Context(), it.PartnershipID)
	if err != nil {
		return nil, nil, err
	}
	if !policy.MaterialPublisherFor(b.User, ps) && !policy.MaterialModerator(b.User) {
		return nil, nil, errForbidden
	}
	return it, ps, nil
}

// materialEdit shows an item to its publishers (to edit, publish and
// withdraw) and to officers (to take it down or put it back).
func (s *Server) materialEdit(w http.ResponseWriter, r *http.Request, b *Base) error {
	it, _, err := s.loadMyMaterial(r, b)
	if err != nil {
		return err
	}
	return s.renderMaterialForm(w, r, b, http.StatusOK, materialFormFrom(it), it)
}

// materialUpdate saves a publisher's edit. The file is kept unless a new
// one is uploaded or its removal ticked.
func (s *Server) materialUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	ctx := r.Context()
	stored, ps, err := s.loadMyMaterial(r, b)
	if err != nil {
		return err
	}
	if !policy.MaterialPublisherFor(b.User, ps) {
		return errForbidden
	}
	f, up, errs, err := s.parseMaterialBody(w, r)
	if err != nil {
		return err
	}
	f.Partnership = strconv.FormatInt(stored.PartnershipID, 10) // an item stays with its partnership
	it := f.item(stored.ID, stored.PartnershipID)
	switch {
	case up != nil:
		it.File = &material.File{Filename: up.filename, ContentType: up.ctype, Size: int64(len(up.data))}
	case !f.RemoveFile && !errs.Has("file"):
		it.File = stored.File
	}
	for k, v := range it.Validate() {
		errs.Add(k, v)
	}
	if len(errs) == 0 {
		err = s.saveMaterial(ctx, b, it, up, s.store.UpdateMaterial)
	} else {
		err = errs
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderMaterialForm(w, r, b, status, f, stored)
	}
	if err != nil {
		return err
	}
	if old := stored.File; old != nil && (it.File == nil || it.File.StorageKey != old.StorageKey) {
		s.deleteMaterialBytes(ctx, old) // replaced or removed
	}
	if f.Publish && it.State == material.Draft {
		if _, err := s.store.ChangeMaterialState(ctx, actor(b.User), it.ID, it.Version, material.Publish, ""); err != nil {
			return err
		}
		setFlash(w, "flash.material.published")
	} else {
		setFlash(w, "flash.saved")
	}
	http.Redirect(w, r, b.URL("mymaterial.edit", it.ID), http.StatusSeeOther)
	return nil
}

// materialState publishes or withdraws an item (its publishers), or takes
// it down with a reason or puts it back up (officers).
func (s *Server) materialState(w http.ResponseWriter, r *http.Request, b *Base) error {
	stored, ps, err := s.loadMyMaterial(r, b)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	e := material.Event(r.PostFormValue("event"))
	switch e {
	case material.Publish, material.Withdraw:
		if !policy.MaterialPublisherFor(b.User, ps) {
			return errForbidden
		}
	case material.Remove, material.Restore:
		if !policy.MaterialModerator(b.User) {
			return errForbidden
		}
	default:
		return validate.Errors{"event": material.ErrChoice}
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	reason := r.PostFormValue("reason")
	_, err = s.store.ChangeMaterialState(r.Context(), actor(b.User), stored.ID, version, e, reason)
	if errors.Is(err, material.ErrTransition) {
		b.Errors = validate.Errors{"form": "error.material.transition"}
		return s.renderMaterialState(w, r, b, http.StatusConflict, stored, reason)
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderMaterialState(w, r, b, status, stored, reason)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.material."+string(e))
	http.Redirect(w, r, b.URL("mymaterial.edit", stored.ID), http.StatusSeeOther)
	return nil
}

// renderMaterialState shows the item's page again after a refused state
// change, with the reason as typed.
func (s *Server) renderMaterialState(w http.ResponseWriter, r *http.Request, b *Base, status int, it *material.Item, reason string) error {
	f := materialFormFrom(it)
	f.Reason = reason
	return s.renderMaterialForm(w, r, b, status, f, it)
}

// materialOwnFile lets publishers and officers download an item's file in
// any state, to check it; it is not counted.
func (s *Server) materialOwnFile(w http.ResponseWriter, r *http.Request, b *Base) error {
	it, _, err := s.loadMyMaterial(r, b)
	if err != nil {
		return err
	}
	return s.serveMaterialFile(w, r, it, false)
}

// maxMaterialBody bounds a posted material form: the fields plus one file
// well over the largest accepted, so a file a little too large is refused
// on its field with the rest of the form kept. The file input comes last
// in the form, so even a body over this bound keeps what was typed.
const maxMaterialBody = 2*material.MaxSize + 1<<20

// maxMaterialField bounds one text field of the form.
const maxMaterialField = 64 << 10

// materialUpload is an uploaded file whose content was accepted, not yet
// stored.
type materialUpload struct {
	data     []byte
	filename string
	ctype    string
}

// parseMaterialBody reads the material form, a multipart one (with a
// file) or a plain one, streaming: text fields into the form, the file
// into memory up to material.MaxSize. A file refused for its size or its
// type is an error on "file" in errs, with the form kept.
func (s *Server) parseMaterialBody(w http.ResponseWriter, r *http.Request) (materialForm, *materialUpload, validate.Errors, error) {
	errs := validate.Errors{}
	r.Body = http.MaxBytesReader(w, r.Body, maxMaterialBody)
	values := map[string][]string{}
	var up *materialUpload
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			return materialForm{}, nil, nil, tooLargeOr(err, errs)
		}
		values = r.PostForm
	} else {
		mr, err := r.MultipartReader()
		if err != nil {
			return materialForm{}, nil, nil, err
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				if tooLargeOr(err, errs) == nil {
					break // the body went over the bound: what came before the file is kept
				}
				return materialForm{}, nil, nil, err
			}
			name := part.FormName()
			if name == "file" {
				if up, err = s.readMaterialUpload(part, errs); err != nil {
					if tooLargeOr(err, errs) == nil {
						break
					}
					return materialForm{}, nil, nil, err
				}
				continue
			}
			v, err := io.ReadAll(io.LimitReader(part, maxMaterialField))
			if err != nil {
				if tooLargeOr(err, errs) == nil {
					break
				}
				return materialForm{}, nil, nil, err
			}
			values[name] = append(values[name], string(v))
		}
	}
	get := func(k string) string {
		if v := values[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	f := materialForm{Partnership: get("partnership"), Kind: get("kind"), TitleSV: get("title_sv"), DescriptionSV: get("description_sv"),
		TitleEN: get("title_en"), DescriptionEN: get("description_en"), Languages: values["languages"], Groups: values["target_groups"],
		Goals: values["goals"], Licence: get("licence"), Author: get("author"), Link: strings.TrimSpace(get("link")), Version: get("version"),
		RemoveFile: get("remove_file") != "", Publish: get("publish") != ""}
	return f, up, errs, nil
}

// tooLargeOr turns a body over maxMaterialBody into the file's field
// error (returning nil), and returns any other error.
func tooLargeOr(err error, errs validate.Errors) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		errs["file"] = material.ErrFileTooLarge
		return nil
	}
	return err
}

// readMaterialUpload reads the file part: nil when no file was chosen; a
// file too large or of a type the bank does not take is an error on
// "file" in errs.
func (s *Server) readMaterialUpload(part *multipart.Part, errs validate.Errors) (*materialUpload, error) {
	filename := part.FileName()
	data, err := io.ReadAll(io.LimitReader(part, material.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) == 0 && filename == "" {
		return nil, nil // no file chosen
	}
	if s.cfg.Files == nil {
		return nil, nil
	}
	if len(data) > material.MaxSize {
		errs.Add("file", material.ErrFileTooLarge)
		_, err := io.Copy(io.Discard, part) // the rest of the file, to reach the fields after it
		return nil, err
	}
	ctype, err := attachment.CheckType(bytes.NewReader(data), int64(len(data)))
	switch {
	case errors.Is(err, attachment.ErrEmpty):
		errs.Add("file", attachment.ErrEmpty.Error())
		return nil, nil
	case err != nil || !material.AcceptsType(ctype):
		errs.Add("file", material.ErrFileType)
		return nil, nil
	}
	return &materialUpload{data: data, filename: attachment.SafeName(filename, ctype), ctype: ctype}, nil
}

// saveMaterial stores the upload's bytes (if any) as it's file and saves
// it with save; if the save fails the bytes are deleted again, so no file
// is left without its record.
func (s *Server) saveMaterial(ctx context.Context, b *Base, it *material.Item, up *materialUpload,
	save func(context.Context, audit.Actor, *material.Item) error) error {
	if up == nil {
		return save(ctx, actor(b.User), it)
	}
	key := filestore.NewKey()
	size, sum, err := s.cfg.Files.Put(ctx, key, bytes.NewReader(up.data))
	if err != nil {
		return err
	}
	it.File = &material.File{Filename: up.filename, ContentType: up.ctype, Size: size, SHA256: sum, StorageKey: key}
	if err := save(ctx, actor(b.User), it); err != nil {
		s.cfg.Files.Delete(ctx, key)
		return err
	}
	return nil
}

// deleteMaterialBytes deletes a file no item refers to any more; a failure
// only leaves an orphan in the file store, so it is logged.
func (s *Server) deleteMaterialBytes(ctx context.Context, f *material.File) {
	if s.cfg.Files == nil {
		return
	}
	if err := s.cfg.Files.Delete(ctx, f.StorageKey); err != nil {
		s.log.Warn("delete material file", "key", f.StorageKey, "err", err)
	}
}
