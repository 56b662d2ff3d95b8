package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/icld/partnerskap/internal/clock"
	"github.com/icld/partnerskap/internal/sso"
)

// startSSO builds the single sign-on client and tries the provider's
// discovery once. A provider that is down or misconfigured does not stop
// the server: the error is logged, password sign-in works, and each
// single sign-on attempt tries discovery again (at most every ten
// seconds) until it succeeds.
func startSSO(ctx context.Context, cfg sso.Config, clk clock.Clock, log *slog.Logger) *sso.Client {
	c := sso.New(cfg, clk)
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := c.Discover(dctx); err != nil {
		log.Error("single sign-on: the OpenID Connect provider could not be discovered; password sign-in works, single sign-on retries on its next use",
			"issuer", cfg.Issuer, "err", err)
	} else {
		log.Info("single sign-on: OpenID Connect provider discovered", "issuer", cfg.Issuer)
	}
	return c
}
