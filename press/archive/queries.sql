-- name: insert_file
INSERT INTO files (sha256, size, public_sha256, public_size, content_type, filename,
                   width, height, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id;

-- name: fetch_file
SELECT f.*, coalesce((SELECT array_agg(rf.release_id ORDER BY rf.release_id)
                      FROM release_files rf WHERE rf.file_id = f.id), '{}') AS releases
FROM files f WHERE f.id = $1;

-- name: lock_file
SELECT id FROM files WHERE id = $1 FOR UPDATE;

-- name: list_files
-- Staff list of files, newest first; optionally one collection or one release.
SELECT f.*, coalesce((SELECT array_agg(rf.release_id ORDER BY rf.release_id)
                      FROM release_files rf WHERE rf.file_id = f.id), '{}') AS releases
FROM files f
WHERE ($1::text IS NULL OR f.collection = $1)
  AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM release_files rf
                                   WHERE rf.file_id = f.id AND rf.release_id = $2))
  AND ($3::timestamptz IS NULL OR (f.created_at, f.id) < ($3, $4::uuid))
ORDER BY f.created_at DESC, f.id DESC
LIMIT $5;

-- name: update_file
UPDATE files SET
    filename = $2, title = $3, caption = $4, alt = $5, credit = $6, licence = $7,
    taken_at = $8, collection = $9, public = $10,
    updated_at = statement_timestamp(), version = version + 1
WHERE id = $1;

-- name: collection_exists
SELECT EXISTS (SELECT 1 FROM media_collections WHERE slug = $1);

-- name: attach_file
INSERT INTO release_files (release_id, file_id, position) VALUES ($1, $2, $3)
ON CONFLICT (release_id, file_id) DO UPDATE SET position = EXCLUDED.position;

-- name: detach_file
DELETE FROM release_files WHERE release_id = $1 AND file_id = $2;

-- name: release_for_attachment
-- The release a file is attached to, with its languages, to check alt texts.
SELECT r.id, r.state, coalesce(array_agg(t.lang) FILTER (WHERE t.lang IS NOT NULL), '{}')
       AS langs
FROM releases r LEFT JOIN release_translations t ON t.release_id = r.id
WHERE r.id = $1 GROUP BY r.id;

-- name: releases_of_file
SELECT r.id, r.state, coalesce((SELECT array_agg(t.lang) FROM release_translations t
                                WHERE t.release_id = r.id), '{}') AS langs
FROM release_files rf JOIN releases r ON r.id = rf.release_id WHERE rf.file_id = $1;

-- name: fetch_public_file
-- Through public_files only: a file is public when its release is, or as a public media item.
SELECT id, filename, content_type, public_sha256 AS sha256, public_size AS size,
       updated_at FROM public_files WHERE id = $1;

-- name: fetch_embargoed_file
SELECT id, filename, content_type, public_sha256 AS sha256, public_size AS size,
       updated_at FROM embargoed_files WHERE id = $1;

-- name: fetch_press_kit_release
SELECT * FROM public_release_documents WHERE id = $1 AND state <> 'withdrawn';

-- name: list_press_kit_files
-- The files of a public release, in their order; public_releases keeps hidden ones out.
SELECT f.id, f.filename, f.content_type, f.public_sha256 AS sha256, f.public_size AS size,
       f.title, f.caption, f.alt, f.credit, f.licence
FROM release_files rf
JOIN public_releases r ON r.id = rf.release_id
JOIN files f ON f.id = rf.file_id
WHERE rf.release_id = $1
ORDER BY rf.position, f.created_at, f.id;

-- name: archive_counts
-- Public releases per month (in the city's time zone), newest month first.
SELECT extract(year FROM r.publish_at AT TIME ZONE $3)::int AS year,
       extract(month FROM r.publish_at AT TIME ZONE $3)::int AS month,
       count(*)::int AS count
FROM public_releases r
WHERE ($1::text IS NULL OR r.source = $1)
  AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM release_translations t
                                   WHERE t.release_id = r.id AND t.lang = $2))
GROUP BY 1, 2
ORDER BY 1 DESC, 2 DESC;

-- name: search_public_releases
-- Ranked full-text search. $1..$3 are tsquery texts for fi, sv and en (NULL: language not
-- searched). Hits come from each translation's own configuration and from the titles and
-- captions of the release's files; only public_releases are kept, then filters, then order
-- by rank with publish time and id as the stable tiebreak the cursor continues from.
WITH hits AS (
    SELECT t.release_id, ts_rank(t.search, to_tsquery('finnish', $1)) AS rank
    FROM release_translations t
    WHERE $1::text IS NOT NULL AND t.lang = 'fi' AND t.search @@ to_tsquery('finnish', $1)
    UNION ALL
    SELECT t.release_id, ts_rank(t.search, to_tsquery('swedish', $2))
    FROM release_translations t
    WHERE $2::text IS NOT NULL AND t.lang = 'sv' AND t.search @@ to_tsquery('swedish', $2)
    UNION ALL
    SELECT t.release_id, ts_rank(t.search, to_tsquery('english', $3))
    FROM release_translations t
    WHERE $3::text IS NOT NULL AND t.lang = 'en' AND t.search @@ to_tsquery('english', $3)
    UNION ALL
    -- File titles and captions count for half: they describe the release only indirectly.
    SELECT rf.release_id, 0.5 * ts_rank(f.search, q.query)
    FROM (SELECT to_tsquery('finnish', coalesce($1, '')) || to_tsquery('swedish', coalesce($2, ''))
                 || to_tsquery('english', coalesce($3, '')) AS query) q
    JOIN files f ON f.search @@ q.query
    JOIN release_files rf ON rf.file_id = f.id
), ranked AS (
    SELECT release_id, max(rank)::float8 AS rank FROM hits GROUP BY release_id
)
SELECT r.id, h.rank, r.publish_at
FROM ranked h JOIN public_releases r ON r.id = h.release_id
WHERE ($4::text IS NULL OR r.source = $4)
  AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM release_topics rt
                                   WHERE rt.release_id = r.id AND rt.topic = $5))
  AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM release_translations t
                                   WHERE t.release_id = r.id AND t.lang = $6))
  AND ($7::timestamptz IS NULL OR r.publish_at >= $7)
  AND ($8::timestamptz IS NULL OR r.publish_at < $8)
  AND ($9::float8 IS NULL OR (h.rank, r.publish_at, r.id) < ($9, $10::timestamptz, $11::uuid))
ORDER BY h.rank DESC, r.publish_at DESC, r.id DESC
LIMIT $12;

-- name: fetch_search_page
-- The documents and highlighted snippets of one page of search results.
SELECT d.*, (
    SELECT jsonb_object_agg(t.lang, ts_headline(
        CASE t.lang WHEN 'fi' THEN 'finnish'::regconfig WHEN 'sv' THEN 'swedish'::regconfig
                    ELSE 'english'::regconfig END,
        t.lead || E'\n' || t.body,
        CASE t.lang WHEN 'fi' THEN to_tsquery('finnish', coalesce($2, ''))
                    WHEN 'sv' THEN to_tsquery('swedish', coalesce($3, ''))
                    ELSE to_tsquery('english', coalesce($4, '')) END,
        'StartSel=' || chr(2) || ', StopSel=' || chr(3)
        || ', MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'))
    FROM release_translations t WHERE t.release_id = d.id) AS snippets
FROM public_release_documents d
WHERE d.id = ANY($1::uuid[]) AND d.state <> 'withdrawn';
