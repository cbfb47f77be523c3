-- Sessions of the staff console (/console/): a browser holds a random id in an HttpOnly
-- cookie; only its SHA-256 is stored. The user is joined at every request
-- (press.web.console.sessions.session_user), so whatever makes a staff user unable to sign
-- in ends their console sessions as well.
CREATE TABLE console_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_hash bytea NOT NULL UNIQUE,
    user_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_id);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
