// Package outreach sends debtors the messages that scheduled work produces:
// promise reminders and the fresh link after a missed instalment.
package outreach

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/portal"
	"github.com/reglo/reglo/portal/choices"
	"github.com/reglo/reglo/portal/money"
)

func (s *Service) now() time.Time { return s.core.Now().UTC() }

func (s *Service) db(ctx context.Context) *gorm.DB { return s.core.Store.DB.WithContext(ctx) }

// Service is the outreach area: it reads promises and receipts from the
// choices and money areas and writes what it sent to the timeline.
type Service struct {
	core    *portal.Service
	choices *choices.Service
	money   *money.Service
}

// New builds the outreach area.
func New(core *portal.Service, ch *choices.Service, m *money.Service) *Service {
	return &Service{core: core, choices: ch, money: m}
}
