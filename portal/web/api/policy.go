package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/plans"
	"github.com/reglo/reglo/portal"
)

// apiGetPolicy is GET /api/v1/policy.
func (s *Handler) apiGetPolicy(c *fiber.Ctx) error {
	return c.JSON(apiCreditor(c).Policy())
}

// apiPutPolicy is PUT /api/v1/policy; contradictory limits are 422.
func (s *Handler) apiPutPolicy(c *fiber.Ctx) error {
	var p plans.Policy
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	cr := apiCreditor(c)
	saved, err := s.svc.UpdatePolicy(c.UserContext(), cr.ID, p, portal.CreditorActor(cr.ID))
	if err != nil {
		return err
	}
	return c.JSON(saved)
}
