package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// TestAPIUnstorableTextIs422 sends the creditor API text the database
// cannot store (a NUL byte, bytes that are not UTF-8) in JSON strings, form
// fields, file names and the query string: each is a 422 naming the field,
// never a 500, and nothing is created. Text that only looks like a NUL
// ("\\u0000", an escaped backslash) is ordinary text.
func TestAPIUnstorableTextIs422(t *testing.T) {
	// raw is sampleCase's JSON with one string's bytes replaced, since
	// json.Marshal would repair invalid UTF-8.
	raw := func(old, new string) string {
		b, _ := json.Marshal(sampleCase("REF-T"))
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%q not in the sample case", old)
		}
		return string(bytes.Replace(b, []byte(old), []byte(new), 1))
	}
	upload := func(title, filename string) (string, *bytes.Buffer) {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		_ = w.WriteField("title", title)
		fw, _ := w.CreateFormFile("file", filename)
		fw.Write([]byte("%PDF-1.4\n%%EOF\n"))
		w.Close()
		return w.FormDataContentType(), &body
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		st, body := e.json("POST", "/api/v1/cases", e.keyA, sampleCase("REF-1"))
		if st != http.StatusCreated {
			t.Fatalf("create: %d %v", st, body)
		}
		casePath := fmt.Sprintf("/api/v1/cases/%d", int64(body["id"].(float64)))
		jsonTests := []struct {
			name, method, path, body, field string
		}{
			{"NUL in the reference", "POST", "/api/v1/cases", raw(`"REF-T"`, `"REF\u0000T"`), "reference"},
			{"NUL in the debtor's name", "POST", "/api/v1/cases", raw(`"Camille Durand"`, `"Camille\u0000"`), "debtor.name"},
			{"invalid UTF-8 in a line label", "POST", "/api/v1/cases", raw(`"Consommation"`, "\"Conso\xffmmation\""), "invoices[0].lines[0].label"},
			{"a lone continuation byte in a description", "POST", "/api/v1/cases", raw(`"Électricité mars"`, "\"mars \x80\""), "invoices[0].description"},
			{"invalid UTF-8 in the link channel", "POST", casePath + "/links", "{\"channel\": \"co\xc3py\"}", "channel"},
		}
		for _, tc := range jsonTests {
			t.Run(tc.name, func(t *testing.T) {
				before := countCases(t, e)
				st, body := e.do(tc.method, tc.path, e.keyA, "application/json", strings.NewReader(tc.body))
				if st != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422 (%v)", st, body)
				}
				if got := errorOf(t, body)["field"]; got != tc.field {
					t.Errorf("field %v, want %s", got, tc.field)
				}
				if after := countCases(t, e); after != before {
					t.Errorf("%d cases before, %d after", before, after)
				}
			})
		}
		t.Run("an escaped backslash before u0000 is text", func(t *testing.T) {
			st, body := e.do("POST", "/api/v1/cases", e.keyA, "application/json", strings.NewReader(raw(`"Camille Durand"`, `"Camille \\u0000"`)))
			if st != http.StatusCreated {
				t.Fatalf("status %d, want 201 (%v)", st, body)
			}
			if got := body["debtor"].(map[string]any)["name"]; got != `Camille \u0000` {
				t.Errorf("name stored as %q", got)
			}
		})
		formTests := []struct {
			name, title, filename, query, field string
		}{
			{"NUL in a document title", "Facture\x00", "f.pdf", "", "title"},
			{"invalid UTF-8 in a file name", "Facture", "f\xfe.pdf", "", "file"},
			{"NUL in the query string", "Facture", "f.pdf", "?note=%00", "note"},
			{"invalid UTF-8 in the query string", "Facture", "f.pdf", "?note=%C3", "note"},
		}
		for _, tc := range formTests {
			t.Run(tc.name, func(t *testing.T) {
				ctype, b := upload(tc.title, tc.filename)
				st, body := e.do("POST", casePath+"/documents"+tc.query, e.keyA, ctype, b)
				if st != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422 (%v)", st, body)
				}
				if got := errorOf(t, body)["field"]; got != tc.field {
					t.Errorf("field %v, want %s", got, tc.field)
				}
				var n int64
				if err := store.DB.Model(&portal.Document{}).Count(&n).Error; err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					t.Errorf("%d documents stored", n)
				}
			})
		}
	})
}
