package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/views"
)

// caseOption is GET /case/plan, /case/cannot-pay and /case/contest
// (option "plan", "cannot_pay", "contest"). Until the flows behind them
// exist, each page explains in plain words how to reach the creditor, so
// none of the four choices is a dead end. A later issue replaces a route
// here with its real handler.
func (s *Server) caseOption(option string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if option == "cannot_pay" || option == "contest" {
			// These now have their own pages (choiceRoutes, issue 7), which
			// Fiber reaches when this earlier registration passes on.
			return c.Next()
		}
		d, err := s.svc.CaseDetail(c.UserContext(), debtorCaseID(c))
		if err != nil {
			return err
		}
		useCaseLanguage(c, d.Case.DebtorLanguage)
		return s.render(c, fiber.StatusOK, "case_option", views.OptionView{Option: option, Creditor: contactOf(d.Creditor)})
	}
}
