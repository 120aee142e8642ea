package demo

import "github.com/reglo/reglo/portal"

// Collector is the demo's collection agency, used when REGLO_COLLECTOR_NAME
// is not set, so the demo shows the agency beside the creditor as a real
// deployment does. Every value is made up.
var Collector = portal.Collector{
	Name:         "Reglo Recouvrement (démo)",
	LegalForm:    "SAS",
	Address:      "8 rue des Exemples\n75010 Paris",
	SIREN:        "000 000 000",
	Registration: "RCS Paris 000 000 000 (exemple)",
	Insurance:    "Assurance RC professionnelle : Exemple Assurances, contrat 0000-DEMO",
	FundsAccount: "FR76 0000 0000 0000 0000 0000 000 (compte de démonstration)",
	Email:        "contact@recouvrement.example",
	Phone:        "+33 1 00 00 00 00",
}
