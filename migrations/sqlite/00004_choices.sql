-- +goose Up
-- The debtor's other choices (issue 7). Each table is also a worklist
-- source: case_id, status ('open' until an agent or the scheduler acts),
-- created_at and the debtor's own words or figures.

-- A promise to pay on a date, optionally a given amount (0: the balance).
-- reminded_at claims the day-before reminder once, whichever process sends it.
CREATE TABLE promises (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    due_on        DATE NOT NULL,
    amount_cents  BIGINT NOT NULL DEFAULT 0 CHECK (amount_cents >= 0),
    status        TEXT NOT NULL CHECK (status IN ('open', 'kept', 'missed', 'replaced')),
    reminded_at   DATETIME,
    created_at    DATETIME NOT NULL,
    resolved_at   DATETIME
);
CREATE INDEX promises_case_idx ON promises (case_id, id);
CREATE INDEX promises_due_idx ON promises (status, due_on);

-- "I don't think I owe this". invoice_ids and document_ids are JSON arrays
-- of ids of the case's invoices and of the debtor's uploaded documents.
CREATE TABLE disputes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    reason        TEXT NOT NULL CHECK (reason IN ('not_me', 'already_paid', 'amount_wrong', 'not_received_or_faulty', 'other')),
    invoice_ids   TEXT NOT NULL DEFAULT '[]',
    text          TEXT NOT NULL DEFAULT '',
    document_ids  TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
    outcome       TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'close', 'correct')),
    resolution    TEXT NOT NULL DEFAULT '',
    resolved_by   BIGINT REFERENCES users(id),
    resolved_at   DATETIME,
    created_at    DATETIME NOT NULL
);
CREATE INDEX disputes_case_idx ON disputes (case_id, id);
CREATE INDEX disputes_status_idx ON disputes (status, created_at);

-- "I can't pay now". budget is the debtor's monthly budget as JSON ('' when
-- not given); proposal_* is the plan Reglo offered from it (0: none fitted).
CREATE TABLE help_requests (
    id                         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id                    BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    reason                     TEXT NOT NULL CHECK (reason IN ('lost_income', 'illness', 'unexpected_costs', 'other')),
    budget                     TEXT NOT NULL DEFAULT '',
    disposable_cents           BIGINT,
    proposal_count             INTEGER NOT NULL DEFAULT 0,
    proposal_instalment_cents  BIGINT NOT NULL DEFAULT 0,
    callback_on                DATE,
    callback_slot              TEXT NOT NULL DEFAULT '' CHECK (callback_slot IN ('', 'morning', 'afternoon', 'evening')),
    pause_requested            BOOLEAN NOT NULL DEFAULT 0,
    status                     TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    created_at                 DATETIME NOT NULL,
    resolved_at                DATETIME
);
CREATE INDEX help_requests_case_idx ON help_requests (case_id, id);
CREATE INDEX help_requests_status_idx ON help_requests (status, created_at);

-- +goose Down
DROP TABLE help_requests;
DROP TABLE disputes;
DROP TABLE promises;
