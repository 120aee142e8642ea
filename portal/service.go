package portal

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/reglo/reglo/portal/notify"
)

// Service is the case core: cases and their loader, links, sessions,
// users, creditors, documents and the timeline. The business areas
// (portal/money, portal/choices, portal/office, portal/outreach) are small
// services over it. Each method runs in its own transaction and takes the
// request's context.
type Service struct {
	Store   *Store
	Docs    DocumentStorage
	Secrets *Secrets
	BaseURL string
	Log     *slog.Logger
	// Messages writes the emails and SMS sent to debtors from the
	// catalogues (views.Messages); the core never holds their words.
	Messages notify.Writer
	// Now is the clock; tests replace it to move time without sleeping.
	Now func() time.Time
	// Collector is the agency collecting for the creditors (empty for an
	// in-house team): named on every page, message and document.
	Collector Collector
}

// NewService wires a Service with the real clock.
func NewService(store *Store, docs DocumentStorage, secrets *Secrets, baseURL string, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Store: store, Docs: docs, Secrets: secrets, BaseURL: baseURL, Log: log, Now: func() time.Time { return time.Now().UTC() }}
}

func (s *Service) now() time.Time { return s.Now().UTC() }

func (s *Service) db(ctx context.Context) *gormDB { return s.Store.DB.WithContext(ctx) }

// errNoMessages says a message was to be sent without a Writer wired in.
var errNoMessages = errors.New("no message catalogue is wired (Service.Messages)")

// WriteMessage writes a message through Messages; without one it is an
// error, never a message with made-up words.
func (s *Service) WriteMessage(lang, kind string, data map[string]any) (notify.Message, error) {
	if s.Messages == nil {
		return notify.Message{}, errNoMessages
	}
	return s.Messages.Write(lang, kind, s.Collector.MessageData(data))
}
