package money

import (
	"context"
	"fmt"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
	"github.com/reglo/reglo/views"
)

// SendReceipts emails the debtor the receipt of each card or instalment
// payment of a case not yet sent. Each payment is claimed first
// (receipt_sent_at), so a receipt goes out once however many processes or
// webhook deliveries try; a failed send releases the claim for a retry.
func (s *Service) SendReceipts(ctx context.Context, caseID int64, mail notify.Mailer) error {
	if mail == nil {
		return nil
	}
	var c portal.Case
	if err := s.db(ctx).Take(&c, caseID).Error; err != nil {
		return portal.NotFound(err)
	}
	if c.DebtorEmail == "" {
		return nil
	}
	var ids []int64
	if err := s.db(ctx).Model(&portal.Payment{}).Where("case_id = ? AND kind IN ? AND receipt_sent_at IS NULL", caseID, []string{portal.PaymentCard, portal.PaymentInstalment}).
		Order("id").Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		res := s.db(ctx).Model(&portal.Payment{}).Where("id = ? AND receipt_sent_at IS NULL", id).Update("receipt_sent_at", s.now())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			continue // another process sends it
		}
		r, err := s.Receipt(ctx, caseID, id)
		if err != nil {
			return err
		}
		subject, text := ReceiptMessage(c.DebtorLanguage, r)
		if err := mail.SendEmail(ctx, notify.Email{To: c.DebtorEmail, Subject: subject, Text: text}); err != nil {
			s.db(ctx).Model(&portal.Payment{}).Where("id = ?", id).Update("receipt_sent_at", nil)
			return fmt.Errorf("send receipt of payment %d: %w", id, err)
		}
		if err := portal.Record(s.db(ctx), s.now(), caseID, portal.EventReceiptSent, portal.SystemActor, map[string]any{"payment_id": id, "channel": "email"}); err != nil {
			return err
		}
	}
	return nil
}

// sendPendingReceipts retries receipts of the last week that could not be
// sent when their payment was recorded.
func (s *Service) SendPendingReceipts(ctx context.Context, mail notify.Mailer) error {
	if mail == nil {
		return nil
	}
	var caseIDs []int64
	if err := s.db(ctx).Model(&portal.Payment{}).Distinct("case_id").
		Where("kind IN ? AND receipt_sent_at IS NULL AND created_at > ?", []string{portal.PaymentCard, portal.PaymentInstalment}, s.now().Add(-7*24*time.Hour)).
		Pluck("case_id", &caseIDs).Error; err != nil {
		return err
	}
	for _, id := range caseIDs {
		if err := s.SendReceipts(ctx, id, mail); err != nil {
			return err
		}
	}
	return nil
}

// ReceiptMessage is the emailed receipt of a payment, in the debtor's
// language: who was paid, how much, when, for what, and what remains.
func ReceiptMessage(lang string, r Receipt) (subject, text string) {
	creditor := r.Creditor.LegalName
	if creditor == "" {
		creditor = r.Creditor.Name
	}
	remaining := r.RemainingCents
	if remaining < 0 {
		remaining = 0
	}
	amount := views.Money(r.AmountCents, r.Currency, lang)
	left := views.Money(remaining, r.Currency, lang)
	day := views.FormatDate(r.PaidAt, lang)
	if lang == "en" {
		what := "payment of the full amount"
		switch r.Purpose {
		case "settlement":
			what = "payment of the reduced settlement amount"
		case "instalment":
			what = fmt.Sprintf("instalment %d of %d of your payment plan", r.InstalmentSeq, r.InstalmentCount)
		}
		subject = "Receipt " + r.Number + " for your payment to " + creditor
		text = fmt.Sprintf("Hello,\n\nThank you. This is your receipt.\n\nReceipt: %s\nPaid to: %s\nFile reference: %s\nDate: %s\nFor: %s\nAmount paid: %s\nLeft to pay after this payment: %s\n\nKeep this email: it is proof of your payment.\n",
			r.Number, creditor, r.Case.Reference, day, what, amount, left)
		return
	}
	what := "paiement du montant total"
	switch r.Purpose {
	case "settlement":
		what = "paiement du montant réduit proposé"
	case "instalment":
		what = fmt.Sprintf("échéance %d sur %d de votre plan de paiement", r.InstalmentSeq, r.InstalmentCount)
	}
	subject = "Reçu " + r.Number + " de votre paiement à " + creditor
	text = fmt.Sprintf("Bonjour,\n\nMerci. Voici votre reçu.\n\nReçu : %s\nPayé à : %s\nRéférence du dossier : %s\nDate : %s\nObjet : %s\nMontant payé : %s\nReste à payer après ce paiement : %s\n\nGardez cet e-mail : il prouve votre paiement.\n",
		r.Number, creditor, r.Case.Reference, day, what, amount, left)
	return
}
