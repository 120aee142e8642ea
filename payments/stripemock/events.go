package stripemock

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Events stands in front of stripe-mock for GET /v1/events, which
// stripe-mock answers with one fixture whatever is asked. It answers with the
// events the test added, as Stripe does: newest first, filtered by
// created[gte] and types[], in pages of limit (at most PageSize) with
// has_more and starting_after. Every other request goes on to stripe-mock.
//
// A test adds the events Stripe created, delivers some of them to the webhook
// and "loses" the others, then lets reconciliation find them here.
type Events struct {
	// URL is the base URL, for payments.Config's APIBase.
	URL string
	// PageSize caps a page below the limit asked for, so a test proves
	// pagination with a handful of events; 0 keeps the limit.
	PageSize int

	mu      sync.Mutex
	events  []listed
	queries []url.Values
}

type listed struct {
	id      string
	typ     string
	created int64
	raw     json.RawMessage
}

// NewEvents starts the stand-in in front of target (a stripe-mock base
// URL); it stops when t ends.
func NewEvents(t testing.TB, target string) *Events {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("stripemock: %v", err)
	}
	e := &Events{}
	forward := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/v1/events" {
			e.list(w, r)
			return
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}

// Add records an event Stripe created at created around obj, and returns
// its JSON, the payload a webhook delivery of it carries (sign it with
// SignedPayload). Events created in the same second list in the order they
// were added.
func (e *Events) Add(id, typ string, created time.Time, obj map[string]any) []byte {
	raw, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": "2023-10-16", "created": created.Unix(),
		"type": typ, "livemode": false, "pending_webhooks": 1, "data": map[string]any{"object": obj},
	})
	if err != nil {
		panic(err) // a test's own map of plain values
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.events = append(e.events, listed{id: id, typ: typ, created: created.Unix(), raw: raw})
	return raw
}

// Queries returns the query of every GET /v1/events received, in order.
func (e *Events) Queries() []url.Values {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.queries)
}

func (e *Events) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	e.mu.Lock()
	e.queries = append(e.queries, q)
	var types []string
	for k, v := range q {
		if k == "types[]" || strings.HasPrefix(k, "types[") {
			types = append(types, v...)
		}
	}
	gte, _ := strconv.ParseInt(q.Get("created[gte]"), 10, 64)
	var match []listed
	for i := len(e.events) - 1; i >= 0; i-- {
		ev := e.events[i]
		if ev.created >= gte && (len(types) == 0 || slices.Contains(types, ev.typ)) {
			match = append(match, ev)
		}
	}
	limit := e.PageSize
	e.mu.Unlock()

	// Newest first; among events of one second, the one added last first.
	slices.SortStableFunc(match, func(a, b listed) int { return cmp.Compare(b.created, a.created) })
	if after := q.Get("starting_after"); after != "" {
		i := slices.IndexFunc(match, func(ev listed) bool { return ev.id == after })
		if i < 0 {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(stripeError("invalid_request_error", "resource_missing", "No such event: '"+after+"'"))
			return
		}
		match = match[i+1:]
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 && (limit == 0 || n < limit) {
		limit = n
	}
	if limit == 0 {
		limit = 10 // Stripe's default
	}
	page := match[:min(limit, len(match))]
	data := make([]json.RawMessage, len(page))
	for i, ev := range page {
		data[i] = ev.raw
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "url": "/v1/events", "has_more": len(match) > len(page), "data": data})
}
