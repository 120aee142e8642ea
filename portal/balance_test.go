package portal_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// TestBalanceSQLAgreesWithGo fills cases with random invoice lines and
// payments of every kind (card, instalment, refund, dispute, discount, and
// voided discounts of 0) and checks that the database's sum, used by lists,
// equals the Go sum that case pages and money decisions use.
func TestBalanceSQLAgreesWithGo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		svc := portal.NewService(store, nil, nil, "http://localhost", nil)
		cr, _, err := svc.CreateCreditor(ctx, portal.NewCreditor{Name: "Balance SA", Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(7, 11))
		now := time.Now().UTC()
		var ids []int64
		for i := range 40 {
			c := portal.Case{CreditorID: cr.ID, Reference: "B-" + string(rune('A'+i/26)) + string(rune('a'+i%26)), DebtorName: "D", DebtorPostcode: "75011",
				DebtorLanguage: "fr", DebtorKind: "consumer", Currency: "EUR", Status: portal.StatusOpen, CreatedAt: now, UpdatedAt: now}
			if err := store.DB.Create(&c).Error; err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
			inv := portal.Invoice{CaseID: c.ID, Number: "F", IssuedOn: portal.DateOf(now), DueOn: portal.DateOf(now)}
			if err := store.DB.Omit("Lines").Create(&inv).Error; err != nil {
				t.Fatal(err)
			}
			for j := range rng.IntN(4) {
				l := portal.InvoiceLine{InvoiceID: inv.ID, CaseID: c.ID, Position: j, Label: "L", Kind: portal.LinePrincipal, AmountCents: rng.Int64N(100_000) + 1}
				if err := store.DB.Create(&l).Error; err != nil {
					t.Fatal(err)
				}
			}
			for j := range rng.IntN(6) {
				kinds := []string{portal.PaymentCard, portal.PaymentInstalment, portal.PaymentRefund, portal.PaymentDispute, portal.PaymentDiscount}
				k := kinds[rng.IntN(len(kinds))]
				amount := rng.Int64N(50_000)
				switch {
				case k == portal.PaymentRefund || k == portal.PaymentDispute:
					amount = -amount
				case k == portal.PaymentDiscount && rng.IntN(3) == 0:
					amount = 0 // a voided discount
				}
				p := portal.Payment{CaseID: c.ID, Kind: k, AmountCents: amount, Currency: "EUR",
					StripeObjectID: "obj_" + c.Reference + "_" + string(rune('a'+j)), CreatedAt: now, UpdatedAt: now}
				if err := store.DB.Create(&p).Error; err != nil {
					t.Fatal(err)
				}
			}
		}
		sql, err := portal.CaseBalances(store.DB.WithContext(ctx), ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			d, err := svc.CaseDetail(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := sql[id], d.Balance.Cents(); got != want {
				t.Errorf("case %d: SQL balance %d, Go balance %d (%+v)", id, got, want, d.Balance)
			}
		}
	})
}
