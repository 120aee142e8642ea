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

-- The timeline and the audit trail are append-only, whatever the role:
-- the database itself refuses UPDATE, DELETE and TRUNCATE of their rows
-- (CONTRACT.md "Privacy"). They hold no personal data of their own, so
-- anonymising a case leaves them whole. (A case is never deleted, so the
-- ON DELETE CASCADE from cases is refused too.)
-- +goose StatementBegin
CREATE FUNCTION reglo_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER timeline_events_append_only BEFORE UPDATE OR DELETE ON timeline_events
    FOR EACH ROW EXECUTE FUNCTION reglo_append_only();
CREATE TRIGGER timeline_events_no_truncate BEFORE TRUNCATE ON timeline_events
    FOR EACH STATEMENT EXECUTE FUNCTION reglo_append_only();
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION reglo_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION reglo_append_only();

-- +goose Down
DROP TRIGGER audit_events_no_truncate ON audit_events;
DROP TRIGGER audit_events_append_only ON audit_events;
DROP TRIGGER timeline_events_no_truncate ON timeline_events;
DROP TRIGGER timeline_events_append_only ON timeline_events;
DROP FUNCTION reglo_append_only();
ALTER TABLE invoice_lines DROP COLUMN basis;
