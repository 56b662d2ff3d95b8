package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/application"
)

// follow GETs the page a 303 leads to, where the flash message shows.
func (e *env) follow(c *http.Client, res response) response {
	e.t.Helper()
	if res.status != http.StatusSeeOther {
		e.t.Fatalf("want a redirect, got %d\n%s", res.status, res.body)
	}
	return e.get(c, res.header.Get("Location"))
}

// TestWithdrawAsksFirst: withdrawing an application is a step of its own,
// apart from Submit: a page (no script needed) says what it means, and
// only a POST that confirms it withdraws.
func TestWithdrawAsksFirst(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	cl := e.login(applicant)
	path := startApplication(t, e, cl, c.ID)
	id := path[strings.LastIndex(path, "/")+1:]
	confirm := "/ansokningar/" + id + "/dra-tillbaka"

	// On the draft, no button withdraws at once, and the way to it sits
	// apart from Submit, after the timeline.
	res := e.get(cl, path)
	wantNotContains(t, "draft page", res.body, `value="withdraw"`)
	submit, timeline, link := strings.Index(res.body, `value="submit"`), strings.Index(res.body, `id="timeline-heading"`), strings.Index(res.body, `href="`+confirm+`"`)
	if submit < 0 || timeline < 0 || link < 0 || !(submit < timeline && timeline < link) {
		t.Errorf("submit at %d, timeline at %d, withdraw link at %d: the link must come after the timeline", submit, timeline, link)
	}
	wantContains(t, "draft page", res.body, `id="other-actions-heading"`)

	// The confirmation page says what withdrawing means.
	res = e.get(cl, confirm)
	if res.status != http.StatusOK {
		t.Fatalf("confirmation page: %d", res.status)
	}
	wantContains(t, "confirmation page", res.body, "Vill du dra tillbaka ansökan?", "kan inte ångras", "handläggs inte",
		`name="confirm" value="yes"`, `action="`+path+`"`, `href="`+path+`"`)

	// A POST without the confirmation shows the question and withdraws nothing.
	res = e.post(cl, path, url.Values{"action": {"withdraw"}})
	if res.status != http.StatusOK || e.app(path).State != application.Draft {
		t.Fatalf("unconfirmed withdraw: %d, state %s", res.status, e.app(path).State)
	}
	wantContains(t, "unconfirmed withdraw", res.body, "Vill du dra tillbaka ansökan?", `name="confirm" value="yes"`)

	// Confirmed, it withdraws, and says so.
	res = e.post(cl, path, url.Values{"action": {"withdraw"}, "confirm": {"yes"}})
	if e.app(path).State != application.Withdrawn {
		t.Fatalf("confirmed withdraw: %d, state %s", res.status, e.app(path).State)
	}
	res = e.follow(cl, res)
	wantContains(t, "after withdrawing", res.body, `role="status"`, "Ansökan är tillbakadragen")
	wantNotContains(t, "after withdrawing", res.body, `href="`+confirm+`"`)
	// Nothing is left to withdraw: the confirmation page leads back.
	if res := e.get(cl, confirm); res.status != http.StatusSeeOther || res.header.Get("Location") != path {
		t.Errorf("confirmation of a withdrawn application: %d %q", res.status, res.header.Get("Location"))
	}
}

// TestWithdrawAsksFirstEnglish: the confirmation page in English.
func TestWithdrawAsksFirstEnglish(t *testing.T) {
	e := newEnv(t, "http://localhost")
	c := openCall(t, e)
	cl := e.login(applicant)
	path := startApplication(t, e, cl, c.ID)
	id, _ := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	res := e.get(cl, "/en/applications/"+strconv.FormatInt(id, 10)+"/withdraw")
	if res.status != http.StatusOK {
		t.Fatalf("confirmation page: %d", res.status)
	}
	wantContains(t, "English confirmation page", res.body, "Withdraw the application?", "cannot be undone")
}
