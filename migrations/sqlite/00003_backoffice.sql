-- +goose Up
-- search_text is the case as the agents' search box sees it: reference,
-- debtor name, email, phone digits and postcode, lower-case and without
-- accents (portal.SearchText writes it). SQLite has no trigram index; a
-- plain LIKE scan is enough at its scale.
ALTER TABLE cases ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- Rows that exist already get an approximation (no accent folding, phone
-- as typed) until portal.Service.ReindexCaseSearch rewrites them.
UPDATE cases SET search_text = lower(reference || ' ' || debtor_name || ' ' || debtor_email || ' ' ||
    replace(debtor_phone, ' ', '') || ' ' || debtor_postcode);

-- +goose Down
ALTER TABLE cases DROP COLUMN search_text;
