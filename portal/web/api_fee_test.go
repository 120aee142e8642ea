package web_test

import (
	"net/http"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// The fee rule through the creditor API: French law allows no collection
// fee on a consumer case, and between businesses only the L441-10
// indemnity and sums the contract provides, each with its basis.
func TestAPIFeeRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		e := newAPIEnv(t, store)
		withLine := func(ref, kind string, l map[string]any) map[string]any {
			m := sampleCase(ref)
			m["debtor"].(map[string]any)["kind"] = kind
			inv := m["invoices"].([]any)[0].(map[string]any)
			inv["lines"] = append(inv["lines"].([]any), l)
			return m
		}
		tests := []struct {
			name      string
			body      map[string]any
			wantCode  int
			wantField string
		}{
			{"fee on a consumer case is 422", withLine("C-1", "consumer", map[string]any{"label": "Frais", "amount_cents": 4000, "kind": "fee", "basis": "recovery_indemnity"}), 422, "invoices[0].lines[2].kind"},
			{"business fee without basis is 422", withLine("B-1", "business", map[string]any{"label": "Frais", "amount_cents": 4000, "kind": "fee"}), 422, "invoices[0].lines[2].basis"},
			{"business indemnity not 40 EUR is 422", withLine("B-2", "business", map[string]any{"label": "Indemnité", "amount_cents": 9000, "kind": "fee", "basis": "recovery_indemnity"}), 422, "invoices[0].lines[2].amount_cents"},
			{"business indemnity of 40 EUR is 201", withLine("B-3", "business", map[string]any{"label": "Indemnité", "amount_cents": 4000, "kind": "fee", "basis": "recovery_indemnity"}), 201, ""},
			{"business contract sum is 201", withLine("B-4", "business", map[string]any{"label": "Clause pénale", "amount_cents": 12000, "kind": "fee", "basis": "contract"}), 201, ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				st, body := e.json("POST", "/api/v1/cases", e.keyA, tc.body)
				if st != tc.wantCode {
					t.Fatalf("status %d, want %d: %v", st, tc.wantCode, body)
				}
				if st == http.StatusCreated {
					inv := body["invoices"].([]any)[0].(map[string]any)
					lines := inv["lines"].([]any)
					if b := lines[2].(map[string]any)["basis"]; b != tc.body["invoices"].([]any)[0].(map[string]any)["lines"].([]any)[2].(map[string]any)["basis"] {
						t.Errorf("fee basis answered %v", b)
					}
					if b := lines[1].(map[string]any)["basis"]; b != portal.BasisCommercialRate {
						t.Errorf("business interest basis answered %v, want the L441-10 default", b)
					}
					return
				}
				if er := errorOf(t, body); er["field"] != tc.wantField {
					t.Errorf("field %v, want %s", er["field"], tc.wantField)
				}
			})
		}
	})
}
