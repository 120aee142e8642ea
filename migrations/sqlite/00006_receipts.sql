-- +goose Up
-- When a payment's receipt was emailed, so it is sent once whatever the
-- number of processes or webhook deliveries.
ALTER TABLE payments ADD COLUMN receipt_sent_at DATETIME;

-- +goose Down
ALTER TABLE payments DROP COLUMN receipt_sent_at;
