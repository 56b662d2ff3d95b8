package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/sso"
)

// TestSSOMisconfigured: a configuration that cannot work or is unsafe
// stops the start-up with a message saying which setting.
func TestSSOMisconfigured(t *testing.T) {
	for _, tt := range []struct {
		oidc sso.Config
		want string
	}{
		{sso.Config{Issuer: "http://login.example.org", ClientID: "p"}, "must be https"},
		{sso.Config{Issuer: "https://login.example.org"}, "--oidc-client-id"},
	} {
		cfg := testConfig(t)
		cfg.OIDC = tt.oidc
		err := Serve(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.oidc, err, tt.want)
		}
	}
}

// TestSSOProviderUnreachable: a provider that cannot be reached at
// start-up does not stop the server; the sign-in page still works and
// offers the button, which answers 503 while the provider stays away.
func TestSSOProviderUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := "http://" + ln.Addr().String() // a port nobody listens on
	ln.Close()
	cfg := testConfig(t)
	cfg.OIDC = sso.Config{Issuer: gone, ClientID: "partnerskap", Name: "Testkonto"}
	addr, _, stop := serve(t, cfg)
	defer stop()
	for path, want := range map[string]int{"/logga-in": http.StatusOK, "/logga-in/sso": http.StatusServiceUnavailable} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want || !strings.Contains(string(body), "Logga in med Testkonto") {
			t.Errorf("%s: %d, want %d with the button", path, res.StatusCode, want)
		}
	}
}
