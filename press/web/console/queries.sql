-- name: create_session
INSERT INTO console_sessions (session_hash, user_id, expires_at)
VALUES ($1, $2, statement_timestamp() + make_interval(hours => $3))
RETURNING expires_at;

-- name: session_user
-- The staff user behind a live session, joined at every request: a disabled account has no
-- session. Notes the session's use at most once a minute, to spare writes.
WITH live AS (
    SELECT id, user_id, last_seen_at FROM console_sessions
    WHERE session_hash = $1 AND expires_at > statement_timestamp()
), touch AS (
    UPDATE console_sessions s SET last_seen_at = statement_timestamp()
    FROM live
    WHERE s.id = live.id AND live.last_seen_at < statement_timestamp() - interval '1 minute'
)
SELECT u.id, u.email, u.name, u.role, u.created_at
FROM live JOIN staff_users u ON u.id = live.user_id
WHERE u.disabled_at IS NULL;

-- name: end_session
DELETE FROM console_sessions WHERE session_hash = $1;

-- name: forget_expired_sessions
DELETE FROM console_sessions WHERE expires_at <= statement_timestamp();

-- name: database_now
SELECT statement_timestamp();
