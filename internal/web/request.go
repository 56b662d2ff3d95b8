package web

import (
	"encoding/base64"
	"errors"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/i18n"
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

// setFlash leaves a message for the next page: a message key and, as for
// Base.T, name/value pairs for its placeholders ("Number", "2026/0019"),
// so the message can say what happened to which record and what comes
// next. The values travel in the cookie; takeFlash only accepts short,
// plain ones.
func setFlash(w http.ResponseWriter, key string, args ...string) {
	v := key
	if len(args) > 1 {
		q := url.Values{}
		for i := 0; i+1 < len(args); i += 2 {
			q.Set(args[i], args[i+1])
		}
		v += "|" + base64.RawURLEncoding.EncodeToString([]byte(q.Encode()))
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: v, Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// flashKeys are the messages outside "flash." a flash may show.
var flashKeys = []string{"sessions.ended", "sessions.ended_others", "account.reset_done", "account.password_changed",
	"account.email_sent", "account.email_changed", "second_factor.disabled", "second_factor.reset_done",
	"people.deactivated", "people.reactivated"}

// takeFlash reads the flash message once: only a key the catalogue holds
// (a "flash." message, or one of flashKeys), never text from the cookie,
// and placeholders only of short plain values (a number, an amount, a
// date), so a forged cookie can't put words on the page.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) (string, []any) {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return "", nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	key, enc, _ := strings.Cut(c.Value, "|")
	if !strings.HasPrefix(key, "flash.") && !slices.Contains(flashKeys, key) || s.msgs.T(i18n.Langs[0], key, nil) == key {
		return "", nil
	}
	if enc == "" {
		return key, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", nil
	}
	q, err := url.ParseQuery(string(raw))
	if err != nil || len(q) > 4 {
		return "", nil
	}
	var args []any
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if len(q[name]) != 1 || !plainFlashName(name) || !plainFlashValue(q[name][0]) {
			return "", nil
		}
		args = append(args, name, q[name][0])
	}
	return key, args
}

func plainFlashName(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'z' || (r > 'Z' && r < 'a') {
			return false
		}
	}
	return true
}

// plainFlashValue accepts what the handlers put in a message: numbers,
// amounts with their currency, dates, short titles; nothing longer than
// 120 characters, no markup characters and no web address.
func plainFlashValue(s string) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 120 || strings.Contains(s, "//") || strings.Contains(strings.ToLower(s), "www.") {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !strings.ContainsRune("/.,:;-–()%&'’!?+", r) {
			return false
		}
	}
	return true
}

// ---- Forms ----

// formFailed reports whether err is one a form shows to the user, and with
// which status: field errors (422), a conflict (409) when someone else
// saved the record first, or a database that could not take the change
// (503, store.Unavailable). A conflict or an unavailable database becomes
// a message at the top of the form, which keeps what the user typed.
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
	case store.Unavailable(err):
		// The database could not take the change (disk full, connection
		// dropped): the form comes back with what was typed, saying
		// nothing was saved, so it can be sent again in a moment.
		b.Errors = validate.Errors{"form": "error.unavailable"}
		b.unavailable = err
		return http.StatusServiceUnavailable, true
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
