-- How many anonymous requests (subscribing, asking for one's data) came lately from one
-- client address or named one e-mail address, so that every app instance enforces one limit.
-- Keys are HMAC-SHA256 digests keyed with the secret key: no address is stored in clear.
CREATE TABLE anonymous_request_counts (
    scope text NOT NULL,
    key bytea NOT NULL,
    window_start timestamptz NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE INDEX anonymous_request_counts_window ON anonymous_request_counts (window_start);
