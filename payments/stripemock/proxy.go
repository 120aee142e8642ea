package stripemock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is one request the proxy received, as the test needs to see it.
type Request struct {
	Method         string
	Path           string
	IdempotencyKey string
	// Form is the decoded form body (POST) or query (GET): the parameters
	// stripe-go sent, e.g. Form.Get("metadata[case_id]").
	Form url.Values
	// Status is the status code the proxy answered.
	Status int
	// Replayed is true when the answer came from the idempotency cache, as
	// Stripe answers a repeated Idempotency-Key, so nothing new was created.
	Replayed bool
}

// Proxy is a reverse proxy in front of stripe-mock that records every
// request and behaves like Stripe where stripe-mock, being stateless, does
// not: a POST that repeats an Idempotency-Key gets the first answer again
// (Idempotent-Replayed: true) instead of reaching stripe-mock, and one with
// the same key but other parameters gets Stripe's idempotency_error. It can
// also rewrite stripe-mock's answers (stripe-mock answers every PaymentIntent
// with status requires_payment_method) and answer with canned errors (card
// declines), so a test can walk every outcome.
type Proxy struct {
	// URL is the proxy's base URL, for payments.Config's APIBase.
	URL string
	// Latency, when set before the first request, holds every POST that
	// long before answering, as a distant Stripe would: it widens the
	// window in which concurrent requests can race.
	Latency time.Duration

	target string
	client *http.Client

	mu       sync.Mutex
	requests []Request
	keys     map[string]*cached
	rewrites []rewrite
	canned   []canned
}

type cached struct {
	path   string // the path and body the key was first used with
	body   []byte
	status int
	answer []byte
	ready  bool
}

type rewrite struct {
	method, prefix string
	fn             func(obj map[string]any)
}

type canned struct {
	method, prefix string
	status         int
	body           string
}

// NewProxy starts a proxy to target (a stripe-mock base URL) that stops when
// t ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{
		target: strings.TrimRight(target, "/"),
		client: &http.Client{},
		keys:   map[string]*cached{},
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// CountingProxy starts a proxy to target and returns its URL and a function
// that counts the requests received whose path starts with pathPrefix (for
// example "/v1/payment_intents"), replays included.
func CountingProxy(t testing.TB, target string) (proxyURL string, count func(pathPrefix string) int) {
	t.Helper()
	p := NewProxy(t, target)
	return p.URL, p.Count
}

// Count is the number of requests received whose path starts with
// pathPrefix, idempotent replays included.
func (p *Proxy) Count(pathPrefix string) int {
	return len(p.Requests(pathPrefix))
}

// Created is the number of POST requests to paths starting with pathPrefix
// that Stripe would have acted upon: answered 2xx and not replayed. It is
// how a test proves that an instalment was charged exactly once.
func (p *Proxy) Created(pathPrefix string) int {
	n := 0
	for _, r := range p.Requests(pathPrefix) {
		if r.Method == http.MethodPost && !r.Replayed && r.Status/100 == 2 {
			n++
		}
	}
	return n
}

// Requests returns the requests received so far whose path starts with
// pathPrefix, oldest first.
func (p *Proxy) Requests(pathPrefix string) []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Request
	for _, r := range p.requests {
		if strings.HasPrefix(r.Path, pathPrefix) {
			out = append(out, r)
		}
	}
	return out
}

// Rewrite changes every later 2xx JSON answer to method on paths starting
// with pathPrefix, e.g. to make PaymentIntents succeed:
//
//	p.Rewrite("POST", "/v1/payment_intents", func(o map[string]any) { o["status"] = "succeeded" })
func (p *Proxy) Rewrite(method, pathPrefix string, fn func(obj map[string]any)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rewrites = append(p.rewrites, rewrite{method, pathPrefix, fn})
}

// RespondOnce makes the next request to method on a path starting with
// pathPrefix get status and body instead of reaching stripe-mock. Several
// calls queue answers in order.
func (p *Proxy) RespondOnce(method, pathPrefix string, status int, body string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.canned = append(p.canned, canned{method, pathPrefix, status, body})
}

// CardError is the body Stripe sends (status 402) when confirming a
// PaymentIntent fails with a card error, such as code
// "authentication_required" or code "card_declined" with declineCode
// "insufficient_funds". paymentIntentID names the failed intent.
func CardError(code, declineCode, paymentIntentID string) string {
	e := map[string]any{
		"type":    "card_error",
		"code":    code,
		"message": "Your card was declined.",
		"payment_intent": map[string]any{
			"id":     paymentIntentID,
			"object": "payment_intent",
			"status": "requires_payment_method",
		},
	}
	if declineCode != "" {
		e["decline_code"] = declineCode
	}
	b, _ := json.Marshal(map[string]any{"error": e})
	return string(b)
}

// ServeHTTP records the request, then replays, refuses, answers from the
// canned queue or forwards it to stripe-mock.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	form := r.URL.Query()
	if r.Method == http.MethodPost {
		if f, err := url.ParseQuery(string(body)); err == nil {
			form = f
		}
	}
	rec := Request{Method: r.Method, Path: r.URL.Path, IdempotencyKey: r.Header.Get("Idempotency-Key"), Form: form}
	if r.Method == http.MethodPost && p.Latency > 0 {
		time.Sleep(p.Latency)
	}

	status, answer, replayed := p.answer(r, body, rec.IdempotencyKey)
	rec.Status, rec.Replayed = status, replayed
	p.mu.Lock()
	p.requests = append(p.requests, rec)
	p.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", "req_stripemock")
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.WriteHeader(status)
	_, _ = w.Write(answer)
}

func (p *Proxy) answer(r *http.Request, body []byte, key string) (status int, answer []byte, replayed bool) {
	if r.Method != http.MethodPost || key == "" {
		status, answer = p.produce(r, body)
		return status, answer, false
	}
	p.mu.Lock()
	c, seen := p.keys[key]
	switch {
	case seen && !c.ready:
		p.mu.Unlock()
		return http.StatusConflict, stripeError("idempotency_error", "idempotency_key_in_use",
			"There is currently another in-progress request using this Stripe token."), false
	case seen && (c.path != r.URL.Path || !bytes.Equal(c.body, body)):
		p.mu.Unlock()
		return http.StatusBadRequest, stripeError("idempotency_error", "",
			"Keys for idempotent requests can only be used with the same parameters they were first used with."), false
	case seen:
		p.mu.Unlock()
		return c.status, c.answer, true
	}
	c = &cached{path: r.URL.Path, body: body}
	p.keys[key] = c
	p.mu.Unlock()

	status, answer = p.produce(r, body)

	p.mu.Lock()
	defer p.mu.Unlock()
	if status >= 500 || status == http.StatusConflict {
		delete(p.keys, key) // Stripe does not keep results it did not finish
	} else {
		c.status, c.answer, c.ready = status, answer, true
	}
	return status, answer, false
}

// produce answers from the canned queue, or forwards to stripe-mock and
// applies the rewrites.
func (p *Proxy) produce(r *http.Request, body []byte) (int, []byte) {
	p.mu.Lock()
	for i, c := range p.canned {
		if c.method == r.Method && strings.HasPrefix(r.URL.Path, c.prefix) {
			p.canned = append(p.canned[:i:i], p.canned[i+1:]...)
			p.mu.Unlock()
			return c.status, []byte(c.body)
		}
	}
	var fns []func(map[string]any)
	for _, rw := range p.rewrites {
		if rw.method == r.Method && strings.HasPrefix(r.URL.Path, rw.prefix) {
			fns = append(fns, rw.fn)
		}
	}
	p.mu.Unlock()

	req, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return http.StatusBadGateway, stripeError("api_error", "", err.Error())
	}
	req.Header = r.Header.Clone()
	req.Header.Del("Idempotency-Key") // stripe-mock is stateless; the proxy plays Stripe
	resp, err := p.client.Do(req)
	if err != nil {
		return http.StatusBadGateway, stripeError("api_error", "", fmt.Sprintf("stripe-mock: %v", err))
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return http.StatusBadGateway, stripeError("api_error", "", fmt.Sprintf("stripe-mock: %v", err))
	}
	if len(fns) > 0 && resp.StatusCode/100 == 2 {
		var obj map[string]any
		if json.Unmarshal(answer, &obj) == nil {
			for _, fn := range fns {
				fn(obj)
			}
			if b, err := json.Marshal(obj); err == nil {
				answer = b
			}
		}
	}
	return resp.StatusCode, answer
}

func stripeError(typ, code, msg string) []byte {
	e := map[string]any{"type": typ, "message": msg}
	if code != "" {
		e["code"] = code
	}
	b, _ := json.Marshal(map[string]any{"error": e})
	return b
}
