// Package office is the back office's work: the worklist, case search,
// creditor settings and API keys, the audit trail, CSV import and sending
// links to debtors.
package office

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/portal"
)

func (s *Service) now() time.Time { return s.core.Now().UTC() }

func (s *Service) db(ctx context.Context) *gorm.DB { return s.core.Store.DB.WithContext(ctx) }

// Service is the back-office area over the case core.
type Service struct {
	core *portal.Service
}

// New builds the office area.
func New(core *portal.Service) *Service { return &Service{core: core} }
