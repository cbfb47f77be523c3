-- The console's second factor: a TOTP secret (RFC 6238) per staff user, on once confirmed
-- with a code. A code's time step is used once (last_step): a code seen in transit cannot be
-- replayed within its window.
CREATE TABLE staff_totp (
    user_id uuid PRIMARY KEY REFERENCES staff_users (id) ON DELETE CASCADE,
    secret text NOT NULL,
    confirmed_at timestamptz,
    last_step bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Recovery codes, each usable once instead of a TOTP code: only their SHA-256 is kept
-- (random 40-bit codes: no slow hash needed, the sign-in throttle bounds guessing).
CREATE TABLE staff_recovery_codes (
    user_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- A console session begun with the password of a user with a second factor waits for the
-- code: it opens no page (session_user), and on the code a new session replaces it.
ALTER TABLE console_sessions ADD COLUMN awaiting_code boolean NOT NULL DEFAULT false;
