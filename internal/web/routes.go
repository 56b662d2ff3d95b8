package web

// Files in this package are named after what they serve, so a new handler
// has one place to go:
//
//	<noun>_<audience>.go  one concept's pages for one audience: public
//	                      (anyone), applicant, grantee, reviewer or staff
//	                      (officers and administrators): grant_grantee.go,
//	                      grant_staff.go, story_public.go
//	<noun>_<part>.go      a part of a concept's pages big enough for a file
//	                      of its own: application_form.go, call_config.go,
//	                      partnership_search.go, survey_qr.go, login_guard.go
//	<word>.go             what all pages share: server, routes, base,
//	                      request, templates, forms, session, cache, assets …
//
// The noun is the domain concept (internal/<noun>) or the page (home,
// statistics, sitemap). A test file goes with its file
// (grant_public_test.go), or with the noun when it covers several of its
// files (grant_test.go). E-mails are composed in internal/notify, and
// cached pages are kept by internal/pagecache.

import (
	"net/http"
	"strings"

	"github.com/icld/partnerskap/internal/pagecache"
)

// route is one page: its name (used to build links), method, its path in
// Swedish (unprefixed) and English (under /en/), its handler, and who may
// see it. Both paths take the same {parameters}, so the language switch can
// map one onto the other.
type route struct {
	name   string
	method string
	sv, en string
	h      handlerFunc
	kind   pageKind
}

// pageKind says who may see a page, whether it is kept rendered and, if
// it is, which query parameters it reads.
type pageKind struct {
	who audience
	// query names the query parameters a cached page reads, separated by
	// spaces (see reads); the page never sees the others.
	query string
}

type audience int

const (
	anyone     audience = iota // public
	anyoneKept                 // cached
	signedIn                   // staff
)

var (
	// public pages are for anyone and rendered for each request: forms
	// (sign-in, invitation, survey answers), counted downloads, a draft
	// story's image.
	public = pageKind{who: anyone}
	// cached pages are for anyone and kept rendered (internal/pagecache,
	// cache.go): each must be the same for every visitor who asks for the
	// same address, reading no session, cookie or header. A cached page
	// reads no query parameters unless it says which (cached.reads): the
	// cache keys it on those alone and drops the rest before the handler
	// sees them, so made-up parameters can't make new pages to render.
	cached = pageKind{who: anyoneKept}
	// staff pages are for signed-in users only: they load the user and are
	// never cached.
	staff = pageKind{who: signedIn}
)

// reads is a cached page that reads the query parameters named (each
// argument may name several, separated by spaces).
func (k pageKind) reads(names ...string) pageKind {
	k.query = strings.Join(names, " ")
	return k
}

// queryParams are the query parameters a cached page reads.
func (k pageKind) queryParams() []string { return strings.Fields(k.query) }

// handlerFunc handles a request; the error it returns becomes a page.
type handlerFunc func(w http.ResponseWriter, r *http.Request, b *Base) error

// pshipParams are the partnership list's filters, which its downloads
// read too (partnership_search.go); the list also reads its page, sida.
const pshipParams = "land kommun mal tema ar status q sortera"

// table lists every page, so the URL space fits on a screen.
func (s *Server) table() []route {
	return []route{
		{"home", "GET", "/{$}", "/en/{$}", s.home, cached},
		{"partnerships", "GET", "/partnerskap", "/en/partnerships", s.partnerships, cached.reads(pshipParams, "sida")},
		{"partnerships.csv", "GET", "/partnerskap.csv", "/en/partnerships.csv", s.partnershipsCSV, cached.reads(pshipParams)},
		{"partnerships.json", "GET", "/partnerskap.json", "/en/partnerships.json", s.partnershipsJSON, cached.reads(pshipParams)},
		{"partnership", "GET", "/partnerskap/{id}", "/en/partnerships/{id}", s.partnershipPage, cached},
		{"partnership.factsheet", "GET", "/partnerskap/{id}/faktablad.pdf", "/en/partnerships/{id}/fact-sheet.pdf", s.factSheet, cached},
		// The widget municipalities frame on their own sites: the only page that may be framed (partnership_embed.go).
		{"embed.partnership", "GET", "/inbadda/partnerskap/{id}", "/en/embed/partnerships/{id}", s.embedPartnership, cached},
		{"goals", "GET", "/mal", "/en/goals", s.goals, cached},
		{"goal", "GET", "/mal/{n}", "/en/goals/{n}", s.goalPage, cached},
		{"statistics", "GET", "/statistik", "/en/statistics", s.statistics, cached},
		{"public.grants", "GET", "/beviljade-bidrag", "/en/granted-grants", s.publicGrants, cached.reads("land", "program", "ar", "format")},
		{"accessibility", "GET", "/tillganglighet", "/en/accessibility", s.accessibilityStatement, cached},
		{"privacy", "GET", "/integritet", "/en/privacy", s.privacyNotice, cached},
		{"login", "GET", "/logga-in", "/en/login", s.loginForm, public},
		{"login.post", "POST", "/logga-in", "/en/login", s.login, public},
		{"logout", "POST", "/logga-ut", "/en/logout", s.logout, public},
		// The sign-in's second step (login_code.go): the code form and, for a person who must have a second factor
		// and has none, the enrolment page. Public routes that read the pending session themselves: a pending session
		// reaches no staff route (page() sends it here), and these answer a browser without one by the sign-in form.
		{"login.code", "GET", "/logga-in/kod", "/en/login/code", s.loginCodeForm, public},
		{"login.code.post", "POST", "/logga-in/kod", "/en/login/code", s.loginCode, public},
		{"login.enrol", "GET", "/logga-in/tvastegsverifiering", "/en/login/two-step", s.loginEnrolForm, public},
		{"login.enrol.post", "POST", "/logga-in/tvastegsverifiering", "/en/login/two-step", s.loginEnrol, public},
		// Single sign-on (login_sso.go), 404 unless the deployment configures a provider: the start, which sends the
		// browser to the provider, and the return from it (the Swedish path is the redirect URL registered there).
		{"login.sso", "GET", "/logga-in/sso", "/en/login/sso", s.ssoStart, public},
		{"login.sso.done", "GET", "/logga-in/sso/klar", "/en/login/sso/done", s.ssoDone, public},

		{"staff", "GET", "/personal", "/en/staff", s.staffHome, staff},
		{"orgs", "GET", "/personal/organisationer", "/en/staff/organisations", s.orgList, staff},
		{"org.new", "GET", "/personal/organisationer/ny", "/en/staff/organisations/new", s.orgNew, staff},
		{"org.create", "POST", "/personal/organisationer/ny", "/en/staff/organisations/new", s.orgCreate, staff},
		{"org.edit", "GET", "/personal/organisationer/{id}", "/en/staff/organisations/{id}", s.orgEdit, staff},
		{"org.update", "POST", "/personal/organisationer/{id}", "/en/staff/organisations/{id}", s.orgUpdate, staff},
		{"pships", "GET", "/personal/partnerskap", "/en/staff/partnerships", s.pshipList, staff},
		{"pship.new", "GET", "/personal/partnerskap/ny", "/en/staff/partnerships/new", s.pshipNew, staff},
		{"pship.create", "POST", "/personal/partnerskap/ny", "/en/staff/partnerships/new", s.pshipCreate, staff},
		{"pship.edit", "GET", "/personal/partnerskap/{id}", "/en/staff/partnerships/{id}", s.pshipEdit, staff},
		{"pship.update", "POST", "/personal/partnerskap/{id}", "/en/staff/partnerships/{id}", s.pshipUpdate, staff},
		{"progs", "GET", "/personal/program", "/en/staff/programmes", s.progList, staff},
		{"prog.new", "GET", "/personal/program/ny", "/en/staff/programmes/new", s.progNew, staff},
		{"prog.create", "POST", "/personal/program/ny", "/en/staff/programmes/new", s.progCreate, staff},
		{"prog.edit", "GET", "/personal/program/{id}", "/en/staff/programmes/{id}", s.progEdit, staff},
		{"prog.update", "POST", "/personal/program/{id}", "/en/staff/programmes/{id}", s.progUpdate, staff},
		{"call.new", "GET", "/personal/program/{id}/utlysningar/ny", "/en/staff/programmes/{id}/calls/new", s.callNew, staff},
		{"call.create", "POST", "/personal/program/{id}/utlysningar/ny", "/en/staff/programmes/{id}/calls/new", s.callCreate, staff},
		{"call.edit", "GET", "/personal/utlysningar/{id}", "/en/staff/calls/{id}", s.callEdit, staff},
		{"call.update", "POST", "/personal/utlysningar/{id}", "/en/staff/calls/{id}", s.callUpdate, staff},
		// A call's questions, lists, assessment and steps, one change per form ({s}, {f}: positions from 1).
		{"call.config", "GET", "/personal/utlysningar/{id}/formular", "/en/staff/calls/{id}/form", s.callConfig, staff},
		{"call.preview", "GET", "/personal/utlysningar/{id}/formular/forhandsgranska", "/en/staff/calls/{id}/form/preview", s.callPreview, staff},
		{"call.config.section.add", "POST", "/personal/utlysningar/{id}/formular/avsnitt", "/en/staff/calls/{id}/form/sections", s.cfgSectionAdd, staff},
		{"call.config.section", "POST", "/personal/utlysningar/{id}/formular/avsnitt/{s}", "/en/staff/calls/{id}/form/sections/{s}", s.cfgSection, staff},
		{"call.config.field.add", "POST", "/personal/utlysningar/{id}/formular/avsnitt/{s}/fragor", "/en/staff/calls/{id}/form/sections/{s}/questions", s.cfgFieldAdd, staff},
		{"call.config.field", "POST", "/personal/utlysningar/{id}/formular/avsnitt/{s}/fragor/{f}", "/en/staff/calls/{id}/form/sections/{s}/questions/{f}", s.cfgField, staff},
		{"call.config.lists", "POST", "/personal/utlysningar/{id}/formular/listor", "/en/staff/calls/{id}/form/lists", s.cfgLists, staff},
		{"call.config.assessment", "POST", "/personal/utlysningar/{id}/formular/bedomning", "/en/staff/calls/{id}/form/assessment", s.cfgAssessment, staff},
		{"call.config.steps", "POST", "/personal/utlysningar/{id}/formular/steg", "/en/staff/calls/{id}/form/steps", s.cfgSteps, staff},
		{"call.config.plan", "POST", "/personal/utlysningar/{id}/formular/utbetalning", "/en/staff/calls/{id}/form/payment-plan", s.cfgPlan, staff},
		{"call.config.reports", "POST", "/personal/utlysningar/{id}/formular/rapporter", "/en/staff/calls/{id}/form/reports", s.cfgReports, staff},
		{"audit", "GET", "/personal/logg", "/en/staff/log", s.auditLog, staff},
		// The log exported by administrators, with the log page's filters (audit_export.go).
		{"audit.export.csv", "GET", "/personal/logg/export.csv", "/en/staff/log/export.csv", s.auditExportCSV, staff},
		{"audit.export.json", "GET", "/personal/logg/export.json", "/en/staff/log/export.json", s.auditExportJSON, staff},
		// Administrators: people, their roles and access.
		{"people", "GET", "/personal/personer", "/en/staff/people", s.peopleList, staff},
		{"person.edit", "GET", "/personal/personer/{id}", "/en/staff/people/{id}", s.personEdit, staff},
		{"person.update", "POST", "/personal/personer/{id}", "/en/staff/people/{id}", s.personUpdate, staff},
		{"person.status", "POST", "/personal/personer/{id}/atkomst", "/en/staff/people/{id}/access", s.personStatus, staff},
		// Personal data (privacy_staff.go): a person's data as one file, their erasure, and the retention of
		// rejected and withdrawn applications' personal data; administrators only.
		{"person.export", "GET", "/personal/personer/{id}/uppgifter.json", "/en/staff/people/{id}/data.json", s.personExport, staff},
		{"person.erase", "GET", "/personal/personer/{id}/radera", "/en/staff/people/{id}/erase", s.personEraseForm, staff},
		{"person.erase.do", "POST", "/personal/personer/{id}/radera", "/en/staff/people/{id}/erase", s.personErase, staff},
		{"privacy.settings", "GET", "/personal/personuppgifter", "/en/staff/personal-data", s.privacySettings, staff},
		{"privacy.settings.save", "POST", "/personal/personuppgifter", "/en/staff/personal-data", s.privacySettingsSave, staff},
		// One's own sessions (session_list.go): every signed-in person, staff or not.
		{"sessions", "GET", "/personal/inloggningar", "/en/staff/sessions", s.sessionList, staff},
		{"sessions.end", "POST", "/personal/inloggningar/logga-ut", "/en/staff/sessions/sign-out", s.sessionEnd, staff},
		{"sessions.end_others", "POST", "/personal/inloggningar/logga-ut-overallt", "/en/staff/sessions/sign-out-elsewhere", s.sessionEndOthers, staff},
		// One's own second factor (secondfactor_account.go): every signed-in person; an administrator's reset of another's.
		{"twostep", "GET", "/personal/tvastegsverifiering", "/en/staff/two-step", s.twoStep, staff},
		{"twostep.enrol", "POST", "/personal/tvastegsverifiering", "/en/staff/two-step", s.twoStepEnrol, staff},
		{"twostep.codes", "POST", "/personal/tvastegsverifiering/reservkoder", "/en/staff/two-step/recovery-codes", s.twoStepCodes, staff},
		{"twostep.disable", "POST", "/personal/tvastegsverifiering/stang-av", "/en/staff/two-step/disable", s.twoStepDisable, staff},
		{"person.twostep.reset", "POST", "/personal/personer/{id}/tvastegsverifiering", "/en/staff/people/{id}/two-step", s.personTwoStepReset, staff},

		// One's own account (login_reset.go, account_settings.go): a forgotten password's request and the reset
		// link's form ({token}: the link's, single use, an hour); name, language, password and e-mail address for
		// everyone signed in; the link that confirms a new address, for whoever holds it.
		{"login.forgot", "GET", "/logga-in/glomt", "/en/login/forgot", s.forgotForm, public},
		{"login.forgot.post", "POST", "/logga-in/glomt", "/en/login/forgot", s.forgot, public},
		{"login.reset", "GET", "/logga-in/nytt-losenord/{token}", "/en/login/new-password/{token}", s.resetForm, public},
		{"login.reset.post", "POST", "/logga-in/nytt-losenord/{token}", "/en/login/new-password/{token}", s.reset, public},
		{"account", "GET", "/personal/konto", "/en/staff/account", s.accountSettings, staff},
		{"account.update", "POST", "/personal/konto", "/en/staff/account", s.accountUpdate, staff},
		{"account.password", "POST", "/personal/konto/losenord", "/en/staff/account/password", s.accountPassword, staff},
		{"account.email", "POST", "/personal/konto/e-post", "/en/staff/account/email", s.accountEmail, staff},
		{"email.confirm", "GET", "/bekrafta-e-post/{token}", "/en/confirm-email/{token}", s.emailConfirmForm, public},
		{"email.confirm.post", "POST", "/bekrafta-e-post/{token}", "/en/confirm-email/{token}", s.emailConfirm, public},
		// Who adds whom (user_invite.go, organisation_member.go, call_reviewer.go): administrators invite staff on the
		// people page and withdraw pending invitations, and set whether an organisation's people may invite and remove
		// colleagues; an organisation's people ({id}: the organisation; {uid}: a person) see who speaks for it, invite
		// and remove colleagues; officers of a call's programme choose its reviewers ({id}: the call; {uid}: a
		// reviewer; {iid}: an invitation), invite new ones and remove them.
		{"people.invite", "POST", "/personal/personer/inbjudan", "/en/staff/people/invitation", s.staffInviteCreate, staff},
		{"people.invite.withdraw", "POST", "/personal/personer/inbjudningar/{id}/aterkalla", "/en/staff/people/invitations/{id}/withdraw", s.staffInviteWithdraw, staff},
		{"org.members.setting", "POST", "/personal/organisationer/{id}/medlemmar", "/en/staff/organisations/{id}/members", s.orgMembersSetting, staff},
		{"members.mine", "GET", "/min-organisation", "/en/my-organisation", s.membersMine, staff},
		{"members", "GET", "/organisationer/{id}/personer", "/en/organisations/{id}/people", s.membersPage, staff},
		{"members.invite", "POST", "/organisationer/{id}/personer/inbjudan", "/en/organisations/{id}/people/invitation", s.membersInvite, staff},
		{"members.remove", "POST", "/organisationer/{id}/personer/{uid}/ta-bort", "/en/organisations/{id}/people/{uid}/remove", s.membersRemove, staff},
		{"call.reviewers", "GET", "/personal/utlysningar/{id}/bedomare", "/en/staff/calls/{id}/reviewers", s.callReviewers, staff},
		{"call.reviewers.add", "POST", "/personal/utlysningar/{id}/bedomare", "/en/staff/calls/{id}/reviewers", s.callReviewerAdd, staff},
		{"call.reviewers.invite", "POST", "/personal/utlysningar/{id}/bedomare/inbjudan", "/en/staff/calls/{id}/reviewers/invitation", s.callReviewerInvite, staff},
		{"call.reviewers.remove", "POST", "/personal/utlysningar/{id}/bedomare/{uid}/ta-bort", "/en/staff/calls/{id}/reviewers/{uid}/remove", s.callReviewerRemove, staff},
		{"call.reviewers.withdraw", "POST", "/personal/utlysningar/{id}/bedomare/inbjudningar/{iid}/aterkalla", "/en/staff/calls/{id}/reviewers/invitations/{iid}/withdraw", s.callReviewerWithdraw, staff},

		// Applicants: applications of their organisations.
		{"apps", "GET", "/ansokningar", "/en/applications", s.appList, staff},
		{"app.create", "POST", "/ansokningar/ny", "/en/applications/new", s.appCreate, staff},
		{"app", "GET", "/ansokningar/{id}", "/en/applications/{id}", s.appPage, staff},
		{"app.save", "POST", "/ansokningar/{id}", "/en/applications/{id}", s.appSave, staff},
		{"app.withdraw", "GET", "/ansokningar/{id}/dra-tillbaka", "/en/applications/{id}/withdraw", s.appWithdrawPage, staff},
		{"app.file", "GET", "/ansokningar/{id}/bilagor/{file}", "/en/applications/{id}/attachments/{file}", s.appFile, staff},
		{"invite.create", "POST", "/ansokningar/inbjudan", "/en/applications/invitation", s.inviteCreate, staff},
		{"invite", "GET", "/inbjudan/{token}", "/en/invitation/{token}", s.invitePage, public},
		{"invite.accept", "POST", "/inbjudan/{token}", "/en/invitation/{token}", s.inviteAccept, public},
		{"app.letter", "GET", "/ansokningar/{id}/beslut.pdf", "/en/applications/{id}/decision.pdf", s.appLetter, staff},

		// Officers: the applications of a call, one case, the registry.
		{"call.apps", "GET", "/personal/utlysningar/{id}/ansokningar", "/en/staff/calls/{id}/applications", s.callApps, staff},
		{"call.allocate", "POST", "/personal/utlysningar/{id}/fordelning", "/en/staff/calls/{id}/allocation", s.callAllocate, staff},
		{"case", "GET", "/personal/ansokningar/{id}", "/en/staff/applications/{id}", s.casePage, staff},
		{"case.event", "POST", "/personal/ansokningar/{id}/steg", "/en/staff/applications/{id}/step", s.caseEvent, staff},
		{"case.assign", "POST", "/personal/ansokningar/{id}/bedomare", "/en/staff/applications/{id}/reviewers", s.caseAssign, staff},
		{"case.decide", "POST", "/personal/ansokningar/{id}/beslut", "/en/staff/applications/{id}/decision", s.caseDecide, staff},
		{"case.document", "POST", "/personal/ansokningar/{id}/handlingar", "/en/staff/applications/{id}/documents", s.caseDocument, staff},
		{"registry", "GET", "/personal/diarium", "/en/staff/registry", s.registryList, staff},
		{"registry.update", "POST", "/personal/diarium/{id}", "/en/staff/registry/{id}", s.registryUpdate, staff},
		// The registry exported with its page's filters, by whoever sees the page (registry_export.go).
		{"registry.export.csv", "GET", "/personal/diarium/export.csv", "/en/staff/registry/export.csv", s.registryExportCSV, staff},
		{"registry.export.json", "GET", "/personal/diarium/export.json", "/en/staff/registry/export.json", s.registryExportJSON, staff},

		// Reviewers: assigned applications.
		{"reviews", "GET", "/granskning", "/en/reviews", s.reviewList, staff},
		{"review", "GET", "/granskning/{id}", "/en/reviews/{id}", s.reviewPage, staff},
		{"review.declare", "POST", "/granskning/{id}/jav", "/en/reviews/{id}/conflict", s.reviewDeclare, staff},
		{"review.save", "POST", "/granskning/{id}", "/en/reviews/{id}", s.reviewSave, staff},

		// Grantees: activities carried out for a grant ({id}: the grant) and their reach; officers of the programme read them.
		{"grant.activities", "GET", "/bidrag/{id}/aktiviteter", "/en/grants/{id}/activities", s.grantActivities, staff},
		{"grant.activities.create", "POST", "/bidrag/{id}/aktiviteter", "/en/grants/{id}/activities", s.grantActivityCreate, staff},
		{"grant.activity", "GET", "/bidrag/{id}/aktiviteter/{aid}", "/en/grants/{id}/activities/{aid}", s.grantActivity, staff},
		{"grant.activity.update", "POST", "/bidrag/{id}/aktiviteter/{aid}", "/en/grants/{id}/activities/{aid}", s.grantActivityUpdate, staff},
		{"grant.activity.evidence", "GET", "/bidrag/{id}/aktiviteter/{aid}/underlag", "/en/grants/{id}/activities/{aid}/evidence", s.grantActivityEvidence, staff},
		{"grant.activity.delete", "POST", "/bidrag/{id}/aktiviteter/{aid}/ta-bort", "/en/grants/{id}/activities/{aid}/delete", s.grantActivityDelete, staff},

		// Grants: the grantee's acceptance, money and change requests ({id}: the grant); the officers' ledger, payments and decisions.
		{"grants", "GET", "/bidrag", "/en/grants", s.grants, staff},
		{"grant", "GET", "/bidrag/{id}", "/en/grants/{id}", s.grantPage, staff},
		{"grant.accept", "POST", "/bidrag/{id}/villkor", "/en/grants/{id}/terms", s.grantAccept, staff},
		{"grant.change", "POST", "/bidrag/{id}/andringar", "/en/grants/{id}/changes", s.grantChange, staff},
		{"staff.grants", "GET", "/personal/bidrag", "/en/staff/grants", s.staffGrants, staff},
		{"staff.grant", "GET", "/personal/bidrag/{id}", "/en/staff/grants/{id}", s.staffGrant, staff},
		{"staff.grant.pay", "POST", "/personal/bidrag/{id}/utbetalningar", "/en/staff/grants/{id}/payments", s.staffGrantPay, staff},
		{"staff.grant.decide", "POST", "/personal/bidrag/{id}/andringar/{change}", "/en/staff/grants/{id}/changes/{change}", s.staffGrantDecide, staff},

		// Reports ({id}: the grant; {kind}: interim or final; {rid}: the report): the grantee's list with deadlines and
		// report form; the officer's reading, approval, completion request, repayment and closing.
		{"grant.reports", "GET", "/bidrag/{id}/rapporter", "/en/grants/{id}/reports", s.grantReports, staff},
		{"grant.report", "GET", "/bidrag/{id}/rapporter/{kind}", "/en/grants/{id}/reports/{kind}", s.grantReport, staff},
		{"grant.report.post", "POST", "/bidrag/{id}/rapporter/{kind}", "/en/grants/{id}/reports/{kind}", s.grantReportPost, staff},
		{"staff.report", "GET", "/personal/bidrag/{id}/rapporter/{rid}", "/en/staff/grants/{id}/reports/{rid}", s.staffReport, staff},
		{"staff.report.post", "POST", "/personal/bidrag/{id}/rapporter/{rid}", "/en/staff/grants/{id}/reports/{rid}", s.staffReportPost, staff},

		// Surveys: the grantee's page ({id}: the grant); the public, anonymous answer pages and QR codes by token
		// ({phase}: fore/efter in Swedish links, before/after in English ones; each accepted under both prefixes).
		{"grant.survey", "GET", "/bidrag/{id}/enkat", "/en/grants/{id}/survey", s.grantSurvey, staff},
		{"grant.survey.post", "POST", "/bidrag/{id}/enkat", "/en/grants/{id}/survey", s.grantSurveyPost, staff},
		{"survey.answer", "GET", "/enkat/{token}/{phase}", "/en/survey/{token}/{phase}", s.surveyAnswer, public},
		{"survey.answer.post", "POST", "/enkat/{token}/{phase}", "/en/survey/{token}/{phase}", s.surveySubmit, public},
		{"survey.thanks", "GET", "/enkat/{token}/{phase}/tack", "/en/survey/{token}/{phase}/thanks", s.surveyThanks, public},
		{"survey.qr.png", "GET", "/enkat/{token}/{phase}/qr.png", "/en/survey/{token}/{phase}/qr.png", s.surveyQRPNG, public},
		{"survey.qr.svg", "GET", "/enkat/{token}/{phase}/qr.svg", "/en/survey/{token}/{phase}/qr.svg", s.surveyQRSVG, public},

		// Stories (story_public.go, story_write.go, story_staff.go): the public list, a story, its image and the Atom feeds
		// (all, per partnership {id}, per goal {n}); the writers' list, form, preview and publishing; the officers'
		// list with hiding and unhiding. The image route checks the session itself when the story is not public.
		{"stories", "GET", "/berattelser", "/en/stories", s.storyList, cached.reads("mal", "sida")},
		{"stories.feed", "GET", "/berattelser/atom.xml", "/en/stories/atom.xml", s.storyFeed, cached},
		{"stories.feed.partnership", "GET", "/partnerskap/{id}/berattelser.atom", "/en/partnerships/{id}/stories.atom", s.storyFeedPartnership, cached},
		{"stories.feed.goal", "GET", "/mal/{n}/berattelser.atom", "/en/goals/{n}/stories.atom", s.storyFeedGoal, cached},
		{"story", "GET", "/berattelser/{id}", "/en/stories/{id}", s.storyPublic, cached},
		{"story.image", "GET", "/berattelser/{id}/bild", "/en/stories/{id}/image", s.storyImage, public}, // a draft's: its writers' only
		{"mystories", "GET", "/mina-berattelser", "/en/my-stories", s.myStories, staff},
		{"mystory.new", "GET", "/mina-berattelser/ny", "/en/my-stories/new", s.storyNew, staff},
		{"mystory.create", "POST", "/mina-berattelser/ny", "/en/my-stories/new", s.storyCreate, staff},
		{"mystory.edit", "GET", "/mina-berattelser/{id}", "/en/my-stories/{id}", s.storyEdit, staff},
		{"mystory.update", "POST", "/mina-berattelser/{id}", "/en/my-stories/{id}", s.storyUpdate, staff},
		{"mystory.preview", "GET", "/mina-berattelser/{id}/forhandsgranska", "/en/my-stories/{id}/preview", s.storyPreview, staff},
		{"mystory.publish", "POST", "/mina-berattelser/{id}/publicera", "/en/my-stories/{id}/publish", s.storyPublish, staff},
		{"mystory.unpublish", "POST", "/mina-berattelser/{id}/avpublicera", "/en/my-stories/{id}/unpublish", s.storyUnpublish, staff},
		{"staff.stories", "GET", "/personal/berattelser", "/en/staff/stories", s.staffStories, staff},
		{"staff.story", "GET", "/personal/berattelser/{id}", "/en/staff/stories/{id}", s.staffStory, staff},
		{"staff.story.hide", "POST", "/personal/berattelser/{id}/dolj", "/en/staff/stories/{id}/hide", s.staffStoryHide, staff},
		{"staff.story.unhide", "POST", "/personal/berattelser/{id}/visa", "/en/staff/stories/{id}/unhide", s.staffStoryUnhide, staff},

		// Material bank (material_public.go, material_publish.go): the public browse, an item's page and its
		// download (counted; a link item redirects to its https address); the publishers' list, form, publishing
		// and withdrawing, and the officers' taking down with a reason; an uncounted download for them.
		{"material", "GET", "/material", "/en/material", s.materialBrowse, cached.reads("typ", "sprak", "licens", "malgrupp", "mal", "partnerskap", "q", "sida")},
		{"material.item", "GET", "/material/{id}", "/en/material/{id}", s.materialItem, cached},
		{"material.file", "GET", "/material/{id}/fil", "/en/material/{id}/file", s.materialFile, public}, // each download counted
		{"mymaterial", "GET", "/mitt-material", "/en/my-material", s.materialMine, staff},
		{"mymaterial.new", "GET", "/mitt-material/ny", "/en/my-material/new", s.materialNew, staff},
		{"mymaterial.create", "POST", "/mitt-material/ny", "/en/my-material/new", s.materialCreate, staff},
		{"mymaterial.edit", "GET", "/mitt-material/{id}", "/en/my-material/{id}", s.materialEdit, staff},
		{"mymaterial.update", "POST", "/mitt-material/{id}", "/en/my-material/{id}", s.materialUpdate, staff},
		{"mymaterial.state", "POST", "/mitt-material/{id}/status", "/en/my-material/{id}/state", s.materialState, staff},
		{"mymaterial.file", "GET", "/mitt-material/{id}/fil", "/en/my-material/{id}/file", s.materialOwnFile, staff},
	}
}

// routes builds the handler: every page in both languages, static assets,
// the language switch, health check, robots.txt and sitemap, wrapped in the security middleware.
// The cached pages are kept rendered (cache.go).
func (s *Server) routes() http.Handler {
	s.cache = s.newPageCache()
	mux := http.NewServeMux()
	s.patterns = nil
	handle := func(name, pattern string, h http.Handler) {
		s.patterns = append(s.patterns, registration{name: name, pattern: pattern})
		mux.Handle(pattern, h)
	}
	for _, rt := range s.table() {
		for _, lang := range []string{"sv", "en"} {
			pattern := rt.sv
			if lang == "en" {
				pattern = rt.en
			}
			handle(rt.name, rt.method+" "+pattern, s.metrics.wrap(rt.name, s.cached(rt, lang, s.page(rt, lang))))
		}
	}
	handle("static", "GET /static/", http.HandlerFunc(serveAsset)) // goals.css too (assets.go)
	handle("language", "GET /sprak", http.HandlerFunc(s.switchLanguage))
	handle("healthz", "GET /healthz", http.HandlerFunc(s.healthz))
	handle("robots", "GET /robots.txt", s.cache.Wrap(http.HandlerFunc(s.robots), pagecache.Page{}))
	handle("sitemap", "GET /sitemap.xml", s.cache.Wrap(http.HandlerFunc(s.sitemap), pagecache.Page{}))
	handle("notfound", "/", s.page(route{name: "notfound", h: s.notFound}, "sv"))
	handle("notfound", "/en/", s.page(route{name: "notfound", h: s.notFound}, "en"))
	return securityHeaders(http.NewCrossOriginProtection().Handler(mux))
}

// registration is a pattern routes gave the mux and the name of its page:
// the route × role test (access_test.go) reads them, so every pattern
// registered, in the table or not, must have a row there.
type registration struct {
	name, pattern string
}

// routeByName finds a route for building links.
func (s *Server) routeByName(name string) (route, bool) {
	for _, rt := range s.routeList {
		if rt.name == name {
			return rt, true
		}
	}
	return route{}, false
}
