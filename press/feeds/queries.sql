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
