// Package sso signs people in through an OpenID Connect identity provider
// (the authorization code flow with PKCE, RFC 7636), with coreos/go-oidc
// and golang.org/x/oauth2. It discovers the provider, builds the address
// that sends the browser there, exchanges the code the browser brings back
// and verifies the ID token: its signature against the provider's published
// keys, issuer, audience, expiry and nonce. What the token says about the
// person becomes a user.SSOIdentity; which account that may sign in to is
// internal/user's rule, and finishing the sign-in is internal/web's.
package sso

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/user"
)

// Config names the provider and this system's registration there.
type Config struct {
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer + "/.well-known/openid-configuration". Empty turns single
	// sign-on off.
	Issuer       string
	ClientID     string
	ClientSecret string // empty for a public client (PKCE alone)
	// Name is the provider's name on the sign-in button ("Logga in med
	// <Name>"); empty gives "Single sign-on"'s translation.
	Name string
}

// Enabled reports whether single sign-on is configured.
func (c Config) Enabled() bool { return c.Issuer != "" }

// Check refuses a configuration that cannot work or would be unsafe: an
// issuer that is not an absolute https address (http only on the
// machine's own loopback, for trying it out), or no client id.
func (c Config) Check() error {
	if !c.Enabled() {
		return nil
	}
	u, err := url.Parse(c.Issuer)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("OpenID Connect issuer %q is not an absolute URL", c.Issuer)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return fmt.Errorf("OpenID Connect issuer %q must be https (http only on localhost)", c.Issuer)
	}
	if c.ClientID == "" {
		return errors.New("OpenID Connect issuer set without a client id (--oidc-client-id)")
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

var (
	// ErrUnavailable: the provider's discovery document could not be
	// read, so no sign-in can start; password sign-in is unaffected.
	ErrUnavailable = errors.New("sso: the identity provider is unavailable")
	// ErrExchange: the provider refused to exchange the code (a code
	// used twice, stolen, or sent without its PKCE verifier) or could not
	// be reached.
	ErrExchange = errors.New("sso: the identity provider refused the code")
	// ErrToken: the ID token is missing or fails verification (signature,
	// issuer, audience, expiry, nonce).
	ErrToken = errors.New("sso: the ID token is not valid")
)

// retryAfter is how long a failed discovery is remembered before the next
// sign-in tries again, so a provider that is down is not asked on every
// click.
const retryAfter = 10 * time.Second

// Client signs people in through one provider. It is safe for concurrent
// use. The provider is discovered on Discover or on the first sign-in that
// needs it, and once found is kept.
type Client struct {
	cfg   Config
	clock clock.Clock
	http  *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	failed   time.Time // when discovery last failed
	lastErr  error
}

// New returns a client for cfg; it does not contact the provider. clk
// decides when an ID token has expired.
func New(cfg Config, clk clock.Clock) *Client {
	return &Client{cfg: cfg, clock: clk, http: &http.Client{Timeout: 10 * time.Second}}
}

// Name is the provider's name for the sign-in button.
func (c *Client) Name() string { return c.cfg.Name }

// Discover reads the provider's discovery document now. An error leaves
// the client usable: the next sign-in tries again (after retryAfter).
func (c *Client) Discover(ctx context.Context) error {
	_, _, err := c.discovered(ctx, true)
	return err
}

// discovered returns the provider and its token verifier, discovering
// them first if need be. Concurrent callers wait for one discovery.
func (c *Client) discovered(ctx context.Context, force bool) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, c.verifier, nil
	}
	now := c.clock.Now()
	if !force && !c.failed.IsZero() && now.Sub(c.failed) < retryAfter && now.After(c.failed) {
		return nil, nil, fmt.Errorf("%w: %v", ErrUnavailable, c.lastErr)
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, c.http), c.cfg.Issuer)
	if err != nil {
		c.failed, c.lastErr = now, err
		return nil, nil, fmt.Errorf("%w: discovery at %s: %v", ErrUnavailable, c.cfg.Issuer, err)
	}
	c.provider = p
	// The verifier checks the signature with the keys at the provider's
	// jwks_uri (fetched again when a token names a key it does not know),
	// the issuer, that the client id is among the audience, and expiry
	// by this system's clock. Only the algorithms the provider
	// advertises are accepted, never "none".
	c.verifier = p.VerifierContext(oidc.ClientContext(context.Background(), c.http),
		&oidc.Config{ClientID: c.cfg.ClientID, Now: c.clock.Now})
	c.failed, c.lastErr = time.Time{}, nil
	return c.provider, c.verifier, nil
}

func (c *Client) oauth(p *oidc.Provider, redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: redirectURL, Scopes: []string{oidc.ScopeOpenID, "email"}}
}

// Flow is one sign-in's secrets, kept by the browser between leaving for
// the provider and coming back: State ties the answer to this browser
// (login CSRF), Nonce ties the ID token to this sign-in (replay), and
// Verifier proves to the provider that whoever exchanges the code started
// the sign-in (PKCE, a stolen code is worthless).
type Flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
}

// NewFlow draws a new flow's secrets.
func NewFlow() Flow {
	return Flow{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
}

func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// AuthURL is the provider's address that starts flow f; the provider
// sends the browser back to redirectURL, which must be registered there.
func (c *Client) AuthURL(ctx context.Context, redirectURL string, f Flow) (string, error) {
	p, _, err := c.discovered(ctx, false)
	if err != nil {
		return "", err
	}
	return c.oauth(p, redirectURL).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), nil
}

// StateMatches reports whether the state the browser brought back is the
// flow's, in constant time.
func (f Flow) StateMatches(state string) bool {
	return f.State != "" && subtle.ConstantTimeCompare([]byte(f.State), []byte(state)) == 1
}

// Finish exchanges code for tokens, sending the flow's PKCE verifier and
// the client's credentials, verifies the ID token and its nonce, and
// returns what it says about the person. The caller has checked the state.
func (c *Client) Finish(ctx context.Context, redirectURL string, f Flow, code string) (user.SSOIdentity, error) {
	p, v, err := c.discovered(ctx, false)
	if err != nil {
		return user.SSOIdentity{}, err
	}
	tok, err := c.oauth(p, redirectURL).Exchange(oidc.ClientContext(ctx, c.http), code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return user.SSOIdentity{}, fmt.Errorf("%w: %v", ErrExchange, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return user.SSOIdentity{}, fmt.Errorf("%w: the token response has no id_token", ErrToken)
	}
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		return user.SSOIdentity{}, fmt.Errorf("%w: %v", ErrToken, err)
	}
	// go-oidc leaves the nonce to the caller.
	if f.Nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return user.SSOIdentity{}, fmt.Errorf("%w: nonce does not match this sign-in", ErrToken)
	}
	var claims struct {
		Email         string          `json:"email"`
		EmailVerified json.RawMessage `json:"email_verified"`
		AMR           json.RawMessage `json:"amr"`
	}
	if err := idt.Claims(&claims); err != nil {
		return user.SSOIdentity{}, fmt.Errorf("%w: claims: %v", ErrToken, err)
	}
	return user.SSOIdentity{Subject: idt.Subject, Email: claims.Email, EmailVerified: isTrue(claims.EmailVerified), Methods: methods(claims.AMR)}, nil
}

// methods reads amr, which RFC 8176 makes an array of strings; any other
// shape asserts no method rather than refusing the sign-in.
func methods(v json.RawMessage) []string {
	var m []string
	if json.Unmarshal(v, &m) != nil {
		return nil
	}
	return m
}

// isTrue reads email_verified: JSON true, or the string "true" that some
// providers send; anything else (false, absent, null) is not verified.
func isTrue(v json.RawMessage) bool {
	s := strings.TrimSpace(string(v))
	return s == "true" || s == `"true"`
}
