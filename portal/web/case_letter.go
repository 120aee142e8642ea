package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal/web/letter"
)

// caseLetter is GET /case/letter.pdf: the session case's first letter
// (CPCE R124-4) in the debtor's language (or the one the page is read in).
func (s *Server) caseLetter(c *fiber.Ctx) error {
	l, err := s.svc.FirstLetter(c.UserContext(), debtorCaseID(c))
	if err != nil {
		return err
	}
	useCaseLanguage(c, l.Detail.Case.DebtorLanguage)
	return sendLetter(c, l.Detail.Case.Reference, func() ([]byte, error) { return letter.PDF(l, s.cfg.BaseURL, pageLang(c)) })
}

// sendLetter answers with a letter PDF, never cached.
func sendLetter(c *fiber.Ctx, reference string, pdf func() ([]byte, error)) error {
	b, err := pdf()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.pdf"`, safeFileName(reference)))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}

// safeFileName keeps letters, digits, '-' and '_' of a reference, so it
// cannot break the Content-Disposition header.
func safeFileName(ref string) string {
	b := []byte("letter-")
	for i := 0; i < len(ref); i++ {
		ch := ref[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' {
			b = append(b, ch)
		}
	}
	return string(b)
}
