package views

import "time"

// PayResultView is the page a debtor returns to from Stripe (page
// "case_paid"): confirmed once the webhook has recorded the payment,
// "being confirmed" until then.
type PayResultView struct {
	Confirmed  bool
	Amount     Amount
	Remaining  Amount
	ReceiptURL string
	// RefreshURL reloads this page; no script is needed to see the result.
	RefreshURL string
}

// PayProblemView explains calmly why a payment could not start (page
// "case_pay_problem"). Reason is "paused", "nothing_due", "settlement_expired"
// or "unavailable".
type PayProblemView struct {
	Reason   string
	Creditor Contact
}

// PayProblemReasons lists every PayProblemView.Reason.
var PayProblemReasons = []string{"paused", "nothing_due", "settlement_expired", "unavailable"}

// ReceiptView is a payment receipt (page "case_receipt" and the PDF).
type ReceiptView struct {
	Number    string
	Creditor  Contact
	Collector *CollectorView // the agency collecting for the creditor, on the PDF; nil in-house
	Debtor    string
	Reference string
	PaidAt    time.Time
	Amount    Amount
	// Purpose is "full", "settlement" or "instalment".
	Purpose         string
	InstalmentSeq   int
	InstalmentCount int
	Remaining       Amount
	PDFURL          string
}

// ReceiptPurposes lists every ReceiptView.Purpose.
var ReceiptPurposes = []string{"full", "settlement", "instalment"}
