package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
)

type linkRequest struct {
	Channel  string `json:"channel"`
	TTLHours int    `json:"ttl_hours"`
}

// apiCreateLink is POST /api/v1/cases/{id}/links. The token in the URL is
// shown only in this answer.
func (s *Handler) apiCreateLink(c *fiber.Ctx) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	cr := apiCreditor(c)
	if _, err := s.svc.CaseForCreditor(c.UserContext(), cr.ID, id); err != nil {
		return err
	}
	var in linkRequest
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	if in.TTLHours < 0 {
		return portal.Invalid("ttl_hours", "ttl", "ttl_hours must be between 1 and 2160")
	}
	l, err := s.svc.CreateLink(c.UserContext(), id, in.Channel, time.Duration(in.TTLHours)*time.Hour, portal.CreditorActor(cr.ID))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"url": l.URL, "expires_at": l.Link.ExpiresAt})
}
