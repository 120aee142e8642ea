package payments_test

// Webhook payloads shaped like the ones Stripe delivers, trimmed to a
// realistic subset of fields. Several use an api_version other than
// stripe-go v76's (2023-10-16), as a dashboard-configured endpoint would.

const checkoutCompletedPaid = `{
  "id": "evt_1PaidCheckout",
  "object": "event",
  "api_version": "2024-06-20",
  "created": 1718000000,
  "livemode": false,
  "pending_webhooks": 1,
  "request": {"id": null, "idempotency_key": null},
  "type": "checkout.session.completed",
  "data": {
    "object": {
      "id": "cs_test_a1PaidSession",
      "object": "checkout.session",
      "amount_subtotal": 12550,
      "amount_total": 12550,
      "client_reference_id": "case-42",
      "currency": "eur",
      "customer": "cus_Reglo42",
      "customer_details": {"email": "marie@example.org", "name": "Marie Dupont"},
      "livemode": false,
      "locale": "fr",
      "metadata": {"case_id": "42", "plan_id": "7", "installment_id": "70"},
      "mode": "payment",
      "payment_intent": "pi_3PaidIntent",
      "payment_status": "paid",
      "setup_intent": null,
      "status": "complete",
      "success_url": "https://pay.example.org/case/paid",
      "url": null
    }
  }
}`

const checkoutCompletedUnpaid = `{
  "id": "evt_1PendingCheckout",
  "object": "event",
  "api_version": "2023-10-16",
  "created": 1718000100,
  "livemode": true,
  "type": "checkout.session.completed",
  "data": {
    "object": {
      "id": "cs_live_b1SepaSession",
      "object": "checkout.session",
      "amount_total": 30000,
      "currency": "eur",
      "customer": null,
      "metadata": {"case_id": "43"},
      "mode": "payment",
      "payment_intent": {"id": "pi_3SepaIntent", "object": "payment_intent", "status": "processing"},
      "payment_status": "unpaid",
      "status": "complete"
    }
  }
}`

const checkoutCompletedSetup = `{
  "id": "evt_1SetupCheckout",
  "object": "event",
  "api_version": "2024-06-20",
  "created": 1718000200,
  "livemode": false,
  "type": "checkout.session.completed",
  "data": {
    "object": {
      "id": "cs_test_c1SetupSession",
      "object": "checkout.session",
      "amount_total": null,
      "currency": "eur",
      "customer": "cus_Reglo42",
      "metadata": {"case_id": "42", "plan_id": "7"},
      "mode": "setup",
      "payment_intent": null,
      "payment_status": "no_payment_required",
      "setup_intent": "seti_1SetupIntent",
      "status": "complete"
    }
  }
}`

const checkoutAsyncSucceeded = `{
  "id": "evt_1AsyncOK",
  "object": "event",
  "api_version": "2023-10-16",
  "created": 1718086400,
  "livemode": true,
  "type": "checkout.session.async_payment_succeeded",
  "data": {
    "object": {
      "id": "cs_live_b1SepaSession",
      "object": "checkout.session",
      "amount_total": 30000,
      "currency": "eur",
      "customer": "cus_Sepa43",
      "metadata": {"case_id": "43"},
      "mode": "payment",
      "payment_intent": "pi_3SepaIntent",
      "payment_status": "paid",
      "status": "complete"
    }
  }
}`

const checkoutAsyncFailed = `{
  "id": "evt_1AsyncKO",
  "object": "event",
  "api_version": "2023-10-16",
  "created": 1718086500,
  "livemode": true,
  "type": "checkout.session.async_payment_failed",
  "data": {
    "object": {
      "id": "cs_live_b1SepaSession",
      "object": "checkout.session",
      "amount_total": 30000,
      "currency": "eur",
      "metadata": {"case_id": "43"},
      "mode": "payment",
      "payment_intent": "pi_3SepaIntent",
      "payment_status": "unpaid",
      "status": "complete"
    }
  }
}`

const paymentIntentSucceeded = `{
  "id": "evt_3InstalmentPaid",
  "object": "event",
  "api_version": "2023-10-16",
  "created": 1720000000,
  "livemode": false,
  "type": "payment_intent.succeeded",
  "data": {
    "object": {
      "id": "pi_3Instalment71",
      "object": "payment_intent",
      "amount": 4000,
      "amount_capturable": 0,
      "amount_received": 4000,
      "currency": "eur",
      "customer": "cus_Reglo42",
      "latest_charge": "ch_3Instalment71",
      "last_payment_error": null,
      "metadata": {"case_id": "42", "plan_id": "7", "installment_id": "71"},
      "payment_method": "pm_1SavedVisa",
      "setup_future_usage": null,
      "status": "succeeded"
    }
  }
}`

const paymentIntentFailed = `{
  "id": "evt_3InstalmentAuth",
  "object": "event",
  "api_version": "2023-10-16",
  "created": 1722600000,
  "livemode": false,
  "type": "payment_intent.payment_failed",
  "data": {
    "object": {
      "id": "pi_3Instalment72",
      "object": "payment_intent",
      "amount": 4000,
      "amount_received": 0,
      "currency": "eur",
      "customer": "cus_Reglo42",
      "latest_charge": "ch_3Instalment72",
      "last_payment_error": {
        "charge": "ch_3Instalment72",
        "code": "authentication_required",
        "decline_code": "authentication_required",
        "doc_url": "https://stripe.com/docs/error-codes/authentication-required",
        "message": "Your card was declined. This transaction requires authentication.",
        "payment_method": {"id": "pm_1SavedVisa", "object": "payment_method", "type": "card"},
        "type": "card_error"
      },
      "metadata": {"case_id": "42", "plan_id": "7", "installment_id": "72"},
      "payment_method": null,
      "status": "requires_payment_method"
    }
  }
}`

const chargeRefunded = `{
  "id": "evt_3Refund",
  "object": "event",
  "api_version": "2024-06-20",
  "created": 1723000000,
  "livemode": false,
  "type": "charge.refunded",
  "data": {
    "object": {
      "id": "ch_3PaidCharge",
      "object": "charge",
      "amount": 12550,
      "amount_captured": 12550,
      "amount_refunded": 5000,
      "currency": "eur",
      "customer": "cus_Reglo42",
      "failure_code": null,
      "failure_message": null,
      "metadata": {"case_id": "42"},
      "paid": true,
      "payment_intent": "pi_3PaidIntent",
      "payment_method": "pm_1SavedVisa",
      "refunded": false,
      "status": "succeeded"
    },
    "previous_attributes": {"amount_refunded": 2000}
  }
}`

const disputeCreated = `{
  "id": "evt_1DisputeOpen",
  "object": "event",
  "api_version": "2023-10-16",
  "created": 1724000000,
  "livemode": false,
  "type": "charge.dispute.created",
  "data": {
    "object": {
      "id": "du_1Chargeback",
      "object": "dispute",
      "amount": 12550,
      "charge": "ch_3PaidCharge",
      "currency": "eur",
      "is_charge_refundable": false,
      "metadata": {},
      "payment_intent": "pi_3PaidIntent",
      "reason": "fraudulent",
      "status": "needs_response"
    }
  }
}`

const disputeClosed = `{
  "id": "evt_1DisputeLost",
  "object": "event",
  "api_version": "2023-10-16",
  "created": 1726000000,
  "livemode": false,
  "type": "charge.dispute.closed",
  "data": {
    "object": {
      "id": "du_1Chargeback",
      "object": "dispute",
      "amount": 12550,
      "charge": {"id": "ch_3PaidCharge", "object": "charge"},
      "currency": "eur",
      "metadata": {},
      "payment_intent": "pi_3PaidIntent",
      "reason": "fraudulent",
      "status": "lost"
    }
  }
}`

const customerCreated = `{
  "id": "evt_1Customer",
  "object": "event",
  "api_version": "2023-10-16",
  "created": 1717000000,
  "livemode": false,
  "type": "customer.created",
  "data": {"object": {"id": "cus_Reglo42", "object": "customer", "email": "marie@example.org"}}
}`
