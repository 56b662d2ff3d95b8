package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/filestore"
	"github.com/icld/partnerskap/internal/form"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/money"
	"github.com/icld/partnerskap/internal/notify"
	"github.com/icld/partnerskap/internal/partnership"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/validate"
)

// grantAccess is a grant as the activity pages see it, with what the
// signed-in user may do there.
type grantAccess struct {
	Grant       *grant.Grant
	Call        *call.Call
	Partnership *partnership.Partnership
	OrgName     string
	CanWrite    bool // an applicant of the grant's organisation
}

// mailed is what a report mail says about the grant.
func (ga *grantAccess) mailed() notify.Grant {
	return notify.Grant{Grant: ga.Grant, Call: ga.Call, Partnership: ga.Partnership.Name, Organisation: ga.OrgName}
}

// loadGrantActivities loads the grant with the id in the path. Applicants
// of its organisation may write; officers of its programme may read;
// anyone else gets 404, as if the grant did not exist, so grant numbers
// can't be probed. write asks for write access: an officer then gets 403.
func (s *Server) loadGrantActivities(r *http.Request, b *Base, write bool) (*grantAccess, error) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	g, err := s.store.Grant(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Call(ctx, g.CallID)
	if err != nil {
		return nil, err
	}
	ga := &grantAccess{Grant: g, Call: c, CanWrite: policy.ApplicantFor(b.User, g.OrganisationID)}
	if !ga.CanWrite {
		if !policy.Can(b.User, policy.ManageProgramme, c.ProgrammeID) {
			return nil, store.ErrNotFound
		}
		if write {
			return nil, errForbidden
		}
	}
	if ga.Partnership, err = s.store.Partnership(ctx, g.PartnershipID); err != nil {
		return nil, err
	}
	org, err := s.store.Organisation(ctx, g.OrganisationID)
	if err != nil {
		return nil, err
	}
	ga.OrgName = org.Name
	return ga, nil
}

// loadGrantActivity loads the activity {aid} of the grant {id}; an
// activity of another grant is 404.
func (s *Server) loadGrantActivity(r *http.Request, ga *grantAccess) (*activity.Activity, error) {
	aid, err := pathID(r, "aid")
	if err != nil {
		return nil, err
	}
	a, err := s.store.Activity(r.Context(), aid)
	if err != nil {
		return nil, err
	}
	if a.GrantID != ga.Grant.ID {
		return nil, store.ErrNotFound
	}
	return a, nil
}

// activityForm holds what was typed, so a refused form shows it again.
type activityForm struct {
	Date, Title, TargetGroup, Channel, Cost, Evidence, Version string
	Reach                                                      map[string]string // per target group, as typed
	Targets                                                    []string
	RemoveFile                                                 bool // the stored evidence file is to go
}

func activityFormFrom(a *activity.Activity) activityForm {
	f := activityForm{Date: a.Date.Format("2006-01-02"), Title: a.Title, TargetGroup: a.TargetGroup, Channel: a.Channel,
		Cost: a.Cost, Evidence: a.Evidence, Version: strconv.Itoa(a.Version), Reach: map[string]string{}, Targets: a.Targets}
	for g, n := range a.Reach {
		f.Reach[g] = activity.ReachInput(n)
	}
	return f
}

// parseActivityForm reads the form; the reach fields are those of the
// call's target groups ("reach.<group>"), so a group outside the list
// cannot be posted in.
func parseActivityForm(r *http.Request, lists form.Lists) activityForm {
	f := activityForm{Date: r.PostFormValue("date"), Title: r.PostFormValue("title"), TargetGroup: r.PostFormValue("target_group"),
		Channel: r.PostFormValue("channel"), Cost: r.PostFormValue("cost"), Evidence: r.PostFormValue("evidence"),
		Version: r.PostFormValue("version"), Reach: map[string]string{}, Targets: r.PostForm["targets"], RemoveFile: r.PostFormValue("remove_evidence_file") != ""}
	for _, o := range lists.TargetGroups {
		if v := r.PostFormValue("reach." + o.Value); v != "" {
			f.Reach[o.Value] = v
		}
	}
	return f
}

// activity turns the form into an activity for grant grantID. What can't
// be read (a date, a number of people) is a field error here; the rest is
// checked by activity.Validate, here too, so the page lists every problem
// at once.
func (f activityForm) activity(grantID, id int64, lists form.Lists, today time.Time) (*activity.Activity, validate.Errors) {
	errs := validate.Errors{}
	v, _ := strconv.Atoi(f.Version)
	a := &activity.Activity{ID: id, GrantID: grantID, Title: f.Title, TargetGroup: f.TargetGroup, Channel: f.Channel,
		Cost: f.Cost, Evidence: f.Evidence, Targets: f.Targets, Version: v, Reach: map[string]int64{}}
	if d := strings.TrimSpace(f.Date); d != "" {
		t, err := clock.ParseDate(d)
		if err != nil {
			errs.Add("date", "error.date")
		}
		a.Date = t
	}
	for g, typed := range f.Reach {
		n, key := activity.ParseReach(typed)
		if key != "" {
			errs.Add("reach."+g, key)
			continue
		}
		a.Reach[g] = n
	}
	a.Normalize()
	for k, msg := range a.Validate(lists, today) {
		if k == "date" && errs.Has("date") {
			continue
		}
		errs.Add(k, msg)
	}
	return a, errs
}

// activitiesPage is the grant's activities: what was planned beside what
// was done, the reach, and the form to log (or edit) an activity.
type activitiesPage struct {
	*Base
	G        *grantAccess
	Planned  []plannedActivity
	HasPlan  bool // the grant came from an application (with a plan)
	Done     []*activity.Activity
	Summary  activity.Summary
	Form     activityForm
	Editing  *activity.Activity // the activity being edited; nil on the list
	Uploads  bool               // a file store is configured, so evidence files can be uploaded
	Groups   []option
	Channels []option
	Targets  []option
}

// plannedActivity is a row of the application's plan, for reading.
type plannedActivity struct {
	Title, TargetGroup, Channel, Start, End, Cost string
}

// GroupLabel and ChannelLabel name a value of the call's lists.
func (p activitiesPage) GroupLabel(v string) string {
	return formOptionLabel(p.G.Call.Config.Lists.TargetGroups, v, p.Lang)
}
func (p activitiesPage) ChannelLabel(v string) string {
	return formOptionLabel(p.G.Call.Config.Lists.Channels, v, p.Lang)
}

// Cost shows what an activity cost, as money when it reads as money.
func (p activitiesPage) Cost(typed string) string { return shownAmount(typed, p.Lang) }

// People writes a number of people for reading, its thousands grouped as
// the language groups them: "10 600 000" in Swedish (no-break spaces),
// "10,600,000" in English.
func (p activitiesPage) People(n int64) string { return money.Count(n, p.Lang) }

// ReachOf lists an activity's reach in the order of the target groups.
func (p activitiesPage) ReachOf(a *activity.Activity) []activity.GroupReach {
	var out []activity.GroupReach
	for _, g := range activity.Summarize([]*activity.Activity{a}, p.G.Call.Config.Lists).Groups {
		if g.Reach > 0 {
			out = append(out, g)
		}
	}
	return out
}

// TargetLabel names an SDG target in the page's language.
func (p activitiesPage) TargetLabel(code string) string {
	t := sdg.TargetByCode(code)
	switch {
	case t == nil:
		return code
	case p.Lang == "en":
		return code + " " + t.TitleEN
	}
	return code + " " + t.ShortSV
}

// ReachFields are the form's people-reached fields, one per target group
// of the call, each labelled with its group.
func (p activitiesPage) ReachFields() []field {
	var out []field
	for _, o := range p.G.Call.Config.Lists.TargetGroups {
		name := "reach." + o.Value
		f := field{Name: name, Label: o.Label.In(p.Lang), Type: "text", InputMode: "numeric", Value: p.Form.Reach[o.Value]}
		if key, ok := p.Errors[name]; ok {
			f.Error = p.T(key)
		}
		out = append(out, f)
	}
	return out
}

// ErrorList lists the form's errors in the order of its fields.
func (p activitiesPage) ErrorList() errorSummary {
	order := []string{"form", "date", "title", "target_group", "channel"}
	labels := map[string]string{"date": p.T("activity.date"), "title": p.T("activity.title_field"), "target_group": p.T("activity.target_group"),
		"channel": p.T("activity.channel"), "cost": p.T("activity.cost"), "evidence": p.T("activity.evidence"), "targets": p.T("activity.targets")}
	for _, o := range p.G.Call.Config.Lists.TargetGroups {
		order = append(order, "reach."+o.Value)
		labels["reach."+o.Value] = p.T("activity.reach_of", "Group", o.Label.In(p.Lang))
	}
	labels["evidence_file"] = p.T("activity.evidence_file")
	order = append(order, "cost", "evidence", "evidence_file", "targets")
	return p.labelledSummary(order, labels)
}

// today is the date in Stockholm by the server's clock.
func (s *Server) today() time.Time { return clock.Today(s.clock.Now()) }

func (s *Server) renderActivities(w http.ResponseWriter, r *http.Request, b *Base, status int, ga *grantAccess, f activityForm, editing *activity.Activity) error {
	ctx := r.Context()
	lists := ga.Call.Config.Lists
	page := activitiesPage{Base: b, G: ga, Form: f, Editing: editing, Uploads: s.cfg.Files != nil,
		Groups:   append([]option{{Value: "", Label: b.T("form.choose")}}, options(lists.TargetGroups, b.Lang)...),
		Channels: append([]option{{Value: "", Label: b.T("form.choose")}}, options(lists.Channels, b.Lang)...)}
	for _, g := range sdg.Goals() {
		group := b.T("goal.title", "Number", g.Number, "Name", g.Short.In(b.Lang))
		for _, t := range g.Targets {
			page.Targets = append(page.Targets, option{Value: t.Code, Label: page.TargetLabel(t.Code), Group: group})
		}
	}
	if editing == nil {
		var err error
		if page.Planned, page.HasPlan, err = s.plannedActivities(ctx, ga.Grant); err != nil {
			return err
		}
		if page.Done, err = s.store.ActivityList(ctx, ga.Grant.ID); err != nil {
			return err
		}
		page.Summary = activity.Summarize(page.Done, lists)
		b.Title = b.T("activity.page_title", "Name", ga.Partnership.Name)
	} else {
		b.Title = b.T("activity.edit_title", "Name", editing.Title)
	}
	return s.render(w, b, status, "activities", page)
}

// plannedActivities reads the plan from the application the grant was
// decided on; a grant recorded without an application has none.
func (s *Server) plannedActivities(ctx context.Context, g *grant.Grant) ([]plannedActivity, bool, error) {
	if g.ApplicationID == 0 {
		return nil, false, nil
	}
	a, err := s.store.Application(ctx, g.ApplicationID)
	if err != nil {
		return nil, false, err
	}
	var out []plannedActivity
	for _, p := range a.Answers.Activities {
		out = append(out, plannedActivity{Title: p.Title, TargetGroup: p.TargetGroup, Channel: p.Channel, Start: p.Start, End: p.End, Cost: p.Cost})
	}
	return out, true, nil
}

func (s *Server) grantActivities(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, err := s.loadGrantActivities(r, b, false)
	if err != nil {
		return err
	}
	return s.renderActivities(w, r, b, http.StatusOK, ga, activityForm{Date: s.today().Format("2006-01-02")}, nil)
}

func (s *Server) grantActivityCreate(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, err := s.loadGrantActivities(r, b, true)
	if err != nil {
		return err
	}
	if err := s.parseActivityBody(w, r); err != nil {
		if errors.Is(err, errTooLarge) {
			b.Errors = validate.Errors{"evidence_file": "error.file.too_large"}
			return s.renderActivities(w, r, b, http.StatusRequestEntityTooLarge, ga, activityForm{Date: s.today().Format("2006-01-02")}, nil)
		}
		return err
	}
	lists := ga.Call.Config.Lists
	f := parseActivityForm(r, lists)
	a, errs := f.activity(ga.Grant.ID, 0, lists, s.today())
	upload, err := s.readEvidenceUpload(r, errs)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		err = s.saveActivity(r.Context(), b, a, upload, s.store.CreateActivity)
	} else {
		err = errs
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderActivities(w, r, b, status, ga, f, nil)
	}
	if err != nil {
		return err
	}
	setFlash(w, "flash.created")
	http.Redirect(w, r, b.URL("grant.activities", ga.Grant.ID)+"#done", http.StatusSeeOther)
	return nil
}

func (s *Server) grantActivity(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, err := s.loadGrantActivities(r, b, false)
	if err != nil {
		return err
	}
	a, err := s.loadGrantActivity(r, ga)
	if err != nil {
		return err
	}
	return s.renderActivities(w, r, b, http.StatusOK, ga, activityFormFrom(a), a)
}

func (s *Server) grantActivityUpdate(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, err := s.loadGrantActivities(r, b, true)
	if err != nil {
		return err
	}
	stored, err := s.loadGrantActivity(r, ga)
	if err != nil {
		return err
	}
	if err := s.parseActivityBody(w, r); err != nil {
		if errors.Is(err, errTooLarge) {
			b.Errors = validate.Errors{"evidence_file": "error.file.too_large"}
			return s.renderActivities(w, r, b, http.StatusRequestEntityTooLarge, ga, activityFormFrom(stored), stored)
		}
		return err
	}
	lists := ga.Call.Config.Lists
	f := parseActivityForm(r, lists)
	a, errs := f.activity(ga.Grant.ID, stored.ID, lists, s.today())
	upload, err := s.readEvidenceUpload(r, errs)
	if err != nil {
		return err
	}
	if !f.RemoveFile {
		a.File = stored.File // kept unless replaced by an upload
	}
	if len(errs) == 0 {
		err = s.saveActivity(r.Context(), b, a, upload, s.store.UpdateActivity)
	} else {
		err = errs
	}
	if status, ok := formFailed(err, b); ok {
		return s.renderActivities(w, r, b, status, ga, f, stored)
	}
	if err != nil {
		return err
	}
	if old := stored.File; old != nil && (a.File == nil || a.File.StorageKey != old.StorageKey) {
		s.deleteEvidenceBytes(r.Context(), old) // replaced or removed
	}
	setFlash(w, "flash.saved")
	http.Redirect(w, r, b.URL("grant.activities", ga.Grant.ID)+"#done", http.StatusSeeOther)
	return nil
}

func (s *Server) grantActivityDelete(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, err := s.loadGrantActivities(r, b, true)
	if err != nil {
		return err
	}
	a, err := s.loadGrantActivity(r, ga)
	if err != nil {
		return err
	}
	err = s.store.DeleteActivity(r.Context(), actor(b.User), a.ID)
	if status, ok := formFailed(err, b); ok {
		return s.renderActivities(w, r, b, status, ga, activityFormFrom(a), a)
	}
	if err != nil {
		return err
	}
	if a.File != nil {
		s.deleteEvidenceBytes(r.Context(), a.File)
	}
	http.Redirect(w, r, b.URL("grant.activities", ga.Grant.ID)+"#done", http.StatusSeeOther)
	return nil
}

// maxActivityBody bounds a posted activity form: the fields plus one
// evidence file a little over the largest accepted, so an oversized file
// is refused on its field with the rest of the form kept.
const maxActivityBody = 2*attachment.MaxSize + 1<<20

// parseActivityBody reads the activity form, a multipart one (with a file)
// or a plain one (without JavaScript or a file the browser posts either).
// A body over maxActivityBody is errTooLarge.
func (s *Server) parseActivityBody(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxActivityBody)
	err := r.ParseMultipartForm(8 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errTooLarge
	}
	return err
}

// evidenceUpload is an uploaded evidence file whose content was accepted,
// not yet stored.
type evidenceUpload struct {
	data     []byte
	filename string
	ctype    string
}

// readEvidenceUpload reads and checks the form's evidence file: nil for
// none; a refused file (its type, its size) is an error on the field in
// errs.
func (s *Server) readEvidenceUpload(r *http.Request, errs validate.Errors) (*evidenceUpload, error) {
	if r.MultipartForm == nil || s.cfg.Files == nil {
		return nil, nil
	}
	files := r.MultipartForm.File["evidence_file"]
	if len(files) == 0 || (files[0].Size == 0 && files[0].Filename == "") {
		return nil, nil
	}
	fh := files[0]
	if fh.Size > attachment.MaxSize {
		errs.Add("evidence_file", attachment.ErrTooLarge.Error())
		return nil, nil
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, attachment.MaxSize+1))
	f.Close()
	if err != nil {
		return nil, err
	}
	ctype, err := attachment.Detect(data)
	if err != nil {
		errs.Add("evidence_file", err.Error())
		return nil, nil
	}
	return &evidenceUpload{data: data, filename: attachment.SafeName(fh.Filename, ctype), ctype: ctype}, nil
}

// saveActivity stores the upload's bytes (if any) as a's evidence file and
// saves a with save; if the save fails the bytes are deleted again, so no
// file is left without its record.
func (s *Server) saveActivity(ctx context.Context, b *Base, a *activity.Activity, up *evidenceUpload,
	save func(context.Context, audit.Actor, *activity.Activity) error) error {
	if up == nil {
		return save(ctx, actor(b.User), a)
	}
	key := filestore.NewKey()
	size, sum, err := s.cfg.Files.Put(ctx, key, bytes.NewReader(up.data))
	if err != nil {
		return err
	}
	a.File = &activity.EvidenceFile{Filename: up.filename, ContentType: up.ctype, Size: size, SHA256: sum, StorageKey: key}
	if err := save(ctx, actor(b.User), a); err != nil {
		s.cfg.Files.Delete(ctx, key)
		return err
	}
	return nil
}

// deleteEvidenceBytes deletes an evidence file no activity refers to any
// more; a failure only leaves an orphan in the file store, so it is logged.
func (s *Server) deleteEvidenceBytes(ctx context.Context, f *activity.EvidenceFile) {
	if s.cfg.Files == nil {
		return
	}
	if err := s.cfg.Files.Delete(ctx, f.StorageKey); err != nil {
		s.log.Warn("delete evidence file", "key", f.StorageKey, "err", err)
	}
}

// grantActivityEvidence downloads an activity's evidence file, to those
// who may read the grant's activities.
func (s *Server) grantActivityEvidence(w http.ResponseWriter, r *http.Request, b *Base) error {
	ga, err := s.loadGrantActivities(r, b, false)
	if err != nil {
		return err
	}
	a, err := s.loadGrantActivity(r, ga)
	if err != nil {
		return err
	}
	if a.File == nil || s.cfg.Files == nil {
		return store.ErrNotFound
	}
	rc, err := s.cfg.Files.Open(r.Context(), a.File.StorageKey)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", a.File.ContentType)
	h.Set("Content-Length", strconv.FormatInt(a.File.Size, 10))
	h.Set("Content-Disposition", contentDisposition(a.File.Filename))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, err = io.Copy(w, rc)
	return err
}
