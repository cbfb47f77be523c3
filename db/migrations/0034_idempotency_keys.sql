-- Idempotency-Key on the staff API's writes (press.staff.idempotency). The first request with
-- a key inserts its row inside the request's own transaction, and the answer it gave is
-- written into the row by that same transaction just before it commits: a committed row
-- always holds the answer, and a request that failed (rolled back) leaves no row, so its key
-- may be used again. A second request with the key while the first runs waits on the primary
-- key for the first one's end. Keys are per staff user: two users' keys never meet.
--
-- `target` is the path with its query; method, target and the body's SHA-256 are what a
-- retry must repeat to be answered from the row. `status`, `headers` and `body` are null only
-- inside the first request's transaction. Rows older than 24 hours answer nothing and are
-- deleted a few at a time by later requests with a key (created_at's index finds them).
CREATE TABLE idempotency_keys (
    user_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    key text NOT NULL CHECK (key ~ '^[!-~]{1,255}$'),
    method text NOT NULL,
    target text NOT NULL,
    body_sha256 bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT statement_timestamp(),
    status smallint,
    headers jsonb,
    body bytea,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
