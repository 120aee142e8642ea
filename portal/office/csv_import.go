package office

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reglo/reglo/portal"
	"gorm.io/gorm"
)

// CSVColumns are the columns of a case import file, one row per invoice
// line; the rows of one case (same reference) follow each other. The
// header row names the columns, in any order; CSVRequired must be there.
//
//	reference            the creditor's case reference (unique per creditor)
//	debtor_name          the debtor's name
//	debtor_email         optional email address
//	debtor_phone         optional phone number
//	debtor_postcode      postcode: the debtor's identity check
//	debtor_language      fr or en (default fr)
//	debtor_kind          consumer or business (default consumer)
//	currency             EUR, GBP, USD, CHF or CAD (default: the creditor's)
//	invoice_number       the invoice the line belongs to
//	issued_on, due_on    YYYY-MM-DD or DD/MM/YYYY
//	invoice_description  optional
//	line_label           what the amount is for
//	line_kind            principal, interest or fee (default principal)
//	line_basis           what interest or a fee rests on (portal.CheckLines):
//	                     legal_rate, commercial_rate or contract for interest,
//	                     recovery_indemnity or contract for a fee (business only)
//	amount               1234,56 or 1234.56 (spaces may group thousands)
var CSVColumns = []string{"reference", "debtor_name", "debtor_email", "debtor_phone", "debtor_postcode", "debtor_language",
	"debtor_kind", "currency", "invoice_number", "issued_on", "due_on", "invoice_description", "line_label", "line_kind", "amount", "line_basis"}

// CSVRequired are the columns an import file must have.
var CSVRequired = []string{"reference", "debtor_name", "debtor_postcode", "invoice_number", "issued_on", "due_on", "line_label", "amount"}

// MaxImportBytes bounds an import file: about 160,000 lines of a typical
// export. The web server's body limit follows it.
const MaxImportBytes = 20 << 20

// ErrImportRejected means the file has problems: nothing was imported and
// the report lists every one.
var ErrImportRejected = errors.New("import rejected")

// ImportProblem is one problem of an import file. Row is the file's line
// number (the header is row 1; 0 for the file as a whole), Column the
// column's name ("" for the whole row), Code a stable key the web layer
// translates (ImportProblemCodes).
type ImportProblem struct {
	Row    int
	Column string
	Code   string
}

// ImportProblemCodes lists every ImportProblem.Code.
var ImportProblemCodes = []string{
	"encoding", "empty", "header_missing", "header_unknown", "header_duplicate", "too_large", "syntax", "field_count",
	"required", "too_long", "email", "phone", "language", "kind", "currency", "date", "date_order", "amount",
	"line_kind", "mismatch", "invoice_mismatch", "duplicate_reference", "reference_exists", "too_many_invoices",
	"too_many_lines", "total_too_large", "consumer_fee", "basis", "fee_basis", "indemnity_amount", "indemnity_twice",
	"unstorable",
}

// ImportReport says what an import read and did.
type ImportReport struct {
	// Rows is how many data rows were read (the header not counted).
	Rows     int
	Cases    int
	Invoices int
	Lines    int
	// Delimiter is the separator found in the header: ";" or ",".
	Delimiter string
	Problems  []ImportProblem
	// RejectedRows is how many rows have at least one problem.
	RejectedRows int
	Elapsed      time.Duration
}

// ImportCSV reads a case file for a creditor and, when every row is right,
// creates all its cases in one transaction (all or nothing). Otherwise it
// returns ErrImportRejected with a report of every problem and changes
// nothing. Files are UTF-8 (a byte-order mark is allowed), separated by
// semicolons (as French spreadsheets write them) or commas, detected from
// the header line.
func (s *Service) ImportCSV(ctx context.Context, u portal.User, creditorID int64, r io.Reader) (ImportReport, error) {
	start := time.Now()
	cr, err := s.CreditorForAdmin(ctx, u, creditorID)
	if err != nil {
		return ImportReport{}, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return ImportReport{}, err
	}
	rep, groups := parseImport(data, cr.Currency)
	if len(rep.Problems) == 0 {
		if err := s.checkExistingReferences(ctx, cr.ID, groups, &rep); err != nil {
			return rep, err
		}
	}
	if len(rep.Problems) > 0 {
		rep.RejectedRows = rejectedRows(rep.Problems)
		rep.Elapsed = time.Since(start)
		return rep, ErrImportRejected
	}
	if err := s.insertImport(ctx, u, cr, groups, &rep); err != nil {
		if portal.IsUniqueViolation(err) {
			return rep, &portal.ConflictError{Message: "a case with one of these references was created meanwhile"}
		}
		return rep, err
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

func rejectedRows(ps []ImportProblem) int {
	seen := map[int]bool{}
	for _, p := range ps {
		seen[p.Row] = true
	}
	return len(seen)
}

// importCase is one case of the file with the rows it came from.
type importCase struct {
	row      int // first row
	in       portal.NewCase
	invRows  []int   // first row of each invoice
	lineRows [][]int // row of each line, per invoice
}

// csvRow is one data row, by column.
type csvRow map[string]string

// parseImport checks the file row by row and groups it into cases.
func parseImport(data []byte, defaultCurrency string) (ImportReport, []*importCase) {
	var rep ImportReport
	add := func(row int, col, code string) {
		rep.Problems = append(rep.Problems, ImportProblem{Row: row, Column: col, Code: code})
	}
	if len(data) > MaxImportBytes {
		add(0, "", "too_large")
		return rep, nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		add(0, "", "encoding")
		return rep, nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		add(0, "", "empty")
		return rep, nil
	}
	header := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		header = data[:i]
	}
	comma := ';'
	if bytes.Count(header, []byte(",")) > bytes.Count(header, []byte(";")) {
		comma = ','
	}
	rep.Delimiter = string(comma)
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		add(1, "", "syntax")
		return rep, nil
	}
	index := map[string]int{} // column name → position + 1
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "":
		case !slices.Contains(CSVColumns, h):
			add(1, h, "header_unknown")
		case index[h] != 0:
			add(1, h, "header_duplicate")
		default:
			index[h] = i + 1
		}
	}
	for _, c := range CSVRequired {
		if index[c] == 0 {
			add(1, c, "header_missing")
		}
	}
	if len(rep.Problems) > 0 {
		return rep, nil
	}
	var cases []*importCase
	var cur *importCase
	seenRefs := map[string]bool{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			// A broken quote may swallow the rest of the file: report
			// where it starts and stop reading.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			add(line, "", "syntax")
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		rep.Rows++
		if len(rec) != len(head) {
			add(line, "", "field_count")
			continue
		}
		row := csvRow{}
		for c, i := range index {
			row[c] = strings.TrimSpace(rec[i-1])
		}
		before := len(rep.Problems)
		line0 := checkRow(row, defaultCurrency, func(col, code string) { add(line, col, code) })
		if len(rep.Problems) > before {
			// Still group the row, so that a later row of the same case is
			// not reported as a duplicate reference.
			if cur == nil || cur.in.Reference != row["reference"] {
				cur = nil
			}
			continue
		}
		ref := row["reference"]
		if cur == nil || cur.in.Reference != ref {
			if seenRefs[ref] {
				add(line, "reference", "duplicate_reference")
				continue
			}
			seenRefs[ref] = true
			cur = &importCase{row: line, in: portal.NewCase{Reference: ref, Currency: line0.currency, Debtor: line0.debtor}}
			cases = append(cases, cur)
		} else {
			for _, m := range []struct{ col, a, b string }{
				{"debtor_name", cur.in.Debtor.Name, line0.debtor.Name}, {"debtor_email", cur.in.Debtor.Email, line0.debtor.Email},
				{"debtor_phone", cur.in.Debtor.Phone, line0.debtor.Phone}, {"debtor_postcode", cur.in.Debtor.Postcode, line0.debtor.Postcode},
				{"debtor_language", cur.in.Debtor.Language, line0.debtor.Language}, {"debtor_kind", cur.in.Debtor.Kind, line0.debtor.Kind},
				{"currency", cur.in.Currency, line0.currency},
			} {
				if m.a != m.b {
					add(line, m.col, "mismatch")
				}
			}
			if len(rep.Problems) > before {
				continue
			}
		}
		inv := slices.IndexFunc(cur.in.Invoices, func(x portal.NewInvoice) bool { return x.Number == line0.invoice.Number })
		if inv < 0 {
			cur.in.Invoices = append(cur.in.Invoices, line0.invoice)
			cur.invRows = append(cur.invRows, line)
			cur.lineRows = append(cur.lineRows, nil)
			inv = len(cur.in.Invoices) - 1
		} else {
			x := cur.in.Invoices[inv]
			if x.IssuedOn != line0.invoice.IssuedOn || x.DueOn != line0.invoice.DueOn || x.Description != line0.invoice.Description {
				add(line, "invoice_number", "invoice_mismatch")
				continue
			}
		}
		cur.in.Invoices[inv].Lines = append(cur.in.Invoices[inv].Lines, line0.line)
		cur.lineRows[inv] = append(cur.lineRows[inv], line)
	}
	if rep.Rows == 0 && len(rep.Problems) == 0 {
		add(0, "", "empty")
	}
	// What only a whole case shows: too many invoices or lines, a total
	// too large. NewCase.validate is the API's own check.
	for _, c := range cases {
		if err := c.in.Validate(defaultCurrency); err != nil {
			row, col, code := c.locate(err)
			add(row, col, code)
		}
	}
	slices.SortStableFunc(rep.Problems, func(a, b ImportProblem) int { return a.Row - b.Row })
	for _, c := range cases {
		rep.Cases++
		rep.Invoices += len(c.in.Invoices)
		for _, inv := range c.in.Invoices {
			rep.Lines += len(inv.Lines)
		}
	}
	return rep, cases
}

var invoicePath = regexp.MustCompile(`^invoices\[(\d+)\](?:\.lines\[(\d+)\])?\.?(.*)$`)

// locate turns NewCase.validate's field path into a row, a column and a code.
func (c *importCase) locate(err error) (int, string, string) {
	var inv *portal.InvalidError
	if !errors.As(err, &inv) {
		return c.row, "", "syntax"
	}
	row, col, code := c.row, "", inv.Code
	if m := invoicePath.FindStringSubmatch(inv.Field); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i < len(c.invRows) {
			row = c.invRows[i]
		}
		if m[2] != "" {
			j, _ := strconv.Atoi(m[2])
			if i < len(c.lineRows) && j < len(c.lineRows[i]) {
				row = c.lineRows[i][j]
			}
		}
		switch m[3] {
		case "amount_cents":
			col = "amount"
		case "lines":
			col, code = "line_label", "too_many_lines"
		case "label":
			col = "line_label"
		case "kind":
			col = "line_kind"
		case "basis":
			col = "line_basis"
		default:
			col = m[3]
		}
		if code == "amount" && strings.Contains(inv.Message, "total") {
			code = "total_too_large"
		}
	} else {
		switch inv.Field {
		case "invoices":
			col, code = "invoice_number", "too_many_invoices"
		default:
			col = strings.ReplaceAll(inv.Field, ".", "_")
		}
	}
	if !slices.Contains(ImportProblemCodes, code) {
		code = "syntax"
	}
	return row, col, code
}

// parsedRow is one good row.
type parsedRow struct {
	debtor   portal.NewDebtor
	currency string
	invoice  portal.NewInvoice
	line     portal.NewLine
}

// checkRow checks every field of a row, reporting each problem.
func checkRow(r csvRow, defaultCurrency string, add func(col, code string)) parsedRow {
	var p parsedRow
	for _, col := range CSVColumns {
		if !portal.StorableText(r[col]) {
			add(col, "unstorable") // a NUL byte: the file as a whole is UTF-8
		}
	}
	limit := func(col string, n int) {
		if utf8.RuneCountInString(r[col]) > n {
			add(col, "too_long")
		}
	}
	required := func(col string, n int) {
		if r[col] == "" {
			add(col, "required")
		}
		limit(col, n)
	}
	required("reference", 64)
	required("debtor_name", 200)
	if e := r["debtor_email"]; e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			add("debtor_email", "email")
		}
	}
	if ph := r["debtor_phone"]; ph != "" && !portal.ValidPhone(ph) {
		add("debtor_phone", "phone")
	}
	if portal.NormalisePostcode(r["debtor_postcode"]) == "" {
		add("debtor_postcode", "required")
	}
	limit("debtor_postcode", 16)
	lang := strings.ToLower(r["debtor_language"])
	if lang == "" {
		lang = "fr"
	}
	if lang != "fr" && lang != "en" {
		add("debtor_language", "language")
	}
	kind := strings.ToLower(r["debtor_kind"])
	if kind == "" {
		kind = "consumer"
	}
	if kind != "consumer" && kind != "business" {
		add("debtor_kind", "kind")
	}
	cur := strings.ToUpper(r["currency"])
	if cur == "" {
		cur = defaultCurrency
	}
	if !portal.ValidCurrency(cur) {
		add("currency", "currency")
	}
	required("invoice_number", 64)
	issued, errI := portal.ParseDate(r["issued_on"], true)
	okI := errI == nil
	if !okI {
		add("issued_on", "date")
	}
	due, errD := portal.ParseDate(r["due_on"], true)
	okD := errD == nil
	if !okD {
		add("due_on", "date")
	}
	if okI && okD && due.Before(issued.Time) {
		add("due_on", "date_order")
	}
	limit("invoice_description", 1000)
	required("line_label", 200)
	lk := strings.ToLower(r["line_kind"])
	if lk == "" {
		lk = portal.LinePrincipal
	}
	if lk != portal.LinePrincipal && lk != portal.LineInterest && lk != portal.LineFee {
		add("line_kind", "line_kind")
	}
	amount, err := portal.ParseAmount(r["amount"])
	if err != nil || amount <= 0 || amount > portal.MaxCaseCents {
		add("amount", "amount")
	}
	p.debtor = portal.NewDebtor{Name: r["debtor_name"], Email: r["debtor_email"], Phone: r["debtor_phone"], Postcode: r["debtor_postcode"], Language: lang, Kind: kind}
	p.currency = cur
	p.invoice = portal.NewInvoice{Number: r["invoice_number"], IssuedOn: issued.String(), DueOn: due.String(), Description: r["invoice_description"]}
	p.line = portal.NewLine{Label: r["line_label"], Kind: lk, Basis: strings.ToLower(r["line_basis"]), AmountCents: amount}
	return p
}

// checkExistingReferences reports the file's references the creditor
// already has.
func (s *Service) checkExistingReferences(ctx context.Context, creditorID int64, cases []*importCase, rep *ImportReport) error {
	byRef := make(map[string]*importCase, len(cases))
	refs := make([]string, 0, len(cases))
	for _, c := range cases {
		byRef[c.in.Reference] = c
		refs = append(refs, c.in.Reference)
	}
	for chunk := range slices.Chunk(refs, workChunk) {
		var found []string
		if err := s.db(ctx).Model(&portal.Case{}).Where("creditor_id = ? AND reference IN ?", creditorID, chunk).Pluck("reference", &found).Error; err != nil {
			return err
		}
		for _, ref := range found {
			rep.Problems = append(rep.Problems, ImportProblem{Row: byRef[ref].row, Column: "reference", Code: "reference_exists"})
		}
	}
	slices.SortStableFunc(rep.Problems, func(a, b ImportProblem) int { return a.Row - b.Row })
	return nil
}

// importBatch is how many rows one INSERT writes: well under both
// databases' limits on statement parameters.
const importBatch = 1000

// insertImport writes every case, invoice, line and timeline event in
// one transaction, in batched INSERTs.
func (s *Service) insertImport(ctx context.Context, u portal.User, cr portal.Creditor, cases []*importCase, rep *ImportReport) error {
	now := s.now()
	actor := portal.UserActor(u.ID)
	return s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		for chunk := range slices.Chunk(cases, importBatch) {
			rows := make([]portal.Case, len(chunk))
			for i, c := range chunk {
				d := c.in.Debtor
				rows[i] = portal.Case{CreditorID: cr.ID, Reference: c.in.Reference, DebtorName: d.Name, DebtorEmail: d.Email,
					DebtorPhone: d.Phone, DebtorPostcode: d.Postcode, DebtorLanguage: d.Language, DebtorKind: d.Kind,
					Currency: c.in.Currency, Status: portal.StatusOpen, CreatedAt: now, UpdatedAt: now}
			}
			if err := tx.CreateInBatches(&rows, importBatch).Error; err != nil {
				return err
			}
			var invs []portal.Invoice
			events := make([]portal.TimelineEvent, len(chunk))
			for i, c := range chunk {
				for _, ni := range c.in.Invoices {
					issued, _ := portal.ParseDate(ni.IssuedOn, false)
					due, _ := portal.ParseDate(ni.DueOn, false)
					invs = append(invs, portal.Invoice{CaseID: rows[i].ID, Number: ni.Number, IssuedOn: issued, DueOn: due, Description: ni.Description})
				}
				raw, _ := json.Marshal(map[string]any{"reference": c.in.Reference, "source": "csv"})
				events[i] = portal.TimelineEvent{CaseID: rows[i].ID, Kind: "case_created", ActorKind: actor.Kind, ActorID: actor.ID, Data: string(raw), CreatedAt: now}
			}
			if err := tx.Omit("Lines").CreateInBatches(&invs, importBatch).Error; err != nil {
				return err
			}
			var lines []portal.InvoiceLine
			k := 0
			for i, c := range chunk {
				for _, ni := range c.in.Invoices {
					for j, nl := range ni.Lines {
						lines = append(lines, portal.InvoiceLine{InvoiceID: invs[k].ID, CaseID: rows[i].ID, Position: j, Label: nl.Label, Kind: nl.Kind, Basis: nl.Basis, AmountCents: nl.AmountCents})
					}
					k++
				}
			}
			if err := tx.CreateInBatches(&lines, importBatch).Error; err != nil {
				return err
			}
			if err := tx.CreateInBatches(&events, importBatch).Error; err != nil {
				return err
			}
		}
		return audit(tx, now, u, cr.ID, "cases_imported", map[string]any{"cases": rep.Cases, "invoices": rep.Invoices, "lines": rep.Lines,
			"rows": rep.Rows, "summary": fmt.Sprintf("%d cases", rep.Cases)})
	})
}
