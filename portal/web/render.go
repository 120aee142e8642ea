package web

import (
	"bytes"
	"strconv"
	"time"

	// Dates a debtor sees are calendar dates in the creditor's time zone,
	// which must not depend on the host having a zoneinfo database.
	_ "time/tzdata"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/web/letter"
	"github.com/reglo/reglo/views"
)

// pages holds every template, parsed once at start in both languages. A
// broken template panics here, which the tests (and any start) catch,
// rather than on a debtor's page.
var pages = views.MustNew()

// render answers with an HTML page: the named template of views/templates
// executed with a typed view (views.LinkView, views.CaseView, ...) in the
// language pageLang chooses. Every page is private to its reader, so none
// may be cached. A template error is returned, and so becomes a 500 page.
// A page of a request whose text formText refused says so, status 422.
func (s *Server) render(c *fiber.Ctx, status int, page string, data any) error {
	p := views.Page{Lang: pageLang(c), CSRF: csrfToken(c), SignedIn: debtorSignedIn(c), Data: data, Collector: collectorOf(s.svc.Collector)}
	if p.Unstorable = unstorableField(c); p.Unstorable != "" && status < 400 {
		status = fiber.StatusUnprocessableEntity // a refused form shown again (formText)
	}
	var buf bytes.Buffer
	if err := pages.Render(&buf, page, p); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// contactOf is the creditor as the debtor pages show it.
func contactOf(cr portal.Creditor) views.Contact {
	return views.Contact{
		Name: cr.Name, LegalName: cr.LegalName, LegalID: cr.LegalID, Address: cr.Address,
		Phone: cr.ContactPhone, PhoneURI: telURI(cr.ContactPhone), Email: cr.ContactEmail, Hours: cr.ContactHours,
	}
}

// collectorOf is the collection agency as every page names it; nil for an
// in-house team.
func collectorOf(co portal.Collector) *views.CollectorView {
	if !co.Agency() {
		return nil
	}
	return &views.CollectorView{
		Name: co.Name, LegalForm: co.LegalForm, Address: co.Address, SIREN: co.SIREN, Registration: co.Registration,
		Insurance: co.Insurance, FundsAccount: co.FundsAccount, Email: co.Email, Phone: co.Phone, PhoneURI: telURI(co.Phone),
	}
}

// telURI keeps the digits of a phone number and a leading +, so that
// "+33 1 23 45 67 89" becomes a tel: link a phone can dial.
func telURI(phone string) string {
	var b []byte
	for i := 0; i < len(phone); i++ {
		ch := phone[i]
		switch {
		case ch >= '0' && ch <= '9':
			b = append(b, ch)
		case ch == '+' && len(b) == 0:
			b = append(b, ch)
		}
	}
	if len(b) < 6 {
		return ""
	}
	return string(b)
}

// caseView builds the case page from a case's detail. cardPayment says
// whether Stripe is configured.
func caseView(d portal.CaseDetail, cardPayment bool) views.CaseView {
	cur := d.Case.Currency
	amount := func(c int64) views.Amount { return views.Amount{Cents: c, Currency: cur} }
	kinds := d.TotalsByKind()
	balance := d.Balance.Cents()
	if balance < 0 {
		balance = 0 // an overpayment is refunded by an agent, not shown as a debt
	}
	v := views.CaseView{
		Creditor: contactOf(d.Creditor), DebtorName: d.Case.DebtorName, Reference: d.Case.Reference,
		Consumer: d.Case.DebtorKind != "business" && kinds[portal.LineFee] == 0, Business: d.Case.DebtorKind == "business",
		Balance: amount(balance), Total: amount(d.Balance.TotalCents), Paid: amount(d.Balance.PaidCents - d.Balance.ReturnedCents),
		Principal: amount(kinds[portal.LinePrincipal]), Interest: amount(kinds[portal.LineInterest]), Fees: amount(kinds[portal.LineFee]),
		CardPayment: cardPayment, OtherPayment: d.Creditor.OtherPayment,
		Invoices: []views.InvoiceView{}, Payments: []views.PaymentView{}, Documents: []views.DocumentView{},
	}
	v.Charges = letter.Charges(d)
	v.State, v.Note = caseState(d)
	ch := portal.ChoicesFor(d.Case.Status, d.Balance.Cents())
	v.Choices = views.CaseChoices{Pay: ch.Pay, Plan: ch.Plan, Promise: ch.Promise, Contest: ch.Contest, CannotPay: ch.CannotPay}
	v.Invoices = letter.Invoices(d)
	loc := location(d.Creditor.TimeZone)
	for _, p := range d.Payments {
		a := p.AmountCents
		if a < 0 {
			a = -a // the kind (refund, dispute) says which way the money went
		}
		if a == 0 {
			continue // an open or won bank dispute moved no money
		}
		pv := views.PaymentView{Kind: p.Kind, On: p.CreatedAt.In(loc), Amount: views.Amount{Cents: a, Currency: p.Currency}}
		if p.Kind == portal.PaymentCard || p.Kind == portal.PaymentInstalment {
			pv.ReceiptURL = "/case/receipts/" + strconv.FormatInt(p.ID, 10)
		}
		v.Payments = append(v.Payments, pv)
	}
	for _, doc := range d.Documents {
		v.Documents = append(v.Documents, views.DocumentView{
			Title: doc.Title, Kind: documentKind(doc.ContentType), Size: doc.Size,
			URL: "/case/documents/" + strconv.FormatInt(doc.ID, 10),
		})
	}
	return v
}

// caseState says what the case page leads with; the rulebook decides.
func caseState(d portal.CaseDetail) (state, note string) {
	st, n := portal.PageStateFor(d.Case.Status, d.Balance)
	return string(st), string(n)
}

func documentKind(contentType string) string {
	switch contentType {
	case "application/pdf":
		return "pdf"
	case "image/png":
		return "png"
	case "image/jpeg":
		return "jpeg"
	}
	return "file"
}

// location is the creditor's time zone, from the core's one answer.
func location(name string) *time.Location { return portal.Zone(name) }
