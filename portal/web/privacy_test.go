package web_test

import (
	"net/http"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

// The privacy notice and the accessibility statement are open to anyone,
// in both languages (?lang=en sticks, so French comes first), and every
// page links to them.
func TestPrivacyAndAccessibilityPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		f.Core.Collector = testCollector
		b := f.visitor()
		tests := []struct {
			path  string
			wants []string
		}{
			{"/privacy", []string{"Vos données personnelles", "responsable du traitement est le créancier", "Recouvre Sud fait le recouvrement amiable pour le compte du créancier et traite vos données",
				"Vos données ne viennent pas de vous", "article 6.1.f du RGPD", "Stripe", "5\u00a0ans", "CNIL", "https://www.cnil.fr/fr/plaintes"}},
			{"/accessibility", []string{"Accessibilité", "partiellement conforme", "RGAA 4.1", "axe-core", "Défenseur des droits", "Libre réponse 71120", "contact@recouvre-sud.example"}},
			{"/privacy?lang=en", []string{"Your personal data", "The controller is the creditor", "GDPR article 6.1.f", "5 years", "CNIL"}},
			{"/accessibility?lang=en", []string{"Accessibility", "partially complies", "axe-core", "Défenseur des droits"}},
		}
		for _, tc := range tests {
			r := b.get(tc.path)
			wantPageStatus(t, tc.path, r, http.StatusOK)
			pageHas(t, tc.path, r.body, tc.wants...)
		}
		landing := b.get("/l/" + f.token)
		pageHas(t, "landing", landing.body, `href="/privacy"`, `href="/accessibility"`)
		b.signIn(f.token)
		pageHas(t, "case", b.get("/case").body, `href="/privacy"`, `href="/accessibility"`)
	})
}
