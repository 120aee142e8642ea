package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
	"gorm.io/gorm"

	"github.com/reglo/reglo/portal"
)

// cmdStripeSimulatePayment posts to a running Reglo a checkout.session.completed
// event for a case, signed with STRIPE_WEBHOOK_SECRET exactly as Stripe signs
// it. It stands in for the payment a debtor would make on Stripe's page when
// Reglo runs against stripe-mock (which takes no payments and sends no
// webhooks), so the whole journey can be tried locally.
func cmdStripeSimulatePayment(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("stripe simulate-payment", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ref := fs.String("reference", "", "the case reference")
	amount := fs.Int64("amount", 0, "amount in minor units (default: the case's last checkout, or its balance)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usagef("%v", err)
	}
	if *ref == "" {
		return usagef("stripe simulate-payment needs --reference REF")
	}
	if cfg.StripeWebhookSecret == "" {
		return usagef("STRIPE_WEBHOOK_SECRET must be set to sign the event")
	}
	store, err := portal.Connect(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	var cases []portal.Case
	if err := store.DB.WithContext(ctx).Where("reference = ?", *ref).Find(&cases).Error; err != nil {
		return err
	}
	if len(cases) != 1 {
		return usagef("%d cases have the reference %q; want exactly one", len(cases), *ref)
	}
	c := cases[0]
	sessionID, total := "cs_simulated_"+randomHex(), *amount
	var cs portal.CheckoutSession
	err = store.DB.WithContext(ctx).Where("case_id = ?", c.ID).Order("id DESC").Take(&cs).Error
	switch {
	case err == nil:
		sessionID = cs.StripeSessionID
		if total == 0 {
			total = cs.AmountCents
		}
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return err
	}
	if total == 0 {
		svc := &portal.Service{Store: store, Now: time.Now}
		d, err := svc.CaseDetail(ctx, c.ID)
		if err != nil {
			return err
		}
		total = d.Balance.Cents()
	}
	if total <= 0 {
		return usagef("case %s has nothing to pay", *ref)
	}
	payload, _ := json.Marshal(map[string]any{
		"id": "evt_simulated_" + randomHex(), "object": "event", "api_version": "2023-10-16", "created": time.Now().Unix(),
		"type": "checkout.session.completed", "livemode": false,
		"data": map[string]any{"object": map[string]any{
			"id": sessionID, "object": "checkout.session", "mode": "payment", "payment_status": "paid", "status": "complete",
			"amount_total": total, "currency": strings.ToLower(c.Currency), "payment_intent": "pi_simulated_" + randomHex(),
			"client_reference_id": "case-" + strconv.FormatInt(c.ID, 10),
			"metadata":            map[string]string{"case_id": strconv.FormatInt(c.ID, 10)},
		}},
	})
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: cfg.StripeWebhookSecret, Timestamp: time.Now()})
	url := strings.TrimRight(cfg.BaseURL, "/") + "/webhooks/stripe"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(signed.Payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", signed.Header)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("post the event to %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %d: %s", url, resp.StatusCode, body)
	}
	fmt.Fprintf(stdout, "Posted a signed checkout.session.completed of %d minor units for case %s (session %s): %d\n", total, *ref, sessionID, resp.StatusCode)
	return nil
}

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
