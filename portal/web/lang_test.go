package web_test

import (
	"net/http"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/storetest"
)

func TestPagesSpeakTheDebtorsLanguage(t *testing.T) {
	tests := []struct {
		name     string
		caseLang string
		accept   string
		path     func(f *debtorFixture) string
		lang     string
		want     string
	}{
		{"landing in the case's language", "en", "fr-FR", func(f *debtorFixture) string { return "/l/" + f.token }, "en", "What is the postcode"},
		{"landing in French for a French case", "fr", "en-GB", func(f *debtorFixture) string { return "/l/" + f.token }, "fr", "Quel est le code postal"},
		{"?lang=en overrides the case", "fr", "", func(f *debtorFixture) string { return "/l/" + f.token + "?lang=en" }, "en", "What is the postcode"},
		{"?lang=fr overrides the browser", "en", "en", func(f *debtorFixture) string { return "/l/" + f.token + "?lang=fr" }, "fr", "Quel est le code postal"},
		{"unknown link follows Accept-Language", "fr", "en-US,en;q=0.9", func(*debtorFixture) string { return "/l/" + portal.RandomToken() }, "en", "This link no longer works"},
		{"other languages fall back to French", "en", "de-DE", func(*debtorFixture) string { return "/l/" + portal.RandomToken() }, "fr", "Ce lien ne fonctionne plus"},
		{"unsupported ?lang is ignored", "en", "", func(f *debtorFixture) string { return "/l/" + f.token + "?lang=de" }, "en", "What is the postcode"},
		{"401 page follows Accept-Language", "fr", "en", func(*debtorFixture) string { return "/case" }, "en", "How to get a new link"},
	}
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := newDebtorFixture(t, store, fixtureOptions{language: tt.caseLang})
				b := f.visitor()
				if tt.accept != "" {
					b.headers["Accept-Language"] = tt.accept
				}
				r := b.get(tt.path(f))
				pageHas(t, tt.name, r.body, `<html lang="`+tt.lang+`">`, tt.want)
			})
		}
	})
}

func TestLanguageChoiceIsRemembered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		f := newDebtorFixture(t, store)
		b := f.visitor()
		r := b.get("/l/" + f.token + "?lang=en")
		c, ok := r.cookies["reglo_lang"]
		if !ok || c.Value != "en" || !c.HttpOnly || c.Path != "/" {
			t.Fatalf("reglo_lang cookie %+v", c)
		}
		b.signIn(f.token)
		page := b.get("/case")
		wantPageStatus(t, "case", page, http.StatusOK)
		pageHas(t, "case in English", page.body, `<html lang="en">`, debtorBalanceEN, "4 June 2026", "Invoice F-2026-001",
			"collection costs without a court order stay with the creditor", "Card payment is not available yet")
		pageLacks(t, "case in English", page.body, debtorBalanceFR, "juin")
		back := b.get("/case?lang=fr")
		pageHas(t, "switched back", back.body, `<html lang="fr">`, debtorBalanceFR, "4 juin 2026")
	})
}
