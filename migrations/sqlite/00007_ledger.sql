-- +goose Up
-- Refunds and chargebacks as Stripe reported them, whether or not they
-- match a payment Reglo recorded: the ledger rows (payments of kind refund
-- and dispute) are derived from these, capped at what each payment brought
-- in, so events in any order give the same balance.
CREATE TABLE stripe_returns (
    return_key         TEXT PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('refund', 'dispute')),
    case_hint          BIGINT,
    payment_intent_id  TEXT NOT NULL DEFAULT '',
    charge_id          TEXT NOT NULL DEFAULT '',
    dispute_id         TEXT NOT NULL DEFAULT '',
    amount_cents       BIGINT NOT NULL,
    currency           TEXT NOT NULL,
    state              TEXT NOT NULL DEFAULT '',
    reason             TEXT NOT NULL DEFAULT '',
    stripe_event_id    TEXT NOT NULL,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE INDEX stripe_returns_intent_idx ON stripe_returns (payment_intent_id);
CREATE INDEX stripe_returns_charge_idx ON stripe_returns (charge_id);

-- Money Stripe reported that Reglo could not match to what a case paid:
-- never in a balance, held for an agent to resolve. case_id is null when
-- no case could be named.
CREATE TABLE unmatched_money (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    money_key           TEXT NOT NULL UNIQUE,
    case_id             BIGINT REFERENCES cases(id) ON DELETE CASCADE,
    reason              TEXT NOT NULL CHECK (reason IN ('unknown_payment', 'currency', 'excess', 'no_case')),
    amount_cents        BIGINT NOT NULL,
    currency            TEXT NOT NULL,
    stripe_event_id     TEXT NOT NULL,
    payment_intent_id   TEXT NOT NULL DEFAULT '',
    charge_id           TEXT NOT NULL DEFAULT '',
    checkout_session_id TEXT NOT NULL DEFAULT '',
    dispute_id          TEXT NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    resolved_at         DATETIME,
    resolved_by         BIGINT REFERENCES users(id),
    resolution_note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unmatched_money_open_idx ON unmatched_money (case_id) WHERE resolved_at IS NULL AND amount_cents <> 0;

-- The charge a payment's PaymentIntent made, so refunds and disputes that
-- name only the charge find it.
ALTER TABLE payments ADD COLUMN charge_id TEXT NOT NULL DEFAULT '';
CREATE INDEX payments_charge_idx ON payments (charge_id);

-- One request at a time creates a case's Checkout Session for one purpose:
-- the request that claims the row calls Stripe, the others wait for the
-- session it records. The claim lapses by itself if its process dies.
CREATE TABLE checkout_claims (
    case_id        BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    slot           TEXT NOT NULL,
    claimed_until  DATETIME,
    PRIMARY KEY (case_id, slot)
);

-- +goose Down
DROP TABLE checkout_claims;
DROP INDEX payments_charge_idx;
ALTER TABLE payments DROP COLUMN charge_id;
DROP TABLE unmatched_money;
DROP TABLE stripe_returns;
