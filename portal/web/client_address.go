package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// trustedPrefixes parses Config.TrustedProxies (addresses or CIDRs);
// entries that are neither are ignored.
func trustedPrefixes(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddress is the address rate limits count: the peer itself unless it
// is a trusted proxy; behind trusted proxies, the rightmost address of
// X-Forwarded-For that is not one of them. Each proxy appends the address
// it saw, so only the right end of the header is written by someone we
// trust; the leftmost entries are whatever the client chose to send.
func clientAddress(remote, forwardedFor string, trusted []netip.Prefix) string {
	peer, err := netip.ParseAddr(remote)
	if err != nil || !isTrusted(peer, trusted) {
		return remote
	}
	hops := strings.Split(forwardedFor, ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return remote // a hop no proxy of ours wrote: stop trusting the header here
		}
		if !isTrusted(a, trusted) {
			return a.Unmap().String()
		}
	}
	return remote
}

// clientIP is clientAddress for a request.
func (s *Server) clientIP(c *fiber.Ctx) string {
	return clientAddress(c.Context().RemoteIP().String(), c.Get(fiber.HeaderXForwardedFor), s.trusted)
}
