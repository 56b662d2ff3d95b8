package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/icld/partnerskap/internal/activity"
	"github.com/icld/partnerskap/internal/application"
	"github.com/icld/partnerskap/internal/attachment"
	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/call"
	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/decision"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/mail"
	"github.com/icld/partnerskap/internal/material"
	"github.com/icld/partnerskap/internal/programme"
	"github.com/icld/partnerskap/internal/registry"
	"github.com/icld/partnerskap/internal/store/storetest"
	"github.com/icld/partnerskap/internal/story"
	"github.com/icld/partnerskap/internal/user"
)

// Every route, every role (issue 9): each pattern the router registers,
// in the route table or outside it, has a row below with the status each
// kind of person must get, written by hand. The test fails for a pattern
// without a row and for a row without a pattern.
//
// Every identifier in a path or form names an object of the owning
// organisation, Kalix kommun (its application, grant, partnership,
// story …), so the columns of outsiders are attacks on Kalix's objects
// with their IDs put in. A refused answer must carry none of Kalix's
// private data (accessFix.secrets), nor may any answer at all to those
// with no business with Kalix (strangers: lists and logs too); no answer
// to the blind reviewer may name the applicant.
//
// Columns of want, in this order, separated by spaces:
//
//	anon     not signed in
//	own      applicant of Kalix kommun, the owning organisation
//	other    applicant of another municipality (Växjö)
//	partner  partner of Kalix – Masaka (Masaka District)
//	rev      reviewer assigned to Kalix's application, no conflict declared
//	free     reviewer assigned to nothing of Kalix's
//	conf     reviewer assigned who declared a conflict
//	blind    reviewer assigned to Kalix's applications in a blind-review
//	         call: {app}, {decided} and {att} name those instead
//	offin    officer scoped to the programme of Kalix's call
//	offout   officer scoped to another programme
//	admin    administrator
//	gone     administrator deactivated after signing in
//
// A status is the HTTP status, or L for a redirect (303) to the sign-in
// page. ids says what each {parameter} of the path names, as
// param=kind (kinds: accessFix.value); a bare kind is {id}'s. A kind
// ending in + is made afresh for each request, for POSTs that use their
// object up (a deletion, a publication). A path starting with / is used
// instead of the pattern. form is the POST body, url-encoded, with
// {kind} replaced the same way.
//
// Kinds: org, pship, prog, call: Kalix kommun, Kalix – Masaka, the
// call's programme, the call; app: its application in review, with the
// attachment att; decided: its granted application, whose grant is
// grant, with an activity (with an evidence file), a saved final report
// (report; kind is "final"), a change request (change) and a survey
// (survey: its token; phase is "fore"); draft: its draft; story,
// material: its drafts (pubstory: published; pubstory+, hiddenstory+:
// published, and hidden, afresh); invite: an invitation to Kalix (its token);
// person: a reviewer no column is; registry: the application's record;
// goal: 16; one: 1 (a position); session: the owner's session as the
// sessions page names it; otherapp, otheratt, otherorg, otherpship:
// Växjö's, for swapped IDs; reset+, confirm+: a password reset link and
// an e-mail confirmation link, each of a new account of Kalix's (the
// single sign-on routes answer 404: the tests configure no provider);
// member+: a colleague at Kalix; callrev+: a reviewer of the call;
// staffinvite+, revinvite+: a pending invitation of an officer (by the
// administrator) and of a reviewer to the call (by its officer).
//
// ACCESS_RECORD=1 prints each row with the statuses got instead of
// comparing, to read when a route changes; a row's want is what a careful
// reviewer expects, decided by hand, never copied from there unread.
var accessTable = []accessRow{
	// name                        ids                      form  want: anon own other partner rev free conf blind offin offout admin gone
	{"home", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"privacy", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"partnerships", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"partnerships.csv", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"partnerships.json", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"partnership", "pship", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"partnership.factsheet", "pship", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"embed.partnership", "pship", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"goals", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"goal", "n=goal", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"statistics", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"public.grants", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"accessibility", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"login", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"login.post", "", "", "422 422 422 422 422 422 422 422 422 422 422 422"},
	{"logout", "", "", "303 303 303 303 303 303 303 303 303 303 303 303"},
	{"staff", "", "", "L 200 200 200 200 200 200 200 200 200 200 L"},
	{"orgs", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"org.new", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"org.create", "", "", "L 403 403 403 403 403 403 403 422 422 422 L"},
	{"org.edit", "org", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"org.update", "org", "", "L 403 403 403 403 403 403 403 422 422 422 L"},
	{"pships", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"pship.new", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"pship.create", "", "", "L 403 403 403 403 403 403 403 422 422 422 L"},
	{"pship.edit", "pship", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"pship.update", "pship", "", "L 403 403 403 403 403 403 403 409 409 409 L"},
	{"progs", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"prog.new", "", "", "L 403 403 403 403 403 403 403 403 403 200 L"},
	{"prog.create", "", "", "L 403 403 403 403 403 403 403 403 403 422 L"},
	{"prog.edit", "prog", "", "L 403 403 403 403 403 403 403 200 403 200 L"},
	{"prog.update", "prog", "", "L 403 403 403 403 403 403 403 422 403 422 L"},
	{"call.new", "prog", "", "L 403 403 403 403 403 403 403 200 403 200 L"},
	{"call.create", "prog", "", "L 403 403 403 403 403 403 403 422 403 422 L"},
	{"call.edit", "call", "", "L 403 403 403 403 403 403 403 200 403 200 L"},
	{"call.update", "call", "", "L 403 403 403 403 403 403 403 422 403 422 L"},
	{"call.config", "call", "", "L 403 403 403 403 403 403 403 200 403 200 L"},
	{"call.preview", "call", "", "L 403 403 403 403 403 403 403 200 403 200 L"},
	{"call.config.section.add", "call", "", "L 403 403 403 403 403 403 403 409 403 409 L"},
	{"call.config.section", "call s=one", "", "L 403 403 403 403 403 403 403 409 403 409 L"},
	{"call.config.field.add", "call s=one", "", "L 403 403 403 403 403 403 403 409 403 409 L"},
	{"call.config.field", "call s=one f=one", "", "L 403 403 403 403 403 403 403 409 403 409 L"},
	{"call.config.lists", "call", "", "L 403 403 403 403 403 403 403 409 403 409 L"},
	{"call.config.assessment", "call", "", "L 403 403 403 403 403 403 403 409 403 409 L"},
	{"call.config.steps", "call", "", "L 403 403 403 403 403 403 403 409 403 409 L"},
	{"call.config.plan", "call", "", "L 403 403 403 403 403 403 403 409 403 409 L"},
	{"call.config.reports", "call", "", "L 403 403 403 403 403 403 403 409 403 409 L"},
	{"audit", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"audit.export.csv", "", "", "L 403 403 403 403 403 403 403 403 403 200 L"},
	{"audit.export.json", "", "", "L 403 403 403 403 403 403 403 403 403 200 L"},
	{"people", "", "", "L 403 403 403 403 403 403 403 403 403 200 L"},
	{"person.edit", "person", "", "L 403 403 403 403 403 403 403 403 403 200 L"},
	{"person.export", "person", "", "L 403 403 403 403 403 403 403 403 403 200 L"},
	{"person.erase", "person", "", "L 403 403 403 403 403 403 403 403 403 200 L"},
	{"person.erase.do", "person+", "", "L 403 403 403 403 403 403 403 403 403 303 L"},
	{"privacy.settings", "", "", "L 403 403 403 403 403 403 403 403 403 200 L"},
	{"privacy.settings.save", "", "days=365", "L 403 403 403 403 403 403 403 403 403 303 L"},
	{"person.update", "person+", "rows=1&kind_0=officer&programme_0={prog}", "L 403 403 403 403 403 403 403 403 403 303 L"},
	{"person.status", "person+", "", "L 403 403 403 403 403 403 403 403 403 303 L"},
	{"people.invite", "", "", "L 403 403 403 403 403 403 403 403 403 422 L"},
	{"people.invite.withdraw", "staffinvite+", "", "L 403 403 403 403 403 403 403 403 403 303 L"},
	{"org.members.setting", "org", "members_manage=on", "L 403 403 403 403 403 403 403 403 403 303 L"},
	{"members.mine", "", "", "L 303 303 303 404 404 404 404 404 404 404 L"},
	{"members", "org", "", "L 200 404 404 404 404 404 404 404 404 404 L"},
	{"members.invite", "org", "", "L 422 404 404 404 404 404 404 404 404 404 L"},
	{"members.remove", "org uid=member+", "", "L 303 404 404 404 404 404 404 404 404 404 L"},
	{"call.reviewers", "call", "", "L 404 404 404 404 404 404 404 200 404 200 L"},
	{"call.reviewers.add", "call", "", "L 404 404 404 404 404 404 404 422 404 422 L"},
	{"call.reviewers.invite", "call", "", "L 404 404 404 404 404 404 404 422 404 422 L"},
	{"call.reviewers.remove", "call uid=callrev+", "", "L 404 404 404 404 404 404 404 303 404 303 L"},
	{"call.reviewers.withdraw", "call iid=revinvite+", "", "L 404 404 404 404 404 404 404 303 404 303 L"},
	{"sessions", "", "", "L 200 200 200 200 200 200 200 200 200 200 L"},
	{"sessions.end", "", "session={session}", "L 303 404 404 404 404 404 404 404 404 404 L"},
	{"sessions.end_others", "", "", "L 303 303 303 303 303 303 303 303 303 303 L"},
	{"apps", "", "", "L 200 200 403 403 403 403 403 403 403 200 L"},
	{"app.create", "", "call={call}&partnership={pship}:{org}", "L 303 403 403 403 403 403 403 403 403 403 L"},
	{"app", "app", "", "L 200 404 404 404 404 404 404 404 404 404 L"},
	{"app.withdraw", "app", "", "L 200 404 404 404 404 404 404 404 404 404 L"},
	{"app.save", "app", "", "L 409 404 404 404 404 404 404 404 404 404 L"},
	{"app.file", "app file=att", "", "L 200 404 404 200 404 404 200 200 404 200 L"},
	{"invite.create", "", "organisation={org}&invite_email=ny.kollega@example.se", "L 303 403 403 403 403 403 403 403 403 403 L"},
	{"invite", "token=invite", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"invite.accept", "token=invite+", "", "422 422 422 422 422 422 422 422 422 422 422 422"},
	{"app.letter", "decided", "", "L 200 404 404 200 404 404 404 200 404 200 L"},
	{"call.apps", "call", "", "L 403 403 403 403 403 403 403 200 403 200 L"},
	{"call.allocate", "call", "", "L 403 403 403 403 403 403 403 200 403 200 L"},
	{"case", "app", "", "L 403 403 403 403 403 403 403 200 403 200 L"},
	{"case.event", "app", "", "L 403 403 403 403 403 403 403 422 403 422 L"},
	{"case.assign", "app", "reviewer={person}", "L 403 403 403 403 403 403 403 303 403 303 L"},
	{"case.document", "app", "title=Brev", "L 403 403 403 403 403 403 403 303 403 303 L"},
	{"case.decide", "app", "", "L 403 403 403 403 403 403 403 422 403 422 L"},
	{"registry", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"registry.update", "registry", "", "L 403 403 403 403 403 403 403 303 403 303 L"},
	{"registry.export.csv", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"registry.export.json", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"reviews", "", "", "L 403 403 403 200 200 200 200 403 403 200 L"},
	{"review", "app", "", "L 403 403 403 200 404 200 200 403 403 404 L"},
	{"review.declare", "app", "", "L 403 403 403 409 404 409 409 403 403 404 L"},
	{"review.save", "app", "", "L 403 403 403 303 404 403 303 403 403 404 L"},
	{"grant.activities", "grant", "", "L 200 404 404 404 404 404 404 200 404 200 L"},
	{"grant.activities.create", "grant", "", "L 422 404 404 404 404 404 404 403 404 403 L"},
	{"grant.activity", "grant aid=activity", "", "L 200 404 404 404 404 404 404 200 404 200 L"},
	{"grant.activity.update", "grant aid=activity", "", "L 422 404 404 404 404 404 404 403 404 403 L"},
	{"grant.activity.evidence", "grant aid=activity", "", "L 200 404 404 404 404 404 404 200 404 200 L"},
	{"grant.activity.delete", "grant aid=activity+", "", "L 303 404 404 404 404 404 404 403 404 403 L"},
	{"grants", "", "", "L 200 200 403 403 403 403 403 403 403 200 L"},
	{"grant", "grant", "", "L 200 404 404 404 404 404 404 404 404 404 L"},
	{"grant.accept", "grant", "", "L 422 404 404 404 404 404 404 404 404 404 L"},
	{"grant.change", "grant", "", "L 422 404 404 404 404 404 404 404 404 404 L"},
	{"staff.grants", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"staff.grant", "grant", "", "L 403 403 403 403 403 403 403 200 403 200 L"},
	{"staff.grant.pay", "grant", "", "L 403 403 403 403 403 403 403 422 403 422 L"},
	{"staff.grant.decide", "grant change=change", "", "L 403 403 403 403 403 403 403 422 403 422 L"},
	{"grant.reports", "grant", "", "L 200 404 404 404 404 404 404 200 404 200 L"},
	{"grant.report", "grant kind=kind", "", "L 200 404 404 404 404 404 404 200 404 200 L"},
	{"grant.report.post", "grant kind=kind", "", "L 409 404 404 404 404 404 404 403 404 403 L"},
	{"staff.report", "grant rid=report", "", "L 403 403 403 403 403 403 403 200 404 200 L"},
	{"staff.report.post", "grant rid=report", "", "L 403 403 403 403 403 403 403 422 404 422 L"},
	{"grant.survey", "grant", "", "L 200 404 404 404 404 404 404 200 404 200 L"},
	{"grant.survey.post", "grant", "", "L 404 404 404 404 404 404 404 403 404 403 L"},
	{"survey.answer", "token=survey phase=phase", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"survey.answer.post", "token=survey phase=phase", "", "422 422 422 422 422 422 422 422 422 422 422 422"},
	{"survey.thanks", "token=survey phase=phase", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"survey.qr.png", "token=survey phase=phase", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"survey.qr.svg", "token=survey phase=phase", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"stories", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"stories.feed", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"stories.feed.partnership", "pship", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"stories.feed.goal", "n=goal", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"story", "story", "", "404 404 404 404 404 404 404 404 404 404 404 404"},
	{"story.image", "story", "", "404 200 404 200 404 404 404 404 200 200 200 404"},
	{"mystories", "", "", "L 200 200 200 403 403 403 403 403 403 403 L"},
	{"mystory.new", "", "", "L 200 200 200 403 403 403 403 403 403 403 L"},
	{"mystory.create", "", "partnership={pship}", "L 422 403 422 403 403 403 403 403 403 403 L"},
	{"mystory.edit", "story", "", "L 200 403 200 403 403 403 403 403 403 403 L"},
	{"mystory.update", "story", "", "L 422 403 422 403 403 403 403 403 403 403 L"},
	{"mystory.preview", "story", "", "L 200 403 200 403 403 403 403 403 403 403 L"},
	{"mystory.publish", "story+", "", "L 303 403 303 403 403 403 403 403 403 403 L"},
	{"mystory.unpublish", "pubstory+", "", "L 303 403 303 403 403 403 403 403 403 403 L"},
	{"staff.stories", "", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"staff.story", "pubstory", "", "L 403 403 403 403 403 403 403 200 200 200 L"},
	{"staff.story.hide", "pubstory+", "", "L 403 403 403 403 403 403 403 422 422 422 L"},
	{"staff.story.unhide", "hiddenstory+", "", "L 403 403 403 403 403 403 403 303 303 303 L"},
	{"material", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"material.item", "material", "", "404 404 404 404 404 404 404 404 404 404 404 404"},
	{"material.file", "material", "", "404 404 404 404 404 404 404 404 404 404 404 404"},
	{"mymaterial", "", "", "L 200 200 200 403 403 403 403 200 200 200 L"},
	{"mymaterial.new", "", "", "L 200 200 200 403 403 403 403 403 403 403 L"},
	{"mymaterial.create", "", "partnership={pship}", "L 422 422 422 403 403 403 403 403 403 403 L"},
	{"mymaterial.edit", "material", "", "L 200 403 200 403 403 403 403 200 200 200 L"},
	{"mymaterial.update", "material", "", "L 422 403 422 403 403 403 403 403 403 403 L"},
	{"mymaterial.state", "material+", "", "L 422 403 422 403 403 403 403 422 422 422 L"},
	{"mymaterial.file", "material", "", "L 200 403 200 403 403 403 403 200 200 200 L"},
	// The second factor: the sign-in's code and enrolment pages answer a browser without a pending session with the
	// sign-in form; one's own page; switching off is refused to officers and administrators, who must keep it.
	{"login.code", "", "", "L L L L L L L L L L L L"},
	{"login.code.post", "", "", "L L L L L L L L L L L L"},
	{"login.enrol", "", "", "L L L L L L L L L L L L"},
	{"login.enrol.post", "", "", "L L L L L L L L L L L L"},
	{"twostep", "", "", "L 200 200 200 200 200 200 200 200 200 200 L"},
	{"twostep.enrol", "", "", "L 422 422 422 422 422 422 422 422 422 422 L"},
	{"twostep.codes", "", "", "L 404 404 404 404 404 404 404 404 404 404 L"},
	{"twostep.disable", "", "", "L 404 404 404 404 404 404 404 403 403 403 L"},
	{"person.twostep.reset", "person", "", "L 403 403 403 403 403 403 403 403 403 303 L"},
	{"login.sso", "", "", "404 404 404 404 404 404 404 404 404 404 404 404"},
	{"login.sso.done", "", "", "404 404 404 404 404 404 404 404 404 404 404 404"},
	{"login.forgot", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"login.forgot.post", "", "", "422 422 422 422 422 422 422 422 422 422 422 422"},
	{"login.reset", "token=reset+", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"login.reset.post", "token=reset+", "", "422 422 422 422 422 422 422 422 422 422 422 422"},
	{"account", "", "", "L 200 200 200 200 200 200 200 200 200 200 L"},
	{"account.update", "", "", "L 422 422 422 422 422 422 422 422 422 422 L"},
	{"account.password", "", "", "L 422 422 422 422 422 422 422 422 422 422 L"},
	{"account.email", "", "", "L 422 422 422 422 422 422 422 422 422 422 L"},
	{"email.confirm", "token=confirm+", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"email.confirm.post", "token=confirm+", "", "L L L L L L L L L L L L"},
	{"static", "/static/style.css", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"language", "/sprak", "", "303 303 303 303 303 303 303 303 303 303 303 303"},
	{"healthz", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"robots", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"sitemap", "", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"notfound", "/finns-inte", "", "404 404 404 404 404 404 404 404 404 404 404 404"},
}

type accessRow struct {
	name, ids, form, want string
}

// principals are the column keys, in the order of want.
var principals = []string{"anon", "own", "other", "partner", "rev", "free", "conf", "blind", "offin", "offout", "admin", "gone"}

// accessFix is the demo with what the rows need: Kalix's objects in
// every state a route needs, and one person per column.
type accessFix struct {
	t         *testing.T
	e         *env
	by        audit.Actor
	values    map[string]string            // kind → the owner's object
	blind     map[string]string            // kind → the blind call's object, for the blind reviewer
	fresh     map[string]func() string     // kind+ → a new object
	emails    map[string]string            // column → e-mail ("" for anon)
	clients   map[string]*http.Client      // column → signed-in client
	secrets   []string                     // Kalix's data, never in a refusal
	private   []string                     // never shown to strangers
	programme []string                     // never shown to an officer of another programme
	blindly   []string                     // what the blind reviewer never sees
	answers   []string                     // what a conflicted reviewer never sees
	extra     map[string]map[string]string // column → kind → a value of its own (the other applicant's application …)
}

const accessSecretTitle = "Åtkomstprovet om plast i Kalixälven"

func newAccessFix(t *testing.T, e *env) *accessFix {
	t.Helper()
	ctx := context.Background()
	fx := &accessFix{t: t, e: e, by: audit.System("test"), values: map[string]string{}, blind: map[string]string{},
		fresh: map[string]func() string{}, emails: map[string]string{}, clients: map[string]*http.Client{},
		extra: map[string]map[string]string{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	id := func(n int64) string { return fmt.Sprint(n) }
	n := func(s string) int64 {
		var i int64
		fmt.Sscan(s, &i)
		return i
	}

	// Kalix's call, in programme P, and a blind-review call beside it;
	// programme Q is the other officer's.
	base := newCaseFix(t, e, 1_000_000, 300_000, nil)
	kalixPship := base.pships[0]
	otherPship := base.pships[1]
	progP, err := e.store.Programme(ctx, base.call.ProgrammeID)
	must(err)
	progP.TotalBudget *= 3
	must(e.store.UpdateProgramme(ctx, fx.by, progP))
	blindCfg := call.DefaultConfig()
	blindCfg.Steps.BlindReview = true
	blindCall := &call.Call{ProgrammeID: progP.ID, TitleSV: "Blinda omgången 2021", TitleEN: "Blind round 2021", OpensAt: now.Add(-7 * 24 * time.Hour),
		ClosesAt: now.Add(30 * 24 * time.Hour), Ceiling: base.call.Ceiling, MaxPerGrant: base.call.MaxPerGrant, Config: blindCfg}
	must(e.store.CreateCall(ctx, fx.by, blindCall))
	blindFix := &caseFix{t: t, e: e, by: fx.by, call: blindCall, pships: base.pships}
	progQ := newProgramme(t, e, "Annat program")

	// Kalix's applications: one in review (with an attachment), one
	// granted, and the same two in the blind call.
	var att, blindAtt *attachment.Attachment
	app := fx.inReview(base, accessSecretTitle, "123 456", "atkomst-budget.pdf", &att)
	base.next = 0
	decided := fx.inReview(base, "Beviljat åtkomstprov", "98 765", "", nil)
	blindApp := fx.inReview(blindFix, "Blint åtkomstprov", "111 222", "blind-budget.pdf", &blindAtt)
	blindFix.next = 0
	blindDecided := fx.inReview(blindFix, "Blint beviljat åtkomstprov", "99 888", "", nil)
	// Kalix's draft, and another municipality's, for swapped IDs.
	base.next = 0
	draft := base.draft("Kalix utkast", "40 000")
	fx.attach(draft, "kalix-utkast.pdf")
	base.next = 1
	otherApp := base.draft("Växjös eget utkast", "50 000")
	otherAtt := fx.attach(otherApp, "vaxjo-budget.pdf")

	// The people.
	kalix := base.user(applicant)
	kalixOrg := kalix.Roles[0].OrganisationID
	otherOrg := otherPship.Swedish[0].ID
	org, err := e.store.Organisation(ctx, kalixOrg)
	must(err)
	fx.emails = map[string]string{"anon": "", "own": applicant, "partner": "partner@masaka.demo.partnerskap.se", "admin": "admin@demo.partnerskap.se"}
	newUser := func(col, email string, roles ...user.Role) *user.User {
		u := &user.User{Email: email, Name: "Åtkomst " + col, PasswordHash: "signs in through the store", Lang: "sv", Roles: roles}
		must(e.store.CreateUser(ctx, fx.by, u))
		fx.emails[col] = email
		return u
	}
	newUser("other", "sokande@vaxjo.example.se", user.Role{Kind: user.Applicant, OrganisationID: otherOrg})
	rev := newUser("rev", "granskare.tilldelad@example.se", user.Role{Kind: user.Reviewer})
	newUser("free", "granskare.ledig@example.se", user.Role{Kind: user.Reviewer})
	conf := newUser("conf", "granskare.jav@example.se", user.Role{Kind: user.Reviewer})
	blind := newUser("blind", "granskare.blind@example.se", user.Role{Kind: user.Reviewer})
	newUser("offin", "handlaggare.p@example.se", user.Role{Kind: user.Officer, ProgrammeID: progP.ID})
	newUser("offout", "handlaggare.q@example.se", user.Role{Kind: user.Officer, ProgrammeID: progQ})
	gone := newUser("gone", "avslutad@example.se", user.Role{Kind: user.Administrator})
	assign := func(appID int64, u *user.User, conflict bool) {
		must(e.store.AssignReviewer(ctx, fx.by, appID, u.ID))
		must(e.store.DeclareConflict(ctx, audit.Actor{UserID: u.ID, Name: u.Name}, appID, u.ID, conflict, ""))
	}
	assign(app.ID, rev, false)
	assign(decided.ID, rev, false)
	assign(app.ID, conf, true)
	assign(decided.ID, conf, true)
	assign(blindApp.ID, blind, false)
	assign(blindDecided.ID, blind, false)
	must(e.store.Decide(ctx, fx.by, &decision.Decision{ApplicationID: decided.ID, Outcome: decision.Granted, Reason: "Bra."}, nil))
	must(e.store.Decide(ctx, fx.by, &decision.Decision{ApplicationID: blindDecided.ID, Outcome: decision.Granted, Reason: "Bra."}, nil))
	d, err := e.store.Decision(ctx, decided.ID)
	must(err)
	g, err := e.store.Grant(ctx, d.GrantID)
	must(err)
	entries, err := e.store.RegistryList(ctx, registry.Filter{ApplicationID: app.ID})
	must(err)
	if len(entries) == 0 {
		t.Fatal("no registry entry for the application")
	}

	// The target of the people pages: a staff member of no column.
	target := &user.User{Email: "malperson@example.se", Name: "Målperson", PasswordHash: "x", Lang: "sv", Roles: []user.Role{{Kind: user.Reviewer}}}
	must(e.store.CreateUser(ctx, fx.by, target))

	// The grant's activity, report, change request and survey, made as the grantee would.
	fx.signIn("own")
	own := fx.clients["own"]
	newActivity := func() string {
		a := &activity.Activity{GrantID: g.ID, Date: clock.Date(2021, 5, 20), Title: "Åtkomstseminariet", TargetGroup: "politicians",
			Channel: "seminar", Reach: map[string]int64{"politicians": 12},
			File: &activity.EvidenceFile{Filename: "atkomst-underlag.pdf", ContentType: "application/pdf", Size: 4,
				SHA256: strings.Repeat("ab", 32), StorageKey: "access-evidence.pdf"}}
		must(e.store.CreateActivity(ctx, audit.Actor{UserID: kalix.ID, Name: kalix.Name}, a))
		return id(a.ID)
	}
	if res := e.post(own, fmt.Sprintf("/bidrag/%d/rapporter/final", g.ID), reportForm("save", "", "10 000", "Åtkomstförklaringen")); res.status != http.StatusSeeOther {
		t.Fatalf("save the report: %d\n%s", res.status, res.body)
	}
	rep := e.finalReport(t, g)
	cr := &grant.ChangeRequest{GrantID: g.ID, NewEndDate: clock.Date(2022, 3, 31), Reason: "Åtkomstskälet."}
	must(e.store.RequestChange(ctx, fx.by, cr))
	sv := createSurvey(t, e, own, g)

	newStoryTitled := func(title, body string) string {
		st := &story.Story{PartnershipID: kalixPship.ID, TitleSV: title, BodySV: body,
			AuthorID: kalix.ID, AuthorName: kalix.Name,
			Image: &story.Image{Key: "access-story.png", ContentType: "image/png", Size: 4, AltSV: "Bild"}}
		must(e.store.CreateStory(ctx, audit.Actor{UserID: kalix.ID, Name: kalix.Name}, st))
		return id(st.ID)
	}
	newStory := func() string { return newStoryTitled("Åtkomstberättelsens utkast", "Hemlig text.") }
	// A published story, and a hidden one, for the authors' and officers' buttons.
	storyIn := func(events ...story.Event) func() string {
		return func() string {
			sid := newStoryTitled("Åtkomstberättelsen, publicerad", "Offentlig text.")
			st, err := e.store.Story(ctx, n(sid))
			must(err)
			for _, ev := range events {
				st, err = e.store.ChangeStoryState(ctx, fx.by, st.ID, st.Version, ev, "Åtkomstskäl för dolning.")
				must(err)
			}
			return sid
		}
	}
	e.files.Put(ctx, "access-story.png", bytes.NewReader([]byte("\x89PNG")))
	e.files.Put(ctx, "access-evidence.pdf", strings.NewReader("%PDF"))
	e.files.Put(ctx, "access-material.pdf", strings.NewReader("%PDF"))
	newMaterial := func() string {
		it := &material.Item{PartnershipID: kalixPship.ID, Kind: material.PressText, TitleSV: "Åtkomstmaterialets utkast", DescriptionSV: "Text.",
			Languages: []string{"sv"}, Licence: "CC0-1.0", TargetGroups: []string{"media"},
			File: &material.File{Filename: "atkomst-press.pdf", ContentType: "application/pdf", Size: 4,
				SHA256: strings.Repeat("ab", 32), StorageKey: "access-material.pdf"}}
		must(e.store.CreateMaterial(ctx, audit.Actor{UserID: kalix.ID, Name: kalix.Name}, it))
		return id(it.ID)
	}
	newInvite := func() string {
		tok := fmt.Sprintf("atkomst-%d", time.Now().UnixNano())
		h := sha256.Sum256([]byte(tok))
		inv := &user.Invite{TokenHash: h[:], Email: fmt.Sprintf("ny-%d@example.se", time.Now().UnixNano()), OrganisationID: kalixOrg,
			Role: user.Applicant, InvitedBy: kalix.ID, ExpiresAt: now.Add(user.InviteTTL)}
		must(e.store.CreateInvite(ctx, fx.by, inv, nil))
		return tok
	}
	newPerson := func() string {
		u := &user.User{Email: fmt.Sprintf("malperson-%d@example.se", time.Now().UnixNano()), Name: "Målperson", PasswordHash: "x", Lang: "sv",
			Roles: []user.Role{{Kind: user.Reviewer}}}
		must(e.store.CreateUser(ctx, fx.by, u))
		return id(u.ID)
	}

	// A reset link and an e-mail confirmation link, each of an account of
	// its own, made afresh: using one ends the account's sessions.
	accountToken := func(purpose user.TokenPurpose) func() string {
		return func() string {
			u := &user.User{Email: fmt.Sprintf("konto-%d@example.se", time.Now().UnixNano()), Name: "Kontoperson", PasswordHash: "x", Lang: "sv",
				Roles: []user.Role{{Kind: user.Applicant, OrganisationID: kalixOrg}}}
			must(e.store.CreateUser(ctx, fx.by, u))
			tok := fmt.Sprintf("konto-%d", time.Now().UnixNano())
			h := sha256.Sum256([]byte(tok))
			t0 := e.clock.Now()
			at := user.AccountToken{TokenHash: h[:], UserID: u.ID, Purpose: purpose, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
			if purpose == user.ResetPassword {
				ok, err := e.store.RequestPasswordReset(ctx, u.Email, at, func(*user.User) []mail.Message { return nil })
				must(err)
				if !ok {
					t.Fatal("no reset link made")
				}
			} else {
				at.Email = "ny-" + u.Email
				must(e.store.RequestEmailChange(ctx, audit.Actor{UserID: u.ID, Name: u.Name}, &at, nil))
			}
			return tok
		}
	}

	// Who adds whom, made afresh: a colleague at Kalix to remove, a
	// reviewer of the call to remove, and pending invitations (of a staff
	// member by the administrator, of a reviewer to the call by its
	// officer) to withdraw. Each kind has a sender of its own, so the
	// invitation limit per sender is not what answers.
	must(e.store.AddCallReviewer(ctx, fx.by, base.call.ID, target.ID))
	admin, err := e.store.UserByEmail(ctx, fx.emails["admin"])
	must(err)
	newMember := func() string {
		u := &user.User{Email: fmt.Sprintf("kollega-%d@example.se", time.Now().UnixNano()), Name: "Kollega", PasswordHash: "x", Lang: "sv",
			Roles: []user.Role{{Kind: user.Applicant, OrganisationID: kalixOrg}}}
		must(e.store.CreateUser(ctx, fx.by, u))
		return id(u.ID)
	}
	newCallReviewer := func() string {
		pid := newPerson()
		must(e.store.AddCallReviewer(ctx, fx.by, base.call.ID, n(pid)))
		return pid
	}
	invitation := func(inv user.Invite) func() string {
		return func() string {
			tok := fmt.Sprintf("inbjudan-%d", time.Now().UnixNano())
			h := sha256.Sum256([]byte(tok))
			inv := inv
			inv.TokenHash, inv.Email, inv.ExpiresAt = h[:], fmt.Sprintf("inbjuden-%d@example.se", time.Now().UnixNano()), now.Add(user.InviteTTL)
			must(e.store.CreateInvite(ctx, fx.by, &inv, nil))
			return id(inv.ID)
		}
	}
	offin, err := e.store.UserByEmail(ctx, fx.emails["offin"])
	must(err)

	fx.values = map[string]string{
		"org": id(kalixOrg), "pship": id(kalixPship.ID), "prog": id(progP.ID), "call": id(base.call.ID),
		"app": id(app.ID), "att": id(att.ID), "decided": id(decided.ID), "grant": id(g.ID),
		"activity": newActivity(), "report": id(rep.ID), "kind": "final", "change": id(cr.ID),
		"survey": sv.Token, "phase": "fore", "story": newStory(), "material": newMaterial(), "invite": newInvite(),
		"person": id(target.ID), "registry": id(entries[0].ID), "goal": "16", "one": "1",
		"draft": id(draft.ID), "otherapp": id(otherApp.ID), "otheratt": id(otherAtt.ID), "otherorg": id(otherOrg), "otherpship": id(otherPship.ID),
	}
	fx.blind = map[string]string{"app": id(blindApp.ID), "att": id(blindAtt.ID), "decided": id(blindDecided.ID)}
	fx.values["pubstory"] = storyIn(story.Publish)()
	fx.fresh = map[string]func() string{"activity+": newActivity, "story+": newStory, "pubstory+": storyIn(story.Publish),
		"hiddenstory+": storyIn(story.Publish, story.Hide), "reset+": accountToken(user.ResetPassword), "confirm+": accountToken(user.ConfirmEmail), "material+": newMaterial,
		"invite+": newInvite, "person+": newPerson, "member+": newMember, "callrev+": newCallReviewer,
		"staffinvite+": invitation(user.Invite{Role: user.Officer, Name: "Ny handläggare", InvitedBy: admin.ID}),
		"revinvite+":   invitation(user.Invite{Role: user.Reviewer, CallID: base.call.ID, Name: "Ny bedömare", InvitedBy: offin.ID})}
	// The programme's records: what only Kalix and the programme's officers read.
	fx.programme = []string{accessSecretTitle, "Beviljat åtkomstprov", "atkomst-budget.pdf", "123\u00a0456",
		"Åtkomstförklaringen", "Åtkomstskälet"}
	// Kalix's drafts and address besides, which every officer may read
	// (stories and material are moderated, not programme records).
	fx.private = append([]string{applicant, "Åtkomstberättelsens utkast", "Åtkomstmaterialets utkast", "Hemlig text."}, fx.programme...)
	// And the activity, public once carried out (the partnership's page
	// lists it), but never in a refusal.
	fx.secrets = append([]string{"Åtkomstseminariet"}, fx.private...)
	fx.answers = []string{"123\u00a0456", "Vi berättar om partnerskapet", "Fler ska känna till partnerskapet", "atkomst-budget.pdf"}
	fx.blindly = []string{org.Name, kalixPship.Name, applicant, kalix.Name, "Masaka District"}

	// Sign everyone in; then deactivate the last, whose session must die with the account.
	for _, col := range principals {
		fx.signIn(col)
	}
	must(e.store.SetUserDisabled(ctx, fx.by, gone.ID, true))
	return fx
}

func newProgramme(t *testing.T, e *env, name string) int64 {
	t.Helper()
	p := &programme.Programme{NameSV: name, NameEN: name, Funder: "Sida", Operator: "ICLD", TotalBudget: 100_000_000}
	if err := e.store.CreateProgramme(context.Background(), audit.System("test"), p); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// inReview submits an application of f's next partnership, with an
// attachment named attName unless it is "", and passes the formal check.
func (fx *accessFix) inReview(f *caseFix, title, amount, attName string, att **attachment.Attachment) *application.Application {
	fx.t.Helper()
	ctx := context.Background()
	a := f.draft(title, amount)
	if attName != "" {
		*att = fx.attach(a, attName)
		a = f.reload(a.ID)
	}
	if _, err := fx.e.store.SubmitApplication(ctx, fx.by, a.ID, a.Version, nil); err != nil {
		fx.t.Fatal(err)
	}
	f.move(a.ID, application.StartCheck, application.PassCheck)
	return f.reload(a.ID)
}

// attach adds a file to the draft a, in its answers too.
func (fx *accessFix) attach(a *application.Application, name string) *attachment.Attachment {
	fx.t.Helper()
	att := &attachment.Attachment{ApplicationID: a.ID, FieldKey: "attachments", Filename: name, ContentType: "application/pdf",
		Size: 4, SHA256: strings.Repeat("ab", 32), StorageKey: "access-" + name}
	if err := fx.e.store.AddAttachment(context.Background(), fx.by, att); err != nil {
		fx.t.Fatal(err)
	}
	fx.e.files.Put(context.Background(), "access-"+name, strings.NewReader("%PDF"))
	a.Answers.Files = map[string][]int64{"attachments": {att.ID}}
	if err := fx.e.store.SaveDraft(context.Background(), fx.by, a); err != nil {
		fx.t.Fatal(err)
	}
	return att
}

// signIn gives col a signed-in client (anon a client with no session):
// a session made in the store as signing in makes it, so the table does
// not spend a password hash on each of the dozens of sign-ins it needs
// (the sign-in itself is login_*_test.go's).
func (fx *accessFix) signIn(col string) {
	fx.t.Helper()
	c := fx.e.client()
	fx.clients[col] = c
	if fx.emails[col] == "" {
		return
	}
	u, err := fx.e.store.UserByEmail(context.Background(), fx.emails[col])
	if err != nil {
		fx.t.Fatal(err)
	}
	token := fmt.Sprintf("access-%s-%d", col, time.Now().UnixNano())
	h := sha256.Sum256([]byte(token))
	t0 := fx.e.clock.Now()
	if err := fx.e.store.CreateSession(context.Background(), user.Session{TokenHash: h[:], UserID: u.ID, CreatedAt: t0,
		ExpiresAt: t0.Add(user.SessionLifetime), LastSeenAt: t0, UserAgent: "access test"}); err != nil {
		fx.t.Fatal(err)
	}
	srv, _ := url.Parse(fx.e.srv.URL)
	c.Jar.SetCookies(srv, []*http.Cookie{{Name: "session", Value: token, Path: "/"}})
}

// value is what kind names for col's request.
func (fx *accessFix) value(col, kind string) string {
	fx.t.Helper()
	if f, ok := fx.fresh[kind]; ok {
		return f()
	}
	if col == "blind" {
		if v, ok := fx.blind[kind]; ok {
			return v
		}
	}
	if kind == "session" { // the owner's own session
		return fx.sessionOf("own")
	}
	v, ok := fx.values[kind]
	if !ok {
		fx.t.Fatalf("no value of kind %q", kind)
	}
	return v
}

// sessionOf is the hash of col's session token, as the sessions page
// names a session.
func (fx *accessFix) sessionOf(col string) string {
	u, _ := url.Parse(fx.e.srv.URL)
	for _, c := range fx.clients[col].Jar.Cookies(u) {
		if strings.Contains(c.Name, "session") {
			h := sha256.Sum256([]byte(c.Value))
			return hex.EncodeToString(h[:])
		}
	}
	return "00"
}

var paramRE = regexp.MustCompile(`\{([a-z]+)(\.\.\.)?\}`)

// request builds the path and form of row for col from the route's pattern.
func (fx *accessFix) request(row accessRow, pattern, col string) (method, path string, form url.Values) {
	method, path, _ = strings.Cut(pattern, " ")
	if path == "" {
		method, path = "GET", pattern
	}
	kinds := map[string]string{}
	for _, f := range strings.Fields(row.ids) {
		if strings.HasPrefix(f, "/") {
			path = f
			continue
		}
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			k, v = "id", f
		}
		kinds[k] = v
	}
	path = strings.TrimSuffix(path, "{$}")
	path = paramRE.ReplaceAllStringFunc(path, func(m string) string {
		name := paramRE.FindStringSubmatch(m)[1]
		kind, ok := kinds[name]
		if !ok {
			fx.t.Fatalf("%s: no kind for {%s} in %q", row.name, name, row.ids)
		}
		return url.PathEscape(fx.value(col, kind))
	})
	if row.form != "" {
		body := regexp.MustCompile(`\{([a-z+]+)\}`).ReplaceAllStringFunc(row.form, func(m string) string {
			return url.QueryEscape(fx.value(col, m[1:len(m)-1]))
		})
		var err error
		if form, err = url.ParseQuery(body); err != nil {
			fx.t.Fatalf("%s: form %q: %v", row.name, row.form, err)
		}
	}
	return method, path, form
}

func (fx *accessFix) send(col, method, path string, form url.Values) response {
	c := fx.clients[col]
	if method == "POST" {
		if form == nil {
			form = url.Values{}
		}
		return fx.e.post(c, path, form)
	}
	return fx.e.get(c, path)
}

// status is how res reads in want: its status, or L for a redirect to
// the sign-in page.
func status(res response) string {
	if loc := res.header.Get("Location"); res.status == http.StatusSeeOther && (strings.HasPrefix(loc, "/logga-in") || strings.HasPrefix(loc, "/en/login")) {
		return "L"
	}
	return fmt.Sprint(res.status)
}

// strangers are the columns that see none of Kalix's private data in
// any answer, refusal or not: lists and logs included.
// The officer of another programme is kept from the programme's records
// only (accessFix.programme).
var strangers = map[string]bool{"anon": true, "other": true, "free": true, "gone": true}

// outsiders are the columns whose requests are tried at the English
// addresses too.
var outsiders = map[string]bool{"anon": true, "other": true, "offout": true, "gone": true}

func refused(s string) bool {
	return s == "L" || s == "401" || s == "403" || s == "404" || s == "405"
}

func TestAccessEveryRouteEveryRole(t *testing.T) {
	e := newEnv(t, "http://localhost")
	runAccess(t, e)
}

func TestAccessEveryRouteEveryRoleOnPostgres(t *testing.T) {
	clk := clock.NewFixed(now)
	e := newEnvOn(t, "http://localhost", storetest.OpenPostgres(t, clk), clk)
	runAccess(t, e)
}

func runAccess(t *testing.T, e *env) {
	start := time.Now()
	fx := newAccessFix(t, e)
	t.Logf("fixture: %s", time.Since(start).Round(time.Millisecond))

	// Every pattern registered has a row, and every row a pattern.
	patterns := map[string][]string{} // name → patterns, Swedish first
	var names []string
	for _, r := range e.web.Registered() {
		if _, ok := patterns[r[0]]; !ok {
			names = append(names, r[0])
		}
		patterns[r[0]] = append(patterns[r[0]], r[1])
	}
	rows := map[string]accessRow{}
	for _, row := range accessTable {
		if _, dup := rows[row.name]; dup {
			t.Errorf("route %s has two rows in the access table", row.name)
		}
		rows[row.name] = row
		if _, ok := patterns[row.name]; !ok {
			t.Errorf("the access table has a row for %s, which the router no longer registers", row.name)
		}
	}
	for _, name := range names {
		if _, ok := rows[name]; !ok {
			t.Errorf("route %s (%s) has no row in the access table", name, strings.Join(patterns[name], ", "))
		}
	}

	record := os.Getenv("ACCESS_RECORD") != ""
	for _, name := range names {
		row, ok := rows[name]
		if !ok && !record {
			continue
		}
		want := strings.Fields(row.want)
		if len(want) != len(principals) && !record {
			t.Errorf("%s: want has %d statuses, not %d", name, len(want), len(principals))
			continue
		}
		var got []string
		for i, col := range principals {
			method, path, form := fx.request(row, patterns[name][0], col)
			res := fx.send(col, method, path, form)
			s := status(res)
			got = append(got, s)
			if !record && s != want[i] {
				t.Errorf("%s %s as %s: %s, want %s", method, path, col, s, want[i])
			}
			secrets := map[bool][]string{true: fx.secrets}[refused(s)]
			if secrets == nil && strangers[col] {
				secrets = fx.private
			}
			if secrets == nil && col == "offout" {
				secrets = fx.programme
			}
			for _, secret := range secrets {
				if strings.Contains(res.body, secret) {
					t.Errorf("%s %s as %s: %s, shows %q", method, path, col, s, secret)
				}
			}
			if col == "blind" && (name == "reviews" || regexp.MustCompile(`\b(app|decided|att)\b`).MatchString(row.ids)) {
				body := demoNoteRE.ReplaceAllString(res.body, "")
				for _, secret := range fx.blindly {
					if strings.Contains(body, secret) {
						t.Errorf("%s %s as the blind reviewer: %s, names the applicant (%q)", method, path, s, secret)
					}
				}
			}
			if col == "conf" && regexp.MustCompile(`\b(app|decided|att)\b`).MatchString(row.ids) && s == "200" {
				// A reviewer who declared a conflict reads nothing more of it.
				wantNotContains(t, method+" "+path+" as the conflicted reviewer", res.body, fx.answers...)
			}
			// The English address answers outsiders the same.
			if outsiders[col] && len(patterns[name]) > 1 && !record {
				method, path, form := fx.request(row, patterns[name][1], col)
				res := fx.send(col, method, path, form)
				if s := status(res); s != want[i] {
					t.Errorf("%s %s as %s: %s, want %s as in Swedish", method, path, col, s, want[i])
				} else if refused(s) {
					wantNotContains(t, method+" "+path+" as "+col, res.body, fx.secrets...)
				}
			}
			if (name == "logout" || name == "sessions.end") && col != "gone" {
				fx.signIn(col) // the row ended the session
			}
		}
		if record {
			fmt.Printf("\t{%q, %q, %q, %q},\n", name, row.ids, row.form, strings.Join(got, " "))
		}
	}
	t.Logf("%d patterns, %d routes × %d people: %s", len(e.web.Registered()), len(names), len(principals), time.Since(start).Round(time.Millisecond))
	if !record {
		swappedIDs(t, fx)
	}
}

// swappedIDs: where a form or path holds two IDs, one of one's own and
// one of another organisation's, the other organisation's is refused.
func swappedIDs(t *testing.T, fx *accessFix) {
	ctx := context.Background()
	e := fx.e
	v := func(kind string) string { return fx.value("own", kind) }
	n := func(kind string) int64 {
		var i int64
		fmt.Sscan(v(kind), &i)
		return i
	}
	n2 := func(s string) int64 {
		var i int64
		fmt.Sscan(s, &i)
		return i
	}
	kalixApps := func(orgKind, pshipKind string) int {
		list, err := e.store.ApplicationList(ctx, application.Filter{OrganisationID: n(orgKind), PartnershipID: n(pshipKind)})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	// Starting an application: one's own organisation with another's
	// partnership, and another organisation with one's own partnership.
	for _, c := range []struct{ col, org, pship string }{{"other", "otherorg", "pship"}, {"own", "org", "otherpship"}} {
		before := kalixApps(c.org, c.pship)
		res := e.post(fx.clients[c.col], "/ansokningar/ny", url.Values{"call": {v("call")}, "partnership": {v(c.pship) + ":" + v(c.org)}})
		if res.status == http.StatusSeeOther || kalixApps(c.org, c.pship) != before {
			t.Errorf("%s starts an application of organisation %s for partnership %s: %d", c.col, c.org, c.pship, res.status)
		}
		if c.col == "other" {
			wantNotContains(t, "Växjö's refused start", res.body, fx.secrets...)
		} else {
			wantNotContains(t, "Kalix's refused start", res.body, "Växjös eget utkast")
		}
	}

	// Removing an attachment of another organisation's application from one's own draft.
	draft, err := e.store.Application(ctx, n("draft"))
	if err != nil {
		t.Fatal(err)
	}
	res := e.post(fx.clients["own"], "/ansokningar/"+v("draft"), url.Values{"version": {fmt.Sprint(draft.Version)}, "action": {"save"},
		"remove_file": {v("otheratt")}})
	if _, err := e.store.Attachment(ctx, n("otheratt")); err != nil {
		t.Errorf("saving Kalix's draft with Växjö's attachment to remove (%d): %v", res.status, err)
	}

	// Downloading another application's attachment under one's own application.
	for _, c := range []struct{ col, app, att string }{{"own", "app", "otheratt"}, {"other", "otherapp", "att"}} {
		path := "/ansokningar/" + v(c.app) + "/bilagor/" + v(c.att)
		if res := e.get(fx.clients[c.col], path); res.status != http.StatusNotFound {
			t.Errorf("%s: GET %s: %d, want 404", c.col, path, res.status)
		}
	}

	// Another grant's activity or change request under Kalix's grant: Växjö's
	// grant, of another programme than the in-scope officer's.
	others, err := e.store.GrantList(ctx, grant.Filter{OrganisationID: n("otherorg")})
	if err != nil || len(others) == 0 {
		t.Fatalf("Växjö's grants: %d, %v", len(others), err)
	}
	og := others[0]
	act := &activity.Activity{GrantID: og.ID, Date: clock.Date(2021, 5, 21), Title: "Växjös hemliga seminarium", TargetGroup: "politicians",
		Channel: "seminar", Reach: map[string]int64{"politicians": 3}}
	if err := e.store.CreateActivity(ctx, fx.by, act); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/bidrag/%s/aktiviteter/%d", v("grant"), act.ID)
	for _, col := range []string{"own", "offin"} {
		if res := e.get(fx.clients[col], path); res.status != http.StatusNotFound || strings.Contains(res.body, act.Title) {
			t.Errorf("%s: GET %s (Växjö's activity under Kalix's grant): %d", col, path, res.status)
		}
	}
	res = e.post(fx.clients["own"], path, url.Values{"title": {"Ändrad av Kalix"}})
	if got, err := e.store.Activity(ctx, act.ID); err != nil || got.Title != act.Title || res.status == http.StatusSeeOther {
		t.Errorf("Kalix changes Växjö's activity under its own grant: %d", res.status)
	}
	cr := &grant.ChangeRequest{GrantID: og.ID, NewEndDate: clock.Date(2022, 6, 30), Reason: "Växjös skäl."}
	if err := e.store.RequestChange(ctx, fx.by, cr); err != nil {
		t.Fatal(err)
	}
	path = fmt.Sprintf("/personal/bidrag/%s/andringar/%d", v("grant"), cr.ID)
	res = e.post(fx.clients["offin"], path, url.Values{fmt.Sprintf("decision-%d", cr.ID): {"approve"}})
	if got, err := e.store.ChangeRequest(ctx, cr.ID); err != nil || got.State != grant.ChangePending || res.status != http.StatusNotFound {
		t.Errorf("the officer of Kalix's programme decides Växjö's change request under Kalix's grant: %d", res.status)
	}

	// Allocating money in Kalix's call to an application of another call.
	blindID := fx.value("blind", "app")
	res = e.post(fx.clients["offin"], "/personal/utlysningar/"+v("call")+"/fordelning", url.Values{"line": {blindID + ":100"}})
	if _, err := e.store.Decision(ctx, n2(blindID)); res.status == http.StatusSeeOther || err == nil {
		t.Errorf("allocating in Kalix's call to the blind call's application: %d, decision %v", res.status, err)
	}

	// The programme list links a programme's form only for those who may change it.
	link := `href="/personal/program/` + v("prog") + `"`
	wantNotContains(t, "the programmes as an officer of another programme", e.get(fx.clients["offout"], "/personal/program").body, link)
	wantContains(t, "the programmes as an officer of the programme", e.get(fx.clients["offin"], "/personal/program").body, link)
	// The workspace shows the programmes and calls one works with.
	calls := `href="/personal/utlysningar/` + v("call") + `"`
	wantNotContains(t, "the workspace of an officer of another programme", e.get(fx.clients["offout"], "/personal").body, link, calls)
	wantContains(t, "the workspace of an officer of the programme", e.get(fx.clients["offin"], "/personal").body, link, calls)

	// Inviting to, and writing for, another organisation.
	res = e.post(fx.clients["other"], "/ansokningar/inbjudan", url.Values{"organisation": {v("org")}, "invite_email": {"inkraktare@example.se"}})
	if res.status != http.StatusForbidden {
		t.Errorf("Växjö invites to Kalix: %d, want 403", res.status)
	}
	res = e.post(fx.clients["other"], "/mina-berattelser/ny", url.Values{"partnership": {v("pship")}, "title_sv": {"Intrång"}, "body_sv": {"Text."}})
	if res.status != http.StatusForbidden {
		t.Errorf("Växjö writes a story for Kalix – Masaka: %d, want 403", res.status)
	}
	res = e.post(fx.clients["other"], "/mitt-material/ny", url.Values{"partnership": {v("pship")}, "kind": {"press_text"}, "title_sv": {"Intrång"},
		"description_sv": {"Text."}, "languages": {"sv"}, "licence": {"CC0-1.0"}, "target_groups": {"media"}, "link": {"https://example.se/x"}})
	if res.status == http.StatusSeeOther {
		t.Errorf("Växjö publishes material for Kalix – Masaka: %d", res.status)
	}
}

// demoNoteRE is the demo's note on every page, which names the demo's
// partnerships.
var demoNoteRE = regexp.MustCompile(`(?s)<div class="demo-note".*?</div></div>`)
