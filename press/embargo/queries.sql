-- name: lift_due_releases
-- Record the publication of every release whose time has come, oldest first. The rows are
-- locked and re-read here: a release rescheduled, unscheduled, withdrawn or deleted since the
-- loop woke no longer matches and is left alone. SKIP LOCKED passes over a release an editor
-- holds right now; the editor's commit notifies the loop, which comes back for it.
-- "Due" is judged at the transaction's start, now(): the outbox event and audit entry written
-- in this transaction carry that same instant, so none of them can predate its publish_at. A
-- release falling due a few milliseconds later is taken by the loop's next pass.
WITH due AS (
    SELECT id FROM releases
    WHERE state = 'scheduled' AND publish_at <= now()
    ORDER BY publish_at, id
    LIMIT $1
    FOR UPDATE SKIP LOCKED
)
UPDATE releases r SET state = 'published'
FROM due
WHERE r.id = due.id AND r.state = 'scheduled' AND r.publish_at <= now()
RETURNING r.id, r.publish_at, r.version;

-- name: seconds_to_next_due
-- Seconds from the transaction's start until the earliest scheduled release is due (negative
-- when one is overdue); NULL when nothing is scheduled.
SELECT extract(epoch FROM min(publish_at) - now())::float8
FROM releases WHERE state = 'scheduled';

-- name: lift_overdue
-- Releases due more than $1 seconds ago that the lift loop has not recorded.
SELECT count(*) AS overdue,
    coalesce(extract(epoch FROM statement_timestamp() - min(publish_at)), 0)::float8
        AS oldest_seconds
FROM releases
WHERE state = 'scheduled' AND publish_at < statement_timestamp() - make_interval(secs => $1);

-- name: list_schedule
-- Everything scheduled, in lift order, with a title to recognise it by: after the position
-- ($1 publish_at, $2 id) when given, at most $3 rows (all with NULL).
SELECT r.id, r.source, r.publish_at, r.embargo, r.embargo_terms, r.version,
    coalesce((SELECT t.title FROM release_translations t WHERE t.release_id = r.id
              ORDER BY array_position(ARRAY['fi', 'sv', 'en'], t.lang) LIMIT 1), '') AS title,
    r.publish_at <= statement_timestamp() AS due,
    statement_timestamp() AS db_now
FROM releases r
WHERE r.state = 'scheduled'
  AND ($1::timestamptz IS NULL OR (r.publish_at, r.id) > ($1, $2::uuid))
ORDER BY r.publish_at, r.id
LIMIT $3;

-- name: contact_exists
SELECT EXISTS (SELECT 1 FROM contacts WHERE id = $1 AND status <> 'erased');

-- name: insert_journalist_token
-- A token of scope $5 for contact $1. One made with token $6 ends no later than that one
-- (least() skips a NULL: no end asked for is the parent's end) and a feed token makes none.
-- An end already past (database clock) inserts nothing.
WITH parent AS (SELECT expires_at, scope FROM journalist_tokens WHERE id = $6)
INSERT INTO journalist_tokens (contact_id, token_hash, label, expires_at, scope, parent_id)
SELECT $1, $2, $3, least($4::timestamptz, p.expires_at), $5, $6
FROM (SELECT) AS one LEFT JOIN parent p ON true
WHERE ($4::timestamptz IS NULL OR $4 > statement_timestamp())
  AND ($6::uuid IS NULL OR p.scope = 'api')
RETURNING id, contact_id, label, scope, parent_id, created_at, expires_at, revoked_at,
          last_used_at;

-- name: list_journalist_tokens
-- A contact's tokens, newest first: after the position ($2 created_at, $3 id) when given, at
-- most $4 (all with NULL).
SELECT id, contact_id, label, scope, parent_id, created_at, expires_at, revoked_at,
       last_used_at
FROM journalist_tokens
WHERE contact_id = $1
  AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $4;

-- name: revoke_journalist_token
-- Token $1 of contact $2 and every token made with it, at any depth (a leaked token's
-- offspring must stop with it), except token $3 and those made with it: the token the
-- journalist is revoking with, when it was made with the one revoked (a rotation: make a
-- new token, revoke the old one with it). The revoked token's own id comes first; no row
-- when the contact has no such token.
WITH RECURSIVE made AS (
    SELECT id, 0 AS depth FROM journalist_tokens WHERE id = $1 AND contact_id = $2
    UNION ALL
    SELECT t.id, m.depth + 1 FROM journalist_tokens t JOIN made m ON t.parent_id = m.id
    WHERE t.id IS DISTINCT FROM $3::uuid
),
revoked AS (
    UPDATE journalist_tokens t SET revoked_at = coalesce(t.revoked_at, statement_timestamp())
    FROM made WHERE t.id = made.id
    RETURNING t.id
)
SELECT made.id FROM made JOIN revoked ON revoked.id = made.id ORDER BY made.depth, made.id;

-- name: list_embargoed_releases
-- What accredited journalist $1 may read: releases under embargo whose list has them (or
-- that have no list), soonest lift first: after the position ($2 publish_at, $3 id) when
-- given, at most $4 (all with NULL).
SELECT r.id, r.source, r.topics, r.translations, r.publish_at, r.embargo_terms, r.updated_at
FROM release_documents r
WHERE release_is_embargoed(r.state, r.publish_at, r.embargo) AND embargo_recipient(r.id, $1)
  AND ($2::timestamptz IS NULL OR (r.publish_at, r.id) > ($2, $3::uuid))
ORDER BY r.publish_at, r.id
LIMIT $4;

-- name: fetch_embargoed_release
SELECT r.id, r.source, r.topics, r.translations, r.publish_at, r.embargo_terms, r.updated_at
FROM release_documents r
WHERE r.id = $1 AND release_is_embargoed(r.state, r.publish_at, r.embargo)
  AND embargo_recipient(r.id, $2);

-- name: embargo_list
-- A release's embargo list, with whether each person can have it now.
SELECT c.id, c.name, c.email,
       (c.status = 'active' AND c.embargo_access AND c.suspended_at IS NULL
        AND (c.accredited_until IS NULL OR c.accredited_until
             >= (statement_timestamp() AT TIME ZONE 'Europe/Helsinki')::date)) AS accredited,
       l.added_at
FROM release_embargo_recipients l JOIN contacts c ON c.id = l.contact_id
WHERE l.release_id = $1
ORDER BY c.name, c.id;

-- name: release_for_embargo_list
SELECT state, embargo, publish_at FROM releases WHERE id = $1 FOR UPDATE;

-- name: unknown_contacts
SELECT id FROM unnest($1::uuid[]) AS given (id)
WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = given.id AND c.status <> 'erased');

-- name: replace_embargo_list
WITH gone AS (DELETE FROM release_embargo_recipients
              WHERE release_id = $1 AND NOT (contact_id = ANY ($2::uuid[])))
INSERT INTO release_embargo_recipients (release_id, contact_id)
SELECT $1, unnest($2::uuid[])
ON CONFLICT DO NOTHING;

-- name: record_embargo_reads
INSERT INTO embargo_reads (contact_id, token_id, release_id)
SELECT $1, $2, unnest($3::uuid[]);

-- name: list_embargo_reads
-- Who read release $1 under embargo, newest first: after the position ($2 at, $3 id) when
-- given, at most $4 (all with NULL).
SELECT e.id, e.contact_id, c.name AS contact_name, c.email AS contact_email, e.token_id, e.at
FROM embargo_reads e JOIN contacts c ON c.id = e.contact_id
WHERE e.release_id = $1
  AND ($2::timestamptz IS NULL OR (e.at, e.id) < ($2, $3::bigint))
ORDER BY e.at DESC, e.id DESC
LIMIT $4;

-- name: release_exists
SELECT EXISTS (SELECT 1 FROM releases WHERE id = $1);

-- name: insert_webhook
-- No row when a console form's key ($7) made a webhook already, committed or in a transaction
-- still running (the insert waits for its end): a form sent twice makes one. Without a key
-- (NULL) there is never a conflict.
INSERT INTO webhooks (url, description, event_types, secret, active, created_by, form_key)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (form_key) DO NOTHING
RETURNING *;

-- name: fetch_webhook_by_form_key
SELECT * FROM webhooks WHERE form_key = $1;

-- name: list_webhooks
-- Subscriptions, oldest first: after the position ($1 created_at, $2 id) when given, at most
-- $3 (all with NULL).
SELECT * FROM webhooks
WHERE $1::timestamptz IS NULL OR (created_at, id) > ($1, $2::uuid)
ORDER BY created_at, id
LIMIT $3;

-- name: fetch_webhook
SELECT * FROM webhooks WHERE id = $1;

-- name: update_webhook
UPDATE webhooks SET url = $2, description = $3, event_types = $4, secret = $5, active = $6,
    updated_at = statement_timestamp(), version = version + 1
WHERE id = $1
RETURNING *;

-- name: delete_webhook
DELETE FROM webhooks WHERE id = $1 RETURNING id;

-- name: claim_outbox_consumer
-- One instance reads a consumer's position at a time; the others skip rather than queue
-- behind it. The claim is an advisory lock held until the transaction ends, not a row lock:
-- neither it nor the plain read of the position (outbox_position) gives the transaction an
-- id, so a consumer waiting on its endpoint (a CDN purge that hangs) does not hold back the
-- horizon of every other consumer (next_outbox_events); its transaction gets an id only
-- when it moves its position, as it commits. The position is read in a statement of its
-- own, after the claim: its snapshot then sees the move of the instance that held it last.
SELECT pg_try_advisory_xact_lock(hashtextextended('press.outbox-consumer:' || $1, 0));

-- name: outbox_position
-- A consumer's position. One at or past the snapshot's xmax, which no event read so far can
-- have, means the data came from a dump restored into a new cluster: start over from the
-- beginning (deliveries are unique per webhook and event, so events already fanned out are
-- not sent again).
SELECT CASE WHEN restored THEN '0' ELSE last_txid::text END AS last_txid,
    CASE WHEN restored THEN 0 ELSE last_seq END AS last_seq
FROM (SELECT last_txid >= pg_snapshot_xmax(pg_current_snapshot()) AS restored, last_txid,
          last_seq
      FROM outbox_consumers WHERE name = $1) AS position;

-- name: next_outbox_events
-- Final events after the consumer's position: those below the horizon, the oldest
-- transaction still running in this database (or, if none is, the snapshot's xmax). Below
-- it no transaction that could still write an earlier row is running (see 0002_embargo.sql).
-- Transaction ids are the server's, so the snapshot's xmin would also wait for transactions
-- of other databases, which never write here: a long one elsewhere on a shared server held
-- every webhook, purge and ping for as long as it ran. A running transaction is left out
-- only when its lock shows a backend of another database holding it; one whose backend is
-- not seen (it ended since the snapshot, or it is prepared) still holds the horizon.
WITH snapshot AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
elsewhere AS MATERIALIZED (
    SELECT l.transactionid::text::bigint AS xid32
    FROM pg_locks l CROSS JOIN LATERAL pg_stat_get_activity(l.pid) a
    WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
      AND l.pid IS NOT NULL -- a prepared transaction's: no backend, and NULL would mean all
      AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
),
horizon AS (
    SELECT coalesce(
        (SELECT min(x) FROM snapshot, pg_snapshot_xip(s) AS x
         WHERE x::text::bigint % 4294967296 NOT IN (SELECT xid32 FROM elsewhere)),
        (SELECT pg_snapshot_xmax(s) FROM snapshot)) AS txid
)
SELECT id, txid::text AS txid, seq FROM outbox
WHERE txid < (SELECT txid FROM horizon)
  AND (txid, seq) > ($1::text::xid8, $2::bigint)
ORDER BY txid, seq
LIMIT $3;

-- name: advance_outbox_consumer
UPDATE outbox_consumers SET last_txid = $2::text::xid8, last_seq = $3,
    updated_at = statement_timestamp()
WHERE name = $1;

-- name: insert_deliveries
INSERT INTO webhook_deliveries (webhook_id, outbox_id, event_type)
SELECT w.id, o.id, o.event_type
FROM outbox o JOIN webhooks w ON w.active AND webhook_matches(w.event_types, o.event_type)
WHERE o.id = ANY($1::uuid[])
ORDER BY o.txid, o.seq, w.id
ON CONFLICT (webhook_id, outbox_id) DO NOTHING;

-- name: claim_deliveries
-- Claim due deliveries by moving their next attempt past the lease: another instance skips
-- them, and if this one dies mid-request they come due again when the lease runs out.
WITH claimed AS (
    SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id AND w.active
    WHERE d.state = 'pending' AND d.next_attempt_at <= statement_timestamp()
    ORDER BY d.next_attempt_at, d.created_at, d.id
    LIMIT $1
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE webhook_deliveries d
SET next_attempt_at = statement_timestamp() + make_interval(secs => $2),
    attempts = d.attempts + 1
FROM claimed, webhooks w, outbox o
WHERE d.id = claimed.id AND w.id = d.webhook_id AND o.id = d.outbox_id
RETURNING d.id, d.attempts, d.event_type, w.url, w.secret, o.payload, o.created_at AS occurred_at;

-- name: record_delivery_attempt
-- The result of one attempt: delivered, retry after $3 seconds, or failed for good.
WITH attempt AS (
    INSERT INTO webhook_attempts (delivery_id, status, error, duration_ms)
    VALUES ($1, $4, $5, $6)
)
UPDATE webhook_deliveries SET
    state = $2,
    next_attempt_at = CASE WHEN $2 = 'pending'
        THEN statement_timestamp() + make_interval(secs => $3) ELSE next_attempt_at END,
    delivered_at = CASE WHEN $2 = 'delivered' THEN statement_timestamp() END,
    last_status = $4, last_error = $5
WHERE id = $1 AND state = 'pending';

-- name: list_deliveries
SELECT d.id, d.webhook_id, d.outbox_id, d.event_type, d.state, d.attempts, d.next_attempt_at,
    d.last_status, d.last_error, d.created_at, d.delivered_at,
    coalesce((SELECT jsonb_agg(jsonb_build_object(
                  'at', a.at, 'status', a.status, 'error', a.error,
                  'duration_ms', a.duration_ms) ORDER BY a.id)
              FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
FROM webhook_deliveries d
WHERE d.webhook_id = $1
  AND ($2::text IS NULL OR d.state = $2)
  AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3, $4::uuid))
ORDER BY d.created_at DESC, d.id DESC
LIMIT $5;

-- name: retry_delivery
-- Staff send a delivery again: a fresh round of attempts, starting now.
UPDATE webhook_deliveries SET state = 'pending', attempts = 0,
    next_attempt_at = statement_timestamp(), delivered_at = NULL
WHERE id = $1 AND webhook_id = $2
RETURNING id;

-- name: webhook_backlog
SELECT count(*) FILTER (WHERE state = 'pending') AS pending,
    count(*) FILTER (WHERE state = 'failed') AS failed
FROM webhook_deliveries;

-- name: lift_release
-- One release, lifted by a staff action that found it public but not yet recorded. Judged
-- by the statement's clock, as the visibility predicate judges it.
UPDATE releases SET state = 'published'
WHERE id = $1 AND state = 'scheduled' AND publish_at <= statement_timestamp()
RETURNING id, publish_at, version;

-- name: accredited_until
SELECT accredited_until FROM contacts WHERE id = $1;

-- name: public_outbox_events
-- What an announcer may tell the outside of these events: only the public ones.
SELECT event_type, aggregate_id FROM outbox
WHERE id = ANY($1::uuid[]) AND webhook_event_is_public(event_type)
ORDER BY txid, seq;

-- name: accredited_journalists
-- Who may be put on an embargo list and read under it today: the pick list of the console's
-- schedule form, by name. The same test of accreditation as embargo_list.
SELECT c.id, c.name, c.email FROM contacts c
WHERE c.status = 'active' AND c.embargo_access AND c.suspended_at IS NULL
  AND (c.accredited_until IS NULL
       OR c.accredited_until >= (statement_timestamp() AT TIME ZONE 'Europe/Helsinki')::date)
ORDER BY c.name, c.id;
