-- Deleting a file removes its row at once and its bytes after commit: the object collector
-- (press/archive/collector.py) reads the outbox at a position of its own, from now on, and
-- removes an object once no file points at it, as its upload or as its public copy.
INSERT INTO outbox_consumers (name, last_txid) VALUES ('storage', pg_current_xact_id())
ON CONFLICT (name) DO NOTHING;
CREATE INDEX files_public_sha256 ON files (public_sha256);
