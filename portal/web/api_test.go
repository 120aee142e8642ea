package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
	"github.com/reglo/reglo/portal/testkit"
	"github.com/reglo/reglo/portal/web"
)

// apiEnv is a running app with two creditors, for API tests.
type apiEnv struct {
	*testkit.Kit
	t      *testing.T
	srv    *web.Server
	keyA   string
	keyB   string
	credA  portal.Creditor
	credB  portal.Creditor
	docDir string
}

func newAPIEnv(t *testing.T, store *portal.Store) *apiEnv {
	t.Helper()
	dir := t.TempDir()
	k := testkit.New(t, store, testkit.Options{Messages: messages, DocsDir: dir})
	a, keyA := k.Creditor("Énergie Claire", nil)
	b, keyB := k.Creditor("Atelier Martin", nil)
	return &apiEnv{Kit: k, t: t, srv: web.New(web.Config{Services: k.Services, BaseURL: "http://localhost:8080", Log: quietLog}), keyA: keyA, keyB: keyB, credA: a, credB: b, docDir: dir}
}

// do sends a request and returns the status and decoded JSON body.
func (e *apiEnv) do(method, path, key, ctype string, body io.Reader) (int, map[string]any) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, body)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := e.srv.App.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %q", method, path, raw)
		}
	}
	return resp.StatusCode, out
}

func (e *apiEnv) json(method, path, key string, v any) (int, map[string]any) {
	e.t.Helper()
	var body io.Reader
	if s, ok := v.(string); ok {
		body = strings.NewReader(s)
	} else if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	return e.do(method, path, key, "application/json", body)
}

func sampleCase(ref string) map[string]any {
	return map[string]any{
		"reference": ref,
		"debtor":    map[string]any{"name": "Camille Durand", "email": "camille@example.fr", "phone": "+33 6 12 34 56 78", "postcode": "75011", "language": "fr", "kind": "consumer"},
		"currency":  "EUR",
		"invoices": []any{map[string]any{
			"number": "F-2026-001", "issued_on": "2026-03-01", "due_on": "2026-03-31", "description": "Électricité mars",
			"lines": []any{
				map[string]any{"label": "Consommation", "amount_cents": 12000, "kind": "principal"},
				map[string]any{"label": "Intérêts de retard", "amount_cents": 345, "kind": "interest"},
			},
		}},
	}
}

func errorOf(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %v", body)
	}
	if e["code"] == "" || e["message"] == "" {
		t.Fatalf("error without code or message: %v", e)
	}
	return e
}

func TestAPICreateAndReadCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		st, body := e.json("POST", "/api/v1/cases", e.keyA, sampleCase("REF-1"))
		if st != http.StatusCreated {
			t.Fatalf("create: %d %v", st, body)
		}
		id := int64(body["id"].(float64))
		st, body = e.json("GET", fmt.Sprintf("/api/v1/cases/%d", id), e.keyA, nil)
		if st != http.StatusOK {
			t.Fatalf("get: %d %v", st, body)
		}
		for field, want := range map[string]any{"reference": "REF-1", "status": "open", "currency": "EUR", "total_cents": 12345.0, "paid_cents": 0.0, "balance_cents": 12345.0} {
			if body[field] != want {
				t.Errorf("%s = %v, want %v", field, body[field], want)
			}
		}
		if body["plan"] != nil {
			t.Errorf("plan = %v, want null", body["plan"])
		}
		for _, f := range []string{"id", "invoices", "payments", "created_at"} {
			if _, ok := body[f]; !ok {
				t.Errorf("missing field %s", f)
			}
		}
		inv := body["invoices"].([]any)[0].(map[string]any)
		if inv["due_on"] != "2026-03-31" || len(inv["lines"].([]any)) != 2 {
			t.Errorf("invoice = %v", inv)
		}
	})
}

func TestAPIStatusCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		st, body := e.json("POST", "/api/v1/cases", e.keyA, sampleCase("REF-1"))
		if st != http.StatusCreated {
			t.Fatalf("create: %d %v", st, body)
		}
		id := int64(body["id"].(float64))
		casePath := fmt.Sprintf("/api/v1/cases/%d", id)

		withField := func(mut func(m map[string]any)) map[string]any {
			m := sampleCase("REF-NEW")
			mut(m)
			return m
		}
		line := func(m map[string]any) map[string]any {
			return m["invoices"].([]any)[0].(map[string]any)["lines"].([]any)[0].(map[string]any)
		}
		tests := []struct {
			name      string
			method    string
			path      string
			key       string
			body      any
			wantCode  int
			wantField string
		}{
			{"no key is 401", "GET", casePath, "", nil, 401, ""},
			{"unknown key is 401", "GET", casePath, "rk_not-a-real-key", nil, 401, ""},
			{"another creditor's case is 404", "GET", casePath, e.keyB, nil, 404, ""},
			{"unknown case is 404", "GET", "/api/v1/cases/999999", e.keyA, nil, 404, ""},
			{"non-numeric id is 404", "GET", "/api/v1/cases/abc", e.keyA, nil, 404, ""},
			{"link for another creditor's case is 404", "POST", casePath + "/links", e.keyB, map[string]any{"channel": "copy"}, 404, ""},
			{"malformed JSON is 400", "POST", "/api/v1/cases", e.keyA, `{"reference": `, 400, ""},
			{"unknown field is 400", "POST", "/api/v1/cases", e.keyA, `{"referenc": "x"}`, 400, ""},
			{"duplicate reference is 409", "POST", "/api/v1/cases", e.keyA, sampleCase("REF-1"), 409, ""},
			{"same reference at another creditor is fine", "POST", "/api/v1/cases", e.keyB, sampleCase("REF-1"), 201, ""},
			{"missing reference is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { m["reference"] = "" }), 422, "reference"},
			{"zero amount is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { line(m)["amount_cents"] = 0 }), 422, "invoices[0].lines[0].amount_cents"},
			{"negative amount is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { line(m)["amount_cents"] = -5 }), 422, "invoices[0].lines[0].amount_cents"},
			{"fractional amount is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { line(m)["amount_cents"] = 12.5 }), 422, "invoices.lines.amount_cents"},
			{"unknown line kind is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { line(m)["kind"] = "penalty" }), 422, "invoices[0].lines[0].kind"},
			{"bad date is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) {
				m["invoices"].([]any)[0].(map[string]any)["due_on"] = "31/03/2026"
			}), 422, "invoices[0].due_on"},
			{"due before issue is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) {
				m["invoices"].([]any)[0].(map[string]any)["due_on"] = "2026-01-01"
			}), 422, "invoices[0].due_on"},
			{"unknown currency is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { m["currency"] = "XYZ" }), 422, "currency"},
			{"unknown language is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { m["debtor"].(map[string]any)["language"] = "de" }), 422, "debtor.language"},
			{"missing postcode is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { m["debtor"].(map[string]any)["postcode"] = " " }), 422, "debtor.postcode"},
			{"bad email is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { m["debtor"].(map[string]any)["email"] = "not-an-email" }), 422, "debtor.email"},
			{"no invoices is 422", "POST", "/api/v1/cases", e.keyA, withField(func(m map[string]any) { m["invoices"] = []any{} }), 422, "invoices"},
			{"bad link channel is 422", "POST", casePath + "/links", e.keyA, map[string]any{"channel": "pigeon"}, 422, "channel"},
			{"bad link ttl is 422", "POST", casePath + "/links", e.keyA, map[string]any{"ttl_hours": 100000}, 422, "ttl_hours"},
			{"contradictory policy is 422", "PUT", "/api/v1/policy", e.keyA, map[string]any{"max_instalments": 0, "frequencies": []string{"monthly"}}, 422, "max_instalments"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := countCases(t, e)
				st, body := e.json(tc.method, tc.path, tc.key, tc.body)
				if st != tc.wantCode {
					t.Fatalf("status = %d, want %d (%v)", st, tc.wantCode, body)
				}
				if st >= 400 {
					er := errorOf(t, body)
					if tc.wantField != "" && er["field"] != tc.wantField {
						t.Errorf("field = %v, want %s", er["field"], tc.wantField)
					}
					if after := countCases(t, e); after != before {
						t.Errorf("a rejected request changed the case count: %d -> %d", before, after)
					}
				}
			})
		}
	})
}

func countCases(t *testing.T, e *apiEnv) int64 {
	t.Helper()
	var n int64
	if err := e.Core.Store.DB.Model(&portal.Case{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAPIWrongContentTypeIs415(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		b, _ := json.Marshal(sampleCase("R"))
		st, body := e.do("POST", "/api/v1/cases", e.keyA, "text/plain", bytes.NewReader(b))
		if st != http.StatusUnsupportedMediaType {
			t.Fatalf("status = %d (%v)", st, body)
		}
		errorOf(t, body)
	})
}

func multipartBody(t *testing.T, fields map[string]string, filename string, data []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if data != nil {
		fw, err := w.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	return w.FormDataContentType(), &buf
}

func TestAPIDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		_, body := e.json("POST", "/api/v1/cases", e.keyA, sampleCase("REF-1"))
		path := fmt.Sprintf("/api/v1/cases/%d/documents", int64(body["id"].(float64)))
		pdf := []byte("%PDF-1.4\n% test document\n%%EOF\n")
		big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("a"), portal.MaxDocumentBytes)...)
		tests := []struct {
			name     string
			key      string
			fields   map[string]string
			filename string
			data     []byte
			want     int
		}{
			{"a PDF is stored", e.keyA, map[string]string{"title": "Facture F-2026-001", "invoice_number": "F-2026-001"}, "facture.pdf", pdf, 201},
			{"a PNG is stored", e.keyA, map[string]string{"title": "Bon de livraison"}, "bl.png", []byte("\x89PNG\r\n\x1a\n0000"), 201},
			{"a script named .pdf is 415", e.keyA, map[string]string{"title": "x"}, "facture.pdf", []byte("<script>alert(1)</script>"), 415},
			{"an HTML file named .jpg is 415", e.keyA, map[string]string{"title": "x"}, "photo.jpg", []byte("<html></html>"), 415},
			{"over 10 MiB is 413", e.keyA, map[string]string{"title": "big"}, "big.pdf", big, 413},
			{"no file is 422", e.keyA, map[string]string{"title": "x"}, "", nil, 422},
			{"no title is 422", e.keyA, map[string]string{}, "a.pdf", pdf, 422},
			{"unknown invoice is 422", e.keyA, map[string]string{"title": "x", "invoice_number": "NOPE"}, "a.pdf", pdf, 422},
			{"another creditor is 404", e.keyB, map[string]string{"title": "x"}, "a.pdf", pdf, 404},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				var before int64
				e.Core.Store.DB.Model(&portal.Document{}).Count(&before)
				ct, buf := multipartBody(t, tc.fields, tc.filename, tc.data)
				st, body := e.do("POST", path, tc.key, ct, buf)
				if st != tc.want {
					t.Fatalf("status = %d, want %d (%v)", st, tc.want, body)
				}
				var after int64
				e.Core.Store.DB.Model(&portal.Document{}).Count(&after)
				if st != 201 {
					errorOf(t, body)
					if after != before {
						t.Fatalf("a rejected upload was stored")
					}
					return
				}
				if after != before+1 || body["sha256"] == "" || body["size"].(float64) != float64(len(tc.data)) {
					t.Fatalf("stored = %v (count %d -> %d)", body, before, after)
				}
			})
		}
	})
}

func TestAPILinkTokenShownOnceAndStoredHashed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		_, body := e.json("POST", "/api/v1/cases", e.keyA, sampleCase("REF-1"))
		id := int64(body["id"].(float64))
		st, body := e.json("POST", fmt.Sprintf("/api/v1/cases/%d/links", id), e.keyA, map[string]any{"channel": "sms", "ttl_hours": 48})
		if st != 201 {
			t.Fatalf("status %d %v", st, body)
		}
		url := body["url"].(string)
		token := url[strings.LastIndex(url, "/")+1:]
		if !strings.HasPrefix(url, "http://localhost:8080/l/") || len(token) < 22 {
			t.Fatalf("url = %q", url)
		}
		var links []portal.Link
		e.Core.Store.DB.Find(&links)
		if len(links) != 1 || links[0].TokenHash != portal.HashToken(token) || strings.Contains(links[0].TokenHash, token) {
			t.Fatalf("token not stored as its hash: %+v", links)
		}
		if body["expires_at"] == nil {
			t.Fatal("no expires_at")
		}
		// Default body: copy, 720 hours.
		st, _ = e.do("POST", fmt.Sprintf("/api/v1/cases/%d/links", id), e.keyA, "", nil)
		if st != 201 {
			t.Fatalf("empty body: status %d", st)
		}
	})
}

func TestAPIPolicyRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		st, pol := e.json("GET", "/api/v1/policy", e.keyA, nil)
		if st != 200 || pol["max_instalments"] == nil {
			t.Fatalf("get: %d %v", st, pol)
		}
		pol["max_instalments"] = 6.0
		pol["frequencies"] = []any{"monthly"}
		st, body := e.json("PUT", "/api/v1/policy", e.keyA, pol)
		if st != 200 || body["max_instalments"] != 6.0 {
			t.Fatalf("put: %d %v", st, body)
		}
		_, again := e.json("GET", "/api/v1/policy", e.keyA, nil)
		if again["max_instalments"] != 6.0 {
			t.Fatalf("policy not saved: %v", again)
		}
		_, other := e.json("GET", "/api/v1/policy", e.keyB, nil)
		if other["max_instalments"] == 6.0 {
			t.Fatal("one creditor's policy changed another's")
		}
	})
}
