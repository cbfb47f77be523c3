-- name: insert_release
INSERT INTO releases (source, decision_id, decision_url, embargo_terms, created_by,
                      content_changed_by)
VALUES ($1, $2, $3, $4, $5, $5)
RETURNING id;

-- name: fetch_release
SELECT *, statement_timestamp() AS db_now FROM release_documents WHERE id = $1;

-- name: lock_release
-- Taken before any change, so that two writers to one release queue up.
SELECT id FROM releases WHERE id = $1 FOR UPDATE;

-- name: list_releases
-- Staff list: every state, most recently changed first.
SELECT *, statement_timestamp() AS db_now FROM release_documents
WHERE ($1::text IS NULL OR state = $1)
  AND ($2::text IS NULL OR source = $2)
  AND ($3::timestamptz IS NULL OR (updated_at, id) < ($3, $4::uuid))
ORDER BY updated_at DESC, id DESC
LIMIT $5;

-- name: update_release_fields
-- A change of content by $7, who may not approve it; $8: it still needs an approval (not
-- the approval of a pending change).
UPDATE releases SET
    source = $2, decision_id = $3, decision_url = $4, embargo_terms = $5,
    state = $6, content_changed_by = $7,
    changed_since_approval_by = CASE
        WHEN $8 AND $7::uuid IS NOT NULL AND NOT $7 = ANY(changed_since_approval_by)
        THEN changed_since_approval_by || $7::uuid
        ELSE changed_since_approval_by END,
    updated_at = statement_timestamp(), version = version + 1
WHERE id = $1;

-- name: set_release_state
-- A workflow move. publish_at, embargo and the embargo promise are given whole; withdrawn_*
-- only by withdraw.
UPDATE releases SET
    state = $2, publish_at = $3, embargo = $4,
    submitted_by = coalesce($5, submitted_by),
    approved_by = CASE WHEN $2 = 'approved' THEN $6 ELSE approved_by END,
    changed_since_approval_by = CASE WHEN $6::uuid IS NOT NULL THEN '{}'
                                     ELSE changed_since_approval_by END,
    withdrawn_at = CASE WHEN $2 = 'withdrawn' THEN statement_timestamp() END,
    withdrawal_reason = CASE WHEN $2 = 'withdrawn' THEN $7 END,
    withdrawal_note = CASE WHEN $2 = 'withdrawn' THEN $8 END,
    embargo_promised_at = $9,
    updated_at = statement_timestamp(), version = version + 1
WHERE id = $1;

-- name: hold_pending_change
-- Nothing is replaced: a second change waits until the first is approved or rejected.
INSERT INTO release_pending_changes (release_id, changes, note, proposed_by)
VALUES ($1, $2, $3, $4)
ON CONFLICT (release_id) DO NOTHING
RETURNING release_id;

-- name: drop_pending_change
DELETE FROM release_pending_changes WHERE release_id = $1 RETURNING release_id;

-- name: delete_translations
DELETE FROM release_translations WHERE release_id = $1 AND lang = ANY($2::text[]);

-- name: upsert_translation
INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (release_id, lang) DO UPDATE SET
    title = EXCLUDED.title, lead = EXCLUDED.lead, body = EXCLUDED.body,
    body_html = EXCLUDED.body_html, slug = EXCLUDED.slug;

-- name: release_slug_claims
-- A release's slugs and whether it claims them: public, scheduled, or a tombstone (a release
-- withdrawn before its lift claims nothing).
SELECT t.lang, t.slug,
       r.state IN ('scheduled', 'published')
       OR release_is_tombstone(r.state, r.publish_at, r.withdrawn_at) AS claims
FROM release_translations t JOIN releases r ON r.id = t.release_id
WHERE t.release_id = $1
ORDER BY t.lang;

-- name: lock_slug
-- One transaction at a time settles who has a slug (settle_slugs); held until commit.
SELECT pg_advisory_xact_lock(hashtextextended('release slug ' || $1 || ' ' || $2, 0));

-- name: slug_claimants
-- The translations in language $1 whose release claims slug $2 or $2 with a suffix: first
-- those settled (public or tombstones; not $3, which is being published now and takes its
-- slug anew), then the others in the order they will be public, as the lifts will find them.
-- (Slugs hold no `_` or `%`, so LIKE matches the suffix's eight characters only.)
SELECT t.release_id, t.slug,
       (release_is_public(r.state, r.publish_at)
        OR release_is_tombstone(r.state, r.publish_at, r.withdrawn_at))
       AND r.id IS DISTINCT FROM $3::uuid AS settled
FROM release_translations t JOIN releases r ON r.id = t.release_id
WHERE t.lang = $1 AND (t.slug = $2 OR t.slug LIKE $2 || '-________')
  AND (r.state IN ('scheduled', 'published')
       OR release_is_tombstone(r.state, r.publish_at, r.withdrawn_at))
ORDER BY settled DESC, r.publish_at, r.id;

-- name: set_slug
-- The slugs ($3, in the order of the releases $1; NULL: as they are) of language $2, claimed
-- or not ($4).
UPDATE release_translations t SET slug = coalesce(s.slug, t.slug), slug_claimed = $4
FROM unnest($1::uuid[], coalesce($3::text[], array_fill(NULL::text, ARRAY[cardinality($1)])))
     AS s(release_id, slug)
WHERE t.release_id = s.release_id AND t.lang = $2;

-- name: replace_topics
-- A statement's parts see one snapshot: deleting and inserting the same key in one statement
-- collide. Only the topics no longer given go; those given are inserted unless kept.
WITH gone AS (
    DELETE FROM release_topics WHERE release_id = $1 AND topic <> ALL($2::text[])
)
INSERT INTO release_topics (release_id, topic) SELECT $1, unnest($2::text[])
ON CONFLICT DO NOTHING;

-- name: replace_contacts
-- As replace_topics; a kept contact takes its new position.
WITH gone AS (
    DELETE FROM release_media_contacts
    WHERE release_id = $1 AND media_contact_id <> ALL($2::uuid[])
)
INSERT INTO release_media_contacts (release_id, media_contact_id, position)
SELECT $1, c.id, c.position FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, position)
ON CONFLICT (release_id, media_contact_id) DO UPDATE SET position = excluded.position;

-- name: unknown_topics
SELECT t FROM unnest($1::text[]) AS t WHERE t NOT IN (SELECT slug FROM topics);

-- name: unknown_contacts
SELECT c FROM unnest($1::uuid[]) AS c WHERE c NOT IN (SELECT id FROM media_contacts);

-- name: source_exists
SELECT EXISTS (SELECT 1 FROM sources WHERE slug = $1);

-- name: insert_revision
INSERT INTO release_revisions (release_id, version, kind, note, snapshot, created_by)
VALUES ($1, $2, $3, $4, $5, $6);

-- name: list_revisions
-- A release's revisions, newest first: those before id $2 (all with NULL), at most $3 (all
-- with NULL).
SELECT id, version, kind, note, created_at, created_by, snapshot
FROM release_revisions WHERE release_id = $1 AND ($2::bigint IS NULL OR id < $2)
ORDER BY id DESC
LIMIT $3;

-- name: list_public_releases
-- The public list, newest first. The page is chosen on public_releases alone (its order is
-- an index), and only that page's rows are gathered through public_release_documents.
WITH page AS (
    SELECT r.id, r.publish_at FROM public_releases r
    WHERE ($1::text IS NULL OR r.source = $1)
      AND ($2::text IS NULL OR EXISTS (
            SELECT 1 FROM release_topics t WHERE t.release_id = r.id AND t.topic = $2))
      AND ($3::text IS NULL OR EXISTS (
            SELECT 1 FROM release_translations t WHERE t.release_id = r.id AND t.lang = $3))
      AND ($4::timestamptz IS NULL OR r.publish_at >= $4)
      AND ($5::timestamptz IS NULL OR r.publish_at < $5)
      AND ($6::timestamptz IS NULL OR (r.publish_at, r.id) < ($6, $7::uuid))
    ORDER BY r.publish_at DESC, r.id DESC
    LIMIT $8
)
SELECT d.* FROM page JOIN public_release_documents d ON d.id = page.id
ORDER BY page.publish_at DESC, page.id DESC;

-- name: list_public_releases_with_lookups
-- list_public_releases and public_lookups in one statement: one round trip, and one snapshot
-- at one statement_timestamp(), so the page and the time to the next lift agree (a release
-- lifting meanwhile is either in the page or still ahead). The page is chosen exactly as
-- list_public_releases chooses it (keep the two alike). The lookups come on the first row
-- alone (NULL on the others), and an empty page is one row of them with a NULL id.
WITH page AS (
    SELECT r.id, r.publish_at,
           row_number() OVER (ORDER BY r.publish_at DESC, r.id DESC) AS position
    FROM public_releases r
    WHERE ($1::text IS NULL OR r.source = $1)
      AND ($2::text IS NULL OR EXISTS (
            SELECT 1 FROM release_topics t WHERE t.release_id = r.id AND t.topic = $2))
      AND ($3::text IS NULL OR EXISTS (
            SELECT 1 FROM release_translations t WHERE t.release_id = r.id AND t.lang = $3))
      AND ($4::timestamptz IS NULL OR r.publish_at >= $4)
      AND ($5::timestamptz IS NULL OR r.publish_at < $5)
      AND ($6::timestamptz IS NULL OR (r.publish_at, r.id) < ($6, $7::uuid))
    ORDER BY r.publish_at DESC, r.id DESC
    LIMIT $8
)
SELECT CASE WHEN coalesce(page.position, 1) = 1 THEN l.sources END AS lookup_sources,
       CASE WHEN coalesce(page.position, 1) = 1 THEN l.topics END AS lookup_topics,
       l.seconds_to_next_lift, d.*
FROM public_lookups l
LEFT JOIN (page JOIN public_release_documents d ON d.id = page.id) ON true
ORDER BY page.publish_at DESC, page.id DESC;

-- name: list_newest_public_releases_with_lookups
-- list_public_releases_with_lookups for the page asked most: the newest, with no filter and
-- no cursor. Its limit is behind a sub-select, which the planner estimates alike in every
-- plan of the statement, so PostgreSQL settles on one generic plan per connection instead of
-- planning each execution, which costs as much as running it (about 1 ms). With filters, one
-- plan for all their values is many times slower for some (a rare topic): those keep a plan
-- of their own per execution, in list_public_releases_with_lookups.
WITH page AS (
    SELECT r.id, r.publish_at,
           row_number() OVER (ORDER BY r.publish_at DESC, r.id DESC) AS position
    FROM public_releases r
    ORDER BY r.publish_at DESC, r.id DESC
    LIMIT (SELECT $1::bigint)
)
SELECT CASE WHEN coalesce(page.position, 1) = 1 THEN l.sources END AS lookup_sources,
       CASE WHEN coalesce(page.position, 1) = 1 THEN l.topics END AS lookup_topics,
       l.seconds_to_next_lift, d.*
FROM public_lookups l
LEFT JOIN (page JOIN public_release_documents d ON d.id = page.id) ON true
ORDER BY page.publish_at DESC, page.id DESC;

-- name: list_public_changes
-- For sync: public releases and tombstones changed after a time, oldest change first.
SELECT * FROM public_release_documents r
WHERE r.modified_at > $1
  AND ($2::text IS NULL OR r.source = $2)
  AND ($3::text IS NULL OR $3 = ANY(r.topics))
  AND ($4::text IS NULL OR r.state = 'withdrawn' OR r.translations ? $4)
  AND ($5::timestamptz IS NULL OR (r.modified_at, r.id) > ($5, $6::uuid))
ORDER BY r.modified_at, r.id
LIMIT $7;

-- name: fetch_public_release
SELECT * FROM public_release_documents WHERE id = $1;

-- name: fetch_public_release_by_slug
SELECT r.*, t.lang AS slug_lang FROM public_release_documents r
JOIN release_translations t ON t.release_id = r.id
WHERE t.slug = $1 AND ($2::text IS NULL OR t.lang = $2)
LIMIT 1;

-- name: seconds_to_next_lift
-- How long public caches may keep a response: until the next scheduled release lifts.
SELECT seconds_to_next_lift FROM public_lookups;

-- name: list_sources
-- In their order: after the position ($1 position, $2 slug) when given, at most $3 (all with
-- NULL).
SELECT slug, name_fi, name_sv, name_en, position FROM sources
WHERE $1::integer IS NULL OR (position, slug) > ($1, $2::text)
ORDER BY position, slug
LIMIT $3;

-- name: list_topics
-- In their order: after the position ($1 position, $2 slug) when given, at most $3 (all with
-- NULL).
SELECT slug, name_fi, name_sv, name_en, position FROM topics
WHERE $1::integer IS NULL OR (position, slug) > ($1, $2::text)
ORDER BY position, slug
LIMIT $3;

-- name: list_media_contacts
-- In page order: after the position ($1 position, $2 name, $3 id) when given, at most $4 (all
-- with NULL).
SELECT id, name, title, phone, email, topics, languages, updated_at, position
FROM media_contacts
WHERE $1::integer IS NULL OR (position, name, id) > ($1, $2::text, $3::uuid)
ORDER BY position, name, id
LIMIT $4;

-- name: public_lookups
-- In one round trip, what every public page needs beside its rows (the view's comment), named
-- as list_public_releases_with_lookups names them.
SELECT sources AS lookup_sources, topics AS lookup_topics, seconds_to_next_lift
FROM public_lookups;

-- name: sitemap_entries
-- Public releases' translations, oldest first, for one sitemap: $1 of them after the first
-- $2. Oldest first, so that the sitemaps of older releases stay as they are while new ones
-- are published.
SELECT r.id, t.lang, t.slug, greatest(r.updated_at, r.publish_at) AS modified_at,
       ARRAY(SELECT u.lang || ' ' || u.slug FROM release_translations u
             WHERE u.release_id = r.id ORDER BY u.lang) AS languages
FROM public_releases r JOIN release_translations t ON t.release_id = r.id
ORDER BY r.publish_at, r.id, t.lang
OFFSET $2 LIMIT $1;

-- name: sitemap_pages
-- The sitemaps of $1 addresses each, in the order of sitemap_entries: their number (from 1)
-- and when the newest change among their releases was.
SELECT page, max(modified_at) AS modified_at FROM (
    SELECT (row_number() OVER (ORDER BY r.publish_at, r.id, t.lang) - 1) / $1 + 1 AS page,
           greatest(r.updated_at, r.publish_at) AS modified_at
    FROM public_releases r JOIN release_translations t ON t.release_id = r.id
) AS entries
GROUP BY page
ORDER BY page;

-- name: touch_public_releases
-- What the public sees of these releases changed beside their text (their files): the
-- public ones get a new version and updated_at, so that sync by updated_since and ETags see it.
UPDATE releases SET updated_at = statement_timestamp(), version = version + 1
WHERE id = ANY($1::uuid[]) AND release_is_public(state, publish_at)
RETURNING id, version, state, publish_at;
