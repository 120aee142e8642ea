package web_test

import (
	"net/http"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

var testCollector = portal.Collector{Name: "Recouvre Sud", LegalForm: "SAS", Address: "3 allée des Pins\n31000 Toulouse", SIREN: "552 100 554",
	Registration: "RCS Toulouse 552 100 554", Insurance: "MAAF Pro, contrat 123", FundsAccount: "FR76 1234 5678 9012 3456 7890 123",
	Email: "contact@recouvre-sud.example", Phone: "+33 5 61 00 00 00"}

// When an agency collects, every debtor page names it beside the creditor,
// and the case page gives its whole identity and says it recovers the
// debt amicably on the creditor's behalf.
func TestDebtorPagesNameTheCollector(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		f.Core.Collector = testCollector
		b := f.visitor()
		landing := b.get("/l/" + f.token)
		wantPageStatus(t, "landing", landing, http.StatusOK)
		pageHas(t, "landing", landing.body, "Recouvre Sud (SAS, SIREN 552 100 554) fait le recouvrement amiable de ce dossier pour le compte du créancier")
		b.signIn(f.token)
		r := b.get("/case")
		wantPageStatus(t, "case", r, http.StatusOK)
		pageHas(t, "case", r.body, debtorCreditor, "Atelier Dupont SARL",
			"Recouvre Sud fait le recouvrement amiable de cette somme pour le compte du créancier, "+debtorCreditor,
			"3 allée des Pins", "RCS Toulouse 552 100 554", "MAAF Pro, contrat 123", "FR76 1234 5678 9012 3456 7890 123", "contact@recouvre-sud.example")
		for _, path := range []string{"/case/plan", "/case/contest", "/case/cannot-pay", "/case/promise"} {
			p := b.get(path)
			wantPageStatus(t, path, p, http.StatusOK)
			pageHas(t, path, p.body, "Recouvre Sud (SAS, SIREN 552 100 554)")
		}
		f.Core.Collector = portal.Collector{}
		r = b.get("/case")
		pageLacks(t, "in-house case", r.body, "Recouvre Sud", "recouvrement amiable de cette somme")
	})
}

// Messages name the agency too: the link a debtor receives says who
// collects, for whom.
func TestMessagesNameTheCollector(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		f.Core.Collector = testCollector
		m, err := f.Core.WriteMessage("fr", "link", map[string]any{"Creditor": debtorCreditor, "URL": "http://localhost:8080/l/x"})
		if err != nil {
			t.Fatal(err)
		}
		pageHas(t, "link email", m.Text, "Recouvre Sud (Recouvre Sud SAS, 3 allée des Pins, 31000 Toulouse, SIREN 552 100 554, RCS Toulouse 552 100 554) fait le recouvrement amiable de ce dossier pour le compte du créancier, "+debtorCreditor)
		pageHas(t, "link SMS", m.SMS, "Recouvre Sud, recouvrement amiable pour le compte du créancier "+debtorCreditor)
	})
}
