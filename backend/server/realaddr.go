package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Behind a reverse proxy every request comes from the proxy's address, and
// every limit per client address (logins, visitor tokens, uploads,
// connections) would count all clients as one. With Config.TrustedProxies
// set, a request from one of them is attributed to the address the proxy
// appended to X-Forwarded-For: the rightmost one that is not itself a
// trusted proxy. Addresses further left were written by the client and
// prove nothing, and a request that does not come from a trusted proxy
// keeps its own address whatever it claims.

// ParseProxies reads a comma-separated list of addresses and CIDR prefixes
// ("127.0.0.1, 10.0.0.0/8").
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// trusted reports whether addr (host, or host:port) is a trusted proxy.
func (s *Server) trusted(addr string) bool {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	a, err := netip.ParseAddr(strings.TrimSpace(addr))
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

// withRealAddr sets each request's RemoteAddr to the client's address
// when it came through a trusted proxy, so that clientIP names the client.
func (s *Server) withRealAddr(h http.Handler) http.Handler {
	if len(s.cfg.TrustedProxies) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.trusted(r.RemoteAddr) {
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				hop := strings.TrimSpace(hops[i])
				if a, err := netip.ParseAddr(hop); err == nil && !s.trusted(hop) {
					r2 := r.Clone(r.Context())
					r2.RemoteAddr = net.JoinHostPort(a.Unmap().String(), "0")
					r = r2
					break
				}
			}
		}
		h.ServeHTTP(w, r)
	})
}
