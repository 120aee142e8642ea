package api

import (
	"errors"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
)

// apiUploadDocument is POST /api/v1/cases/{id}/documents (multipart).
func (s *Handler) apiUploadDocument(c *fiber.Ctx) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	cr := apiCreditor(c)
	if _, err := s.svc.CaseForCreditor(c.UserContext(), cr.ID, id); err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		if errors.Is(err, fiber.ErrRequestEntityTooLarge) {
			return portal.ErrTooLarge
		}
		return portal.Invalid("file", "required", "multipart field \"file\" is required")
	}
	if fh.Size > portal.MaxDocumentBytes {
		return portal.ErrTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, portal.MaxDocumentBytes+1))
	if err != nil {
		return err
	}
	doc, err := s.svc.AddDocument(c.UserContext(), id, portal.NewDocument{
		Title: c.FormValue("title"), InvoiceNumber: c.FormValue("invoice_number"), Data: data,
	}, portal.CreditorActor(cr.ID))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": doc.ID, "title": doc.Title, "sha256": doc.SHA256, "size": doc.Size, "content_type": doc.ContentType})
}
