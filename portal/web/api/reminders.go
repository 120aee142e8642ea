package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/outreach"
)

// reminderKind reads ?kind= (consumer by default): each kind of debtor has
// its own scenario.
func reminderKind(c *fiber.Ctx) (string, error) {
	kind := c.Query("kind", outreach.DebtorConsumer)
	if kind != outreach.DebtorConsumer && kind != outreach.DebtorBusiness {
		return "", portal.Invalid("kind", "kind", `kind must be "consumer" or "business"`)
	}
	return kind, nil
}

// apiGetReminders is GET /api/v1/reminders[?kind=business]: the creditor's
// scenario, or the default one.
func (s *Handler) apiGetReminders(c *fiber.Ctx) error {
	kind, err := reminderKind(c)
	if err != nil {
		return err
	}
	sc, err := s.outreach.Scenario(c.UserContext(), apiCreditor(c).ID, kind)
	if err != nil {
		return err
	}
	return c.JSON(sc)
}

// apiPutReminders is PUT /api/v1/reminders[?kind=business]; anything
// contradictory is 422 with the field.
func (s *Handler) apiPutReminders(c *fiber.Ctx) error {
	kind, err := reminderKind(c)
	if err != nil {
		return err
	}
	var sc outreach.Scenario
	if err := decodeJSON(c, &sc); err != nil {
		return err
	}
	if sc.Kind != "" && sc.Kind != kind {
		return portal.Invalid("kind", "kind", "kind in the body differs from ?kind=")
	}
	sc.Kind = kind
	saved, err := s.outreach.SaveScenario(c.UserContext(), apiCreditor(c).ID, sc)
	if err != nil {
		return err
	}
	return c.JSON(saved)
}
