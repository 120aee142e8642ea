package web

import (
	"errors"
	"io"
	"mime/multipart"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/views"
)

// caseContestShow is GET /case/contest ("I don't think I owe this"): the
// reasons, the invoices, free text and optional proof; once sent, what
// happens next and by when, and later the creditor's answer.
func (s *Server) caseContestShow(c *fiber.Ctx) error {
	v, err := s.contestView(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "case_contest", v)
}

// caseContest is POST /case/contest, multipart (or urlencoded without
// files): "reason", "invoice" (repeated), "text", "files" (repeated). A
// good answer contests the case, which pauses collection, and redirects 303
// to the page; a bad one shows the form again with its errors (status 422)
// and changes nothing.
func (s *Server) caseContest(c *fiber.Ctx) error {
	v, err := s.contestView(c)
	if err != nil {
		return err
	}
	if !v.CanContest {
		return s.render(c, fiber.StatusConflict, "case_contest", v)
	}
	in := choices.Contest{Reason: c.FormValue("reason"), Text: c.FormValue("text")}
	v.Reason, v.Text = in.Reason, in.Text
	var rawInvoices []string
	var files []*multipart.FileHeader
	if form, ferr := c.MultipartForm(); ferr == nil {
		rawInvoices = form.Value["invoice"]
		for _, f := range form.File["files"] {
			if f.Filename == "" && f.Size == 0 {
				continue // the empty part a browser sends when no file is chosen
			}
			files = append(files, f)
		}
	} else {
		for _, b := range c.Request().PostArgs().PeekMulti("invoice") {
			rawInvoices = append(rawInvoices, string(b))
		}
	}
	badInvoice := false
	for _, raw := range rawInvoices {
		id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil {
			badInvoice = true
			continue
		}
		in.InvoiceIDs = append(in.InvoiceIDs, id)
	}
	for i := range v.Invoices {
		v.Invoices[i].Checked = slices.Contains(in.InvoiceIDs, v.Invoices[i].ID)
	}

	// Check every field first, so the debtor sees all problems at once.
	if !slices.Contains(choices.ContestReasons, in.Reason) {
		v.Errors = append(v.Errors, views.FieldError{Field: "reason", Key: "choice.err.reason.required"})
	}
	if badInvoice {
		v.Errors = append(v.Errors, views.FieldError{Field: "invoices", Key: "choice.err.invoices.unknown"})
	}
	text := strings.TrimSpace(in.Text)
	switch {
	case utf8.RuneCountInString(text) > choices.MaxContestText:
		v.Errors = append(v.Errors, views.FieldError{Field: "text", Key: "choice.err.text.too_long", N: choices.MaxContestText})
	case in.Reason == "other" && text == "":
		v.Errors = append(v.Errors, views.FieldError{Field: "text", Key: "choice.err.text.required_other"})
	}
	if fe := contestFilesError(files); fe != nil {
		v.Errors = append(v.Errors, *fe)
	}
	if len(v.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "case_contest", v)
	}
	for _, f := range files {
		data, err := readUpload(f)
		if err != nil {
			return err
		}
		in.Files = append(in.Files, choices.ContestFile{Name: f.Filename, Data: data})
	}
	_, err = s.choices.Contest(c.UserContext(), debtorCaseID(c), in)
	if fe, ok := choiceFieldError(err); ok {
		v.Errors = append(v.Errors, fe)
		return s.render(c, fiber.StatusUnprocessableEntity, "case_contest", v)
	}
	if err != nil {
		if errors.Is(err, portal.ErrConflict) || errors.Is(err, portal.ErrNothingToPay) {
			return c.Redirect("/case/contest", fiber.StatusSeeOther)
		}
		return err
	}
	return c.Redirect("/case/contest", fiber.StatusSeeOther)
}

// contestFilesError checks the number and the size of the files before any
// is read; their types are checked from their bytes.
func contestFilesError(files []*multipart.FileHeader) *views.FieldError {
	if len(files) > choices.MaxContestFiles {
		return &views.FieldError{Field: "files", Key: "choice.err.files.too_many", N: choices.MaxContestFiles}
	}
	for _, f := range files {
		switch {
		case f.Size == 0:
			return &views.FieldError{Field: "files", Key: "choice.err.files.empty"}
		case f.Size > portal.MaxDocumentBytes:
			return &views.FieldError{Field: "files", Key: "choice.err.files.too_large"}
		}
		data, err := readUpload(f)
		if err != nil {
			return &views.FieldError{Field: "files", Key: "choice.err.files.empty"}
		}
		if _, err := portal.DetectDocumentType(data); err != nil {
			return &views.FieldError{Field: "files", Key: "choice.err.files.type"}
		}
	}
	return nil
}

// readUpload reads an uploaded file, never more than MaxDocumentBytes+1.
func readUpload(f *multipart.FileHeader) ([]byte, error) {
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, portal.MaxDocumentBytes+1))
}

// contestView loads what the contest page shows for the session's case.
func (s *Server) contestView(c *fiber.Ctx) (views.ContestView, error) {
	ctx := c.UserContext()
	caseID := debtorCaseID(c)
	d, err := s.svc.CaseDetail(ctx, caseID)
	if err != nil {
		return views.ContestView{}, err
	}
	useCaseLanguage(c, d.Case.DebtorLanguage)
	v := views.ContestView{
		ChoicePage: views.ChoicePage{Creditor: contactOf(d.Creditor)},
		Reasons:    choices.ContestReasons, MaxText: choices.MaxContestText, MaxFiles: choices.MaxContestFiles,
		ScriptURL: views.ChoiceScriptURL(),
	}
	for _, inv := range d.Invoices {
		var total int64
		for _, l := range inv.Lines {
			total += l.AmountCents
		}
		v.Invoices = append(v.Invoices, views.ContestInvoice{ID: inv.ID, Number: inv.Number, Total: views.Amount{Cents: total, Currency: d.Case.Currency}})
	}
	disp, err := s.choices.DisputeForCase(ctx, caseID)
	if err != nil {
		return v, err
	}
	if disp != nil {
		loc := location(d.Creditor.TimeZone)
		v.Sent = &views.ContestSentView{On: disp.CreatedAt.In(loc), ReviewBy: disp.ReviewBy().Time, Status: disp.Status, Resolution: disp.Resolution}
	}
	open := disp != nil && disp.Status == choices.DisputeOpen
	v.CanContest = !open && portal.May(d.Case.Status, d.Balance.Cents(), portal.ActionContest) == nil
	return v, nil
}
