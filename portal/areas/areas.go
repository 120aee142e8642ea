// Package areas builds every business area over one case core, so the
// command, the web layer and the tests wire them the same way.
package areas

import (
	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/money"
	"github.com/reglo/reglo/portal/office"
	"github.com/reglo/reglo/portal/outreach"
)

// Services is the case core and the areas built over it.
type Services struct {
	Core     *portal.Service
	Money    *money.Service
	Choices  *choices.Service
	Office   *office.Service
	Outreach *outreach.Service
}

// New builds the areas over core; stripe may be nil (no card payment).
func New(core *portal.Service, stripe *payments.Client) *Services {
	m := money.New(core, stripe)
	ch := choices.New(core)
	return &Services{
		Core:     core,
		Money:    m,
		Choices:  ch,
		Office:   office.New(core),
		Outreach: outreach.New(core, ch, m),
	}
}
