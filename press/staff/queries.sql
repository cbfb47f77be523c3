-- name: create_staff_user
INSERT INTO staff_users (email, name, role, password_hash)
VALUES ($1, $2, $3, $4)
RETURNING id, email, name, role, created_at;

-- name: list_staff_users
SELECT id, email, name, role, created_at FROM staff_users
WHERE disabled_at IS NULL ORDER BY lower(email);

-- name: fetch_login
-- The password hash of an active user, by e-mail address in any letter case.
SELECT id, password_hash FROM staff_users
WHERE lower(email) = lower($1) AND disabled_at IS NULL;

-- name: fetch_login_lock
SELECT locked_until FROM login_failures
WHERE email = lower($1) AND locked_until > statement_timestamp();

-- name: record_login_failure
-- Count failures in a 15-minute window; the fifth locks the address for 15 minutes.
INSERT INTO login_failures AS f (email, failures, first_failed_at)
VALUES (lower($1), 1, statement_timestamp())
ON CONFLICT (email) DO UPDATE SET
    failures = CASE WHEN f.first_failed_at < statement_timestamp() - interval '15 minutes'
                    THEN 1 ELSE f.failures + 1 END,
    first_failed_at = CASE WHEN f.first_failed_at < statement_timestamp() - interval '15 minutes'
                           THEN statement_timestamp() ELSE f.first_failed_at END,
    locked_until = CASE WHEN f.failures + 1 >= $2
                          AND f.first_failed_at >= statement_timestamp() - interval '15 minutes'
                        THEN statement_timestamp() + interval '15 minutes' END;

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
