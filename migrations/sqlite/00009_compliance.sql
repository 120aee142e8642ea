-- +goose Up
-- What each invoice line rests on (issue 15): a fee on a business case is
-- either the fixed recovery indemnity of French Commercial Code L441-10
-- ('recovery_indemnity', 40 EUR per invoice) or a sum the contract provides
-- ('contract'); interest is at the legal rate ('legal_rate'), the commercial
-- late-payment rate of L441-10 ('commercial_rate', business only) or the
-- contract's ('contract'). Principal lines have none (''). The rule itself
-- lives in the case core (portal/lines.go); rows written before this
-- migration keep ''.
ALTER TABLE invoice_lines ADD COLUMN basis TEXT NOT NULL DEFAULT '';

-- The timeline and the audit trail are append-only: the database itself
-- refuses UPDATE and DELETE of their rows (CONTRACT.md "Privacy"). They
-- hold no personal data of their own, so anonymising a case leaves them
-- whole. (A case is never deleted, so the cascade from cases is refused too.)
-- +goose StatementBegin
CREATE TRIGGER timeline_events_no_update BEFORE UPDATE ON timeline_events
BEGIN
    SELECT RAISE(ABORT, 'timeline_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER timeline_events_no_delete BEFORE DELETE ON timeline_events
BEGIN
    SELECT RAISE(ABORT, 'timeline_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_events_no_delete;
DROP TRIGGER audit_events_no_update;
DROP TRIGGER timeline_events_no_delete;
DROP TRIGGER timeline_events_no_update;
ALTER TABLE invoice_lines DROP COLUMN basis;
