-- The embargo reading room: magic links and sessions. Who may be in the room is one SQL
-- function, room_may_enter (migration 0026), asked at every request.

-- name: room_contact_by_email
-- The accredited journalist with this address, if they may enter the room now.
SELECT id FROM contacts
WHERE lower(email) = lower($1) AND room_may_enter(id);

-- name: recent_sign_in
-- A link asked for in the last minute and not yet used: send no other (the public form
-- must not be a way to flood someone's mailbox).
SELECT EXISTS (SELECT 1 FROM room_sign_ins WHERE contact_id = $1 AND used_at IS NULL
               AND requested_at > statement_timestamp() - interval '1 minute');

-- name: insert_sign_in
INSERT INTO room_sign_ins (id, contact_id, lang) VALUES ($1, $2, $3);

-- name: queue_sign_in_mail
INSERT INTO mail_deliveries (kind, event_id, release_id, contact_id, lang, embargoed)
VALUES ('sign_in', $1, NULL, $2, $3, false);

-- name: sign_in_state
-- What a magic link can still do: open, used, or expired (too old, or the person no longer
-- let in); no row: not a link press made.
SELECT CASE WHEN s.used_at IS NOT NULL THEN 'used'
            WHEN room_sign_in_open(s.id, s.contact_id) THEN 'open'
            ELSE 'expired' END
FROM room_sign_ins s WHERE s.id = $2 AND s.contact_id = $1
FOR UPDATE;

-- name: use_sign_in
UPDATE room_sign_ins SET used_at = statement_timestamp()
WHERE id = $2 AND contact_id = $1 AND room_sign_in_open(id, contact_id)
RETURNING id;

-- name: start_session
INSERT INTO room_sessions (token_hash, contact_id, sign_in_id, expires_at)
VALUES ($1, $2, $3, statement_timestamp() + make_interval(hours => $4));

-- name: room_journalist
-- The journalist a session cookie belongs to, while the session and the person both may be
-- in the room: asked at every request, so a suspension ends the session at the next one.
SELECT c.id, c.name, c.email
FROM room_sessions s JOIN contacts c ON c.id = s.contact_id
WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > statement_timestamp()
  AND room_may_enter(c.id);

-- name: end_session
UPDATE room_sessions SET ended_at = statement_timestamp()
WHERE token_hash = $1 AND ended_at IS NULL;

-- name: database_now
SELECT statement_timestamp();
