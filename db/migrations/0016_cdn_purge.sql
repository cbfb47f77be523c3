-- The CDN purger reads the outbox at a position of its own, from now on: a CDN is told of
-- public changes made after it was configured, not of the history.
INSERT INTO outbox_consumers (name, last_txid) VALUES ('cdn', pg_current_xact_id())
ON CONFLICT (name) DO NOTHING;
