package web

import (
	"net/http"
)

// route is one page: its name (used to build links), method, and its path
// in Swedish (unprefixed) and English (under /en/). Both paths take the same
// {parameters}, so the language switch can map one onto the other.
type route struct {
	name   string
	method string
	sv, en string
	h      handlerFunc
	staff  bool // only for signed-in staff: loads the user, never cached
}

// handlerFunc handles a request; the error it returns becomes a page.
type handlerFunc func(w http.ResponseWriter, r *http.Request, b *Base) error

// table lists every page, so the URL space fits on a screen.
func (s *Server) table() []route {
	return []route{
		{"home", "GET", "/{$}", "/en/{$}", s.home, false},
		{"partnerships", "GET", "/partnerskap", "/en/partnerships", s.partnerships, false},
		{"partnerships.csv", "GET", "/partnerskap.csv", "/en/partnerships.csv", s.partnershipsCSV, false},
		{"partnerships.json", "GET", "/partnerskap.json", "/en/partnerships.json", s.partnershipsJSON, false},
		{"partnership", "GET", "/partnerskap/{id}", "/en/partnerships/{id}", s.partnershipPage, false},
		{"partnership.factsheet", "GET", "/partnerskap/{id}/faktablad.pdf", "/en/partnerships/{id}/fact-sheet.pdf", s.factSheet, false},
		// The widget municipalities frame on their own sites: the only page that may be framed (embed.go).
		{"embed.partnership", "GET", "/inbadda/partnerskap/{id}", "/en/embed/partnerships/{id}", s.embedPartnership, false},
		{"goals", "GET", "/mal", "/en/goals", s.goals, false},
		{"goal", "GET", "/mal/{n}", "/en/goals/{n}", s.goalPage, false},
		{"statistics", "GET", "/statistik", "/en/statistics", s.statistics, false},
		{"public.grants", "GET", "/beviljade-bidrag", "/en/granted-grants", s.publicGrants, false},
		{"accessibility", "GET", "/tillganglighet", "/en/accessibility", s.accessibilityStatement, false},
		{"login", "GET", "/logga-in", "/en/login", s.loginForm, false},
		{"login.post", "POST", "/logga-in", "/en/login", s.login, false},
		{"logout", "POST", "/logga-ut", "/en/logout", s.logout, false},

		{"staff", "GET", "/personal", "/en/staff", s.staffHome, true},
		{"orgs", "GET", "/personal/organisationer", "/en/staff/organisations", s.orgList, true},
		{"org.new", "GET", "/personal/organisationer/ny", "/en/staff/organisations/new", s.orgNew, true},
		{"org.create", "POST", "/personal/organisationer/ny", "/en/staff/organisations/new", s.orgCreate, true},
		{"org.edit", "GET", "/personal/organisationer/{id}", "/en/staff/organisations/{id}", s.orgEdit, true},
		{"org.update", "POST", "/personal/organisationer/{id}", "/en/staff/organisations/{id}", s.orgUpdate, true},
		{"pships", "GET", "/personal/partnerskap", "/en/staff/partnerships", s.pshipList, true},
		{"pship.new", "GET", "/personal/partnerskap/ny", "/en/staff/partnerships/new", s.pshipNew, true},
		{"pship.create", "POST", "/personal/partnerskap/ny", "/en/staff/partnerships/new", s.pshipCreate, true},
		{"pship.edit", "GET", "/personal/partnerskap/{id}", "/en/staff/partnerships/{id}", s.pshipEdit, true},
		{"pship.update", "POST", "/personal/partnerskap/{id}", "/en/staff/partnerships/{id}", s.pshipUpdate, true},
		{"progs", "GET", "/personal/program", "/en/staff/programmes", s.progList, true},
		{"prog.new", "GET", "/personal/program/ny", "/en/staff/programmes/new", s.progNew, true},
		{"prog.create", "POST", "/personal/program/ny", "/en/staff/programmes/new", s.progCreate, true},
		{"prog.edit", "GET", "/personal/program/{id}", "/en/staff/programmes/{id}", s.progEdit, true},
		{"prog.update", "POST", "/personal/program/{id}", "/en/staff/programmes/{id}", s.progUpdate, true},
		{"call.new", "GET", "/personal/program/{id}/utlysningar/ny", "/en/staff/programmes/{id}/calls/new", s.callNew, true},
		{"call.create", "POST", "/personal/program/{id}/utlysningar/ny", "/en/staff/programmes/{id}/calls/new", s.callCreate, true},
		{"call.edit", "GET", "/personal/utlysningar/{id}", "/en/staff/calls/{id}", s.callEdit, true},
		{"call.update", "POST", "/personal/utlysningar/{id}", "/en/staff/calls/{id}", s.callUpdate, true},
		// A call's questions, lists, assessment and steps, one change per form ({s}, {f}: positions from 1).
		{"call.config", "GET", "/personal/utlysningar/{id}/formular", "/en/staff/calls/{id}/form", s.callConfig, true},
		{"call.preview", "GET", "/personal/utlysningar/{id}/formular/forhandsgranska", "/en/staff/calls/{id}/form/preview", s.callPreview, true},
		{"call.config.section.add", "POST", "/personal/utlysningar/{id}/formular/avsnitt", "/en/staff/calls/{id}/form/sections", s.cfgSectionAdd, true},
		{"call.config.section", "POST", "/personal/utlysningar/{id}/formular/avsnitt/{s}", "/en/staff/calls/{id}/form/sections/{s}", s.cfgSection, true},
		{"call.config.field.add", "POST", "/personal/utlysningar/{id}/formular/avsnitt/{s}/fragor", "/en/staff/calls/{id}/form/sections/{s}/questions", s.cfgFieldAdd, true},
		{"call.config.field", "POST", "/personal/utlysningar/{id}/formular/avsnitt/{s}/fragor/{f}", "/en/staff/calls/{id}/form/sections/{s}/questions/{f}", s.cfgField, true},
		{"call.config.lists", "POST", "/personal/utlysningar/{id}/formular/listor", "/en/staff/calls/{id}/form/lists", s.cfgLists, true},
		{"call.config.assessment", "POST", "/personal/utlysningar/{id}/formular/bedomning", "/en/staff/calls/{id}/form/assessment", s.cfgAssessment, true},
		{"call.config.steps", "POST", "/personal/utlysningar/{id}/formular/steg", "/en/staff/calls/{id}/form/steps", s.cfgSteps, true},
		{"call.config.plan", "POST", "/personal/utlysningar/{id}/formular/utbetalning", "/en/staff/calls/{id}/form/payment-plan", s.cfgPlan, true},
		{"call.config.reports", "POST", "/personal/utlysningar/{id}/formular/rapporter", "/en/staff/calls/{id}/form/reports", s.cfgReports, true},
		{"audit", "GET", "/personal/logg", "/en/staff/log", s.auditLog, true},

		// Applicants: applications of their organisations.
		{"apps", "GET", "/ansokningar", "/en/applications", s.appList, true},
		{"app.create", "POST", "/ansokningar/ny", "/en/applications/new", s.appCreate, true},
		{"app", "GET", "/ansokningar/{id}", "/en/applications/{id}", s.appPage, true},
		{"app.save", "POST", "/ansokningar/{id}", "/en/applications/{id}", s.appSave, true},
		{"app.file", "GET", "/ansokningar/{id}/bilagor/{file}", "/en/applications/{id}/attachments/{file}", s.appFile, true},
		{"invite.create", "POST", "/ansokningar/inbjudan", "/en/applications/invitation", s.inviteCreate, true},
		{"invite", "GET", "/inbjudan/{token}", "/en/invitation/{token}", s.invitePage, false},
		{"invite.accept", "POST", "/inbjudan/{token}", "/en/invitation/{token}", s.inviteAccept, false},
		{"app.letter", "GET", "/ansokningar/{id}/beslut.pdf", "/en/applications/{id}/decision.pdf", s.appLetter, true},

		// Officers: the applications of a call, one case, the registry.
		{"call.apps", "GET", "/personal/utlysningar/{id}/ansokningar", "/en/staff/calls/{id}/applications", s.callApps, true},
		{"call.allocate", "POST", "/personal/utlysningar/{id}/fordelning", "/en/staff/calls/{id}/allocation", s.callAllocate, true},
		{"case", "GET", "/personal/ansokningar/{id}", "/en/staff/applications/{id}", s.casePage, true},
		{"case.event", "POST", "/personal/ansokningar/{id}/steg", "/en/staff/applications/{id}/step", s.caseEvent, true},
		{"case.assign", "POST", "/personal/ansokningar/{id}/bedomare", "/en/staff/applications/{id}/reviewers", s.caseAssign, true},
		{"case.decide", "POST", "/personal/ansokningar/{id}/beslut", "/en/staff/applications/{id}/decision", s.caseDecide, true},
		{"registry", "GET", "/personal/diarium", "/en/staff/registry", s.registryList, true},
		{"registry.update", "POST", "/personal/diarium/{id}", "/en/staff/registry/{id}", s.registryUpdate, true},

		// Reviewers: assigned applications.
		{"reviews", "GET", "/granskning", "/en/reviews", s.reviewList, true},
		{"review", "GET", "/granskning/{id}", "/en/reviews/{id}", s.reviewPage, true},
		{"review.declare", "POST", "/granskning/{id}/jav", "/en/reviews/{id}/conflict", s.reviewDeclare, true},
		{"review.save", "POST", "/granskning/{id}", "/en/reviews/{id}", s.reviewSave, true},

		// Grantees: activities carried out for a grant ({id}: the grant) and their reach; officers of the programme read them.
		{"grant.activities", "GET", "/bidrag/{id}/aktiviteter", "/en/grants/{id}/activities", s.grantActivities, true},
		{"grant.activities.create", "POST", "/bidrag/{id}/aktiviteter", "/en/grants/{id}/activities", s.grantActivityCreate, true},
		{"grant.activity", "GET", "/bidrag/{id}/aktiviteter/{aid}", "/en/grants/{id}/activities/{aid}", s.grantActivity, true},
		{"grant.activity.update", "POST", "/bidrag/{id}/aktiviteter/{aid}", "/en/grants/{id}/activities/{aid}", s.grantActivityUpdate, true},
		{"grant.activity.evidence", "GET", "/bidrag/{id}/aktiviteter/{aid}/underlag", "/en/grants/{id}/activities/{aid}/evidence", s.grantActivityEvidence, true},
		{"grant.activity.delete", "POST", "/bidrag/{id}/aktiviteter/{aid}/ta-bort", "/en/grants/{id}/activities/{aid}/delete", s.grantActivityDelete, true},

		// Grants: the grantee's acceptance, money and change requests ({id}: the grant); the officers' ledger, payments and decisions.
		{"grants", "GET", "/bidrag", "/en/grants", s.grants, true},
		{"grant", "GET", "/bidrag/{id}", "/en/grants/{id}", s.grantPage, true},
		{"grant.accept", "POST", "/bidrag/{id}/villkor", "/en/grants/{id}/terms", s.grantAccept, true},
		{"grant.change", "POST", "/bidrag/{id}/andringar", "/en/grants/{id}/changes", s.grantChange, true},
		{"staff.grants", "GET", "/personal/bidrag", "/en/staff/grants", s.staffGrants, true},
		{"staff.grant", "GET", "/personal/bidrag/{id}", "/en/staff/grants/{id}", s.staffGrant, true},
		{"staff.grant.pay", "POST", "/personal/bidrag/{id}/utbetalningar", "/en/staff/grants/{id}/payments", s.staffGrantPay, true},
		{"staff.grant.decide", "POST", "/personal/bidrag/{id}/andringar/{change}", "/en/staff/grants/{id}/changes/{change}", s.staffGrantDecide, true},

		// Reports ({id}: the grant; {kind}: interim or final; {rid}: the report): the grantee's list with deadlines and
		// report form; the officer's reading, approval, completion request, repayment and closing.
		{"grant.reports", "GET", "/bidrag/{id}/rapporter", "/en/grants/{id}/reports", s.grantReports, true},
		{"grant.report", "GET", "/bidrag/{id}/rapporter/{kind}", "/en/grants/{id}/reports/{kind}", s.grantReport, true},
		{"grant.report.post", "POST", "/bidrag/{id}/rapporter/{kind}", "/en/grants/{id}/reports/{kind}", s.grantReportPost, true},
		{"staff.report", "GET", "/personal/bidrag/{id}/rapporter/{rid}", "/en/staff/grants/{id}/reports/{rid}", s.staffReport, true},
		{"staff.report.post", "POST", "/personal/bidrag/{id}/rapporter/{rid}", "/en/staff/grants/{id}/reports/{rid}", s.staffReportPost, true},

		// Surveys: the grantee's page ({id}: the grant); the public, anonymous answer pages and QR codes by token
		// ({phase}: fore/efter in Swedish links, before/after in English ones; each accepted under both prefixes).
		{"grant.survey", "GET", "/bidrag/{id}/enkat", "/en/grants/{id}/survey", s.grantSurvey, true},
		{"grant.survey.post", "POST", "/bidrag/{id}/enkat", "/en/grants/{id}/survey", s.grantSurveyPost, true},
		{"survey.answer", "GET", "/enkat/{token}/{phase}", "/en/survey/{token}/{phase}", s.surveyAnswer, false},
		{"survey.answer.post", "POST", "/enkat/{token}/{phase}", "/en/survey/{token}/{phase}", s.surveySubmit, false},
		{"survey.thanks", "GET", "/enkat/{token}/{phase}/tack", "/en/survey/{token}/{phase}/thanks", s.surveyThanks, false},
		{"survey.qr.png", "GET", "/enkat/{token}/{phase}/qr.png", "/en/survey/{token}/{phase}/qr.png", s.surveyQRPNG, false},
		{"survey.qr.svg", "GET", "/enkat/{token}/{phase}/qr.svg", "/en/survey/{token}/{phase}/qr.svg", s.surveyQRSVG, false},

		// Stories (story_public.go, story_write.go): the public list, a story, its image and the Atom feeds
		// (all, per partnership {id}, per goal {n}); the writers' list, form, preview and publishing; the officers'
		// list with hiding and unhiding. The image route checks the session itself when the story is not public.
		{"stories", "GET", "/berattelser", "/en/stories", s.storyList, false},
		{"stories.feed", "GET", "/berattelser/atom.xml", "/en/stories/atom.xml", s.storyFeed, false},
		{"stories.feed.partnership", "GET", "/partnerskap/{id}/berattelser.atom", "/en/partnerships/{id}/stories.atom", s.storyFeedPartnership, false},
		{"stories.feed.goal", "GET", "/mal/{n}/berattelser.atom", "/en/goals/{n}/stories.atom", s.storyFeedGoal, false},
		{"story", "GET", "/berattelser/{id}", "/en/stories/{id}", s.storyPublic, false},
		{"story.image", "GET", "/berattelser/{id}/bild", "/en/stories/{id}/image", s.storyImage, false},
		{"mystories", "GET", "/mina-berattelser", "/en/my-stories", s.myStories, true},
		{"mystory.new", "GET", "/mina-berattelser/ny", "/en/my-stories/new", s.storyNew, true},
		{"mystory.create", "POST", "/mina-berattelser/ny", "/en/my-stories/new", s.storyCreate, true},
		{"mystory.edit", "GET", "/mina-berattelser/{id}", "/en/my-stories/{id}", s.storyEdit, true},
		{"mystory.update", "POST", "/mina-berattelser/{id}", "/en/my-stories/{id}", s.storyUpdate, true},
		{"mystory.preview", "GET", "/mina-berattelser/{id}/forhandsgranska", "/en/my-stories/{id}/preview", s.storyPreview, true},
		{"mystory.publish", "POST", "/mina-berattelser/{id}/publicera", "/en/my-stories/{id}/publish", s.storyPublish, true},
		{"mystory.unpublish", "POST", "/mina-berattelser/{id}/avpublicera", "/en/my-stories/{id}/unpublish", s.storyUnpublish, true},
		{"staff.stories", "GET", "/personal/berattelser", "/en/staff/stories", s.staffStories, true},
		{"staff.story", "GET", "/personal/berattelser/{id}", "/en/staff/stories/{id}", s.staffStory, true},
		{"staff.story.hide", "POST", "/personal/berattelser/{id}/dolj", "/en/staff/stories/{id}/hide", s.staffStoryHide, true},
		{"staff.story.unhide", "POST", "/personal/berattelser/{id}/visa", "/en/staff/stories/{id}/unhide", s.staffStoryUnhide, true},

		// Material bank (material_public.go, material_publish.go): the public browse, an item's page and its
		// download (counted; a link item redirects to its https address); the publishers' list, form, publishing
		// and withdrawing, and the officers' taking down with a reason; an uncounted download for them.
		{"material", "GET", "/material", "/en/material", s.materialBrowse, false},
		{"material.item", "GET", "/material/{id}", "/en/material/{id}", s.materialItem, false},
		{"material.file", "GET", "/material/{id}/fil", "/en/material/{id}/file", s.materialFile, false},
		{"mymaterial", "GET", "/mitt-material", "/en/my-material", s.materialMine, true},
		{"mymaterial.new", "GET", "/mitt-material/ny", "/en/my-material/new", s.materialNew, true},
		{"mymaterial.create", "POST", "/mitt-material/ny", "/en/my-material/new", s.materialCreate, true},
		{"mymaterial.edit", "GET", "/mitt-material/{id}", "/en/my-material/{id}", s.materialEdit, true},
		{"mymaterial.update", "POST", "/mitt-material/{id}", "/en/my-material/{id}", s.materialUpdate, true},
		{"mymaterial.state", "POST", "/mitt-material/{id}/status", "/en/my-material/{id}/state", s.materialState, true},
		{"mymaterial.file", "GET", "/mitt-material/{id}/fil", "/en/my-material/{id}/file", s.materialOwnFile, true},
	}
}

// routes builds the handler: every page in both languages, static assets,
// the language switch, health check, robots.txt and sitemap, wrapped in the security middleware.
// The public pages named in cacheable (cache.go) are kept rendered.
func (s *Server) routes() http.Handler {
	s.cache = newPageCache(s.cfg.PageCache, s.metrics.reg)
	mux := http.NewServeMux()
	for _, rt := range s.table() {
		for _, lang := range []string{"sv", "en"} {
			pattern := rt.sv
			if lang == "en" {
				pattern = rt.en
			}
			mux.Handle(rt.method+" "+pattern, s.metrics.wrap(rt.name, s.cached(rt.name, lang, s.page(rt, lang))))
		}
	}
	mux.HandleFunc("GET /static/", serveAsset) // goals.css too (cache_static.go)
	mux.HandleFunc("GET /sprak", s.switchLanguage)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /robots.txt", s.cached("robots", "", http.HandlerFunc(s.robots)))
	mux.Handle("GET /sitemap.xml", s.cached("sitemap", "", http.HandlerFunc(s.sitemap)))
	mux.Handle("/", s.page(route{name: "notfound", h: s.notFound}, "sv"))
	mux.Handle("/en/", s.page(route{name: "notfound", h: s.notFound}, "en"))
	return securityHeaders(http.NewCrossOriginProtection().Handler(mux))
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
