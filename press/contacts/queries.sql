-- name: create_contact
INSERT INTO contacts (name, email, embargo_access, accredited_until, other_emails, phones,
                      country, languages, beats, sources, notes, tags, lawful_basis)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
RETURNING id;

-- name: fetch_contact
SELECT * FROM contact_documents WHERE id = $1 AND status <> 'erased';

-- name: lock_contact
SELECT id FROM contacts WHERE id = $1 AND status <> 'erased' FOR UPDATE;

-- name: update_contact
-- Every editable column at once: the caller merged the change into what it read.
UPDATE contacts SET name = $2, email = $3, embargo_access = $4, accredited_until = $5,
    other_emails = $6, phones = $7, country = $8, languages = $9, beats = $10, sources = $11,
    notes = $12, tags = $13, lawful_basis = $14, status = $15,
    updated_at = statement_timestamp(), version = version + 1
WHERE id = $1;

-- name: touch_contact
UPDATE contacts SET updated_at = statement_timestamp(), version = version + 1 WHERE id = $1;

-- name: clear_contact_outlets
DELETE FROM contact_outlets WHERE contact_id = $1;

-- name: add_contact_outlets
-- Unknown outlet ids are left out; the caller compares the count.
INSERT INTO contact_outlets (contact_id, outlet_id, role)
SELECT $1, o.id, l.role
FROM unnest($2::uuid[], $3::text[]) AS l (outlet_id, role) JOIN outlets o ON o.id = l.outlet_id
ON CONFLICT DO NOTHING;

-- name: contacts_with_emails
-- Contacts (not erased) holding any of these addresses, as primary or other address.
SELECT id FROM contacts
WHERE status <> 'erased' AND ($2::uuid IS NULL OR id <> $2)
  AND (lower(email) = ANY ($1::text[])
       OR EXISTS (SELECT 1 FROM unnest(other_emails) e WHERE lower(e) = ANY ($1::text[])))
ORDER BY id LIMIT 1;

-- name: near_duplicates
-- Same name (ignoring case and accents) and the same outlet, or neither has an outlet.
SELECT o.id, o.name, o.email
FROM contacts me JOIN contacts o
  ON o.id <> me.id AND o.status <> 'erased'
 AND registry_fold(o.name) = registry_fold(me.name)
WHERE me.id = $1
  AND (EXISTS (SELECT 1 FROM contact_outlets a JOIN contact_outlets b USING (outlet_id)
               WHERE a.contact_id = me.id AND b.contact_id = o.id)
       OR (NOT EXISTS (SELECT 1 FROM contact_outlets WHERE contact_id = me.id)
           AND NOT EXISTS (SELECT 1 FROM contact_outlets WHERE contact_id = o.id)))
ORDER BY o.sort_key, o.id LIMIT 20;

-- name: list_contacts
-- Filters are optional ($n IS NULL). The search folds accents and case on both sides and
-- accepts typos through trigram word similarity; the order is the Nordic sort key.
SELECT d.* FROM contact_documents d
WHERE ($1::text IS NULL
       OR d.search_text LIKE '%' || registry_fold($1) || '%'
       OR registry_fold($1) <% d.search_text
       OR lower(d.email) LIKE '%' || lower($1) || '%'
       OR EXISTS (SELECT 1 FROM contact_outlets co JOIN outlets o ON o.id = co.outlet_id
                  WHERE co.contact_id = d.id
                    AND (o.search_text LIKE '%' || registry_fold($1) || '%'
                         OR registry_fold($1) <% o.search_text)))
  AND ($2::text IS NULL OR $2 = ANY (d.beats))
  AND ($3::text IS NULL OR $3 = ANY (d.sources))
  AND ($4::text IS NULL OR $4 = ANY (d.languages))
  AND ($5::text IS NULL OR d.country = $5)
  AND ($6::boolean IS NULL OR d.accredited = $6)
  AND (CASE WHEN $7::text IS NULL THEN d.status <> 'erased' ELSE d.status = $7 END)
  AND ($8::uuid IS NULL OR EXISTS (SELECT 1 FROM contact_outlets co
                                   WHERE co.contact_id = d.id AND co.outlet_id = $8))
  AND ($9::text IS NULL OR $9 = ANY (d.tags))
  AND ($10::text IS NULL OR (d.sort_key, d.id) > ($10::text COLLATE "C", $11::uuid))
ORDER BY d.sort_key, d.id
LIMIT $12;

-- name: delete_contact
DELETE FROM contacts WHERE id = $1;

-- name: record_accreditation
INSERT INTO accreditation_events (contact_id, kind, evidence, verified_by, verified_on,
                                  valid_until, reason)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: list_accreditation
-- A contact's accreditation history, oldest first: the events after id $2 (all with NULL), at
-- most $3 of them (all with NULL).
SELECT id, kind, evidence, verified_by, verified_on, valid_until, reason, created_at
FROM accreditation_events WHERE contact_id = $1 AND ($2::bigint IS NULL OR id > $2)
ORDER BY id LIMIT $3;

-- name: set_accreditation
UPDATE contacts SET embargo_access = $2, accredited_until = $3, suspended_at = $4,
    suspension_reason = $5, updated_at = statement_timestamp(), version = version + 1
WHERE id = $1;

-- name: add_consent
INSERT INTO consents (contact_id, purpose, text_version, channel, given_at)
VALUES ($1, $2, $3, $4, coalesce($5, statement_timestamp()))
RETURNING id, purpose, text_version, channel, given_at, withdrawn_at;

-- name: list_consents
-- A contact's consent records, oldest first: those after id $2 (all with NULL), at most $3 of
-- them (all with NULL).
SELECT id, purpose, text_version, channel, given_at, withdrawn_at
FROM consents WHERE contact_id = $1 AND ($2::bigint IS NULL OR id > $2)
ORDER BY id LIMIT $3;

-- name: withdraw_consent
UPDATE consents SET withdrawn_at = statement_timestamp()
WHERE contact_id = $1 AND id = $2 AND withdrawn_at IS NULL
RETURNING id, purpose, text_version, channel, given_at, withdrawn_at;

-- name: cancel_pending_deliveries
-- The person may no longer receive mail: nothing queued for them goes out.
UPDATE mail_deliveries SET state = 'cancelled', leased_until = NULL,
    last_error = $2
WHERE contact_id = $1 AND state IN ('queued', 'retry') AND NOT contact_may_receive($1);

-- name: fetch_subscription
SELECT sources, topics, languages, embargoed, state, requested_at, confirmed_at,
       unsubscribed_at
FROM subscriptions WHERE contact_id = $1;

-- name: put_subscription
-- Staff enter a subscription on the contact's behalf: confirmed at once.
INSERT INTO subscriptions AS s (contact_id, sources, topics, languages, embargoed, state,
                                confirmed_at)
VALUES ($1, $2, $3, $4, $5, 'confirmed', statement_timestamp())
ON CONFLICT (contact_id) DO UPDATE SET
    sources = excluded.sources, topics = excluded.topics, languages = excluded.languages,
    embargoed = excluded.embargoed, state = 'confirmed', unsubscribed_at = NULL,
    confirmed_at = coalesce(s.confirmed_at, statement_timestamp()),
    updated_at = statement_timestamp()
RETURNING sources, topics, languages, embargoed, state, requested_at, confirmed_at,
          unsubscribed_at;

-- name: is_suppressed
SELECT EXISTS (SELECT 1 FROM suppressed_emails WHERE email_hash = ANY ($1::bytea[]));

-- name: create_outlet
INSERT INTO outlets (name, kind, country, languages, website)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, name, kind, country, languages, website, created_at, updated_at, version;

-- name: fetch_outlet
SELECT id, name, kind, country, languages, website, created_at, updated_at, version
FROM outlets WHERE id = $1;

-- name: outlet_by_name
SELECT id FROM outlets WHERE lower(name) = lower($1);

-- name: update_outlet
UPDATE outlets SET name = $2, kind = $3, country = $4, languages = $5, website = $6,
    updated_at = statement_timestamp(), version = version + 1
WHERE id = $1
RETURNING id, name, kind, country, languages, website, created_at, updated_at, version;

-- name: delete_outlet
DELETE FROM outlets WHERE id = $1 RETURNING id;

-- name: list_outlets
SELECT id, name, kind, country, languages, website, created_at, updated_at, version
FROM outlets
WHERE ($1::text IS NULL OR search_text LIKE '%' || registry_fold($1) || '%'
       OR registry_fold($1) <% search_text)
  AND ($2::text IS NULL OR kind = $2)
  AND ($3::text IS NULL OR country = $3)
  AND ($4::text IS NULL OR (sort_key, id) > ($4::text COLLATE "C", $5::uuid))
ORDER BY sort_key, id
LIMIT $6;

-- name: create_media_contact
INSERT INTO media_contacts (name, title, phone, email, topics, languages, position)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING *;

-- name: fetch_media_contact
SELECT * FROM media_contacts WHERE id = $1;

-- name: list_staff_media_contacts
-- The media contacts in page order: after the position ($1 position, $2 name, $3 id) when
-- given, at most $4 (all with NULL).
SELECT * FROM media_contacts
WHERE $1::integer IS NULL OR (position, name, id) > ($1, $2::text, $3::uuid)
ORDER BY position, name, id
LIMIT $4;

-- name: update_media_contact
UPDATE media_contacts SET name = $2, title = $3, phone = $4, email = $5, topics = $6,
    languages = $7, position = $8, updated_at = statement_timestamp(), version = version + 1
WHERE id = $1
RETURNING *;

-- name: delete_media_contact
DELETE FROM media_contacts WHERE id = $1 RETURNING id;

-- name: export_contact
-- Everything held about one person in the registry's own tables, as JSON.
SELECT jsonb_build_object(
    'contact', (SELECT to_jsonb(c) - 'search_text' - 'sort_key' FROM contacts c WHERE c.id = $1),
    'outlets', coalesce((SELECT jsonb_agg(jsonb_build_object('outlet_id', co.outlet_id,
                                                             'outlet', o.name, 'role', co.role))
                         FROM contact_outlets co JOIN outlets o ON o.id = co.outlet_id
                         WHERE co.contact_id = $1), '[]'),
    'accreditation', coalesce((SELECT jsonb_agg(to_jsonb(a) ORDER BY a.id)
                               FROM accreditation_events a WHERE a.contact_id = $1), '[]'),
    'consents', coalesce((SELECT jsonb_agg(to_jsonb(k) ORDER BY k.id)
                          FROM consents k WHERE k.contact_id = $1), '[]'),
    'subscription', (SELECT to_jsonb(s) - 'confirm_nonce' FROM subscriptions s
                     WHERE s.contact_id = $1),
    'tokens', coalesce((SELECT jsonb_agg(to_jsonb(t) - 'token_hash' ORDER BY t.created_at)
                        FROM journalist_tokens t WHERE t.contact_id = $1), '[]'),
    'deliveries', coalesce((SELECT jsonb_agg(to_jsonb(d) ORDER BY d.id)
                            FROM mail_deliveries d WHERE d.contact_id = $1), '[]'),
    'audit', coalesce((SELECT jsonb_agg(to_jsonb(l) ORDER BY l.id) FROM audit_log l
                       WHERE (l.entity = 'contact' AND l.entity_id = $1::text)
                          OR l.changes::text LIKE '%' || $1::text || '%'), '[]'));

-- name: erase_contact
-- Keep the row as an anonymous tombstone; everything that says who the person is goes.
UPDATE contacts SET name = '', email = '', other_emails = '{}', phones = '{}', country = '',
    languages = '{}', beats = '{}', sources = '{}', notes = '', tags = '{}',
    embargo_access = false, accredited_until = NULL, suspended_at = NULL,
    suspension_reason = NULL, status = 'erased', erased_at = statement_timestamp(),
    updated_at = statement_timestamp(), version = version + 1
WHERE id = $1
RETURNING id;

-- name: erase_related
-- The person's links, consents, subscription and queued mail go; tokens are revoked; sent
-- and failed deliveries stay as anonymous counts; accreditation history keeps its dates.
WITH outlets AS (DELETE FROM contact_outlets WHERE contact_id = $1),
     consents AS (DELETE FROM consents WHERE contact_id = $1),
     subscription AS (DELETE FROM subscriptions WHERE contact_id = $1),
     tokens AS (UPDATE journalist_tokens
                SET revoked_at = coalesce(revoked_at, statement_timestamp()), label = ''
                WHERE contact_id = $1),
     accreditation AS (UPDATE accreditation_events SET evidence = '', reason = ''
                       WHERE contact_id = $1)
UPDATE mail_deliveries SET contact_id = NULL, last_error = '',
    state = CASE WHEN state IN ('queued', 'retry') THEN 'cancelled' ELSE state END
WHERE contact_id = $1;

-- name: erase_audit
-- Audit entries stay (who did what, when) but lose the personal content of their changes.
UPDATE audit_log SET changes = '{"erased": true}'
WHERE (entity = 'contact' AND entity_id = $1::text) OR changes::text LIKE '%' || $1::text || '%';

-- name: suppress_emails
INSERT INTO suppressed_emails (email_hash, reason)
SELECT h, $2 FROM unnest($1::bytea[]) AS h
ON CONFLICT (email_hash) DO NOTHING;

-- name: inactive_contacts
-- No activity (edit, confirmation, delivery, token use) for $1 months and no consent in
-- force: candidates for the retention purge.
SELECT c.id, c.name, a.last_activity
FROM contacts c
CROSS JOIN LATERAL (
    SELECT greatest(c.updated_at,
                    (SELECT max(sent_at) FROM mail_deliveries d WHERE d.contact_id = c.id),
                    (SELECT max(last_used_at) FROM journalist_tokens t WHERE t.contact_id = c.id),
                    (SELECT greatest(s.updated_at, s.confirmed_at) FROM subscriptions s
                     WHERE s.contact_id = c.id)) AS last_activity
) a
WHERE c.status <> 'erased'
  AND a.last_activity < statement_timestamp() - make_interval(months => $1)
  AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.contact_id = c.id AND k.withdrawn_at IS NULL)
ORDER BY c.sort_key, c.id;

-- name: merge_contact_rows
-- Move everything that belongs to contact $2 over to contact $1. A delivery of an event both
-- received stays with neither person (kept as an anonymous count).
WITH outlets AS (
    INSERT INTO contact_outlets (contact_id, outlet_id, role)
    SELECT $1, outlet_id, role FROM contact_outlets WHERE contact_id = $2
    ON CONFLICT DO NOTHING
), accreditation AS (
    UPDATE accreditation_events SET contact_id = $1 WHERE contact_id = $2
), consents AS (
    UPDATE consents SET contact_id = $1 WHERE contact_id = $2
), tokens AS (
    UPDATE journalist_tokens SET contact_id = $1 WHERE contact_id = $2
), subscription AS (
    UPDATE subscriptions SET contact_id = $1
    WHERE contact_id = $2 AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE contact_id = $1)
)
UPDATE mail_deliveries d
SET contact_id = CASE WHEN EXISTS (SELECT 1 FROM mail_deliveries t
                                   WHERE t.event_id = d.event_id AND t.contact_id = $1)
                      THEN NULL ELSE $1 END
WHERE d.contact_id = $2;

-- name: contact_by_email
SELECT id FROM contacts WHERE lower(email) = lower($1) AND status <> 'erased';

-- name: create_self_registered
INSERT INTO contacts (name, email, languages, lawful_basis)
VALUES ($1, $2, $3, 'consent')
RETURNING id;

-- name: recently_requested
-- A confirmation sent in the last 10 minutes and not yet followed: do not send another (the
-- public endpoint must not be a way to flood someone's mailbox).
SELECT EXISTS (SELECT 1 FROM subscriptions WHERE contact_id = $1 AND confirm_nonce IS NOT NULL
               AND requested_at > statement_timestamp() - interval '10 minutes');

-- name: request_subscription
-- A new request: a fresh nonce (older confirmation links stop working) and the choices to
-- apply on confirmation. An existing confirmed subscription keeps sending as it was.
INSERT INTO subscriptions AS s (contact_id, state, confirm_nonce, pending, requested_at)
VALUES ($1, 'pending', $2, $3, statement_timestamp())
ON CONFLICT (contact_id) DO UPDATE SET
    confirm_nonce = excluded.confirm_nonce, pending = excluded.pending,
    requested_at = excluded.requested_at,
    state = CASE WHEN s.state = 'confirmed' THEN 'confirmed' ELSE 'pending' END,
    updated_at = statement_timestamp();

-- name: queue_mail
INSERT INTO mail_deliveries (kind, event_id, release_id, contact_id, lang, embargoed)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (event_id, contact_id) DO NOTHING;

-- name: pending_subscription
-- The request a confirmation link belongs to, if it is still the latest one.
SELECT pending FROM subscriptions WHERE contact_id = $1 AND confirm_nonce = $2 FOR UPDATE;

-- name: confirm_subscription
UPDATE subscriptions SET state = 'confirmed', confirmed_at = statement_timestamp(),
    unsubscribed_at = NULL, confirm_nonce = NULL, pending = NULL,
    sources = $2, topics = $3, languages = $4, updated_at = statement_timestamp()
WHERE contact_id = $1;

-- name: unsubscribe
UPDATE subscriptions SET state = 'unsubscribed', unsubscribed_at = statement_timestamp(),
    confirm_nonce = NULL, pending = NULL, updated_at = statement_timestamp()
WHERE contact_id = $1 AND state <> 'unsubscribed'
RETURNING contact_id;

-- name: withdraw_all_consents
UPDATE consents SET withdrawn_at = statement_timestamp()
WHERE contact_id = $1 AND withdrawn_at IS NULL;

-- name: sort_key_of
SELECT sort_key FROM contacts WHERE id = $1;

-- name: outlet_sort_key
SELECT sort_key FROM outlets WHERE id = $1;

-- name: lock_outlet
SELECT id FROM outlets WHERE id = $1 FOR UPDATE;

-- name: lock_media_contact
SELECT id FROM media_contacts WHERE id = $1 FOR UPDATE;

-- name: suspend_contact
UPDATE contacts SET embargo_access = false, suspended_at = statement_timestamp(),
    suspension_reason = $2, updated_at = statement_timestamp(), version = version + 1
WHERE id = $1;

-- name: lock_addresses
-- The addresses of a contact about to be erased, locking the row.
SELECT email, other_emails FROM contacts WHERE id = $1 AND status <> 'erased' FOR UPDATE;

-- name: open_privacy_request
-- A request of this kind asked for in the last 10 minutes and not yet acted on: send no
-- other link (the public endpoint must not be a way to flood someone's mailbox).
SELECT EXISTS (SELECT 1 FROM privacy_requests
               WHERE contact_id = $1 AND kind = $2 AND completed_at IS NULL
                 AND requested_at > statement_timestamp() - interval '10 minutes');

-- name: insert_privacy_request
INSERT INTO privacy_requests (id, contact_id, kind, lang) VALUES ($1, $2, $3, $4);

-- name: privacy_request
-- The request a link names, while it can still be acted on: not done, under a day old, and
-- the person not erased meanwhile.
SELECT p.id, p.kind, p.lang, p.contact_id FROM privacy_requests p
JOIN contacts c ON c.id = p.contact_id AND c.status <> 'erased'
WHERE p.id = $2 AND p.contact_id = $1 AND p.completed_at IS NULL
  AND p.requested_at > statement_timestamp() - interval '24 hours'
FOR UPDATE OF p;

-- name: complete_privacy_request
UPDATE privacy_requests SET completed_at = statement_timestamp() WHERE id = $1;

-- name: count_anonymous_request
-- One more request in the key's current window ($3 seconds long, a new one starting when the
-- last has passed): the count so far and the whole seconds until the window ends. The
-- upsert's row lock makes concurrent requests with one key wait for each other's commit.
INSERT INTO anonymous_request_counts AS a (scope, key, window_start, count)
VALUES ($1, $2, statement_timestamp(), 1)
ON CONFLICT (scope, key) DO UPDATE SET
    count = CASE WHEN a.window_start + make_interval(secs => $3) <= statement_timestamp()
                 THEN 1 ELSE a.count + 1 END,
    window_start = CASE WHEN a.window_start + make_interval(secs => $3) <= statement_timestamp()
                        THEN statement_timestamp() ELSE a.window_start END
RETURNING count, greatest(1, ceil(extract(epoch FROM
    window_start + make_interval(secs => $3) - statement_timestamp())))::int AS retry_after;

-- name: forget_old_anonymous_requests
-- Counts whose window ended long ago are no use any more; a few go with each request.
-- SKIP LOCKED: two requests never wait on, or deadlock over, the same old rows.
DELETE FROM anonymous_request_counts WHERE ctid = ANY (ARRAY(
    SELECT ctid FROM anonymous_request_counts
    WHERE window_start < statement_timestamp() - interval '1 day'
    LIMIT 20 FOR UPDATE SKIP LOCKED));

-- Importing a spreadsheet: a few statements over all of its rows at once.

-- name: suppressed_import_rows
-- The rows (numbers) one of whose addresses' hashes is on the suppression list.
SELECT DISTINCT r.number
FROM unnest($1::int[], $2::bytea[]) AS r (number, email_hash)
JOIN suppressed_emails s ON s.email_hash = r.email_hash;

-- name: import_rows_in_registry
-- The rows (numbers) one of whose addresses a contact (not erased) holds, as its e-mail or
-- one of its other addresses; addresses are compared in lower case.
WITH known AS (
    SELECT lower(email) AS address FROM contacts WHERE status <> 'erased'
    UNION
    SELECT lower(other.address)
    FROM contacts, unnest(other_emails) AS other (address)
    WHERE status <> 'erased'
)
SELECT DISTINCT r.number
FROM unnest($1::int[], $2::text[]) AS r (number, address)
JOIN known ON known.address = r.address;

-- name: import_outlets
-- The outlets an import names (in any case), each made if missing with the country of the
-- first row naming it; every name as given with its outlet's id. `outlets` read here does
-- not hold the statement's own inserts: `found` lists each outlet once.
WITH named AS (
    SELECT DISTINCT ON (lower(n.name)) n.name, n.country
    FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS n (name, country, position)
    ORDER BY lower(n.name), n.position
), made AS (
    INSERT INTO outlets (name, kind, country, languages, website)
    SELECT named.name, 'other', named.country, '{}', '' FROM named
    WHERE NOT EXISTS (SELECT 1 FROM outlets o WHERE lower(o.name) = lower(named.name))
    -- made meanwhile by another transaction: its row, unchanged
    ON CONFLICT (lower(name)) DO UPDATE SET name = outlets.name
    RETURNING id, name
)
, found AS (
    SELECT lower(name) AS key, id FROM made
    UNION ALL
    SELECT lower(o.name), o.id FROM outlets o JOIN named ON lower(o.name) = lower(named.name)
)
SELECT DISTINCT given.name, found.id
FROM unnest($1::text[]) AS given (name) JOIN found ON found.key = lower(given.name);

-- name: insert_imported_contacts
-- The import's new contacts, from a JSON array of rows; an address that another transaction
-- gave a contact meanwhile is left out. The e-mail addresses and ids of those made.
INSERT INTO contacts (name, email, other_emails, phones, country, languages, beats, sources,
                      notes, tags)
SELECT r.name, r.email, r.other_emails, r.phones, r.country, r.languages, r.beats, r.sources,
       r.notes, r.tags
FROM jsonb_to_recordset($1::jsonb) AS r (number int, name text, email text,
    other_emails text[], phones text[], country text, languages text[], beats text[],
    sources text[], notes text, tags text[])
ORDER BY r.number
ON CONFLICT (lower(email)) WHERE status <> 'erased' DO NOTHING
RETURNING email, id;

-- name: link_imported_contacts
INSERT INTO contact_outlets (contact_id, outlet_id, role)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])
ON CONFLICT DO NOTHING;

-- name: change_own_subscription
-- The person's own choices from their preferences page; only known sources and topics are
-- kept, and only a subscription they confirmed (or paused) changes.
UPDATE subscriptions SET
    sources = ARRAY(SELECT slug FROM sources WHERE slug = ANY ($2::text[]) ORDER BY position),
    topics = ARRAY(SELECT slug FROM topics WHERE slug = ANY ($3::text[]) ORDER BY position),
    languages = ARRAY(SELECT l FROM unnest($4::text[]) AS l WHERE l IN ('fi', 'sv', 'en')),
    updated_at = statement_timestamp()
WHERE contact_id = $1 AND state IN ('confirmed', 'paused')
RETURNING contact_id;

-- name: pause_own_subscription
-- Nothing is sent while paused; the choices stay for when the person resumes.
UPDATE subscriptions SET state = 'paused', updated_at = statement_timestamp()
WHERE contact_id = $1 AND state = 'confirmed'
RETURNING contact_id;

-- name: resume_own_subscription
UPDATE subscriptions SET state = 'confirmed', updated_at = statement_timestamp()
WHERE contact_id = $1 AND state = 'paused'
RETURNING contact_id;
