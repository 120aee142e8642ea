package money

import (
	"context"
	"fmt"
	"time"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/notify"
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
		msg, err := s.receiptMessage(c.DebtorLanguage, r)
		if err != nil {
			s.db(ctx).Model(&portal.Payment{}).Where("id = ?", id).Update("receipt_sent_at", nil)
			return fmt.Errorf("write receipt of payment %d: %w", id, err)
		}
		if err := mail.SendEmail(ctx, notify.Email{To: c.DebtorEmail, Subject: msg.Subject, Text: msg.Text}); err != nil {
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

// receiptMessage writes the emailed receipt of a payment, in the debtor's
// language: who was paid, how much, when, for what, and what remains.
func (s *Service) receiptMessage(lang string, r Receipt) (notify.Message, error) {
	creditor := r.Creditor.LegalName
	if creditor == "" {
		creditor = r.Creditor.Name
	}
	purpose := notify.Phrase{Key: "msg.receipt.for.full"}
	switch r.Purpose {
	case "settlement":
		purpose.Key = "msg.receipt.for.settlement"
	case "instalment":
		purpose = notify.Phrase{Key: "msg.receipt.for.instalment", Data: map[string]any{"Seq": r.InstalmentSeq, "Count": r.InstalmentCount}}
	}
	return s.core.WriteMessage(lang, "receipt", map[string]any{
		"Number": r.Number, "Creditor": creditor, "Reference": r.Case.Reference, "Day": r.PaidAt, "For": purpose,
		"Amount": notify.Amount{Cents: r.AmountCents, Currency: r.Currency},
		"Left":   notify.Amount{Cents: max(r.RemainingCents, 0), Currency: r.Currency},
	})
}
