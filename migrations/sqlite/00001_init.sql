-- +goose Up
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);

CREATE TABLE creditors (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    name             TEXT NOT NULL,
    legal_name       TEXT NOT NULL DEFAULT '',
    legal_id         TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    currency         TEXT NOT NULL,
    contact_email    TEXT NOT NULL DEFAULT '',
    contact_phone    TEXT NOT NULL DEFAULT '',
    contact_hours    TEXT NOT NULL DEFAULT '',
    other_payment    TEXT NOT NULL DEFAULT '',
    time_zone        TEXT NOT NULL DEFAULT 'Europe/Paris',
    policy           TEXT NOT NULL,
    created_at       DATETIME NOT NULL
);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    creditor_id  BIGINT NOT NULL REFERENCES creditors(id),
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    revoked_at   DATETIME
);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    email            TEXT NOT NULL UNIQUE,
    password_hash    TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    creditor_id      BIGINT REFERENCES creditors(id),
    failed_logins    INTEGER NOT NULL DEFAULT 0,
    locked_until     DATETIME,
    created_at       DATETIME NOT NULL
);

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    creditor_id         BIGINT NOT NULL REFERENCES creditors(id),
    reference           TEXT NOT NULL,
    debtor_name         TEXT NOT NULL,
    debtor_email        TEXT NOT NULL DEFAULT '',
    debtor_phone        TEXT NOT NULL DEFAULT '',
    debtor_postcode     TEXT NOT NULL,
    debtor_language     TEXT NOT NULL CHECK (debtor_language IN ('fr', 'en')),
    debtor_kind         TEXT NOT NULL CHECK (debtor_kind IN ('consumer', 'business')),
    currency            TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('open', 'plan_requested', 'plan_active', 'promised', 'disputed', 'paid', 'closed')),
    policy_override     TEXT,
    stripe_customer_id  TEXT NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    UNIQUE (creditor_id, reference)
);
CREATE INDEX cases_status_idx ON cases (status);

CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    number       TEXT NOT NULL,
    issued_on    DATE NOT NULL,
    due_on       DATE NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, number)
);

CREATE TABLE invoice_lines (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id    BIGINT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    case_id       BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    label         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('principal', 'interest', 'fee')),
    amount_cents  BIGINT NOT NULL
);
CREATE INDEX invoice_lines_case_idx ON invoice_lines (case_id);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    invoice_id    BIGINT REFERENCES invoices(id),
    title         TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    storage_key   TEXT NOT NULL UNIQUE,
    source        TEXT NOT NULL DEFAULT 'creditor',
    created_at    DATETIME NOT NULL
);
CREATE INDEX documents_case_idx ON documents (case_id);

CREATE TABLE links (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id          BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    token_hash       TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL CHECK (channel IN ('copy', 'email', 'sms')),
    purpose          TEXT NOT NULL DEFAULT 'case',
    instalment_id    BIGINT,
    created_by       BIGINT,
    expires_at       DATETIME NOT NULL,
    revoked_at       DATETIME,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_at        DATETIME,
    last_opened_at   DATETIME,
    created_at       DATETIME NOT NULL
);
CREATE INDEX links_case_idx ON links (case_id);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('debtor', 'user')),
    case_id       BIGINT REFERENCES cases(id) ON DELETE CASCADE,
    user_id       BIGINT REFERENCES users(id) ON DELETE CASCADE,
    link_id       BIGINT REFERENCES links(id) ON DELETE SET NULL,
    created_at    DATETIME NOT NULL,
    last_seen_at  DATETIME NOT NULL,
    expires_at    DATETIME NOT NULL,
    revoked_at    DATETIME
);

CREATE TABLE plans (
    id                          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id                     BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    status                      TEXT NOT NULL CHECK (status IN ('requested', 'pending', 'active', 'completed', 'lapsed', 'cancelled', 'declined')),
    frequency                   TEXT NOT NULL,
    instalment_count            INTEGER NOT NULL,
    down_payment_cents          BIGINT NOT NULL DEFAULT 0,
    total_cents                 BIGINT NOT NULL,
    requested_instalment_cents  BIGINT NOT NULL DEFAULT 0,
    outside_reason              TEXT NOT NULL DEFAULT '',
    decision_reason             TEXT NOT NULL DEFAULT '',
    stripe_customer_id          TEXT NOT NULL DEFAULT '',
    stripe_payment_method_id    TEXT NOT NULL DEFAULT '',
    missed_count                INTEGER NOT NULL DEFAULT 0,
    created_at                  DATETIME NOT NULL,
    updated_at                  DATETIME NOT NULL
);
CREATE INDEX plans_case_idx ON plans (case_id);

CREATE TABLE instalments (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id            BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    case_id            BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    seq                INTEGER NOT NULL,
    due_on             DATE NOT NULL,
    amount_cents       BIGINT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('scheduled', 'processing', 'paid', 'failed', 'requires_action', 'cancelled')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    DATETIME,
    payment_intent_id  TEXT NOT NULL DEFAULT '',
    last_error         TEXT NOT NULL DEFAULT '',
    updated_at         DATETIME NOT NULL,
    UNIQUE (plan_id, seq)
);
CREATE INDEX instalments_due_idx ON instalments (status, due_on);

CREATE TABLE checkout_sessions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id            BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    stripe_session_id  TEXT NOT NULL,
    idempotency_key    TEXT NOT NULL,
    url                TEXT NOT NULL,
    amount_cents       BIGINT NOT NULL,
    purpose            TEXT NOT NULL,
    instalment_id      BIGINT,
    created_at         DATETIME NOT NULL,
    expires_at         DATETIME NOT NULL
);
-- Unique per case rather than globally: Stripe's ids are unique anyway,
-- and stripe-mock (demo, tests) answers every session with the same id.
CREATE UNIQUE INDEX checkout_sessions_case_session_idx ON checkout_sessions (case_id, stripe_session_id);

CREATE TABLE payments (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id            BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind               TEXT NOT NULL CHECK (kind IN ('card', 'instalment', 'refund', 'dispute', 'discount')),
    amount_cents       BIGINT NOT NULL,
    currency           TEXT NOT NULL,
    stripe_object_id   TEXT NOT NULL UNIQUE,
    payment_intent_id  TEXT NOT NULL DEFAULT '',
    checkout_session_id TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL DEFAULT '',
    instalment_id      BIGINT,
    description        TEXT NOT NULL DEFAULT '',
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE INDEX payments_case_idx ON payments (case_id);
CREATE INDEX payments_intent_idx ON payments (payment_intent_id);

CREATE TABLE stripe_events (
    id           TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    received_at  DATETIME NOT NULL
);

CREATE TABLE timeline_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('debtor', 'user', 'creditor', 'stripe', 'system')),
    actor_id    BIGINT,
    data        TEXT NOT NULL DEFAULT '{}',
    created_at  DATETIME NOT NULL
);
CREATE INDEX timeline_events_case_idx ON timeline_events (case_id, id);

-- Shared storage for Fiber's CSRF middleware, so every process behind a
-- load balancer accepts the tokens any of them issued.
CREATE TABLE csrf_tokens (
    key         TEXT PRIMARY KEY,
    value       BLOB NOT NULL,
    expires_at  DATETIME
);
CREATE INDEX csrf_tokens_expires_idx ON csrf_tokens (expires_at);

-- +goose Down
DROP TABLE csrf_tokens;
DROP TABLE timeline_events;
DROP TABLE stripe_events;
DROP TABLE payments;
DROP TABLE checkout_sessions;
DROP TABLE instalments;
DROP TABLE plans;
DROP TABLE sessions;
DROP TABLE links;
DROP TABLE documents;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE cases;
DROP TABLE users;
DROP TABLE api_keys;
DROP TABLE creditors;
DROP TABLE organisations;
