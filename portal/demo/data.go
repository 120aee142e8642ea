package demo

import (
	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
)

// The demo's back-office logins. The passwords are public on purpose: they
// exist only in demo databases.
const (
	AdminEmail    = "admin@reglo.test"
	AdminPassword = "demo-admin-reglo"
	AgentEmail    = "agent@reglo.test"
	AgentPassword = "demo-agent-reglo"
)

// organisationName names the organisation the demo creates on an empty
// database. On a database that already has one, the demo joins it.
const organisationName = "Cabinet Lumière Recouvrement"

// States a demo case is put in after it is created. "partial" is an open
// case with one card payment already made.
const (
	stateOpen          = portal.StatusOpen
	statePartial       = "partial"
	statePaid          = portal.StatusPaid
	statePromised      = portal.StatusPromised
	stateDisputed      = portal.StatusDisputed
	statePlanRequested = portal.StatusPlanRequested
)

// creditorSpec is a demo creditor. The pair (Name, LegalID) marks it as the
// demo's own, so a second run finds it instead of creating another.
type creditorSpec struct {
	portal.NewCreditor
	// Town is where its documents say they were written ("Fait à Lyon").
	Town string
	// Activity describes the business on its letterhead.
	Activity string
	// Signatory signs its contracts, quotes and delivery notes.
	Signatory string
}

// debtorSpec is a demo debtor with the postal address its documents show;
// the portal itself keeps only the postcode, the identity check.
type debtorSpec struct {
	portal.NewDebtor
	Street  string
	City    string
	Country string
}

// invoiceSpec is an invoice dated relative to the day the demo is loaded,
// so the debts look recent whenever the demo first runs.
type invoiceSpec struct {
	Number    string
	IssuedAgo int // days before the load
	TermDays  int // payment term
	// Description may hold "{relevé}", replaced by the two months before
	// the invoice date ("relevé de juin et juillet"), so that a bill's
	// period always fits its date.
	Description string
	Lines       []portal.NewLine
}

// Kinds of supporting documents besides invoices.
const (
	docContract     = "contract"
	docDeliveryNote = "delivery_note"
	docQuote        = "quote"
)

// caseSpec is one demo case and the state it is put in.
type caseSpec struct {
	Creditor  int // index in creditors
	Reference string
	Debtor    debtorSpec
	Invoices  []invoiceSpec
	// Extra lists supporting documents: a contract, a signed quote or a
	// delivery note, each tied to the first invoice.
	Extra []string
	State portal.Status
	// PaidCents is the card payment already made on a "partial" case.
	PaidCents int64
	// ContestReason and Note are what the debtor said when contesting
	// the debt (a disputed case).
	ContestReason string
	Note          string
}

func principal(label string, cents int64) portal.NewLine {
	return portal.NewLine{Label: label, AmountCents: cents, Kind: portal.LinePrincipal}
}

func interest(label string, cents int64) portal.NewLine {
	return portal.NewLine{Label: label, AmountCents: cents, Kind: portal.LineInterest}
}

func fee(label string, cents int64) portal.NewLine {
	return portal.NewLine{Label: label, AmountCents: cents, Kind: portal.LineFee, Basis: portal.BasisRecoveryIndemnity}
}

// Recurring line labels. The fixed 40 € recovery compensation exists only
// between businesses (French Commercial Code, art. L441-10); no collection
// fee is ever added for a consumer.
const (
	legalInterestFR    = "Intérêts de retard au taux légal"
	legalInterestEN    = "Late payment interest at the French statutory rate"
	b2bPenaltyFR       = "Pénalités de retard (3 fois le taux d'intérêt légal)"
	b2bPenaltyEN       = "Late payment penalties (3 times the French statutory rate)"
	recoveryFeeFR      = "Indemnité forfaitaire pour frais de recouvrement (art. L441-10 C. com.)"
	recoveryFeeEN      = "Fixed recovery compensation (French Commercial Code, art. L441-10)"
	recoveryFeeCents   = 4000
	energieClaireIndex = 0
	atelierMartinIndex = 1
)

var creditors = []creditorSpec{
	energieClaireIndex: {
		NewCreditor: portal.NewCreditor{
			Name:         "Énergie Claire",
			LegalName:    "Énergie Claire SAS",
			LegalID:      "SAS au capital de 2 400 000 € · SIREN 812 345 678 · RCS Lyon",
			Address:      "18 quai Perrache, 69002 Lyon, France",
			Currency:     "EUR",
			ContactEmail: "recouvrement@energie-claire.example",
			ContactPhone: "04 72 00 12 34",
			ContactHours: "Du lundi au vendredi de 8 h 30 à 18 h, le samedi de 9 h à 12 h",
			OtherPayment: "Virement bancaire à Énergie Claire SAS : IBAN FR76 3000 4000 0312 3456 7890 143, BIC BNPAFRPPXXX, " +
				"en indiquant la référence de votre dossier. Chèque à l'ordre d'Énergie Claire SAS, 18 quai Perrache, 69002 Lyon.",
			Policy: &plans.Policy{
				MaxInstalments:         12,
				MinInstalmentCents:     2000,
				MaxDurationDays:        365,
				Frequencies:            []plans.Frequency{plans.Monthly},
				FirstPaymentWithinDays: 14,
				AutoApprove:            true,
				MaxMissedInstalments:   2,
				PromiseMaxDays:         30,
			},
		},
		Town:      "Lyon",
		Activity:  "Fournisseur d'électricité et de gaz naturel",
		Signatory: "Le service clients",
	},
	atelierMartinIndex: {
		NewCreditor: portal.NewCreditor{
			Name:         "Atelier Martin SARL",
			LegalName:    "Atelier Martin SARL",
			LegalID:      "SARL au capital de 15 000 € · SIRET 501 234 567 00028 · RCS Bordeaux",
			Address:      "7 rue des Menuisiers, 33800 Bordeaux, France",
			Currency:     "EUR",
			ContactEmail: "compta@atelier-martin.example",
			ContactPhone: "05 56 00 45 67",
			ContactHours: "Du mardi au vendredi de 9 h à 12 h et de 14 h à 17 h",
			OtherPayment: "Virement bancaire à Atelier Martin SARL : IBAN FR76 1780 6001 2304 5678 9012 325, BIC AGRIFRPP878, " +
				"en indiquant la référence de votre dossier. Chèque à l'ordre d'Atelier Martin SARL.",
			Policy: &plans.Policy{
				MaxInstalments:            4,
				MinInstalmentCents:        5000,
				MaxDurationDays:           120,
				MinDownPaymentPercent:     30,
				Frequencies:               []plans.Frequency{plans.Fortnightly, plans.Monthly},
				FirstPaymentWithinDays:    7,
				AutoApprove:               false,
				SettlementDiscountPercent: 10,
				SettlementValidDays:       14,
				MaxMissedInstalments:      1,
				PromiseMaxDays:            21,
			},
		},
		Town:      "Bordeaux",
		Activity:  "Ébénisterie, menuiserie d'agencement et restauration de mobilier",
		Signatory: "Paul Martin, gérant",
	},
}

var cases = []caseSpec{
	{
		Creditor: energieClaireIndex, Reference: "EC-0412", State: stateOpen,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Camille Durand", Email: "camille.durand@example.com", Phone: "06 12 34 56 78",
			Postcode: "75011", Language: "fr", Kind: "consumer"}, Street: "42 rue de la Roquette", City: "Paris"},
		Invoices: []invoiceSpec{
			{Number: "FAC-EC-240512", IssuedAgo: 96, TermDays: 15, Description: "Électricité, {relevé}", Lines: []portal.NewLine{
				principal("Consommation heures pleines et heures creuses (1 240 kWh)", 28460),
				principal("Abonnement 9 kVA (2 mois)", 3812),
				interest(legalInterestFR, 187),
			}},
			{Number: "FAC-EC-240688", IssuedAgo: 64, TermDays: 15, Description: "Électricité, {relevé}", Lines: []portal.NewLine{
				principal("Consommation heures pleines et heures creuses (860 kWh)", 19741),
				principal("Abonnement 9 kVA (2 mois)", 3812),
			}},
		},
		Extra: []string{docContract},
	},
	{
		Creditor: energieClaireIndex, Reference: "EC-0419", State: stateOpen,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Julien Moreau", Email: "julien.moreau@example.org", Phone: "07 81 22 43 10",
			Postcode: "69003", Language: "fr", Kind: "consumer"}, Street: "15 cours Gambetta", City: "Lyon"},
		Invoices: []invoiceSpec{
			{Number: "FAC-EC-240733", IssuedAgo: 121, TermDays: 15, Description: "Gaz naturel, régularisation annuelle", Lines: []portal.NewLine{
				principal("Régularisation de consommation de gaz (3 150 kWh)", 31248),
				principal("Acheminement, contribution tarifaire et accise", 5220),
				interest(legalInterestFR, 412),
			}},
		},
	},
	{
		Creditor: energieClaireIndex, Reference: "EC-0433", State: statePaid,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Sophie Lefèvre", Email: "sophie.lefevre@example.com", Phone: "06 45 78 12 09",
			Postcode: "33000", Language: "fr", Kind: "consumer"}, Street: "8 rue Sainte-Catherine", City: "Bordeaux"},
		Invoices: []invoiceSpec{
			{Number: "FAC-EC-240801", IssuedAgo: 58, TermDays: 15, Description: "Électricité, {relevé}", Lines: []portal.NewLine{
				principal("Consommation base (690 kWh)", 15318),
				principal("Abonnement 6 kVA (2 mois)", 3124),
			}},
		},
	},
	{
		Creditor: energieClaireIndex, Reference: "EC-0447", State: statePromised,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Mehdi Benali", Email: "mehdi.benali@example.com", Phone: "06 98 11 34 72",
			Postcode: "13005", Language: "fr", Kind: "consumer"}, Street: "27 boulevard Baille", City: "Marseille"},
		Invoices: []invoiceSpec{
			{Number: "FAC-EC-240815", IssuedAgo: 75, TermDays: 15, Description: "Électricité et gaz, {relevé}", Lines: []portal.NewLine{
				principal("Électricité, consommation base (820 kWh)", 18204),
				principal("Gaz naturel, consommation (610 kWh)", 6526),
				interest(legalInterestFR, 98),
			}},
		},
	},
	{
		Creditor: energieClaireIndex, Reference: "EC-0451", State: stateDisputed,
		ContestReason: "not_me",
		Note:          "J'ai résilié ce contrat en quittant le logement, avant cette période. Ces consommations ne sont pas les miennes.",
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Thomas Girard", Email: "thomas.girard@example.org", Phone: "07 66 20 51 38",
			Postcode: "44000", Language: "fr", Kind: "consumer"}, Street: "3 allée Flesselles", City: "Nantes"},
		Invoices: []invoiceSpec{
			{Number: "FAC-EC-240302", IssuedAgo: 140, TermDays: 15, Description: "Électricité, {relevé}", Lines: []portal.NewLine{
				principal("Consommation base (1 050 kWh)", 23310),
				principal("Abonnement 6 kVA (2 mois)", 3124),
				interest(legalInterestFR, 341),
			}},
		},
		Extra: []string{docContract},
	},
	{
		Creditor: energieClaireIndex, Reference: "EC-0458", State: stateOpen,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Emma Clarke", Email: "emma.clarke@example.co.uk", Phone: "+44 20 7946 0321",
			Postcode: "SE1 7PB", Language: "en", Kind: "consumer"}, Street: "221 Lambeth Road", City: "London", Country: "United Kingdom"},
		Invoices: []invoiceSpec{
			{Number: "FAC-EC-240870", IssuedAgo: 88, TermDays: 15, Description: "Electricity for the holiday home at Villa Les Pins, Antibes", Lines: []portal.NewLine{
				principal("Electricity consumption, holiday home in Antibes (2 140 kWh)", 48870),
				principal("Standing charge 12 kVA (6 months)", 13530),
				interest(legalInterestEN, 296),
			}},
		},
		Extra: []string{docContract},
	},
	{
		Creditor: energieClaireIndex, Reference: "EC-0462", State: statePartial, PaidCents: 15000,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Nathalie Roux", Email: "nathalie.roux@example.com", Phone: "06 03 47 85 21",
			Postcode: "59000", Language: "fr", Kind: "consumer"}, Street: "11 rue Esquermoise", City: "Lille"},
		Invoices: []invoiceSpec{
			{Number: "FAC-EC-240611", IssuedAgo: 110, TermDays: 15, Description: "Gaz naturel, {relevé}", Lines: []portal.NewLine{
				principal("Gaz naturel, consommation (1 820 kWh)", 19473),
				principal("Abonnement gaz (2 mois)", 1977),
			}},
			{Number: "FAC-EC-240790", IssuedAgo: 50, TermDays: 15, Description: "Gaz naturel, {relevé}", Lines: []portal.NewLine{
				principal("Gaz naturel, consommation (1 690 kWh)", 17893),
				principal("Abonnement gaz (2 mois)", 1977),
				interest(legalInterestFR, 64),
			}},
		},
	},
	{
		Creditor: atelierMartinIndex, Reference: "AM-117", State: stateOpen,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Boulangerie Petit SARL", Email: "contact@boulangerie-petit.example", Phone: "05 61 23 45 67",
			Postcode: "31000", Language: "fr", Kind: "business"}, Street: "5 rue du Taur", City: "Toulouse"},
		Invoices: []invoiceSpec{
			{Number: "AM-F-0311", IssuedAgo: 112, TermDays: 30, Description: "Comptoir de vente en chêne massif", Lines: []portal.NewLine{
				principal("Fabrication et pose d'un comptoir en chêne massif, 3,20 m", 425000),
				interest(b2bPenaltyFR, 6375),
				fee(recoveryFeeFR, recoveryFeeCents),
			}},
			{Number: "AM-F-0342", IssuedAgo: 81, TermDays: 30, Description: "Étagères murales du fournil", Lines: []portal.NewLine{
				principal("Étagères murales en chêne (4 unités)", 68000),
				principal("Livraison et pose", 9500),
				interest(b2bPenaltyFR, 712),
				fee(recoveryFeeFR, recoveryFeeCents),
			}},
		},
		Extra: []string{docDeliveryNote},
	},
	{
		Creditor: atelierMartinIndex, Reference: "AM-121", State: statePlanRequested,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Claire Fontaine", Email: "claire.fontaine@example.com", Phone: "06 52 90 14 33",
			Postcode: "67000", Language: "fr", Kind: "consumer"}, Street: "19 quai des Bateliers", City: "Strasbourg"},
		Invoices: []invoiceSpec{
			{Number: "AM-F-0329", IssuedAgo: 70, TermDays: 30, Description: "Restauration d'une commode Louis-Philippe", Lines: []portal.NewLine{
				principal("Restauration d'une commode Louis-Philippe en noyer", 89000),
				principal("Remplacement des poignées en laiton (6)", 7400),
			}},
		},
		Extra: []string{docQuote},
	},
	{
		Creditor: atelierMartinIndex, Reference: "AM-125", State: stateOpen,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Harbour & Reed Ltd", Email: "accounts@harbour-reed.example", Phone: "+44 117 496 0123",
			Postcode: "BS1 4DJ", Language: "en", Kind: "business"}, Street: "Unit 3, Wapping Wharf", City: "Bristol", Country: "United Kingdom"},
		Invoices: []invoiceSpec{
			{Number: "AM-F-0358", IssuedAgo: 90, TermDays: 30, Description: "Oak display shelving for the Bristol shop", Lines: []portal.NewLine{
				principal("Bespoke oak display shelving, shop fit-out", 312000),
				interest(b2bPenaltyEN, 2340),
				fee(recoveryFeeEN, recoveryFeeCents),
			}},
		},
		Extra: []string{docDeliveryNote},
	},
	{
		Creditor: atelierMartinIndex, Reference: "AM-128", State: stateOpen,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Lucas Bernard", Email: "lucas.bernard@example.org", Phone: "07 58 33 09 61",
			Postcode: "35000", Language: "fr", Kind: "consumer"}, Street: "2 place des Lices", City: "Rennes"},
		Invoices: []invoiceSpec{
			{Number: "AM-F-0364", IssuedAgo: 55, TermDays: 30, Description: "Bibliothèque sur mesure", Lines: []portal.NewLine{
				principal("Solde de la bibliothèque sur mesure en frêne (acompte de 520 € déduit)", 132000),
			}},
		},
		Extra: []string{docQuote},
	},
	{
		Creditor: atelierMartinIndex, Reference: "AM-130", State: stateOpen,
		Debtor: debtorSpec{NewDebtor: portal.NewDebtor{Name: "Café des Arts SNC", Email: "gerance@cafedesarts.example", Phone: "04 67 58 20 14",
			Postcode: "34000", Language: "fr", Kind: "business"}, Street: "1 place de la Comédie", City: "Montpellier"},
		Invoices: []invoiceSpec{
			{Number: "AM-F-0336", IssuedAgo: 100, TermDays: 30, Description: "Remise en état du mobilier de salle", Lines: []portal.NewLine{
				principal("Réparation de 8 chaises bistrot", 96000),
				principal("Ponçage et vernissage de 6 tables", 42000),
				interest(b2bPenaltyFR, 1125),
				fee(recoveryFeeFR, recoveryFeeCents),
			}},
			{Number: "AM-F-0371", IssuedAgo: 45, TermDays: 30, Description: "Plateau de table de terrasse", Lines: []portal.NewLine{
				principal("Remplacement d'un plateau de table en teck", 23500),
				fee(recoveryFeeFR, recoveryFeeCents),
			}},
		},
	},
}
