package web

import "testing"

// TestClientAddressIsTheRightmostUntrusted: behind trusted proxies the
// client is the rightmost hop no trusted proxy is, never the leftmost
// entry, which the client writes itself.
func TestClientAddressIsTheRightmostUntrusted(t *testing.T) {
	trusted := trustedPrefixes([]string{"10.0.0.0/8", "192.0.2.1", "not an address"})
	tests := []struct {
		name, remote, xff, want string
	}{
		{"no proxy: the peer", "203.0.113.9", "", "203.0.113.9"},
		{"an untrusted peer's header is ignored", "203.0.113.9", "6.6.6.6", "203.0.113.9"},
		{"one trusted proxy", "10.0.0.5", "203.0.113.7", "203.0.113.7"},
		{"a spoofed leftmost entry is skipped", "10.0.0.5", "6.6.6.6, 203.0.113.7", "203.0.113.7"},
		{"two trusted proxies", "10.0.0.5", "1.2.3.4, 203.0.113.7, 192.0.2.1", "203.0.113.7"},
		{"only trusted hops: the peer", "10.0.0.5", "10.1.1.1", "10.0.0.5"},
		{"a garbled hop stops the walk", "10.0.0.5", "203.0.113.7, junk", "10.0.0.5"},
		{"IPv6 client", "10.0.0.5", "2001:db8::1", "2001:db8::1"},
	}
	for _, tt := range tests {
		if got := clientAddress(tt.remote, tt.xff, trusted); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
