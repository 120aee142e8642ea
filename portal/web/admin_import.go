package web

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/views"
)

// admImportProblemsShown bounds the problems the report lists; the count
// of the rest is given.
const admImportProblemsShown = 1000

// adminImportView is the import page of a creditor, without a report.
func (s *Server) adminImportView(c *fiber.Ctx, cr portal.Creditor) views.AdmImportView {
	v := views.AdmImportView{User: boUser(c), Creditor: cr.Name, Action: fmt.Sprintf("/admin/creditors/%d/import", cr.ID),
		SettingsURL: fmt.Sprintf("/admin/creditors/%d/settings", cr.ID), Errors: views.FieldErrors{}}
	for _, col := range office.CSVColumns {
		v.Columns = append(v.Columns, views.AdmColumn{Name: col, Required: slices.Contains(office.CSVRequired, col)})
	}
	return v
}

// adminImportShow is GET /admin/creditors/:id/import: the form and the
// documented columns.
func (s *Server) adminImportShow(c *fiber.Ctx) error {
	cr, err := s.adminCreditor(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_import", s.adminImportView(c, cr))
}

// adminImport is POST /admin/creditors/:id/import (multipart, field
// "file"). The file is checked and imported whole, synchronously, in one
// transaction: the answer says how many rows were read and either what
// was created (200) or every problem (422, nothing created).
func (s *Server) adminImport(c *fiber.Ctx) error {
	cr, err := s.adminCreditor(c)
	if err != nil {
		return err
	}
	v := s.adminImportView(c, cr)
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		v.Errors = views.FieldErrors{{Field: "file", Key: "adm.err.file_required"}}
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_import", v)
	}
	if fh.Size > office.MaxImportBytes {
		v.Errors = views.FieldErrors{{Field: "file", Key: "adm.err.file_large"}}
		return s.render(c, fiber.StatusRequestEntityTooLarge, "admin_import", v)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := s.office.ImportCSV(c.UserContext(), currentUser(c), cr.ID, f)
	if err != nil && !errors.Is(err, office.ErrImportRejected) {
		return err
	}
	seconds := fmt.Sprintf("%.1f", rep.Elapsed.Seconds())
	if pageLang(c) == "fr" {
		seconds = strings.Replace(seconds, ".", ",", 1)
	}
	r := &views.AdmImportReport{Done: err == nil, Rows: rep.Rows, Cases: rep.Cases, Invoices: rep.Invoices, Lines: rep.Lines,
		Rejected: rep.RejectedRows, Seconds: seconds, Problems: []views.AdmImportProblem{}}
	for i, p := range rep.Problems {
		if i == admImportProblemsShown {
			r.More = len(rep.Problems) - i
			break
		}
		r.Problems = append(r.Problems, views.AdmImportProblem{Row: p.Row, Column: p.Column, Code: p.Code})
	}
	v.Report = r
	if err != nil {
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_import", v)
	}
	return s.render(c, fiber.StatusOK, "admin_import", v)
}
