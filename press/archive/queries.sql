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
-- Without a position the file goes after the release's others.
INSERT INTO release_files (release_id, file_id, position)
VALUES ($1, $2, coalesce($3, (SELECT coalesce(max(position), -1) + 1 FROM release_files
                              WHERE release_id = $1)))
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

-- name: images_missing_alt
-- The release's images without alt text in one of the release's languages.
SELECT f.filename, array_agg(t.lang ORDER BY t.lang) AS langs
FROM release_files rf
JOIN files f ON f.id = rf.file_id
JOIN release_translations t ON t.release_id = rf.release_id
WHERE rf.release_id = $1 AND f.content_type LIKE 'image/%'
  AND coalesce(btrim(f.alt ->> t.lang), '') = ''
GROUP BY f.id, f.filename
ORDER BY f.filename;

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

-- name: list_public_release_files
-- A public release's files for its readers, in order; public_releases keeps hidden ones out.
SELECT f.id, f.filename, f.content_type, f.public_size AS size, f.width, f.height, f.title,
       f.caption, f.alt, f.credit, f.licence, f.taken_at
FROM release_files rf
JOIN public_releases r ON r.id = rf.release_id
JOIN files f ON f.id = rf.file_id
WHERE rf.release_id = $1
ORDER BY rf.position, f.created_at, f.id;

-- name: list_media_bank
-- Public media-bank items, by collection order then newest first.
SELECT f.id, f.filename, f.content_type, f.public_size AS size, f.width, f.height, f.title,
       f.caption, f.alt, f.credit, f.licence, f.taken_at, f.collection, f.created_at
FROM public_files f JOIN media_collections c ON c.slug = f.collection
WHERE f.public AND ($1::text IS NULL OR f.collection = $1)
  AND ($2::timestamptz IS NULL OR (f.created_at, f.id) < ($2, $3::uuid))
ORDER BY f.created_at DESC, f.id DESC
LIMIT $4;

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

-- name: count_search_matches
-- How many public releases' translations match, counted up to $4: decides which of the two
-- search plans below fits. Only public releases count, so hidden ones cannot sway it.
-- One branch per language, so that each uses its language's partial index.
SELECT count(*) FROM (
    SELECT 1
    FROM (SELECT t.release_id FROM release_translations t
          WHERE $1::text IS NOT NULL AND t.lang = 'fi'
            AND t.search @@ to_tsquery('finnish', $1)
          UNION ALL
          SELECT t.release_id FROM release_translations t
          WHERE $2::text IS NOT NULL AND t.lang = 'sv'
            AND t.search @@ to_tsquery('swedish', $2)
          UNION ALL
          SELECT t.release_id FROM release_translations t
          WHERE $3::text IS NOT NULL AND t.lang = 'en'
            AND t.search @@ to_tsquery('english', $3)) AS m
    JOIN public_releases r ON r.id = m.release_id
    LIMIT $4
) AS counted;

-- name: search_recent_matches
-- Ranked full-text search for a query with many matches. $1..$3 are tsquery texts for fi, sv and en (NULL: that language is
-- not searched); each translation is matched with its own configuration, and the titles and
-- captions of a release's files count too. Only public_releases take part.
-- Ranking every match of a common word ("kaupunki" is in most releases) costs a read of the
-- whole table, so the newest $13 matches are the candidates and those are ranked: recent
-- first for common words (older ones are reached with since/until).
-- Order: rank, then newest, then id, the stable tiebreak the cursor continues from.
-- Two branches rather than one OR: an OR of two conditions makes PostgreSQL hash every match.
WITH text_matches AS (
    SELECT r.id, r.publish_at
    FROM public_releases r
    -- A scalar subquery, not EXISTS: PostgreSQL would turn EXISTS into a join over every
    -- match; this keeps the walk down the newest releases that stops at $13 matches.
    WHERE coalesce((SELECT true FROM release_translations t
                    WHERE t.release_id = r.id
                      AND ((t.lang = 'fi' AND t.search @@ to_tsquery('finnish', $1))
                        OR (t.lang = 'sv' AND t.search @@ to_tsquery('swedish', $2))
                        OR (t.lang = 'en' AND t.search @@ to_tsquery('english', $3)))
                    LIMIT 1), false)
      AND ($4::text IS NULL OR r.source = $4)
      AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM release_topics rt
                                       WHERE rt.release_id = r.id AND rt.topic = $5))
      AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM release_translations t
                                       WHERE t.release_id = r.id AND t.lang = $6))
      AND ($7::timestamptz IS NULL OR r.publish_at >= $7)
      AND ($8::timestamptz IS NULL OR r.publish_at < $8)
    ORDER BY r.publish_at DESC, r.id DESC
    LIMIT $13
), file_matches AS (
    SELECT r.id, r.publish_at
    FROM public_releases r
    WHERE EXISTS (SELECT 1 FROM release_files rf JOIN files f ON f.id = rf.file_id
                  WHERE rf.release_id = r.id
                    AND f.search @@ (to_tsquery('finnish', coalesce($1, ''))
                                     || to_tsquery('swedish', coalesce($2, ''))
                                     || to_tsquery('english', coalesce($3, ''))))
      AND ($4::text IS NULL OR r.source = $4)
      AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM release_topics rt
                                       WHERE rt.release_id = r.id AND rt.topic = $5))
      AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM release_translations t
                                       WHERE t.release_id = r.id AND t.lang = $6))
      AND ($7::timestamptz IS NULL OR r.publish_at >= $7)
      AND ($8::timestamptz IS NULL OR r.publish_at < $8)
    ORDER BY r.publish_at DESC, r.id DESC
    LIMIT $13
), candidates AS (
    SELECT id, publish_at FROM (SELECT * FROM text_matches UNION SELECT * FROM file_matches) m
    ORDER BY publish_at DESC, id DESC
    LIMIT $13
), ranked AS (
    SELECT c.id, c.publish_at, greatest(
        (SELECT max(CASE t.lang
                    WHEN 'fi' THEN ts_rank(t.search, to_tsquery('finnish', coalesce($1, '')))
                    WHEN 'sv' THEN ts_rank(t.search, to_tsquery('swedish', coalesce($2, '')))
                    ELSE ts_rank(t.search, to_tsquery('english', coalesce($3, ''))) END)
         FROM release_translations t WHERE t.release_id = c.id),
        -- File titles and captions count for half: they describe the release indirectly.
        (SELECT 0.5 * max(ts_rank(f.search, to_tsquery('finnish', coalesce($1, ''))
                                            || to_tsquery('swedish', coalesce($2, ''))
                                            || to_tsquery('english', coalesce($3, ''))))
         FROM release_files rf JOIN files f ON f.id = rf.file_id
         WHERE rf.release_id = c.id))::float8 AS rank
    FROM candidates c
)
SELECT id, rank, publish_at FROM ranked
WHERE $9::float8 IS NULL OR (rank, publish_at, id) < ($9, $10::timestamptz, $11::uuid)
ORDER BY rank DESC, publish_at DESC, id DESC
LIMIT $12;

-- name: search_every_match
-- Ranked full-text search for a query with few matches: every match is ranked. Same
-- parameters ($1..$12) and result as search_recent_matches.
-- One branch per language, so that each uses its language's partial index.
WITH matched AS (
    SELECT t.release_id AS id FROM release_translations t
    WHERE $1::text IS NOT NULL AND t.lang = 'fi' AND t.search @@ to_tsquery('finnish', $1)
    UNION
    SELECT t.release_id FROM release_translations t
    WHERE $2::text IS NOT NULL AND t.lang = 'sv' AND t.search @@ to_tsquery('swedish', $2)
    UNION
    SELECT t.release_id FROM release_translations t
    WHERE $3::text IS NOT NULL AND t.lang = 'en' AND t.search @@ to_tsquery('english', $3)
    UNION
    SELECT rf.release_id FROM release_files rf JOIN files f ON f.id = rf.file_id
    WHERE f.search @@ (to_tsquery('finnish', coalesce($1, ''))
                       || to_tsquery('swedish', coalesce($2, ''))
                       || to_tsquery('english', coalesce($3, '')))
), candidates AS (
    SELECT r.id, r.publish_at
    FROM matched m JOIN public_releases r ON r.id = m.id
    WHERE ($4::text IS NULL OR r.source = $4)
      AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM release_topics rt
                                       WHERE rt.release_id = r.id AND rt.topic = $5))
      AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM release_translations t
                                       WHERE t.release_id = r.id AND t.lang = $6))
      AND ($7::timestamptz IS NULL OR r.publish_at >= $7)
      AND ($8::timestamptz IS NULL OR r.publish_at < $8)
), ranked AS (
    SELECT c.id, c.publish_at, greatest(
        (SELECT max(CASE t.lang
                    WHEN 'fi' THEN ts_rank(t.search, to_tsquery('finnish', coalesce($1, '')))
                    WHEN 'sv' THEN ts_rank(t.search, to_tsquery('swedish', coalesce($2, '')))
                    ELSE ts_rank(t.search, to_tsquery('english', coalesce($3, ''))) END)
         FROM release_translations t WHERE t.release_id = c.id),
        -- File titles and captions count for half: they describe the release indirectly.
        (SELECT 0.5 * max(ts_rank(f.search, to_tsquery('finnish', coalesce($1, ''))
                                            || to_tsquery('swedish', coalesce($2, ''))
                                            || to_tsquery('english', coalesce($3, ''))))
         FROM release_files rf JOIN files f ON f.id = rf.file_id
         WHERE rf.release_id = c.id))::float8 AS rank
    FROM candidates c
)
SELECT id, rank, publish_at FROM ranked
WHERE $9::float8 IS NULL OR (rank, publish_at, id) < ($9, $10::timestamptz, $11::uuid)
ORDER BY rank DESC, publish_at DESC, id DESC
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

-- name: embargoed_releases_of_file
-- The releases under embargo that a file belongs to: a journalist's download is a read of them.
SELECT rf.release_id FROM release_files rf JOIN releases r ON r.id = rf.release_id
WHERE rf.file_id = $1 AND r.embargo AND r.state = 'scheduled';
