-- name: list_embargoed_releases
-- For accredited journalist $5's private feeds: releases under embargo that have not lifted
-- yet and whose embargo list has them (or that have none).
-- The complement of the public predicate, so a release is never in both lists.
SELECT d.id, d.source, d.publish_at, d.updated_at AS modified_at, d.topics,
       d.translations, d.corrections, d.version, '[]'::jsonb AS contacts,
       NULL::text AS decision_id, NULL::text AS decision_url, d.state,
       NULL::timestamptz AS withdrawn_at, NULL::text AS withdrawal_reason
FROM release_documents d
WHERE d.embargo AND d.state = 'scheduled' AND NOT release_is_public(d.state, d.publish_at)
  AND embargo_recipient(d.id, $5)
  AND ($1::text IS NULL OR d.source = $1)
  AND ($2::text IS NULL OR $2 = ANY(d.topics))
  AND ($3::text IS NULL OR d.translations ? $3)
ORDER BY d.publish_at, d.id
LIMIT $4;

-- name: main_images
-- The first image of each of these (public) releases: its feed entry's enclosure.
SELECT DISTINCT ON (rf.release_id) rf.release_id, f.id, f.filename, f.content_type,
       f.public_size AS size
FROM release_files rf JOIN public_files f ON f.id = rf.file_id
WHERE rf.release_id = ANY($1::uuid[]) AND f.content_type LIKE 'image/%'
ORDER BY rf.release_id, rf.position, f.id;

-- name: public_feed_glance
-- What a public feed's page shows, read cheaply on every build to tell whether its render is
-- current (press.feeds.cache): the id and last change of each release of the page and one
-- more (is there a next page?), the main image of each, and the seconds to the next lift.
-- One statement: one snapshot and one round trip, and the rows and the lift time agree.
-- The page is chosen exactly as list_public_releases chooses it (keep the two alike: a feed
-- is the list's first page), modified_at is public_release_documents' expression, and the
-- image is main_images' choice; the next lift is the public_lookups view's.
WITH page AS (
    SELECT r.id, r.publish_at, greatest(r.updated_at, r.publish_at) AS modified_at
    FROM public_releases r
    WHERE ($1::text IS NULL OR r.source = $1)
      AND ($2::text IS NULL OR EXISTS (
            SELECT 1 FROM release_topics t WHERE t.release_id = r.id AND t.topic = $2))
      AND ($3::text IS NULL OR EXISTS (
            SELECT 1 FROM release_translations t WHERE t.release_id = r.id AND t.lang = $3))
      AND ($4::timestamptz IS NULL OR (r.publish_at, r.id) < ($4, $5::uuid))
    ORDER BY r.publish_at DESC, r.id DESC
    LIMIT $6
)
SELECT lift.seconds_to_next_lift, page.id, page.modified_at,
       image.id AS image_id, image.filename, image.content_type, image.size
FROM public_lookups AS lift
LEFT JOIN page ON true
LEFT JOIN LATERAL (
    SELECT f.id, f.filename, f.content_type, f.public_size AS size
    FROM release_files rf JOIN public_files f ON f.id = rf.file_id
    WHERE rf.release_id = page.id AND f.content_type LIKE 'image/%'
    ORDER BY rf.position, f.id
    LIMIT 1
) AS image ON true
ORDER BY page.publish_at DESC, page.id DESC;
