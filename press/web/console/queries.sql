-- name: create_session
INSERT INTO console_sessions (session_hash, user_id, expires_at)
VALUES ($1, $2, statement_timestamp() + make_interval(hours => $3))
RETURNING expires_at;

-- name: session_user
-- The staff user behind a live session, joined at every request: a disabled account has no
-- session. Notes the session's use at most once a minute, to spare writes.
WITH live AS (
    SELECT id, user_id, last_seen_at FROM console_sessions
    WHERE session_hash = $1 AND expires_at > statement_timestamp() AND NOT awaiting_code
), touch AS (
    UPDATE console_sessions s SET last_seen_at = statement_timestamp()
    FROM live
    WHERE s.id = live.id AND live.last_seen_at < statement_timestamp() - interval '1 minute'
)
SELECT u.id, u.email, u.name, u.role, u.created_at
FROM live JOIN staff_users u ON u.id = live.user_id
WHERE u.disabled_at IS NULL;

-- name: create_pending_session
-- A session that waits for the second factor's code, for a few minutes at most.
INSERT INTO console_sessions (session_hash, user_id, expires_at, awaiting_code)
VALUES ($1, $2, statement_timestamp() + interval '10 minutes', true);

-- name: pending_user
-- The staff user whose session waits for the code (as session_user, for that one page).
SELECT u.id, u.email, u.name, u.role, u.created_at
FROM console_sessions s JOIN staff_users u ON u.id = s.user_id
WHERE s.session_hash = $1 AND s.expires_at > statement_timestamp() AND s.awaiting_code
  AND u.disabled_at IS NULL;

-- name: end_session
DELETE FROM console_sessions WHERE session_hash = $1;

-- name: forget_expired_sessions
DELETE FROM console_sessions WHERE expires_at <= statement_timestamp();

-- name: database_now
SELECT statement_timestamp();

-- name: news_of_my_releases
-- What others did lately to the user's ($1) own releases, written or submitted by them:
-- sent back to draft (with the comment) or approved; newest first. The title in the
-- user's language ($2) or the first the release has.
SELECT a.at, a.action, a.actor, coalesce(a.changes->>'reason', '') AS comment, r.id,
    (SELECT t.title FROM release_translations t WHERE t.release_id = r.id
     ORDER BY t.lang = $2 DESC, array_position(ARRAY['fi', 'sv', 'en'], t.lang) LIMIT 1)
        AS title
FROM releases r
JOIN audit_log a ON a.entity = 'release' AND a.entity_id = r.id::text
WHERE $1 IN (r.created_by, r.submitted_by)
  AND a.action IN ('release.return', 'release.approve')
  AND a.actor_id IS DISTINCT FROM $1
  AND a.at > statement_timestamp() - interval '14 days'
ORDER BY a.id DESC
LIMIT 10;

-- name: recent_send_outs
-- The latest send-outs of releases to readers (each publication or embargo event the mail
-- consumer expanded) and where their mail stands, from the sender's own rows.
SELECT m.event_id, m.expanded_at, m.event_type = 'release.embargoed' AS embargoed,
    m.recipients, o.aggregate_id AS release_id,
    count(d.id) FILTER (WHERE d.state = 'sent') AS sent,
    count(d.id) FILTER (WHERE d.state IN ('queued', 'retry', 'sending')) AS waiting,
    count(d.id) FILTER (WHERE d.state IN ('failed', 'bounced', 'unknown')) AS failed,
    count(d.id) FILTER (WHERE d.state = 'cancelled') AS cancelled,
    (SELECT t.title FROM release_translations t WHERE t.release_id = o.aggregate_id
     ORDER BY t.lang = $2 DESC, array_position(ARRAY['fi', 'sv', 'en'], t.lang) LIMIT 1)
        AS title
FROM (SELECT * FROM mail_outbox_events
      WHERE event_type IN ('release.published', 'release.embargoed')
      ORDER BY expanded_at DESC, event_id LIMIT $1) m
JOIN outbox o ON o.id = m.event_id
LEFT JOIN mail_deliveries d ON d.event_id = m.event_id AND d.kind = 'release'
GROUP BY m.event_id, m.expanded_at, m.event_type, m.recipients, o.aggregate_id
ORDER BY m.expanded_at DESC, m.event_id;
