package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/views"
)

// adminSearch is the back office's home: one search box over the cases the
// user may see.
func (s *Server) adminSearch(c *fiber.Ctx) error {
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	v := views.BoSearchView{User: boUser(c), Query: q, Limit: office.SearchLimit, Results: []views.BoCaseRow{}}
	if q != "" {
		hits, err := s.office.SearchCases(c.UserContext(), currentUser(c), q)
		if err != nil {
			return err
		}
		v.Searched = len([]rune(q)) >= 2
		for _, h := range hits {
			b := h.Balance.Cents()
			v.Results = append(v.Results, views.BoCaseRow{
				URL: "/admin/cases/" + strconv.FormatInt(h.Case.ID, 10), Reference: h.Case.Reference,
				DebtorName: h.Case.DebtorName, Creditor: h.CreditorName, Status: string(h.Case.Status),
				Postcode: h.Case.DebtorPostcode, Email: h.Case.DebtorEmail, Phone: h.Case.DebtorPhone,
				Balance: views.Amount{Cents: b, Currency: h.Case.Currency},
			})
		}
	}
	return s.render(c, fiber.StatusOK, "admin_search", v)
}
