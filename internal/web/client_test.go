package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestClientAddress reads X-Forwarded-For only from trusted proxies, and
// then only the hops our proxies wrote.
func TestClientAddress(t *testing.T) {
	proxies, err := ParseTrustedProxies(" 10.0.0.0/8, 192.168.1.5 ,::1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("10.0.0.0/33 accepted")
	}
	if _, err := ParseTrustedProxies("proxy.example"); err == nil {
		t.Error("a host name accepted")
	}
	s := &Server{cfg: Config{TrustedProxies: proxies}}
	for _, tc := range []struct {
		peer string
		xff  []string
		want string
	}{
		{"203.0.113.9:4000", nil, "203.0.113.9"},
		{"203.0.113.9:4000", []string{"198.51.100.1"}, "203.0.113.9"}, // not from a proxy: the header is ignored
		{"10.1.2.3:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"10.1.2.3:4000", []string{"6.6.6.6, 198.51.100.1, 10.9.9.9"}, "198.51.100.1"}, // 6.6.6.6 was written by the client
		{"10.1.2.3:4000", []string{"6.6.6.6", "198.51.100.1"}, "198.51.100.1"},         // headers in order
		{"192.168.1.5:80", []string{"10.0.0.1"}, "192.168.1.5"},                        // all ours: the peer
		{"10.1.2.3:4000", []string{"not-an-address"}, "10.1.2.3"},
		{"[::1]:4000", []string{"2001:db8::7"}, "2001:db8::7"},
		{"[::ffff:10.0.0.1]:4000", []string{"198.51.100.2"}, "198.51.100.2"}, // IPv4 mapped in IPv6
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		for _, h := range tc.xff {
			r.Header.Add("X-Forwarded-For", h)
		}
		if got := s.clientAddress(r); got != tc.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", tc.peer, tc.xff, got, tc.want)
		}
	}
	if got := (&Server{}).clientAddress(&http.Request{RemoteAddr: "10.1.2.3:5", Header: http.Header{"X-Forwarded-For": {"1.2.3.4"}}}); got != "10.1.2.3" {
		t.Errorf("no trusted proxies: %s", got)
	}
}
