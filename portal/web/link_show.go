package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/views"
)

// linkShow is GET /l/{token}: the creditor's name, why we ask, and the
// postcode question. It shows no amount and nothing about the debtor, and
// consumes nothing, so a mail scanner that opens the link does no harm.
func (s *Server) linkShow(c *fiber.Ctx) error {
	landing, err := s.svc.OpenLink(c.UserContext(), c.Params("token"))
	if err != nil {
		return s.linkProblem(c, err, portal.Landing{})
	}
	useCaseLanguage(c, landing.Language)
	if landing.Locked {
		return s.linkProblem(c, portal.ErrLocked, landing)
	}
	return s.render(c, fiber.StatusOK, "link_show", views.LinkView{CreditorName: landing.CreditorName})
}

// linkProblem answers for a link that cannot be used. Unknown, expired and
// revoked tokens get one and the same page, which says how to get a new
// link and nothing about whether this one ever existed. A locked link says
// so, naming the creditor when the landing is known.
func (s *Server) linkProblem(c *fiber.Ctx, err error, landing portal.Landing) error {
	switch {
	case errors.Is(err, portal.ErrNotFound):
		return s.render(c, fiber.StatusNotFound, "error", views.ErrorView{Kind: "link_invalid"})
	case errors.Is(err, portal.ErrLocked):
		v := views.ErrorView{Kind: "link_locked"}
		if landing.CreditorName != "" {
			contact := contactOf(landing.Creditor)
			v.Creditor = &contact
		}
		return s.render(c, fiber.StatusLocked, "error", v)
	}
	return err
}
