-- +goose Up
-- search_text is the case as the agents' search box sees it: reference,
-- debtor name, email, phone digits and postcode, lower-case and without
-- accents (portal.SearchText writes it). A trigram index makes
-- search_text LIKE '%...%' an index scan, so a search answers at once on
-- hundreds of thousands of cases.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE cases ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- Rows that exist already get an approximation (no accent folding) until
-- portal.Service.ReindexCaseSearch rewrites them.
UPDATE cases SET search_text = lower(reference || ' ' || debtor_name || ' ' || debtor_email || ' ' ||
    regexp_replace(debtor_phone, '[^0-9]', '', 'g') || ' ' || debtor_postcode);
CREATE INDEX cases_search_trgm_idx ON cases USING gin (search_text gin_trgm_ops);

-- Back-office logins: nothing to add (failed_logins and locked_until
-- exist since 00001); sessions of kind 'user' reuse the sessions table.

-- +goose Down
DROP INDEX cases_search_trgm_idx;
ALTER TABLE cases DROP COLUMN search_text;
