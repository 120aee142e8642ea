package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// post sends a JSON POST with an Idempotency-Key and returns the status,
// the raw body and whether it was a replay.
func (e *apiEnv) postIdem(path, key, idem string, v any) (int, string, bool) {
	e.t.Helper()
	b, _ := json.Marshal(v)
	req := httptest.NewRequest("POST", path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", idem)
	resp, err := e.srv.App.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw), resp.Header.Get("Idempotent-Replayed") == "true"
}

// A POST repeated with its Idempotency-Key answers the first answer and
// creates nothing more, whether the first was a success or a refusal; the
// same key with another body is 409; keys are per creditor and last 24
// hours; ten repeats at once create one case.
func TestAPIIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		st, first, replayed := e.postIdem("/api/v1/cases", e.keyA, "create-ref-1", sampleCase("IDEM-1"))
		if st != http.StatusCreated || replayed {
			t.Fatalf("first: %d %s replayed=%v", st, first, replayed)
		}
		st, again, replayed := e.postIdem("/api/v1/cases", e.keyA, "create-ref-1", sampleCase("IDEM-1"))
		if st != http.StatusCreated || again != first || !replayed {
			t.Fatalf("repeat: %d replayed=%v\n%s\nwant\n%s", st, replayed, again, first)
		}
		if n := countCases(t, e); n != 1 {
			t.Fatalf("%d cases after a repeat, want 1", n)
		}

		st, body, _ := e.postIdem("/api/v1/cases", e.keyA, "create-ref-1", sampleCase("IDEM-2"))
		if st != http.StatusConflict || !bytes.Contains([]byte(body), []byte("idempotency_key_reused")) {
			t.Fatalf("same key, other body: %d %s", st, body)
		}
		if n := countCases(t, e); n != 1 {
			t.Fatalf("%d cases after a reused key, want 1", n)
		}

		// Another creditor's key space is its own.
		if st, body, replayed := e.postIdem("/api/v1/cases", e.keyB, "create-ref-1", sampleCase("IDEM-1")); st != http.StatusCreated || replayed {
			t.Fatalf("other creditor, same key: %d %s replayed=%v", st, body, replayed)
		}

		// A refusal is kept too, and a repeat of it changes nothing.
		bad := sampleCase("IDEM-3")
		bad["currency"] = "euros"
		st, refused, _ := e.postIdem("/api/v1/cases", e.keyA, "bad-1", bad)
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("bad case: %d %s", st, refused)
		}
		if st, again, replayed := e.postIdem("/api/v1/cases", e.keyA, "bad-1", bad); st != http.StatusUnprocessableEntity || again != refused || !replayed {
			t.Fatalf("repeat of a refusal: %d %s replayed=%v", st, again, replayed)
		}

		// A header that is not text is refused naming it.
		if st, body, _ := e.postIdem("/api/v1/cases", e.keyA, string(bytes.Repeat([]byte("k"), 256)), sampleCase("IDEM-4")); st != http.StatusUnprocessableEntity ||
			!bytes.Contains([]byte(body), []byte(`"field":"Idempotency-Key"`)) {
			t.Fatalf("long key: %d %s", st, body)
		}

		// Ten repeats at once: one case, every answer the same case.
		var wg sync.WaitGroup
		answers := make([]int, 10)
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[i], _, _ = e.postIdem("/api/v1/cases", e.keyA, "burst", sampleCase("IDEM-BURST"))
			}()
		}
		wg.Wait()
		var burst int64
		store.DB.Model(&portal.Case{}).Where("reference = ?", "IDEM-BURST").Count(&burst)
		if burst != 1 {
			t.Fatalf("ten repeats at once made %d cases (answers %v)", burst, answers)
		}
		for _, a := range answers {
			if a != http.StatusCreated && a != http.StatusConflict {
				t.Fatalf("answers to a burst: %v", answers)
			}
		}

		// After 24 hours the key is free again: the request runs (and is
		// refused as a duplicate reference, not replayed).
		e.Clock.Add(25 * time.Hour)
		if st, body, replayed := e.postIdem("/api/v1/cases", e.keyA, "create-ref-1", sampleCase("IDEM-1")); replayed || st == http.StatusCreated {
			t.Fatalf("after 24 hours: %d %s replayed=%v", st, body, replayed)
		}
	})
}
