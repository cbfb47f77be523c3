-- name: create_staff_user
INSERT INTO staff_users (email, name, role, password_hash)
VALUES ($1, $2, $3, $4)
RETURNING id, email, name, role, created_at, disabled_at;

-- name: list_staff_users
-- Staff users by e-mail address (disabled ones too with $1): after the position ($2 e-mail,
-- $3 id) when given, at most $4 (all with NULL). The cursor holds the address as stored and
-- lower() is applied here, so both sides of the comparison are lowered the same way.
SELECT id, email, name, role, created_at, disabled_at FROM staff_users
WHERE (disabled_at IS NULL OR $1)
  AND ($2::text IS NULL OR (lower(email), id) > (lower($2), $3::uuid))
ORDER BY lower(email), id
LIMIT $4;

-- name: lock_staff_user
SELECT id, email, name, role, created_at, disabled_at FROM staff_users
WHERE id = $1 FOR UPDATE;

-- name: staff_user_id
SELECT id FROM staff_users WHERE lower(email) = lower($1);

-- name: lock_active_admins
-- Locked in id order, so that two admins demoting or disabling each other at once take
-- turns, and the second sees the first's change (its row no longer matches).
SELECT id FROM staff_users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE;

-- name: set_staff_disabled
UPDATE staff_users
SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, statement_timestamp()) END
WHERE id = $1
RETURNING id, email, name, role, created_at, disabled_at;

-- name: set_staff_role
UPDATE staff_users SET role = $2 WHERE id = $1
RETURNING id, email, name, role, created_at, disabled_at;

-- name: set_staff_password
UPDATE staff_users SET password_hash = $2 WHERE id = $1;

-- name: revoke_staff_tokens
-- Every live credential of a user: bearer tokens and console sessions (signed out at once on
-- a disable, a password reset or a revocation); how many tokens there were.
WITH revoked AS (
    UPDATE staff_tokens SET revoked_at = statement_timestamp()
    WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > statement_timestamp()
    RETURNING id
), signed_out AS (
    DELETE FROM console_sessions WHERE user_id = $1
)
SELECT count(*) FROM revoked;

-- name: fetch_login
-- The password hash of an active user, by e-mail address in any letter case.
SELECT id, password_hash,
    EXISTS (SELECT 1 FROM staff_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
        AS second_factor
FROM staff_users u
WHERE lower(email) = lower($1) AND disabled_at IS NULL;

-- name: claim_login_attempt
-- Count a sign-in attempt for an address before its password is checked, in one statement
-- (concurrent attempts queue on the row, so a crowd cannot slip past the count): $2 are
-- checked in 15 minutes; any attempt past them locks the address for 15 minutes. Returns
-- the lock's end when this attempt may not be checked (NULL when it may), and the time now.
-- A correct password clears the count.
INSERT INTO login_failures AS f (email, failures, first_failed_at)
VALUES (lower($1), 1, statement_timestamp())
ON CONFLICT (email) DO UPDATE SET
    failures = CASE WHEN f.first_failed_at < statement_timestamp() - interval '15 minutes'
                         AND (f.locked_until IS NULL OR f.locked_until <= statement_timestamp())
                    THEN 1 ELSE f.failures + 1 END,
    first_failed_at = CASE WHEN f.first_failed_at < statement_timestamp() - interval '15 minutes'
                           AND (f.locked_until IS NULL
                                OR f.locked_until <= statement_timestamp())
                           THEN statement_timestamp() ELSE f.first_failed_at END,
    locked_until = CASE WHEN f.first_failed_at < statement_timestamp() - interval '15 minutes'
                             AND (f.locked_until IS NULL
                                  OR f.locked_until <= statement_timestamp())
                        THEN NULL
                        WHEN f.failures + 1 > $2
                        THEN coalesce(f.locked_until, statement_timestamp() + interval '15 minutes')
                        ELSE f.locked_until END
RETURNING CASE WHEN f.failures > $2 THEN f.locked_until END AS locked_until,
          statement_timestamp() AS now;

-- name: clear_login_failures
DELETE FROM login_failures WHERE email = lower($1);

-- name: create_staff_token
INSERT INTO staff_tokens (user_id, token_hash, expires_at)
VALUES ($1, $2, statement_timestamp() + make_interval(hours => $3))
RETURNING expires_at;

-- name: fetch_token_user
-- The user behind a live token; notes its use at most once a minute, to spare writes.
WITH live AS (
    SELECT id, user_id, last_used_at FROM staff_tokens
    WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > statement_timestamp()
), touch AS (
    UPDATE staff_tokens t SET last_used_at = statement_timestamp()
    FROM live
    WHERE t.id = live.id
      AND (live.last_used_at IS NULL
           OR live.last_used_at < statement_timestamp() - interval '1 minute')
)
SELECT u.id, u.email, u.name, u.role, u.created_at
FROM live JOIN staff_users u ON u.id = live.user_id
WHERE u.disabled_at IS NULL;

-- name: revoke_staff_token
UPDATE staff_tokens SET revoked_at = statement_timestamp()
WHERE token_hash = $1 AND revoked_at IS NULL;

-- name: record_audit
INSERT INTO audit_log (actor_id, actor, action, entity, entity_id, changes)
VALUES ($1, $2, $3, $4, $5, $6);

-- name: list_audit
-- Newest first, filtered by any of actor, action, entity, entity id and time range.
SELECT id, at, actor_id, actor, action, entity, entity_id, changes
FROM audit_log
WHERE ($1::uuid IS NULL OR actor_id = $1)
  AND ($2::text IS NULL OR action = $2)
  AND ($3::text IS NULL OR entity = $3)
  AND ($4::text IS NULL OR entity_id = $4)
  AND ($5::timestamptz IS NULL OR at >= $5)
  AND ($6::timestamptz IS NULL OR at < $6)
  AND ($7::bigint IS NULL OR id < $7)
ORDER BY id DESC
LIMIT $8;

-- name: set_staff_language
-- The language the user last chose in the console: the language of their workflow mail.
UPDATE staff_users SET lang = $2 WHERE id = $1 AND lang <> $2;

-- name: database_epoch
-- Now, by the database's clock, in seconds: the time TOTP codes are checked against.
SELECT extract(epoch FROM statement_timestamp())::float8;

-- name: has_second_factor
SELECT EXISTS (SELECT 1 FROM staff_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL);

-- name: begin_second_factor
-- The unconfirmed secret of the user, made now ($2) if there is none; NULL when one is on.
WITH made AS (
    INSERT INTO staff_totp (user_id, secret) VALUES ($1, $2)
    ON CONFLICT (user_id) DO NOTHING
    RETURNING secret
)
SELECT secret FROM made
UNION ALL
SELECT secret FROM staff_totp WHERE user_id = $1 AND confirmed_at IS NULL;

-- name: pending_second_factor
SELECT secret FROM staff_totp WHERE user_id = $1 AND confirmed_at IS NULL FOR UPDATE;

-- name: confirm_second_factor
UPDATE staff_totp SET confirmed_at = statement_timestamp(), last_step = $2
WHERE user_id = $1 AND confirmed_at IS NULL;

-- name: replace_recovery_codes
WITH gone AS (DELETE FROM staff_recovery_codes WHERE user_id = $1)
INSERT INTO staff_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[]);

-- name: confirmed_second_factor
SELECT secret, last_step FROM staff_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL;

-- name: use_second_factor_step
-- A code's step is used once: only a later step moves it, so a replay updates nothing.
UPDATE staff_totp SET last_step = $2
WHERE user_id = $1 AND confirmed_at IS NOT NULL AND last_step < $2
RETURNING true;

-- name: use_recovery_code
UPDATE staff_recovery_codes SET used_at = statement_timestamp()
WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
RETURNING true;

-- name: reset_second_factor
-- Whether one was on; the secret and the recovery codes are gone either way.
WITH codes AS (DELETE FROM staff_recovery_codes WHERE user_id = $1),
     secret AS (DELETE FROM staff_totp WHERE user_id = $1 RETURNING confirmed_at)
SELECT EXISTS (SELECT 1 FROM secret WHERE confirmed_at IS NOT NULL);

-- name: claim_idempotency_key
-- The key for this request: a row of its own (new, or an expired one taken over) comes back
-- with claimed = true. Where another request's row is in the way, the insert first waits for
-- that request's transaction: rolled back, the row is this request's; committed and not
-- expired, nothing comes back (the row is then read with fetch_idempotency_key).
INSERT INTO idempotency_keys AS k (user_id, key, method, target, body_sha256)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (user_id, key) DO UPDATE
SET method = excluded.method, target = excluded.target, body_sha256 = excluded.body_sha256,
    created_at = statement_timestamp(), status = NULL, headers = NULL, body = NULL
WHERE k.created_at <= statement_timestamp() - make_interval(hours => $6)
RETURNING true AS claimed;

-- name: fetch_idempotency_key
SELECT method, target, body_sha256, status, headers, body
FROM idempotency_keys WHERE user_id = $1 AND key = $2;

-- name: keep_idempotent_response
UPDATE idempotency_keys SET status = $3, headers = $4, body = $5
WHERE user_id = $1 AND key = $2;

-- name: forget_expired_idempotency_keys
-- A few expired keys go with each request that brings a key; SKIP LOCKED: two requests never
-- wait on, or deadlock over, the same old rows.
DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
    SELECT ctid FROM idempotency_keys
    WHERE created_at <= statement_timestamp() - make_interval(hours => $1)
    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED));
