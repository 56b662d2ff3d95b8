package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddress is the address a request came from, for rate limits: the
// direct peer, unless the peer is a proxy named in Config.TrustedProxies.
// Then it is the last address in X-Forwarded-For that is not a trusted
// proxy: each proxy appends the address it received from, so addresses
// to the right of the first untrusted one were written by our proxies and
// those to its left by whoever sent the request (and may be forged).
func (s *Server) clientAddress(r *http.Request) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	if !s.trusted(peer) {
		return peer
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			return peer // not an address: the header can't be read, so rely on the peer
		}
		if !s.trusted(hop) {
			return hop
		}
	}
	return peer // every hop is one of ours
}

// trusted reports whether addr lies in one of the trusted proxy networks.
func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of addresses and
// networks ("10.0.0.0/8, 192.168.1.5") for Config.TrustedProxies.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
