// Package money is Reglo's money in motion: Checkout for paying in full,
// the settlement offer and plan payments, the effects of Stripe's events,
// plan requests and decisions, the instalment scheduler and receipts.
package money

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/payments"
	"github.com/reglo/reglo/portal"
)

func (s *Service) now() time.Time { return s.core.Now().UTC() }

func (s *Service) db(ctx context.Context) *gorm.DB { return s.core.Store.DB.WithContext(ctx) }

// Service is the money area over the case core.
type Service struct {
	core   *portal.Service
	stripe *payments.Client
}

// New builds the money area; stripe may be nil (card payment not configured).
func New(core *portal.Service, stripe *payments.Client) *Service {
	return &Service{core: core, stripe: stripe}
}

// CardEnabled reports whether card payment is configured.
func (s *Service) CardEnabled() bool { return s.stripe != nil && s.stripe.Enabled() }

// ParseEvent verifies a Stripe webhook's signature and reads the event
// (payments.ErrNotConfigured when no Stripe is set up).
func (s *Service) ParseEvent(body []byte, signature string) (payments.Event, error) {
	return s.stripe.ParseEvent(body, signature) // a nil client says ErrNotConfigured
}
