-- +goose Up
-- The agents' worklist (issue 6) asks, for each reason a case needs a
-- person, "which cases have one?". Partial indexes hold only the few rows
-- that match, so each question stays an index scan on 100,000 cases.
CREATE INDEX links_locked_idx ON links (case_id) WHERE locked_at IS NOT NULL AND revoked_at IS NULL;
CREATE INDEX instalments_failed_idx ON instalments (case_id) WHERE status IN ('failed', 'requires_action');
CREATE INDEX plans_waiting_idx ON plans (case_id) WHERE status IN ('requested', 'lapsed');
CREATE INDEX payments_chargeback_idx ON payments (case_id) WHERE kind = 'dispute' AND state = 'open';
CREATE INDEX invoices_case_idx ON invoices (case_id);

-- What admins change outside any case (policy, creditor profile, API
-- keys, imports): append-only, like the case timeline.
CREATE TABLE audit_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    creditor_id      BIGINT REFERENCES creditors(id),
    user_id          BIGINT REFERENCES users(id),
    kind             TEXT NOT NULL,
    data             TEXT NOT NULL DEFAULT '{}',
    created_at       DATETIME NOT NULL
);
CREATE INDEX audit_events_creditor_idx ON audit_events (creditor_id, id);

-- +goose Down
DROP TABLE audit_events;
DROP INDEX invoices_case_idx;
DROP INDEX payments_chargeback_idx;
DROP INDEX plans_waiting_idx;
DROP INDEX instalments_failed_idx;
DROP INDEX links_locked_idx;
