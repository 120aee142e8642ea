package payments

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// ListedEvent is one event of Stripe's event list, read as the webhook
// reads it.
type ListedEvent struct {
	// Event is what DecodeEvent made of it. When Err is set, only ID, Type
	// and Created are filled.
	Event Event
	// Err says why the event could not be read (it wraps
	// ErrMalformedEvent); the other events of the list are unaffected.
	Err error
}

// eventsPageSize is Stripe's largest page: fewer calls for a long window.
const eventsPageSize = 100

// ListEvents returns the events Stripe created at or after since (all the
// events Stripe still keeps, 30 days, when since is zero), oldest first,
// each read by DecodeEvent exactly as a webhook delivery of it would be.
// Only the types Reglo acts upon are asked for.
//
// Stripe lists newest first, so the whole window is read, page by page,
// before anything is returned: a replay must apply a payment before the
// refund that follows it. Only the small decoded events are kept.
func (c *Client) ListEvents(ctx context.Context, since time.Time) ([]ListedEvent, error) {
	if err := c.ready(); err != nil {
		return nil, err
	}
	p := &stripe.EventListParams{Types: handledTypes()}
	p.Context = ctx
	p.Limit = stripe.Int64(eventsPageSize)
	if !since.IsZero() {
		p.CreatedRange = &stripe.RangeQueryParams{GreaterThanOrEqual: since.Unix()}
	}
	var out []ListedEvent
	it := c.api.Events.List(p)
	for it.Next() {
		se := it.Event()
		ev, err := DecodeEvent(se)
		if err != nil {
			ev = Event{ID: se.ID, Type: string(se.Type), Created: time.Unix(se.Created, 0).UTC()}
		}
		out = append(out, ListedEvent{Event: ev, Err: err})
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("list stripe events: %w", reduceStripe(err))
	}
	// Reversed, the list runs oldest first, events of the same second
	// included; the stable sort only guards against a list that is not
	// strictly ordered.
	slices.Reverse(out)
	slices.SortStableFunc(out, func(a, b ListedEvent) int { return a.Event.Created.Compare(b.Event.Created) })
	return out, nil
}

// handledTypes lists the keys of handled in a stable order (Stripe accepts
// up to 20).
func handledTypes() []*string {
	types := make([]string, 0, len(handled))
	for t := range handled {
		types = append(types, t)
	}
	slices.Sort(types)
	return stripe.StringSlice(types)
}
