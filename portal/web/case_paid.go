package web

import (
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/web/api"
	"github.com/reglo/reglo/views"
)

// casePaid is GET /case/paid?session_id=..., where Stripe sends the debtor
// back. Stripe's redirect proves nothing: the page says the payment is
// being confirmed until the webhook has recorded it, and a plain link
// checks again (no script needed).
func (s *Server) casePaid(c *fiber.Ctx) error {
	ctx := c.UserContext()
	caseID := debtorCaseID(c)
	d, err := s.svc.CaseDetail(ctx, caseID)
	if err != nil {
		return err
	}
	useCaseLanguage(c, d.Case.DebtorLanguage)
	sessionID := c.Query("session_id")
	res, err := s.money.CheckoutStatus(ctx, caseID, sessionID)
	if err != nil {
		return err
	}
	remaining := d.Balance.Cents()
	if remaining < 0 {
		remaining = 0
	}
	v := views.PayResultView{
		Confirmed:  res.Confirmed,
		Amount:     views.Amount{Cents: res.AmountCents, Currency: d.Case.Currency},
		Remaining:  views.Amount{Cents: remaining, Currency: d.Case.Currency},
		RefreshURL: "/case/paid?session_id=" + url.QueryEscape(sessionID),
	}
	if res.Confirmed {
		v.ReceiptURL = fmt.Sprintf("/case/receipts/%d", res.PaymentID)
	}
	return s.render(c, fiber.StatusOK, "case_paid", v)
}

// receiptView builds the receipt page and PDF of a payment.
func receiptView(r money.Receipt) views.ReceiptView {
	cur := r.Currency
	remaining := r.RemainingCents
	if remaining < 0 {
		remaining = 0
	}
	return views.ReceiptView{
		Number: r.Number, Creditor: contactOf(r.Creditor), Debtor: r.Case.DebtorName, Reference: r.Case.Reference,
		PaidAt: r.PaidAt, Amount: views.Amount{Cents: r.AmountCents, Currency: cur}, Purpose: r.Purpose,
		InstalmentSeq: r.InstalmentSeq, InstalmentCount: r.InstalmentCount,
		Remaining: views.Amount{Cents: remaining, Currency: cur},
		PDFURL:    fmt.Sprintf("/case/receipts/%d/pdf", r.Payment.ID),
	}
}

// receiptShow is GET /case/receipts/:id: the receipt of one of the
// session case's payments; any other id is 404.
func (s *Server) receiptShow(c *fiber.Ctx) error {
	r, err := s.sessionReceipt(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "case_receipt", receiptView(r))
}

// receiptPDF is GET /case/receipts/:id/pdf.
func (s *Server) receiptPDF(c *fiber.Ctx) error {
	r, err := s.sessionReceipt(c)
	if err != nil {
		return err
	}
	v := receiptView(r)
	v.Collector = collectorOf(s.svc.Collector)
	b, err := views.ReceiptPDF(v, pageLang(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.pdf"`, r.Number))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}

func (s *Server) sessionReceipt(c *fiber.Ctx) (money.Receipt, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return money.Receipt{}, err
	}
	r, err := s.money.Receipt(c.UserContext(), debtorCaseID(c), id)
	if err != nil {
		return money.Receipt{}, err
	}
	useCaseLanguage(c, r.Case.DebtorLanguage)
	return r, nil
}
