package choices_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/storetest"
)

var choicePDF = []byte("%PDF-1.4\n% contest proof\n%%EOF\n")

func (e *choiceEnv) invoiceIDs(caseID int64) []int64 {
	e.t.Helper()
	var ids []int64
	if err := e.Store.DB.Model(&portal.Invoice{}).Where("case_id = ?", caseID).Order("id").Pluck("id", &ids).Error; err != nil {
		e.t.Fatal(err)
	}
	return ids
}

func (e *choiceEnv) count(model any, caseID int64) int64 {
	e.t.Helper()
	var n int64
	if err := e.Store.DB.Model(model).Where("case_id = ?", caseID).Count(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestContestIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newChoiceEnv(t, store)
		other := e.newCase("CH-OTHER")
		good := choices.ContestFile{Name: "reçu.pdf", Data: choicePDF}
		tests := []struct {
			name  string
			in    choices.Contest
			field string
		}{
			{"no reason", choices.Contest{Files: []choices.ContestFile{good}}, "reason"},
			{"other without words", choices.Contest{Reason: "other", Text: "   "}, "text"},
			{"text too long", choices.Contest{Reason: "not_me", Text: strings.Repeat("é", choices.MaxContestText+1)}, "text"},
			{"six files", choices.Contest{Reason: "not_me", Files: []choices.ContestFile{good, good, good, good, good, good}}, "files"},
			{"a good file then a bad one", choices.Contest{Reason: "not_me", Files: []choices.ContestFile{good, {Name: "x.exe", Data: []byte("MZ")}}}, "files"},
			{"an empty file", choices.Contest{Reason: "not_me", Files: []choices.ContestFile{{Name: "vide.pdf"}}}, "files"},
			{"another case's invoice", choices.Contest{Reason: "amount_wrong", InvoiceIDs: e.invoiceIDs(other.ID)}, "invoices"},
		}
		for _, tt := range tests {
			_, err := e.Choices.Contest(ctx, e.c.ID, tt.in)
			var inv *portal.InvalidError
			if !errors.As(err, &inv) || inv.Field != tt.field {
				t.Errorf("%s: err = %v, want field %s", tt.name, err, tt.field)
			}
		}
		if st := e.status(e.c.ID); st != portal.StatusOpen || e.count(&portal.Document{}, e.c.ID) != 0 || e.count(&choices.Dispute{}, e.c.ID) != 0 {
			t.Fatalf("a refused contest changed something: %s", st)
		}
		ids := e.invoiceIDs(e.c.ID)
		d, err := e.Choices.Contest(ctx, e.c.ID, choices.Contest{Reason: "already_paid", InvoiceIDs: ids[:1], Text: " Payé par virement le 2 mai.\r\n",
			Files: []choices.ContestFile{good, {Name: "../../photo.png", Data: []byte("\x89PNG\r\n\x1a\nxxxx")}}})
		if err != nil {
			t.Fatal(err)
		}
		if st := e.status(e.c.ID); st != portal.StatusDisputed {
			t.Fatalf("status %s", st)
		}
		if d.Text != "Payé par virement le 2 mai." || len(d.Invoices()) != 1 || d.Invoices()[0] != ids[0] || len(d.Documents()) != 2 {
			t.Fatalf("dispute %+v", d)
		}
		var docs []portal.Document
		store.DB.Where("case_id = ?", e.c.ID).Order("id").Find(&docs)
		if len(docs) != 2 || docs[0].Source != "debtor" || docs[1].Title != "photo.png" || docs[1].ContentType != "image/png" {
			t.Fatalf("documents %+v", docs)
		}
		if ev := e.events(e.c.ID, "dispute_opened"); len(ev) != 1 || ev[0]["reason"] != "already_paid" {
			t.Fatalf("timeline %v", ev)
		}
		if d.ReviewBy().String() != "2026-06-18" {
			t.Errorf("review by %s, want 10 working days later", d.ReviewBy())
		}
		if _, err := e.Choices.Contest(ctx, e.c.ID, choices.Contest{Reason: "not_me"}); !errors.Is(err, portal.ErrConflict) {
			t.Fatalf("second contest: %v", err)
		}
		if _, err := e.Money.StartPayment(ctx, e.c.ID, false, "fr"); err == nil {
			t.Fatal("a contested case started a payment")
		}
	})
}

func TestResolveDispute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *portal.Store) {
		ctx := context.Background()
		e := newChoiceEnv(t, store)
		u, err := e.Core.CreateUser(ctx, portal.NewUser{Email: "agent@example.org", Password: "correct horse battery staple", Role: portal.RoleAgent})
		if err != nil {
			t.Fatal(err)
		}
		open := func(ref string) (portal.Case, choices.Dispute) {
			c := e.newCase(ref)
			d, err := e.Choices.Contest(ctx, c.ID, choices.Contest{Reason: "amount_wrong", Text: "Trop cher"})
			if err != nil {
				t.Fatal(err)
			}
			return c, d
		}
		list, err := e.Choices.OpenDisputes(ctx, u)
		if err != nil || len(list) != 0 {
			t.Fatalf("open disputes before: %v %v", list, err)
		}
		rejected, d1 := open("CH-R")
		closed, d2 := open("CH-C")
		corrected, d3 := open("CH-K")
		if list, _ := e.Choices.OpenDisputes(ctx, u); len(list) != 3 {
			t.Fatalf("worklist has %d disputes", len(list))
		}
		actor := portal.UserActor(u.ID)
		if _, err := e.Choices.ResolveDispute(ctx, u, d1.ID, false, "", " ", actor); err == nil {
			t.Fatal("a rejection without reasons was accepted")
		}
		if _, err := e.Choices.ResolveDispute(ctx, u, d2.ID, true, "refund", "", actor); err == nil {
			t.Fatal("an unknown outcome was accepted")
		}
		if _, err := e.Choices.ResolveDispute(ctx, u, d1.ID, false, "", "La facture est signée.", actor); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Choices.ResolveDispute(ctx, u, d2.ID, true, choices.OutcomeClose, "", actor); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Choices.ResolveDispute(ctx, u, d3.ID, true, choices.OutcomeCorrect, "Frais retirés", actor); err != nil {
			t.Fatal(err)
		}
		for c, want := range map[int64]portal.Status{rejected.ID: portal.StatusOpen, closed.ID: portal.StatusClosed, corrected.ID: portal.StatusDisputed} {
			if st := e.status(c); st != want {
				t.Errorf("case %d: %s, want %s", c, st, want)
			}
		}
		got, err := e.Choices.DisputeForCase(ctx, rejected.ID)
		if err != nil || got == nil || got.Status != choices.DisputeRejected || got.Resolution != "La facture est signée." || got.ResolvedBy == nil {
			t.Fatalf("dispute for case: %+v %v", got, err)
		}
		if ev := e.events(rejected.ID, "dispute_resolved"); len(ev) != 1 || ev[0]["upheld"] != false {
			t.Fatalf("timeline %v", ev)
		}
		if _, err := e.Choices.ResolveDispute(ctx, u, d1.ID, true, choices.OutcomeClose, "", actor); !errors.Is(err, portal.ErrConflict) {
			t.Fatalf("resolving twice: %v", err)
		}
		if list, _ := e.Choices.OpenDisputes(ctx, u); len(list) != 0 {
			t.Fatalf("worklist still has %d", len(list))
		}
		if none, err := e.Choices.DisputeForCase(ctx, e.c.ID); none != nil || err != nil {
			t.Fatalf("uncontested case: %v %v", none, err)
		}
		stranger := portal.User{ID: u.ID, OrganisationID: u.OrganisationID + 99}
		if _, err := e.Choices.ResolveDispute(ctx, stranger, d3.ID, false, "", "x", actor); !errors.Is(err, portal.ErrNotFound) {
			t.Fatalf("another organisation: %v", err)
		}
	})
}
