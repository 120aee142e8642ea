package web

import "github.com/gofiber/fiber/v2"

// renderErrorPage answers an HTML request that failed.
func (s *Server) renderErrorPage(c *fiber.Ctx, status int, err error) error {
	return c.Status(status).SendString(fiber.ErrInternalServerError.Message)
}
