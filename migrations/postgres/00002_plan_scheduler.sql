-- +goose Up
-- The instalment row is the scheduler's durable job: claimed_until is the
-- lease a scheduler process holds while it charges the instalment. A lease
-- that expires (the process died between the Stripe call and its commit)
-- lets another process retry with the same attempt, hence the same
-- idempotency key, so Stripe answers with the same PaymentIntent.
ALTER TABLE instalments ADD COLUMN claimed_until TIMESTAMPTZ;
CREATE INDEX instalments_retry_idx ON instalments (status, next_attempt_at);

-- The plan a Checkout Session was opened for (first instalment, card
-- change, early payment), so a double submit reuses it.
ALTER TABLE checkout_sessions ADD COLUMN plan_id BIGINT;
CREATE INDEX checkout_sessions_plan_idx ON checkout_sessions (plan_id);

-- +goose Down
DROP INDEX checkout_sessions_plan_idx;
ALTER TABLE checkout_sessions DROP COLUMN plan_id;
DROP INDEX instalments_retry_idx;
ALTER TABLE instalments DROP COLUMN claimed_until;
