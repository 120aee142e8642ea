package demo

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/reglo/reglo/portal"
)

// sheet is one A4 document in the creditor's house style. The core PDF fonts
// only know cp1252, so every string goes through tr: accents, "€" and "œ"
// render, which is all French and English text needs.
type sheet struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
	// english adds an English heading under each French one, for debtors
	// who read English; the legal text stays French, as the creditor issued it.
	english bool
}

const (
	pageMargin = 18.0
	pageWidth  = 210.0 - 2*pageMargin
)

func newSheet(cr creditorSpec, title string, issued time.Time, english bool) *sheet {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(pageMargin, pageMargin, pageMargin)
	pdf.SetAutoPageBreak(true, 24)
	pdf.SetCompression(true)
	// Fixed dates keep a document's bytes, and so its sha256, the same for
	// the same case.
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(cr.LegalName, true)
	pdf.SetCreator("Reglo demo", true)
	pdf.SetLang("fr-FR")
	s := &sheet{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), english: english}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-18)
		pdf.SetFont("Helvetica", "", 7.5)
		pdf.SetTextColor(110, 110, 110)
		pdf.MultiCell(pageWidth, 3.6, s.tr(cr.LegalName+" · "+cr.Address+"\n"+cr.LegalID), "T", "C", false)
	})
	pdf.AddPage()
	s.letterhead(cr)
	return s
}

// letterhead prints the creditor's name, trade and contact block.
func (s *sheet) letterhead(cr creditorSpec) {
	p := s.pdf
	p.SetFillColor(31, 78, 121)
	p.Rect(pageMargin, pageMargin, 3, 20, "F")
	p.SetXY(pageMargin+6, pageMargin)
	p.SetTextColor(31, 78, 121)
	p.SetFont("Helvetica", "B", 17)
	p.CellFormat(100, 8, s.tr(cr.Name), "", 2, "L", false, 0, "")
	p.SetFont("Helvetica", "", 9)
	p.SetTextColor(70, 70, 70)
	p.CellFormat(100, 5, s.tr(cr.Activity), "", 2, "L", false, 0, "")
	p.CellFormat(100, 5, s.tr(cr.Address), "", 0, "L", false, 0, "")
	p.SetXY(pageMargin+110, pageMargin+1)
	p.SetFont("Helvetica", "", 8.5)
	p.MultiCell(pageWidth-110, 4.2, s.tr("Tél. "+cr.ContactPhone+"\n"+cr.ContactEmail+"\n"+cr.ContactHours), "", "R", false)
	p.SetY(pageMargin + 30)
	p.SetTextColor(0, 0, 0)
}

// heading prints a document title, in both languages when asked.
func (s *sheet) heading(fr, en string) {
	p := s.pdf
	p.SetFont("Helvetica", "B", 15)
	p.CellFormat(pageWidth, 8, s.tr(fr), "", 1, "L", false, 0, "")
	if s.english && en != "" {
		p.SetFont("Helvetica", "I", 10)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(pageWidth, 5, s.tr(en), "", 1, "L", false, 0, "")
		p.SetTextColor(0, 0, 0)
	}
	p.Ln(3)
}

// label joins a French label with its English one when asked.
func (s *sheet) label(fr, en string) string {
	if s.english && en != "" {
		return fr + " / " + en
	}
	return fr
}

// facts prints label: value pairs on the left and the debtor's address
// block on the right.
func (s *sheet) facts(pairs [][2]string, d debtorSpec) {
	p := s.pdf
	top := p.GetY()
	p.SetFont("Helvetica", "", 9.5)
	for _, kv := range pairs {
		p.SetFont("Helvetica", "B", 9.5)
		p.CellFormat(45, 5.5, s.tr(kv[0]), "", 0, "L", false, 0, "")
		p.SetFont("Helvetica", "", 9.5)
		p.MultiCell(55, 5.5, s.tr(kv[1]), "", "L", false)
	}
	bottom := p.GetY()
	p.SetXY(pageMargin+105, top)
	p.SetDrawColor(200, 200, 200)
	// French addresses put the postcode before the town; British ones put
	// it on its own line after the town.
	addr := d.Name + "\n" + d.Street + "\n" + d.Postcode + " " + d.City
	if d.Country != "" {
		addr = d.Name + "\n" + d.Street + "\n" + d.City + "\n" + d.Postcode + "\n" + d.Country
	}
	p.SetFont("Helvetica", "", 10)
	p.MultiCell(pageWidth-105, 5.2, s.tr(addr), "1", "L", false)
	p.SetY(max(bottom, p.GetY()) + 8)
}

// linesTable prints invoice lines with a total; it returns the total.
func (s *sheet) linesTable(lines []portal.NewLine) int64 {
	p := s.pdf
	p.SetFillColor(235, 240, 246)
	p.SetFont("Helvetica", "B", 9.5)
	p.CellFormat(pageWidth-70, 7, s.tr(s.label("Désignation", "Description")), "B", 0, "L", true, 0, "")
	p.CellFormat(35, 7, s.tr(s.label("Nature", "Type")), "B", 0, "L", true, 0, "")
	p.CellFormat(35, 7, s.tr(s.label("Montant", "Amount")), "B", 1, "R", true, 0, "")
	p.SetFont("Helvetica", "", 9.5)
	var total int64
	for _, l := range lines {
		total += l.AmountCents
		y := p.GetY()
		p.MultiCell(pageWidth-70, 5.5, s.tr(l.Label), "", "L", false)
		h := p.GetY() - y
		p.SetXY(pageMargin+pageWidth-70, y)
		p.CellFormat(35, h, s.tr(s.kindLabel(l.Kind)), "", 0, "L", false, 0, "")
		p.CellFormat(35, h, s.tr(euros(l.AmountCents)), "", 1, "R", false, 0, "")
		p.SetDrawColor(225, 225, 225)
		p.Line(pageMargin, p.GetY(), pageMargin+pageWidth, p.GetY())
	}
	p.Ln(1)
	p.SetFont("Helvetica", "B", 10.5)
	p.CellFormat(pageWidth-35, 8, s.tr(s.label("Total TTC dû", "Total due incl. VAT")), "", 0, "R", false, 0, "")
	p.CellFormat(35, 8, s.tr(euros(total)), "", 1, "R", false, 0, "")
	p.Ln(4)
	return total
}

func (s *sheet) kindLabel(kind string) string {
	switch kind {
	case portal.LineInterest:
		return s.label("Intérêts", "Interest")
	case portal.LineFee:
		return s.label("Frais", "Fee")
	}
	return s.label("Principal", "Principal")
}

// para prints a paragraph of small print.
func (s *sheet) para(text string) {
	p := s.pdf
	p.SetFont("Helvetica", "", 8.8)
	p.SetTextColor(40, 40, 40)
	p.MultiCell(pageWidth, 4.4, s.tr(text), "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(2.5)
}

// signatures prints two signature boxes, the debtor's already "signed".
func (s *sheet) signatures(cr creditorSpec, d debtorSpec, signed time.Time) {
	p := s.pdf
	p.Ln(6)
	y := p.GetY()
	w := pageWidth/2 - 4
	p.SetFont("Helvetica", "", 9)
	p.MultiCell(w, 5, s.tr("Pour "+cr.LegalName+"\nFait à "+cr.Town+", le "+frDate(signed)), "", "L", false)
	p.SetXY(pageMargin+w+8, y)
	p.MultiCell(w, 5, s.tr(s.label("Bon pour accord, le client", "Agreed, the customer")+"\n"+d.Name+", le "+frDate(signed)), "", "L", false)
	p.SetY(y + 12)
	p.SetFont("Times", "I", 13)
	p.SetTextColor(25, 45, 120)
	p.CellFormat(w, 10, s.tr(cr.Signatory), "", 0, "L", false, 0, "")
	p.SetX(pageMargin + w + 8)
	p.CellFormat(w, 10, s.tr(d.Name), "", 1, "L", false, 0, "")
	p.SetTextColor(0, 0, 0)
}

func (s *sheet) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := s.pdf.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// invoicePDF renders one invoice as the creditor issued it, with the late
// interest and fees added since, so the document matches the case's lines.
func invoicePDF(cr creditorSpec, c caseSpec, inv invoiceSpec, issued, due time.Time) ([]byte, error) {
	english := c.Debtor.Language == "en"
	s := newSheet(cr, "Facture "+inv.Number, issued, english)
	s.heading("Facture n° "+inv.Number, "Invoice "+inv.Number)
	s.facts([][2]string{
		{s.label("Date", "Date"), frDate(issued)},
		{s.label("Échéance", "Due"), frDate(due)},
		{s.label("Référence dossier", "Case"), c.Reference},
		{s.label("Objet", "Subject"), describe(inv, issued)},
	}, c.Debtor)
	s.linesTable(inv.Lines)
	terms := "Paiement à " + fmt.Sprint(inv.TermDays) + " jours date de facture. " + cr.OtherPayment
	s.para(terms)
	if c.Debtor.Kind == "business" {
		s.para("Tout retard de paiement entraîne des pénalités au taux de trois fois le taux d'intérêt légal et, entre professionnels, " +
			"une indemnité forfaitaire pour frais de recouvrement de 40 € (articles L441-10 et D441-5 du Code de commerce). Pas d'escompte pour paiement anticipé.")
	} else {
		s.para("Tout retard de paiement peut entraîner des intérêts au taux légal. Aucun frais de recouvrement n'est facturé à un particulier : " +
			"sans titre exécutoire, ces frais restent à la charge du créancier (article L111-8 du Code des procédures civiles d'exécution).")
	}
	if english {
		s.para("This invoice is issued in French under French law. Questions about it, in English or French: " +
			cr.ContactEmail + ", " + cr.ContactPhone + ".")
	}
	return s.bytes()
}

// supportingPDF renders a contract, a signed quote or a delivery note for
// the first invoice of a case.
func supportingPDF(kind string, cr creditorSpec, c caseSpec, issued time.Time) ([]byte, string, error) {
	english := c.Debtor.Language == "en"
	inv := c.Invoices[0]
	var title string
	switch kind {
	case docContract:
		signed := issued.AddDate(-1, -2, 0)
		title = "Contrat de fourniture, conditions particulières"
		s := newSheet(cr, title, signed, english)
		s.heading("Contrat de fourniture d'énergie", "Energy supply contract")
		s.facts([][2]string{
			{s.label("Contrat n°", "Contract"), "CT-" + strings.TrimPrefix(c.Reference, "EC-") + "-" + signed.Format("0601")},
			{s.label("Souscrit le", "Signed"), frDate(signed)},
			{s.label("Offre", "Plan"), "Claire Essentielle, prix indexé"},
			{s.label("Point de livraison", "Meter"), meterNumber(c.Reference)},
		}, c.Debtor)
		s.para("Conditions particulières. Énergie Claire fournit l'électricité et, le cas échéant, le gaz naturel au point de livraison ci-dessus, " +
			"à compter de la date de mise en service. Les consommations sont relevées par le gestionnaire de réseau et facturées tous les deux mois. " +
			"Les factures sont payables sous 15 jours ; le client peut demander un échéancier au service clients.")
		s.para("Résiliation. Le client peut résilier à tout moment, sans frais, en prévenant Énergie Claire ou en souscrivant auprès d'un autre " +
			"fournisseur ; la résiliation prend effet à la date de relève de sortie. Les consommations jusqu'à cette date restent dues.")
		s.para("Médiation. En cas de litige non résolu sous deux mois, le client peut saisir gratuitement le médiateur national de l'énergie " +
			"(www.energie-mediateur.fr).")
		s.signatures(cr, c.Debtor, signed)
		b, err := s.bytes()
		return b, title, err
	case docQuote:
		signed := issued.AddDate(0, 0, -45)
		title = "Devis signé"
		s := newSheet(cr, title, signed, english)
		s.heading("Devis n° D-"+strings.TrimPrefix(inv.Number, "AM-F-"), "Quote")
		s.facts([][2]string{
			{s.label("Date", "Date"), frDate(signed)},
			{s.label("Validité", "Valid for"), "30 jours"},
			{s.label("Objet", "Subject"), describe(inv, issued)},
		}, c.Debtor)
		s.linesTable(principalLines(inv.Lines))
		s.para("Délai de réalisation : six semaines après acceptation. Acompte de 30 % à la commande, solde à la livraison. " +
			"Le client reconnaît avoir reçu les informations précontractuelles et accepte le présent devis sans réserve.")
		s.signatures(cr, c.Debtor, signed)
		b, err := s.bytes()
		return b, title, err
	case docDeliveryNote:
		delivered := issued.AddDate(0, 0, -2)
		title = "Bon de livraison signé"
		s := newSheet(cr, title, delivered, english)
		s.heading("Bon de livraison n° BL-"+strings.TrimPrefix(inv.Number, "AM-F-"), "Delivery note")
		s.facts([][2]string{
			{s.label("Livré le", "Delivered"), frDate(delivered)},
			{s.label("Facture", "Invoice"), inv.Number},
			{s.label("Objet", "Subject"), describe(inv, issued)},
		}, c.Debtor)
		p := s.pdf
		p.SetFont("Helvetica", "B", 9.5)
		p.SetFillColor(235, 240, 246)
		p.CellFormat(pageWidth-30, 7, s.tr(s.label("Article", "Item")), "B", 0, "L", true, 0, "")
		p.CellFormat(30, 7, s.tr(s.label("Quantité", "Qty")), "B", 1, "R", true, 0, "")
		p.SetFont("Helvetica", "", 9.5)
		for _, l := range principalLines(inv.Lines) {
			p.CellFormat(pageWidth-30, 6, s.tr(l.Label), "", 0, "L", false, 0, "")
			p.CellFormat(30, 6, "1", "", 1, "R", false, 0, "")
		}
		p.Ln(4)
		s.para("Marchandise livrée, posée et contrôlée en présence du client. Réserves éventuelles : aucune.")
		s.signatures(cr, c.Debtor, delivered)
		b, err := s.bytes()
		return b, title, err
	}
	return nil, "", fmt.Errorf("demo: unknown document kind %q", kind)
}

// meterNumber makes up a stable 14-digit delivery point number for a case.
func meterNumber(ref string) string {
	n := crc32.ChecksumIEEE([]byte(ref))
	return fmt.Sprintf("1459 %05d %05d", n%100000, n/100000%100000)
}

func principalLines(ls []portal.NewLine) []portal.NewLine {
	var out []portal.NewLine
	for _, l := range ls {
		if l.Kind == portal.LinePrincipal {
			out = append(out, l)
		}
	}
	return out
}

// euros formats cents the French way: "1 234,56 €".
func euros(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	units := fmt.Sprint(cents / 100)
	var b strings.Builder
	for i, r := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	s := fmt.Sprintf("%s,%02d €", b.String(), cents%100)
	if neg {
		s = "-" + s
	}
	return s
}

var frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// frDate formats a date the French way: "3 février 2025".
func frDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), frMonths[t.Month()-1], t.Year())
}
