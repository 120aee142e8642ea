package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/views"
)

// static serves the embedded files of views/static under /static/. Pages
// link them with a content hash in the query (reglo.css?v=...), so they can
// be cached for a year: a changed file has a new URL. Nothing on disk is
// reachable: only embedded names exist.
func (s *Server) static(c *fiber.Ctx) error {
	a, ok := views.StaticAsset(c.Params("*"))
	if !ok {
		return portal.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, a.ContentType)
	return c.Send(a.Body)
}
