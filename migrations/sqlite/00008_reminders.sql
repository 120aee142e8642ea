-- +goose Up
-- Reminder scenarios: one per creditor and kind of debtor (consumer,
-- business), stored as the JSON the API reads and writes. A creditor with
-- no row uses the scenario shipped in the code.
CREATE TABLE reminder_scenarios (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    creditor_id  BIGINT NOT NULL REFERENCES creditors(id) ON DELETE CASCADE,
    debtor_kind  TEXT NOT NULL CHECK (debtor_kind IN ('consumer', 'business')),
    scenario     TEXT NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (creditor_id, debtor_kind)
);

-- Every message Reglo sends a debtor, whatever the reason: one durable row
-- per planned reminder step (claimed with a lease, sent at most once), and
-- one row per notice before an instalment (claimed the same way), and one
-- row per promise reminder or missed-instalment link, so the cap per debtor
-- per 7 days counts them all. recipient_hash is the SHA-256 of the
-- normalised address (no address in clear); unsubscribe_hash the SHA-256 of
-- the message's /u/{token}.
CREATE TABLE outreach_messages (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id           BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    reason            TEXT NOT NULL CHECK (reason IN ('reminder', 'promise_reminder', 'instalment_missed', 'instalment_notice')),
    step              BIGINT NOT NULL DEFAULT 0,
    channel           TEXT NOT NULL DEFAULT '',
    template          TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed', 'suppressed', 'uncertain', 'cancelled')),
    due_at            DATETIME NOT NULL,
    claimed_until     DATETIME,
    attempts          INTEGER NOT NULL DEFAULT 0,
    recipient_hash    TEXT NOT NULL DEFAULT '',
    link_id           BIGINT REFERENCES links(id) ON DELETE SET NULL,
    unsubscribe_hash  TEXT,
    outcome           TEXT NOT NULL DEFAULT '',
    sent_at           DATETIME,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE UNIQUE INDEX outreach_messages_step_idx ON outreach_messages (case_id, step) WHERE reason = 'reminder';
-- A notice before an instalment: step is the instalment's id.
CREATE UNIQUE INDEX outreach_messages_notice_idx ON outreach_messages (case_id, step) WHERE reason = 'instalment_notice';
-- A promise reminder or missed-instalment link held back by quiet hours or
-- the cap: step is the promise's or the instalment's id.
CREATE UNIQUE INDEX outreach_messages_held_idx ON outreach_messages (case_id, reason, step) WHERE reason IN ('promise_reminder', 'instalment_missed') AND state = 'planned';
CREATE UNIQUE INDEX outreach_messages_unsubscribe_idx ON outreach_messages (unsubscribe_hash) WHERE unsubscribe_hash IS NOT NULL;
CREATE INDEX outreach_messages_due_idx ON outreach_messages (state, due_at);
CREATE INDEX outreach_messages_case_sent_idx ON outreach_messages (case_id, sent_at);
CREATE INDEX outreach_messages_recipient_idx ON outreach_messages (recipient_hash, sent_at);

-- Opt-outs per channel and address (hashed like recipient_hash): an
-- opted-out channel is never used again for that address, whichever case.
CREATE TABLE opt_outs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    address_hash  TEXT NOT NULL,
    case_id       BIGINT REFERENCES cases(id) ON DELETE SET NULL,
    source        TEXT NOT NULL CHECK (source IN ('unsubscribe_link', 'sms_stop', 'agent')),
    created_at    DATETIME NOT NULL,
    UNIQUE (channel, address_hash)
);

-- +goose Down
DROP TABLE opt_outs;
DROP TABLE outreach_messages;
DROP TABLE reminder_scenarios;
