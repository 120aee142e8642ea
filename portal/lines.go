package portal

import (
	"fmt"
	"slices"
)

// Line bases: what an interest or fee line rests on, so the debtor is told
// what each sum is (issue 15, French amicable-recovery rules). Principal
// lines have no basis.
const (
	// BasisRecoveryIndemnity is the fixed recovery indemnity of French
	// Commercial Code art. L441-10 (D441-5): 40 EUR per late invoice,
	// between professionals only.
	BasisRecoveryIndemnity = "recovery_indemnity"
	// BasisContract is a sum (fee or interest) the contract with the debtor
	// provides for. As a fee it is accepted for business debtors only.
	BasisContract = "contract"
	// BasisLegalRate is late-payment interest at the legal rate (Civil Code
	// art. 1231-6, Monetary and Financial Code art. L313-2).
	BasisLegalRate = "legal_rate"
	// BasisCommercialRate is the late-payment interest rate of French
	// Commercial Code art. L441-10, between professionals only.
	BasisCommercialRate = "commercial_rate"
)

// RecoveryIndemnityCents is the L441-10 fixed recovery indemnity (D441-5),
// in euro cents; at most one per invoice.
const RecoveryIndemnityCents = 40_00

// FeeBases and InterestBases list the bases each line kind accepts.
var (
	FeeBases      = []string{BasisRecoveryIndemnity, BasisContract}
	InterestBases = []string{BasisLegalRate, BasisCommercialRate, BasisContract}
)

// DefaultInterestBasis is the basis of an interest line given none: the
// rate the law applies without any agreement, the commercial rate of
// L441-10 between professionals and the legal rate for a consumer.
func DefaultInterestBasis(debtorKind string) string {
	if debtorKind == "business" {
		return BasisCommercialRate
	}
	return BasisLegalRate
}

// CheckLines is the one rule on what an invoice may charge, used by every
// way a case comes in (the API, the CSV import, the back office, the demo):
// no fee of any kind on a consumer case (CPCE L111-8: recovery costs
// without an enforceable title stay with the creditor); for a business
// only the L441-10 indemnity (exactly 40 EUR, once per invoice, in euros)
// and sums the contract provides, each with its basis; interest for both,
// with its basis (defaulted by DefaultInterestBasis). It fills in default
// bases and reports the first problem with its JSON path (prefix is the
// invoice's, e.g. "invoices[0]").
func CheckLines(debtorKind, currency string, inv *NewInvoice, prefix string) error {
	indemnities := 0
	for j := range inv.Lines {
		l := &inv.Lines[j]
		lp := fmt.Sprintf("%s.lines[%d]", prefix, j)
		switch l.Kind {
		case LinePrincipal:
			if l.Basis != "" {
				return Invalid(lp+".basis", "basis", "a principal line has no basis")
			}
		case LineInterest:
			if l.Basis == "" {
				l.Basis = DefaultInterestBasis(debtorKind)
			}
			if !slices.Contains(InterestBases, l.Basis) {
				return Invalid(lp+".basis", "basis", `interest basis must be "legal_rate", "commercial_rate" or "contract"`)
			}
			if l.Basis == BasisCommercialRate && debtorKind != "business" {
				return Invalid(lp+".basis", "basis", "the L441-10 commercial rate applies between professionals only")
			}
		case LineFee:
			if debtorKind != "business" {
				return Invalid(lp+".kind", "consumer_fee", "no collection fee may be charged to a consumer (French law, CPCE L111-8)")
			}
			if !slices.Contains(FeeBases, l.Basis) {
				return Invalid(lp+".basis", "fee_basis", `a fee needs its basis: "recovery_indemnity" (L441-10, 40 EUR per invoice) or "contract" (a sum the contract provides)`)
			}
			if l.Basis == BasisRecoveryIndemnity {
				indemnities++
				if currency != "EUR" || l.AmountCents != RecoveryIndemnityCents {
					return Invalid(lp+".amount_cents", "indemnity_amount", "the L441-10 recovery indemnity is exactly 40 EUR (4000 cents)")
				}
				if indemnities > 1 {
					return Invalid(lp+".basis", "indemnity_twice", "the L441-10 recovery indemnity is charged once per invoice")
				}
			}
		}
	}
	return nil
}
