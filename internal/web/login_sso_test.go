package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/demo"
	"github.com/icld/partnerskap/internal/sso"
	"github.com/icld/partnerskap/internal/user"
	"github.com/icld/partnerskap/internal/web"
)

// rsaKeys are the test provider's signing key and a forger's, made once:
// RSA keys take a while to generate.
var rsaKeys = sync.OnceValues(func() (*rsa.PrivateKey, *rsa.PrivateKey) {
	good, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	forged, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return good, forged
})

// testProvider is an OpenID Connect provider in the test process: a
// discovery document, its key set, an authorization endpoint that signs
// in whoever the test says (person) and redirects back with a code, and a
// token endpoint that checks the client's secret and the PKCE verifier
// against the challenge before it hands out an ID token it really signs
// (RS256). Tests bend it to play a broken or hostile provider.
type testProvider struct {
	t        *testing.T
	srv      *httptest.Server
	now      func() time.Time
	redirect string // the redirect URL the client registered

	mu sync.Mutex
	// person is what the next sign-in asserts: claims beside iss, sub,
	// aud, iat, exp and nonce.
	person map[string]any
	// tamper, when set, changes the next token's claims after they are
	// filled in (a wrong audience, issuer, expiry or nonce).
	tamper func(claims map[string]any)
	forge  bool   // sign the next token with a key not in the key set
	deny   string // answer the next authorization with this error
	down   bool   // answer discovery with 503
	codes  map[string]grantedCode
	// refused counts token requests refused, and why.
	refused []string
}

type grantedCode struct {
	challenge, nonce, redirect string
	claims                     map[string]any
	forge                      bool
}

const (
	testClientID     = "partnerskap-test"
	testClientSecret = "s3cret-of-the-client"
)

func newTestProvider(t *testing.T, now func() time.Time) *testProvider {
	p := &testProvider{t: t, now: now, codes: map[string]grantedCode{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	// By default the provider asserts a second factor, so signIn needs no
	// second factor of this system's own and the session reaches staff pages.
	p.person = map[string]any{"email": officer, "email_verified": true, "amr": []string{"pwd", "mfa"}}
	return p
}

func (p *testProvider) issuer() string { return p.srv.URL }

func (p *testProvider) discovery(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	down := p.down
	p.mu.Unlock()
	if down {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{
		"issuer":                                p.issuer(),
		"authorization_endpoint":                p.issuer() + "/authorize",
		"token_endpoint":                        p.issuer() + "/token",
		"jwks_uri":                              p.issuer() + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (p *testProvider) jwks(w http.ResponseWriter, r *http.Request) {
	good, _ := rsaKeys()
	json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &good.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

// authorize checks what a real provider checks of the request and
// "signs in" p.person at once.
func (p *testProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	scopes := strings.Fields(q.Get("scope"))
	switch {
	case q.Get("client_id") != testClientID, q.Get("response_type") != "code", q.Get("redirect_uri") != p.redirect,
		q.Get("state") == "", q.Get("nonce") == "", q.Get("code_challenge") == "", q.Get("code_challenge_method") != "S256",
		!slices.Contains(scopes, "openid") || !slices.Contains(scopes, "email"):
		p.t.Errorf("provider: bad authorization request %v", q)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	back, _ := url.Parse(q.Get("redirect_uri"))
	v := url.Values{"state": {q.Get("state")}}
	p.mu.Lock()
	if p.deny != "" {
		v.Set("error", p.deny)
		v.Set("error_description", "<b>The user said no</b>")
	} else {
		code := base64.RawURLEncoding.EncodeToString(randomBytes(16))
		claims := maps.Clone(p.person)
		claims["iss"] = p.issuer()
		claims["sub"] = "subject-" + code[:6]
		claims["aud"] = testClientID
		claims["iat"] = p.now().Unix()
		claims["exp"] = p.now().Add(5 * time.Minute).Unix()
		claims["nonce"] = q.Get("nonce")
		if p.tamper != nil {
			p.tamper(claims)
		}
		p.codes[code] = grantedCode{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri"), claims: claims, forge: p.forge}
		v.Set("code", code)
	}
	p.mu.Unlock()
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// token exchanges a code once, for the client that proves its secret and
// the verifier whose S256 challenge came with the authorization.
func (p *testProvider) token(w http.ResponseWriter, r *http.Request) {
	refuse := func(why string) {
		p.refused = append(p.refused, why)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": why})
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != testClientID || secret != testClientSecret {
		refuse("client")
		return
	}
	code := r.PostFormValue("code")
	g, ok := p.codes[code]
	delete(p.codes, code) // a code works once, even when refused
	if !ok || r.PostFormValue("grant_type") != "authorization_code" || r.PostFormValue("redirect_uri") != g.redirect {
		refuse("code")
		return
	}
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		refuse("pkce")
		return
	}
	good, forged := rsaKeys()
	key := good
	if g.forge {
		key = forged
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		p.t.Fatal(err)
	}
	payload, _ := json.Marshal(g.claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		p.t.Fatal(err)
	}
	idToken, _ := jws.CompactSerialize()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + code, "token_type": "Bearer", "expires_in": 300, "id_token": idToken})
}

func (p *testProvider) set(f func(p *testProvider)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

// syncBuffer is a log the server writes from its handlers and the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// take returns what was logged since the last take, and forgets it.
func (s *syncBuffer) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.b.String()
	s.b.Reset()
	return out
}

type ssoEnv struct {
	*env
	p   *testProvider
	log *syncBuffer
}

// newSSOEnv starts the web server with single sign-on through a test
// provider; the base URL is the test server's own address, so the
// provider sends the browser back to it. discover says whether the
// provider is discovered before the server starts (as app.Serve does).
func newSSOEnv(t *testing.T, setup func(p *testProvider)) *ssoEnv {
	t.Helper()
	return newSSOEnvAt(t, "http", setup)
}

// newSSOEnvAt is newSSOEnv with a base URL of the given scheme: "https"
// for a server behind a TLS proxy (the test still speaks http to it).
func newSSOEnvAt(t *testing.T, scheme string, setup func(p *testProvider)) *ssoEnv {
	t.Helper()
	s, _, clk := openDemoCopy(t)
	if _, err := demo.Load(context.Background(), s, clk); err != nil {
		t.Fatal(err)
	}
	p := newTestProvider(t, clk.Now)
	if setup != nil {
		setup(p)
	}
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	client := sso.New(sso.Config{Issuer: p.issuer(), ClientID: testClientID, ClientSecret: testClientSecret, Name: "Testleverantören"}, clk)
	if err := client.Discover(context.Background()); err != nil {
		t.Logf("discovery at start-up: %v", err)
	}
	logs := &syncBuffer{}
	base := scheme + strings.TrimPrefix(srv.URL, "http")
	ws, err := web.New(s, clk, slog.New(slog.NewTextHandler(logs, nil)), web.Config{BaseURL: base, Files: &memFiles{}, SSO: client})
	if err != nil {
		t.Fatal(err)
	}
	h = ws
	p.redirect = ws.SSORedirectURL()
	if want := base + "/logga-in/sso/klar"; p.redirect != want {
		t.Fatalf("redirect URL %q, want %q", p.redirect, want)
	}
	return &ssoEnv{env: &env{t: t, store: s, srv: srv, clock: clk, files: &memFiles{}}, p: p, log: logs}
}

// getURL asks for an absolute address (the provider's, or the way back).
func (e *ssoEnv) getURL(c *http.Client, u string) response {
	e.t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return e.do(c, req)
}

// start follows the sign-in button at path and returns the provider's
// address it leads to. It starts a new scenario: what was logged before
// is forgotten.
func (e *ssoEnv) start(c *http.Client, path string) string {
	e.t.Helper()
	e.log.take()
	res := e.get(c, path)
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, e.p.issuer()+"/authorize?") {
		e.t.Fatalf("GET %s: %d to %q, want 303 to the provider\n%s", path, res.status, loc, res.body)
	}
	return loc
}

// authorize has the provider sign the person in and returns the address
// it sends the browser back to.
func (e *ssoEnv) authorize(c *http.Client, authURL string) string {
	e.t.Helper()
	res := e.getURL(c, authURL)
	loc := res.header.Get("Location")
	if res.status != http.StatusFound || !strings.HasPrefix(loc, e.p.redirect+"?") {
		e.t.Fatalf("provider: %d to %q, want 302 back to %s", res.status, loc, e.p.redirect)
	}
	return loc
}

// signInSSO runs a whole single sign-on in c from the button at path and
// returns the answer of the way back.
func (e *ssoEnv) signInSSO(c *http.Client, path string) response {
	e.t.Helper()
	return e.getURL(c, e.authorize(c, e.start(c, path)))
}

// userActions are the audit entries about the user with email, newest first.
func (e *ssoEnv) userActions(email string) []string {
	e.t.Helper()
	u, err := e.store.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	entries, err := e.store.AuditLog(context.Background(), audit.Filter{Entity: "user", EntityID: u.ID, Limit: 20})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, en := range entries {
		out = append(out, en.Action)
	}
	return out
}

// lastSSOAction is the newest single sign-on entry in the audit log of
// the user with email (sso-login, sso-login-mfa or sso-refused).
func (e *ssoEnv) lastSSOAction(email string) string {
	e.t.Helper()
	for _, a := range e.userActions(email) {
		if strings.HasPrefix(a, "sso-") {
			return a
		}
	}
	return ""
}

func TestSSOSignIn(t *testing.T) {
	e := newSSOEnv(t, nil)
	// The button is on the sign-in page in both languages, keeping next.
	res := e.get(e.client(), "/logga-in?next=/personal/logg")
	wantContains(t, "sign-in page", res.body, "Logga in med Testleverantören", `href="/logga-in/sso?next=%2Fpersonal%2Flogg"`)
	wantContains(t, "English sign-in page", e.get(e.client(), "/en/login").body, "Sign in with Testleverantören", `href="/en/login/sso"`)

	// The address is matched whatever its case; the session works on a
	// staff page, and the person lands where she was going.
	e.p.set(func(p *testProvider) { p.person["email"] = "Handlaggare@DEMO.Partnerskap.se" })
	c := e.client()
	res = e.signInSSO(c, "/logga-in/sso?next=/personal/logg")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/personal/logg" {
		t.Fatalf("sign-in: %d to %q, want 303 to /personal/logg\n%s", res.status, res.header.Get("Location"), res.body)
	}
	if res := e.get(c, "/personal"); res.status != http.StatusOK {
		t.Fatalf("staff page after single sign-on: %d", res.status)
	}
	if got := e.lastSSOAction(officer); got != "sso-login-mfa" {
		t.Errorf("audit: %q, want sso-login-mfa", got)
	}
	// A next that leads off the site is dropped on the way: the person
	// lands on her start page.
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
		res := e.signInSSO(e.client(), "/logga-in/sso?next="+url.QueryEscape(next))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/personal" {
			t.Errorf("next %q: %d to %q, want 303 to /personal", next, res.status, res.header.Get("Location"))
		}
	}
}

// TestSSOFlowCookie: the flow's secrets wait in a cookie scripts cannot
// read, sent on the provider's top-level redirect back (Lax) and kept ten
// minutes; under https it is Secure and __Host- (no subdomain can plant
// one).
func TestSSOFlowCookie(t *testing.T) {
	for _, tt := range []struct{ scheme, name string }{{"http", "sso"}, {"https", "__Host-sso"}} {
		e := newSSOEnvAt(t, tt.scheme, nil)
		res := e.get(e.client(), "/logga-in/sso")
		if res.status != http.StatusSeeOther {
			t.Fatalf("%s: start %d", tt.scheme, res.status)
		}
		var flow *http.Cookie
		for _, c := range (&http.Response{Header: res.header}).Cookies() {
			if c.Name == tt.name {
				flow = c
			}
		}
		if flow == nil {
			t.Fatalf("%s: no %s cookie in %q", tt.scheme, tt.name, res.header["Set-Cookie"])
		}
		if !flow.HttpOnly || flow.SameSite != http.SameSiteLaxMode || flow.MaxAge != 600 || flow.Path != "/" || flow.Domain != "" ||
			flow.Secure != (tt.scheme == "https") {
			t.Errorf("%s: cookie %+v", tt.scheme, flow)
		}
		// The secrets are not in the address the browser is sent to: only
		// the state, the nonce and the PKCE challenge (a hash) are.
		var f struct{ V string }
		raw, _ := base64.RawURLEncoding.DecodeString(flow.Value)
		if json.Unmarshal(raw, &f) != nil || f.V == "" || strings.Contains(res.header.Get("Location"), f.V) {
			t.Errorf("%s: verifier %q in the provider's address %s", tt.scheme, f.V, res.header.Get("Location"))
		}
		if res.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", tt.scheme, res.header.Get("Cache-Control"))
		}
	}
}

// TestSSOSecondFactorAsserted: what signIn is told, seen in the audit log
// (sso-login-mfa when the provider asserts a second factor, sso-login
// when not); the rule itself is user.SSOIdentity.SecondFactor.
func TestSSOSecondFactorAsserted(t *testing.T) {
	e := newSSOEnv(t, nil)
	for _, tt := range []struct {
		amr  any
		want string
	}{
		{[]string{"pwd", "mfa"}, "sso-login-mfa"},
		{[]string{"pwd", "otp"}, "sso-login-mfa"},
		{[]string{"pwd"}, "sso-login"},
		{[]string{"otp"}, "sso-login"},
		{nil, "sso-login"},
		{"mfa", "sso-login"}, // not an array: asserts nothing
	} {
		e.p.set(func(p *testProvider) { p.person["amr"] = tt.amr })
		before := len(e.userActions(officer))
		c := e.client()
		if res := e.signInSSO(c, "/logga-in/sso"); res.status != http.StatusSeeOther {
			t.Fatalf("amr %v: %d\n%s", tt.amr, res.status, res.body)
		}
		if n := len(e.userActions(officer)); n <= before {
			t.Fatalf("amr %v: no audit entry", tt.amr)
		}
		if got := e.lastSSOAction(officer); got != tt.want {
			t.Errorf("amr %v: audit %q, want %s", tt.amr, got, tt.want)
		}
	}
}

// wantRefused checks a refused single sign-on: the status, the message on
// the sign-in page (which still offers the password form), no session,
// and a log line saying why.
func (e *ssoEnv) wantRefused(t *testing.T, what string, c *http.Client, res response, status int, msg, logged string) {
	t.Helper()
	if res.status != status {
		t.Errorf("%s: status %d, want %d\n%s", what, res.status, status, res.body)
	}
	wantContains(t, what, res.body, msg, `name="password"`)
	// Its links (language switch, hreflang) lead to the sign-in page, not
	// back here with the provider's code and state.
	wantNotContains(t, what, res.body, "code=", "state=", "sso/klar", "sso/done")
	if res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("%s: Cache-Control %q", what, res.header.Get("Cache-Control"))
	}
	wantSentToSignIn(t, e.env, c, what)
	if log := e.log.take(); !strings.Contains(log, logged) || !strings.Contains(log, "single sign-on refused") {
		t.Errorf("%s: log lacks %q:\n%s", what, logged, log)
	}
}

const (
	msgFailed     = "Inloggningen via inloggningstjänsten kunde inte slutföras"
	msgNoAccount  = "Inget konto för den här adressen får logga in här"
	msgUnverified = "Inloggningstjänsten har inte bekräftat din e-postadress"
)

func TestSSORefusedTokens(t *testing.T) {
	e := newSSOEnv(t, nil)
	for _, tt := range []struct {
		what   string
		bend   func(p *testProvider)
		status int
		msg    string
		logged string
	}{
		{"signed by another key", func(p *testProvider) { p.forge = true }, 401, msgFailed, "failed to verify signature"},
		{"wrong audience", func(p *testProvider) { p.tamper = func(c map[string]any) { c["aud"] = "another-client" } }, 401, msgFailed, "expected audience"},
		{"wrong issuer", func(p *testProvider) { p.tamper = func(c map[string]any) { c["iss"] = "https://evil.example" } }, 401, msgFailed, "issued by a different provider"},
		{"expired", func(p *testProvider) {
			p.tamper = func(c map[string]any) { c["exp"] = p.now().Add(-time.Second).Unix() }
		}, 401, msgFailed, "token is expired"},
		{"nonce of another sign-in", func(p *testProvider) { p.tamper = func(c map[string]any) { c["nonce"] = "replayed" } }, 401, msgFailed, "nonce does not match"},
		{"no nonce", func(p *testProvider) { p.tamper = func(c map[string]any) { delete(c, "nonce") } }, 401, msgFailed, "nonce does not match"},
		{"e-mail not verified", func(p *testProvider) { p.person["email_verified"] = false }, 403, msgUnverified, "has not verified the e-mail address"},
		{"e-mail verified absent", func(p *testProvider) { delete(p.person, "email_verified") }, 403, msgUnverified, "has not verified the e-mail address"},
		{"no e-mail", func(p *testProvider) { delete(p.person, "email") }, 403, msgUnverified, "sent no e-mail address"},
		{"unknown account", func(p *testProvider) { p.person["email"] = "nobody@kalix.se" }, 403, msgNoAccount, "no active account"},
		{"provider error", func(p *testProvider) { p.deny = "access_denied" }, 401, "Inloggningstjänsten avbröt eller nekade inloggningen", "error=access_denied"},
	} {
		t.Run(tt.what, func(t *testing.T) {
			e.p.set(func(p *testProvider) {
				p.person = map[string]any{"email": officer, "email_verified": true, "amr": []string{"pwd", "mfa"}}
				p.tamper, p.forge, p.deny = nil, false, ""
				tt.bend(p)
			})
			c := e.client()
			res := e.signInSSO(c, "/logga-in/sso")
			e.wantRefused(t, tt.what, c, res, tt.status, tt.msg, tt.logged)
			wantNotContains(t, tt.what, res.body, "The user said no") // the provider's words are only logged
		})
	}
	// A string "true" is a verified address (some providers send it so).
	e.p.set(func(p *testProvider) {
		p.person = map[string]any{"email": officer, "email_verified": "true"}
		p.tamper, p.forge, p.deny = nil, false, ""
	})
	if res := e.signInSSO(e.client(), "/logga-in/sso"); res.status != http.StatusSeeOther {
		t.Errorf(`email_verified "true": %d, want 303`, res.status)
	}
}

func TestSSODeactivatedAccount(t *testing.T) {
	e := newSSOEnv(t, nil)
	const reviewer = "bedomare@demo.partnerskap.se"
	u, err := e.store.UserByEmail(context.Background(), reviewer)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.SetUserDisabled(context.Background(), audit.System("test"), u.ID, true); err != nil {
		t.Fatal(err)
	}
	e.p.set(func(p *testProvider) { p.person["email"] = reviewer })
	c := e.client()
	// Started in English, answered in English.
	res := e.signInSSO(c, "/en/login/sso")
	e.wantRefused(t, "deactivated", c, res, http.StatusForbidden, "No account for this address may sign in here", "no active account")
	if got := e.userActions(reviewer); got[0] != "sso-refused" {
		t.Errorf("audit: %v, want sso-refused first", got)
	}
}

func TestSSOStateAndFlow(t *testing.T) {
	e := newSSOEnv(t, nil)

	// A way back whose state is not the browser's flow's.
	c := e.client()
	back := e.authorize(c, e.start(c, "/logga-in/sso"))
	u, _ := url.Parse(back)
	q := u.Query()
	q.Set("state", "forged-state")
	u.RawQuery = q.Encode()
	e.wantRefused(t, "state mismatch", c, e.getURL(c, u.String()), http.StatusUnauthorized, msgFailed, "state does not match")

	// Login CSRF: an attacker signs in at the provider as himself and has
	// the victim's browser, which started no flow, open the way back.
	attacker := e.client()
	back = e.authorize(attacker, e.start(attacker, "/logga-in/sso"))
	victim := e.client()
	e.wantRefused(t, "no flow cookie", victim, e.getURL(victim, back), http.StatusUnauthorized, msgFailed, "no flow")

	// The flow is spent once used: the same way back again is refused.
	c = e.client()
	back = e.authorize(c, e.start(c, "/logga-in/sso"))
	if res := e.getURL(c, back); res.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", res.status)
	}
	if res := e.getURL(c, back); res.status != http.StatusUnauthorized {
		t.Errorf("the same way back twice: %d, want 401", res.status)
	}

	// A flow older than ten minutes is forgotten.
	c = e.client()
	back = e.authorize(c, e.start(c, "/logga-in/sso"))
	e.clock.Set(e.clock.Now().Add(10*time.Minute + time.Second))
	e.wantRefused(t, "expired flow", c, e.getURL(c, back), http.StatusUnauthorized, msgFailed, "no flow")
}

// TestSSOStolenCode: a code intercepted on its way back (a log, a
// referrer, a malicious app) is worthless to whoever lacks the verifier
// of the flow that asked for it: the provider refuses to exchange it.
func TestSSOStolenCode(t *testing.T) {
	e := newSSOEnv(t, nil)
	victim := e.client()
	stolen, _ := url.Parse(e.authorize(victim, e.start(victim, "/logga-in/sso")))
	// The thief starts a flow of his own, so his state and cookie match,
	// and brings the victim's code back with it.
	thief := e.client()
	own, _ := url.Parse(e.authorize(thief, e.start(thief, "/logga-in/sso")))
	q := own.Query()
	q.Set("code", stolen.Query().Get("code"))
	own.RawQuery = q.Encode()
	e.wantRefused(t, "stolen code", thief, e.getURL(thief, own.String()), http.StatusUnauthorized, msgFailed, "refused the code")
	e.p.mu.Lock()
	refused := slices.Clone(e.p.refused)
	e.p.mu.Unlock()
	if !slices.Contains(refused, "pkce") {
		t.Errorf("provider refusals %v, want pkce", refused)
	}
}

// TestSSOProviderDown: a provider that cannot be discovered leaves
// password sign-in working; single sign-on says so and tries again later.
func TestSSOProviderDown(t *testing.T) {
	e := newSSOEnv(t, func(p *testProvider) { p.down = true })
	res := e.get(e.client(), "/logga-in")
	wantContains(t, "sign-in page", res.body, "Logga in med Testleverantören")
	e.login(officer)
	res = e.get(e.client(), "/logga-in/sso")
	if res.status != http.StatusServiceUnavailable {
		t.Fatalf("provider down: %d, want 503", res.status)
	}
	wantContains(t, "provider down", res.body, "Inloggningstjänsten svarar inte just nu", `name="password"`)
	e.p.set(func(p *testProvider) { p.down = false })
	e.clock.Set(e.clock.Now().Add(11 * time.Second))
	c := e.client()
	if res := e.signInSSO(c, "/logga-in/sso"); res.status != http.StatusSeeOther {
		t.Fatalf("provider back: %d\n%s", res.status, res.body)
	}
	if res := e.get(c, "/personal"); res.status != http.StatusOK {
		t.Errorf("staff page: %d", res.status)
	}
}

// TestSSOOff: without a provider the routes are not there and the
// sign-in page offers no button.
func TestSSOOff(t *testing.T) {
	e := newEnv(t, "")
	for _, path := range []string{"/logga-in/sso", "/logga-in/sso/klar?code=x&state=y", "/en/login/sso", "/en/login/sso/done"} {
		if res := e.get(e.client(), path); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
	}
	wantNotContains(t, "sign-in page", e.get(e.client(), "/logga-in").body, "sso-heading", "/logga-in/sso")
}

// TestSSOAsksForTheSecondFactor: single sign-on ends in the same second
// step as a password. An officer who is not the demo's and has a factor
// enrolled is sent to the code form when the provider asserts one factor
// (no staff page before the code), and is signed in at once when it
// asserts a second; an officer without a factor must enrol unless the
// provider asserted one.
func TestSSOAsksForTheSecondFactor(t *testing.T) {
	e := newSSOEnv(t, nil)
	ctx := context.Background()
	enrolled := &user.User{Email: "sso.handlaggare@example.se", Name: "Sara Sso", PasswordHash: "x", Lang: "sv", Roles: []user.Role{{Kind: user.Officer}}}
	bare := &user.User{Email: "sso.ny@example.se", Name: "Nils Ny", PasswordHash: "x", Lang: "sv", Roles: []user.Role{{Kind: user.Officer}}}
	for _, u := range []*user.User{enrolled, bare} {
		if err := e.store.CreateUser(ctx, audit.System("test"), u); err != nil {
			t.Fatal(err)
		}
	}
	secret, _, err := user.NewTOTPSecret(enrolled.Email)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.EnrolSecondFactor(ctx, audit.System("test"), enrolled.ID, secret, nil, 0); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		who  *user.User
		amr  []string
		want string // where the way back leads
	}{
		{enrolled, []string{"pwd"}, "/logga-in/kod"},
		{enrolled, []string{"otp"}, "/logga-in/kod"},
		{enrolled, []string{"pwd", "mfa"}, "/personal"},
		{bare, []string{"pwd"}, "/logga-in/tvastegsverifiering"},
		{bare, []string{"pwd", "hwk"}, "/personal"},
	} {
		e.p.set(func(p *testProvider) { p.person["email"], p.person["amr"] = tt.who.Email, tt.amr })
		c := e.client()
		res := e.signInSSO(c, "/logga-in/sso")
		if loc := res.header.Get("Location"); res.status != http.StatusSeeOther || !strings.HasPrefix(loc, tt.want) {
			t.Fatalf("%s, amr %v: %d to %q, want 303 to %s", tt.who.Email, tt.amr, res.status, loc, tt.want)
		}
		staff := e.get(c, "/personal/logg")
		if tt.want == "/personal" {
			if staff.status != http.StatusOK {
				t.Errorf("%s, amr %v: staff page %d, want 200", tt.who.Email, tt.amr, staff.status)
			}
			continue
		}
		// Half signed in: every staff page leads back to the second step.
		if loc := staff.header.Get("Location"); staff.status != http.StatusSeeOther || !strings.HasPrefix(loc, tt.want) {
			t.Errorf("%s, amr %v: staff page %d to %q, want 303 to %s", tt.who.Email, tt.amr, staff.status, loc, tt.want)
		}
		if tt.want == "/logga-in/kod" {
			code, err := user.TOTPCode(secret, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if res := e.post(c, "/logga-in/kod", url.Values{"code": {code}}); res.status != http.StatusSeeOther {
				t.Errorf("%s: code: %d\n%s", tt.who.Email, res.status, res.body)
			} else if res := e.get(c, "/personal/logg"); res.status != http.StatusOK {
				t.Errorf("%s: staff page after the code: %d", tt.who.Email, res.status)
			}
			// The stopped clock gives the same code next time, and a code
			// is refused a second time: move on a step.
			e.clock.Set(e.clock.Now().Add(user.TOTPPeriod))
		}
	}
}
