package web

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/web/api"
)

// documentCSP replaces the pages' policy on a document answer: browsers
// show a PDF or an image inside a viewer page of their own, which the
// pages' "default-src 'none'" would break. The answer is never HTML (the
// type comes from the file's bytes and nosniff holds it), so no script can
// run in it either way.
const documentCSP = "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// caseDocument is GET /case/documents/{id}: a proof document of the
// session's case, shown in the browser. A document of any other case is 404
// (the service looks it up by case and id together); each view is written
// to the case's timeline by the service.
func (s *Server) caseDocument(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	doc, body, err := s.svc.OpenDocument(c.UserContext(), debtorCaseID(c), id, portal.DebtorActor)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, doc.ContentType)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentDisposition, contentDisposition(doc.Title, doc.ContentType))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, documentCSP)
	// fasthttp closes body once it is sent.
	return c.SendStream(body, int(doc.Size))
}

// contentDisposition names a document after its title, safely: control
// characters, quotes, backslashes and path separators go, the extension of
// its real type is added, an ASCII filename= serves old clients and
// filename*= (RFC 6266/8187) carries the title's accents.
func contentDisposition(title, contentType string) string {
	name := cleanFilename(title)
	if name == "" {
		name = "document"
	}
	ext := extensionOf(contentType)
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ext) && !(ext == ".jpg" && strings.HasSuffix(lower, ".jpeg")) {
		name += ext
	}
	return `inline; filename="` + asciiFilename(name) + `"; filename*=UTF-8''` + rfc8187(name)
}

func extensionOf(contentType string) string {
	switch contentType {
	case "application/pdf":
		return ".pdf"
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	}
	return ".bin"
}

// cleanFilename drops control and format characters, double quotes and
// backslashes, turns path separators into "-", folds runs of spaces, trims dots and spaces at the ends, and
// keeps at most 100 characters.
func cleanFilename(title string) string {
	var b strings.Builder
	space := false
	n := 0
	for _, r := range title {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '"', r == '\\':
			continue
		case r == '/' || r == ':':
			r = '-'
		}
		if n >= 100 {
			break
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	return strings.Trim(b.String(), ". ")
}

// asciiFilename folds accents ("é" → "e") and replaces anything else
// outside printable ASCII with "_".
func asciiFilename(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// rfc8187 percent-encodes every byte that is not an attr-char.
func rfc8187(s string) string {
	const attr = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch < 0x80 && (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte(attr, ch) >= 0) {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}
