-- +goose Up
-- The creditor API's Idempotency-Key: the first answer to a POST, kept 24
-- hours per creditor and key, with a hash of what was asked, so a repeat
-- with the same body answers the same and another body is refused.
-- A row whose status is 0 is a request still being answered.
CREATE TABLE api_idempotency (
    creditor_id   BIGINT NOT NULL REFERENCES creditors(id) ON DELETE CASCADE,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL DEFAULT 0,
    content_type  TEXT NOT NULL DEFAULT '',
    body          BYTEA,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (creditor_id, idem_key)
);
CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at);

-- +goose Down
DROP TABLE api_idempotency;
