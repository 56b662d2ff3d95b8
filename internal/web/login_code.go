package web

import (
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/store"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/validate"
)

// The sign-in's second step. A person who has passed the password and
// has a second factor gets a pending session (user.Session.Pending) and
// the code form; one who must have a factor and has none gets the
// enrolment page. The pending session reaches nothing else: page() sends
// it here from every staff route. A right code (or a confirmed
// enrolment) replaces it with a complete session.

// codePage is the form that asks for a code during sign-in.
type codePage struct {
	*Base
	Next string
}

// enrolPage shows a new secret as a QR code and as text, and asks for a
// first code to confirm it; after, the recovery codes (once).
type enrolPage struct {
	*Base
	Next     string
	Secret   string       // base32, sent back with the confirming code
	QR       template.URL // data: URI of a PNG of the otpauth:// address
	Action   string       // where the form posts
	Codes    []string     // the recovery codes, shown once after enrolment
	Continue string       // where to go after reading them
	Account  bool         // the account page, not the sign-in
}

// SecretGroups is the secret in groups of four, for typing it in.
func (p enrolPage) SecretGroups() string {
	var parts []string
	for s := p.Secret; s != ""; {
		n := min(4, len(s))
		parts = append(parts, s[:n])
		s = s[n:]
	}
	return strings.Join(parts, " ")
}

// pendingSignIn returns the user of the request's pending session and its
// token's hash, or nil when there is none.
func (s *Server) pendingSignIn(r *http.Request) (*user.User, []byte, error) {
	u, pending, err := s.sessionAuth(r)
	if err != nil || u == nil || !pending {
		return nil, nil, err
	}
	return u, s.currentTokenHash(r), nil
}

// secondStepURL is the address of a sign-in's second step.
func (s *Server) secondStepURL(b *Base, step user.SignInStep, next string) string {
	name := "login.code"
	if step == user.StepEnrol {
		name = "login.enrol"
	}
	p := b.URL(name)
	if next != "" {
		p += "?next=" + url.QueryEscape(next)
	}
	return p
}

// toSecondStep sends a pending session to its code form or enrolment page
// (from any staff route: page()), keeping where it was going.
func (s *Server) toSecondStep(w http.ResponseWriter, r *http.Request, b *Base, u *user.User) error {
	st, err := s.store.SecondFactorStatus(r.Context(), u.ID)
	if err != nil {
		return err
	}
	step := pendingStep(st)
	next := ""
	if r.Method == http.MethodGet {
		next = safeNext(r.URL.RequestURI())
	}
	http.Redirect(w, r, s.secondStepURL(b, step, next), http.StatusSeeOther)
	return nil
}

// toLogin sends a browser without a pending session back to the
// sign-in form.
func toLogin(w http.ResponseWriter, r *http.Request, b *Base) error {
	http.Redirect(w, r, b.URL("login"), http.StatusSeeOther)
	return nil
}

func (s *Server) loginCodeForm(w http.ResponseWriter, r *http.Request, b *Base) error {
	_, next, ok, err := s.atStep(w, r, b, user.StepCode)
	if !ok {
		return err
	}
	b.Title = b.T("second_factor.code.title")
	return s.render(w, b, http.StatusOK, "login_code", codePage{Base: b, Next: next})
}

// atStep opens a second step's form (step): without a pending session the
// browser goes back to the sign-in form, and a session at the other step
// (enrolled meanwhile in another tab, or not yet) to that step's page.
// ok says the form is to be shown, for u, leading on to next.
func (s *Server) atStep(w http.ResponseWriter, r *http.Request, b *Base, step user.SignInStep) (u *user.User, next string, ok bool, err error) {
	w.Header().Set("Cache-Control", "no-store")
	if u, _, err = s.pendingSignIn(r); err != nil || u == nil {
		if err == nil {
			err = toLogin(w, r, b)
		}
		return nil, "", false, err
	}
	next = safeNext(r.URL.Query().Get("next"))
	st, err := s.store.SecondFactorStatus(r.Context(), u.ID)
	if err != nil {
		return nil, "", false, err
	}
	if at := pendingStep(st); at != step {
		http.Redirect(w, r, s.secondStepURL(b, at, next), http.StatusSeeOther)
		return nil, "", false, nil
	}
	return u, next, true, nil
}

// pendingStep is the second step a pending session is at: the code when
// a factor is enrolled, else enrolment.
func pendingStep(st user.SecondFactorStatus) user.SignInStep {
	if st.Enrolled {
		return user.StepCode
	}
	return user.StepEnrol
}

// codeRefused renders the form again with the code's error: 429 with
// Retry-After when the account has used its tries.
func (s *Server) codeRefused(w http.ResponseWriter, b *Base, refused *loginRefusal, name string, page any) error {
	b.Errors.Add("code", "error.second_factor.throttled")
	setRetryAfter(w, refused)
	return s.render(w, b, http.StatusTooManyRequests, name, page)
}

func setRetryAfter(w http.ResponseWriter, refused *loginRefusal) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(refused.wait.Seconds()))))
}

// idKey is an account's key in the code counter.
func idKey(id int64) string { return strconv.FormatInt(id, 10) }

func (s *Server) loginCode(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	u, hash, err := s.pendingSignIn(r)
	if err != nil {
		return err
	}
	if u == nil {
		return toLogin(w, r, b)
	}
	next := safeNext(r.PostFormValue("next"))
	code := strings.TrimSpace(r.PostFormValue("code"))
	b.Title = b.T("second_factor.code.title")
	b.Errors = validate.Errors{}
	page := codePage{Base: b, Next: next}
	if code == "" {
		b.Errors.Add("code", "error.required")
		return s.render(w, b, http.StatusUnprocessableEntity, "login_code", page)
	}
	now := s.clock.Now()
	try, refused := s.logins.admitCode(idKey(u.ID), now)
	if refused != nil {
		return s.codeRefused(w, b, refused, "login_code", page)
	}
	if _, err := s.store.UseSecondFactor(r.Context(), u.ID, code, now); errors.Is(err, user.ErrWrongCode) {
		s.logFailedSignIn(r, u, u.Email, "code")
		b.Errors.Add("code", "error.second_factor.wrong_code")
		return s.render(w, b, http.StatusUnprocessableEntity, "login_code", page)
	} else if err != nil {
		return err
	}
	try.succeeded(now)
	if err := s.completeSignIn(w, r, u, s.logins.release(string(hash), now)); err != nil {
		return err
	}
	http.Redirect(w, r, s.afterSignIn(b, u, next), http.StatusSeeOther)
	return nil
}

// newEnrolPage makes a new secret for u and its QR code.
func newEnrolPage(b *Base, u *user.User, secret string) (enrolPage, error) {
	if secret == "" {
		var err error
		if secret, _, err = user.NewTOTPSecret(u.Email); err != nil {
			return enrolPage{}, err
		}
	}
	uri := (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + user.TOTPIssuer + ":" + u.Email,
		RawQuery: url.Values{"secret": {secret}, "issuer": {user.TOTPIssuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}.Encode()}).String()
	q, err := qrcode.New(uri, qrcode.Medium)
	if err != nil {
		return enrolPage{}, fmt.Errorf("web: qr code: %w", err)
	}
	png, err := q.PNG(240)
	if err != nil {
		return enrolPage{}, fmt.Errorf("web: qr code: %w", err)
	}
	// The image is inline: the secret never travels in an address (a
	// proxy's log, the browser's history).
	return enrolPage{Base: b, Secret: secret, QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}, nil
}

// validSecret reports whether a secret sent back with the confirming code
// has the shape NewTOTPSecret gives (160 bits in base32).
func validSecret(secret string) bool {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	return err == nil && len(raw) == 20
}

func (s *Server) loginEnrolForm(w http.ResponseWriter, r *http.Request, b *Base) error {
	u, next, ok, err := s.atStep(w, r, b, user.StepEnrol)
	if !ok {
		return err
	}
	page, err := newEnrolPage(b, u, "")
	if err != nil {
		return err
	}
	page.Next, page.Action = next, b.URL("login.enrol.post")
	b.Title = b.T("second_factor.enrol.title")
	return s.render(w, b, http.StatusOK, "second_factor", page)
}

// enrol checks the first code against the secret the form carried and
// stores the factor with new recovery codes. On a wrong code it renders
// the form again with the same secret, which the person's app holds now.
// It returns the page showing the recovery codes, or done false when it
// rendered the form again.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request, b *Base, u *user.User, action, next string, account bool) (page enrolPage, done bool, err error) {
	secret := strings.ToUpper(strings.TrimSpace(r.PostFormValue("secret")))
	code := strings.TrimSpace(r.PostFormValue("code"))
	if !validSecret(secret) {
		return enrolPage{}, false, validate.Errors{"secret": "error.invalid_choice"}
	}
	page, err = newEnrolPage(b, u, secret)
	if err != nil {
		return page, false, err
	}
	page.Action, page.Next, page.Account = action, next, account
	b.Errors = validate.Errors{}
	if code == "" {
		b.Errors.Add("code", "error.required")
		return page, false, s.render(w, b, http.StatusUnprocessableEntity, "second_factor", page)
	}
	now := s.clock.Now()
	try, refused := s.logins.admitCode(idKey(u.ID), now)
	if refused != nil {
		return page, false, s.codeRefused(w, b, refused, "second_factor", page)
	}
	step, ok := user.MatchTOTP(secret, code, 0, now)
	if !ok {
		b.Errors.Add("code", "error.second_factor.wrong_code")
		return page, false, s.render(w, b, http.StatusUnprocessableEntity, "second_factor", page)
	}
	codes, hashes := user.NewRecoveryCodes()
	if err := s.store.EnrolSecondFactor(r.Context(), audit.Actor{UserID: u.ID, Name: u.Name}, u.ID, secret, hashes, step); err != nil {
		return page, false, err
	}
	try.succeeded(now)
	page.Codes, page.Secret, page.QR = codes, "", ""
	return page, true, nil
}

func (s *Server) loginEnrol(w http.ResponseWriter, r *http.Request, b *Base) error {
	w.Header().Set("Cache-Control", "no-store")
	u, hash, err := s.pendingSignIn(r)
	if err != nil {
		return err
	}
	if u == nil {
		return toLogin(w, r, b)
	}
	next := safeNext(r.PostFormValue("next"))
	b.Title = b.T("second_factor.enrol.title")
	page, done, err := s.enrol(w, r, b, u, b.URL("login.enrol.post"), next, false)
	if errors.Is(err, store.ErrConflict) {
		// Enrolled meanwhile (another tab): the code form, then.
		http.Redirect(w, r, s.secondStepURL(b, user.StepCode, next), http.StatusSeeOther)
		return nil
	}
	if err != nil || !done {
		return err
	}
	if err := s.completeSignIn(w, r, u, s.logins.release(string(hash), s.clock.Now())); err != nil {
		return err
	}
	b.User = u
	page.Continue = s.afterSignIn(b, u, next)
	b.Title = b.T("second_factor.codes.title")
	return s.render(w, b, http.StatusOK, "second_factor", page)
}
