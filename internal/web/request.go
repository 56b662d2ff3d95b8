package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/policy"
	"github.com/icld/partnerskap/internal/sdg"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// Helpers every handler uses to read a request and answer it: body
// limits, path parameters, permissions, the flash message and forms that
// fail.

// ---- Bodies ----

// Bodies of forms: a form of fields is small; a form with files (an
// attachment, a story's image, material) may be large and slow to arrive
// from a partner's office abroad, so it gets a longer read deadline than
// the server's default; each upload handler bounds its own size below
// maxUploadBody.
const (
	maxFormBody     = 2 << 20
	maxUploadBody   = 64 << 20
	uploadReadLimit = 20 * time.Minute
)

// limitBody bounds what a POST may send and, for an upload by someone
// signed in, gives the connection time to send it. Everyone else keeps
// the server's short read timeout and the small bound, whatever the
// Content-Type says: otherwise anyone could hold a connection open for
// twenty minutes by trickling a multipart body to the sign-in form (or
// any other), and a few hundred such would take up the server. The
// session is known before the body is read, so the long deadline is
// never given to an anonymous request.
func limitBody(w http.ResponseWriter, r *http.Request, signedIn bool) {
	if r.Method != http.MethodPost || r.Body == nil {
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" && signedIn {
		// Not every writer reaches a connection (tests' recorders); then
		// there is no deadline to move.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadLimit))
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
}

// errTooLarge is a body over an upload handler's own bound: the form
// shows it on its file field.
var errTooLarge = errors.New("web: request body too large")

// ---- Path parameters ----

// pathID reads a positive integer path parameter, written as the site
// writes it ("3", not "03" or "+3"); anything else is a page that does
// not exist, so each page has one address (and a cached page is not
// rendered and kept again for every spelling of its number).
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != v {
		return 0, store.ErrNotFound
	}
	return id, nil
}

// pathGoal reads the goal number {n} of a path; anything but 1–17,
// written as the site writes it, is a page that does not exist.
func pathGoal(r *http.Request) (*sdg.Goal, error) {
	v := r.PathValue("n")
	n, err := strconv.Atoi(v)
	if err != nil || strconv.Itoa(n) != v {
		return nil, store.ErrNotFound
	}
	if g := sdg.GoalByNumber(n); g != nil {
		return g, nil
	}
	return nil, store.ErrNotFound
}

// position reads a position counted from 1 from the path, as an index;
// -1 when it is missing or not a number.
func position(r *http.Request, name string) int {
	n, err := strconv.Atoi(r.PathValue(name))
	if err != nil || n < 1 {
		return -1
	}
	return n - 1
}

// ---- Permissions ----

// errForbidden is returned by handlers when the policy says no.
var errForbidden = errors.New("forbidden")

// require returns errForbidden unless the policy allows the action.
func require(b *Base, a policy.Action, programmeID int64) error {
	if !policy.Can(b.User, a, programmeID) {
		return errForbidden
	}
	return nil
}

// actor is who the signed-in user is, for the audit log.
func actor(u *user.User) audit.Actor { return audit.Actor{UserID: u.ID, Name: u.Name} }

// ---- Flash ----

const flashCookie = "flash"

// setFlash leaves a message key for the next staff page ("saved").
func setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// takeFlash reads the flash message once, and only one the site sets.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	switch c.Value { // only known keys, never text from the cookie
	case "flash.saved", "flash.created", "flash.signed_in", "flash.submitted", "flash.withdrawn", "flash.decided", "flash.invited",
		"flash.grant.accepted", "flash.grant.paid", "flash.grant.change_requested", "flash.grant.change_decided",
		"sessions.ended", "sessions.ended_others",
		"account.reset_done", "account.password_changed", "account.email_sent", "account.email_changed":
		return c.Value
	}
	return ""
}

// ---- Forms ----

// formFailed reports whether err is one a form shows to the user, and with
// which status: field errors (422), or a conflict (409) when someone else
// saved the record first. A conflict becomes a message at the top of the
// form, which keeps what the user typed.
func formFailed(err error, b *Base) (int, bool) {
	var verr validate.Errors
	switch {
	case errors.As(err, &verr):
		b.Errors = verr
		return http.StatusUnprocessableEntity, true
	case errors.Is(err, store.ErrConflict):
		b.Errors = validate.Errors{"form": "error.conflict"}
		return http.StatusConflict, true
	case errors.Is(err, grant.ErrClosed):
		b.Errors = validate.Errors{"form": "error.grant.closed"}
		return http.StatusConflict, true
	}
	return 0, false
}

// prefixed renames field errors, so a second form on a page has its own.
func prefixed(errs validate.Errors, prefix string) validate.Errors {
	out := validate.Errors{}
	for k, v := range errs {
		out[prefix+k] = v
	}
	return out
}

// firstError picks the message to show for a refusal: the amount's, when
// there is one (the ceiling), else the first in field order.
func firstError(e validate.Errors) string {
	if m, ok := e["amount"]; ok {
		return m
	}
	best := ""
	for k := range e {
		if best == "" || k < best {
			best = k
		}
	}
	return e[best]
}

// cutInts reads a form value naming two records, "a:b".
func cutInts(s string) (int64, int64, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			a, err1 := strconv.ParseInt(s[:i], 10, 64)
			b, err2 := strconv.ParseInt(s[i+1:], 10, 64)
			return a, b, err1 == nil && err2 == nil
		}
	}
	return 0, 0, false
}
