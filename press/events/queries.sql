-- name: insert_event
INSERT INTO events (source, translations, starts_at, ends_at, timezone, location_name,
    location_address, latitude, longitude, online_url, accreditation_required, release_ids,
    contact_id, visible_from, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
RETURNING id;

-- name: fetch_event
SELECT * FROM events WHERE id = $1;

-- name: lock_event
SELECT * FROM events WHERE id = $1 FOR UPDATE;

-- name: list_events
-- Staff list: every event, hidden ones included, by start time.
SELECT * FROM events e
WHERE ($1::text IS NULL OR e.source = $1)
  AND ($2::timestamptz IS NULL OR (e.starts_at, e.id) > ($2, $3::uuid))
ORDER BY e.starts_at, e.id
LIMIT $4;

-- name: update_event
-- version counts every change (If-Match); sequence only those a calendar must apply.
UPDATE events SET source = $2, translations = $3, starts_at = $4, ends_at = $5,
    timezone = $6, location_name = $7, location_address = $8, latitude = $9,
    longitude = $10, online_url = $11, accreditation_required = $12, release_ids = $13,
    contact_id = $14, status = $15, visible_from = $16,
    sequence = sequence + CASE WHEN $17 THEN 1 ELSE 0 END,
    version = version + 1, updated_at = statement_timestamp()
WHERE id = $1;

-- name: delete_event
DELETE FROM events WHERE id = $1;

-- name: event_is_public_now
SELECT event_is_public(visible_from) FROM events WHERE id = $1;

-- name: unknown_releases
SELECT u.id FROM unnest($1::uuid[]) AS u (id)
WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.id = u.id);

-- name: list_public_events
-- Public events overlapping [$1, $2), by start time. Everything public passes through
-- public_events.
SELECT * FROM public_events e
WHERE ($1::timestamptz IS NULL OR e.ends_at >= $1)
  AND ($2::timestamptz IS NULL OR e.starts_at < $2)
  AND ($3::text IS NULL OR e.source = $3)
  AND ($4::text IS NULL OR e.translations ? $4)
  AND ($5::timestamptz IS NULL OR (e.starts_at, e.id) > ($5, $6::uuid))
ORDER BY e.starts_at, e.id
LIMIT $7;

-- name: fetch_public_event
SELECT * FROM public_events WHERE id = $1;

-- name: seconds_to_next_event_reveal
-- Public caches must not keep an event list past the moment a hidden event appears.
-- After the transaction began, as releases' seconds_to_next_lift says why.
SELECT extract(epoch FROM min(visible_from) - statement_timestamp())::float8
FROM events WHERE visible_from > transaction_timestamp();

-- name: list_events_ahead
-- Staff's upcoming events: those not yet over by the database's clock, soonest first.
SELECT * FROM events WHERE ends_at >= statement_timestamp()
ORDER BY starts_at, id
LIMIT $1;

-- name: list_events_past
-- Staff's past events: those over, the most recent first.
SELECT * FROM events WHERE ends_at < statement_timestamp()
ORDER BY starts_at DESC, id DESC
LIMIT $1;
