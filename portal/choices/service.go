// Package choices holds the debtor's other answers to a case: a promise to
// pay on a date, a contest ("I don't think I owe this") and a hardship
// request ("I can't pay now"), with what agents decide about them.
package choices

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/portal"
)

func (s *Service) now() time.Time { return s.core.Now().UTC() }

func (s *Service) db(ctx context.Context) *gorm.DB { return s.core.Store.DB.WithContext(ctx) }

// Service is the debtor's-choices area over the case core.
type Service struct {
	core *portal.Service
}

// New builds the choices area.
func New(core *portal.Service) *Service { return &Service{core: core} }
