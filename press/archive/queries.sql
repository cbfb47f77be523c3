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

-- name: replace_public_copy
UPDATE files SET public_sha256 = $2, public_size = $3,
    updated_at = statement_timestamp(), version = version + 1
WHERE id = $1;

-- name: files_with_public_copies
-- Files whose public download may be a cleaned copy, oldest first (`press files reclean`).
SELECT id, filename, sha256, size, public_sha256, content_type FROM files
WHERE content_type LIKE 'image/%' OR content_type = 'application/pdf'
   OR content_type LIKE 'application/vnd.openxmlformats-officedocument.%'
   OR content_type LIKE 'application/vnd.oasis.opendocument.%'
ORDER BY created_at, id;

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

-- name: delete_file
-- The file's row and its attachments (ON DELETE CASCADE); the objects it pointed at.
DELETE FROM files WHERE id = $1 RETURNING sha256, public_sha256;

-- name: lock_object
-- Held until commit by whoever stores an object or checks whether it may go: an upload of the
-- same bytes and the collector never interleave (press/archive/collector.py).
SELECT pg_advisory_xact_lock(hashtextextended('press.object:' || $1, 0));

-- name: object_in_use
SELECT EXISTS (SELECT 1 FROM files WHERE sha256 = $1)
    OR EXISTS (SELECT 1 FROM files WHERE public_sha256 = $1);

-- name: objects_not_in_use
SELECT k AS sha256 FROM unnest($1::text[]) AS k
WHERE NOT EXISTS (SELECT 1 FROM files WHERE sha256 = k)
  AND NOT EXISTS (SELECT 1 FROM files WHERE public_sha256 = k)
ORDER BY k;

-- name: deleted_objects
-- The objects that deleted files, and files given a new public copy, pointed at, among these
-- outbox events: each once, in key order.
SELECT DISTINCT jsonb_array_elements_text(payload->'objects') AS sha256 FROM outbox
WHERE id = ANY($1::uuid[]) AND event_type IN ('file.deleted', 'file.replaced')
ORDER BY 1;

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
-- A file journalist $2 may fetch before the lift: one of a release under embargo whose
-- embargo list has them (or that has none).
SELECT f.id, f.filename, f.content_type, f.public_sha256 AS sha256, f.public_size AS size,
       f.updated_at FROM files f
WHERE f.id = $1 AND EXISTS (
    SELECT 1 FROM release_files rf JOIN releases r ON r.id = rf.release_id
    WHERE rf.file_id = f.id AND r.embargo AND r.state = 'scheduled'
      AND embargo_recipient(r.id, $2));

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
-- After the position ($2 position, $3 created_at, $4 id) when given, at most $5 (all with
-- NULL).
SELECT f.id, f.filename, f.content_type, f.public_size AS size, f.width, f.height, f.title,
       f.caption, f.alt, f.credit, f.licence, f.taken_at, rf.position, f.created_at
FROM release_files rf
JOIN public_releases r ON r.id = rf.release_id
JOIN files f ON f.id = rf.file_id
WHERE rf.release_id = $1
  AND ($2::integer IS NULL
       OR (rf.position, f.created_at, f.id) > ($2, $3::timestamptz, $4::uuid))
ORDER BY rf.position, f.created_at, f.id
LIMIT $5;

-- name: list_release_thumbnails
-- The first photo of each of these public releases, for lists of releases; public_releases
-- keeps hidden ones out.
SELECT DISTINCT ON (rf.release_id) rf.release_id, f.id, f.filename, f.content_type,
       f.public_size AS size, f.width, f.height, f.title, f.caption, f.alt, f.credit, f.licence,
       f.taken_at
FROM release_files rf
JOIN public_releases r ON r.id = rf.release_id
JOIN files f ON f.id = rf.file_id
WHERE rf.release_id = ANY($1::uuid[]) AND f.content_type LIKE 'image/%'
ORDER BY rf.release_id, rf.position, f.created_at, f.id;

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

-- name: search_public_page
-- One page of ranked full-text search over public_releases, in one statement: each hit's
-- document (as public_release_documents), its rank and a highlighted snippet, best first.
-- $1..$3: tsquery texts for fi, sv and en (NULL: that language is not searched); each
-- translation is matched with its own configuration, and the titles and captions of a
-- release's files count too, at half weight. $4 source, $5 topic, $6/$7 published from/until,
-- $8..$10 the cursor (rank, publish_at, id), $11 how many hits (the page size and one more, to
-- tell whether there is a next page), $12 the language the release must be written in (the
-- other languages' query texts are then NULL), $13 the languages a snippet is taken from, in
-- order of preference.
-- Candidates are found in one of two ways:
--   few matches: every match, through the full-text indexes, ranked;
--   many (a common word): the newest $14 matches, found by walking release_search newest
--   first and stopping there, ranked; ranking every match would read most of the table.
-- PostgreSQL cannot choose between the two itself (it guesses how many rows a prefix term
-- such as `talousarv:*` matches blindly), so the statement decides: "many" when the newest
-- $16 published translations already hold $17 matches (a cheap look at the newest rows that
-- settles common words without reading their long index entries, and promises a walk that
-- ends within about $14 * $16 / $17 rows), else when the full-text indexes count $15
-- matches. The choice is only of method: what is visible is decided by public_releases
-- either way.
-- Order: rank, then newest, then id, the stable tiebreak the cursor continues from.
WITH recent AS MATERIALIZED (
    SELECT count(*) AS matches FROM (
        SELECT 1 FROM (
            SELECT s.lang, s.search FROM release_search s
            WHERE s.publish_at <= statement_timestamp() AND ($12::text IS NULL OR s.lang = $12)
            ORDER BY s.publish_at DESC
            LIMIT $16
        ) AS newest
        WHERE CASE lang WHEN 'fi' THEN search @@ to_tsquery('finnish', $1)
                        WHEN 'sv' THEN search @@ to_tsquery('swedish', $2)
                        ELSE search @@ to_tsquery('english', $3) END
        LIMIT $17
    ) AS found
), many AS MATERIALIZED (
    -- The count below runs only when the look at the newest rows did not settle it.
    SELECT (SELECT matches FROM recent) >= $17 OR (SELECT count(*) FROM (
        SELECT 1 FROM release_search s
        WHERE $1::text IS NOT NULL AND s.lang = 'fi' AND s.search @@ to_tsquery('finnish', $1)
          AND s.publish_at <= statement_timestamp()
        UNION ALL
        SELECT 1 FROM release_search s
        WHERE $2::text IS NOT NULL AND s.lang = 'sv' AND s.search @@ to_tsquery('swedish', $2)
          AND s.publish_at <= statement_timestamp()
        UNION ALL
        SELECT 1 FROM release_search s
        WHERE $3::text IS NOT NULL AND s.lang = 'en' AND s.search @@ to_tsquery('english', $3)
          AND s.publish_at <= statement_timestamp()
        LIMIT $15
    ) AS counted) >= $15 AS many
), every_match AS (
    SELECT s.release_id, s.lang, s.search FROM release_search s
    WHERE NOT (SELECT many FROM many) AND $1::text IS NOT NULL
      AND s.lang = 'fi' AND s.search @@ to_tsquery('finnish', $1)
    UNION ALL
    SELECT s.release_id, s.lang, s.search FROM release_search s
    WHERE NOT (SELECT many FROM many) AND $2::text IS NOT NULL
      AND s.lang = 'sv' AND s.search @@ to_tsquery('swedish', $2)
    UNION ALL
    SELECT s.release_id, s.lang, s.search FROM release_search s
    WHERE NOT (SELECT many FROM many) AND $3::text IS NOT NULL
      AND s.lang = 'en' AND s.search @@ to_tsquery('english', $3)
), text_matches AS (
    SELECT id, publish_at, lang, search FROM (
        -- A lookup per match rather than a join: PostgreSQL guesses the number of matches
        -- of a prefix term blindly, and would hash all of releases to join a few dozen.
        SELECT m.release_id AS id, m.lang, m.search, (
            SELECT r.publish_at FROM public_releases r
            WHERE r.id = m.release_id
              AND ($4::text IS NULL OR r.source = $4)
              AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM release_topics rt
                                               WHERE rt.release_id = r.id AND rt.topic = $5))
              AND ($6::timestamptz IS NULL OR r.publish_at >= $6)
              AND ($7::timestamptz IS NULL OR r.publish_at < $7)) AS publish_at
        FROM every_match m
    ) AS visible
    WHERE publish_at IS NOT NULL
    UNION ALL
    (SELECT s.release_id, r.publish_at, s.lang, s.search
     FROM release_search s JOIN public_releases r ON r.id = s.release_id
     WHERE (SELECT many FROM many) AND s.publish_at <= statement_timestamp()
       AND ($12::text IS NULL OR s.lang = $12)
       -- A CASE, which no index answers: the walk must not collect every match through the
       -- full-text index (which the planner, misjudging prefix terms, may prefer) only to
       -- keep the newest.
       AND CASE s.lang WHEN 'fi' THEN s.search @@ to_tsquery('finnish', $1)
                       WHEN 'sv' THEN s.search @@ to_tsquery('swedish', $2)
                       ELSE s.search @@ to_tsquery('english', $3) END
       AND ($4::text IS NULL OR r.source = $4)
       AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM release_topics rt
                                        WHERE rt.release_id = r.id AND rt.topic = $5))
       AND ($6::timestamptz IS NULL OR s.publish_at >= $6)
       AND ($7::timestamptz IS NULL OR s.publish_at < $7)
     ORDER BY s.publish_at DESC
     LIMIT $14)
), file_matches AS (
    SELECT r.id, r.publish_at, 0.5 * max(ts_rank(f.search, q.files)) AS rank
    FROM (SELECT to_tsquery('finnish', coalesce($1, '')) || to_tsquery('swedish', coalesce($2, ''))
                 || to_tsquery('english', coalesce($3, '')) AS files) AS q
    JOIN files f ON f.search @@ q.files
    JOIN release_files rf ON rf.file_id = f.id
    JOIN public_releases r ON r.id = rf.release_id
    WHERE ($12::text IS NULL OR EXISTS (SELECT 1 FROM release_translations t
                                        WHERE t.release_id = r.id AND t.lang = $12))
      AND ($4::text IS NULL OR r.source = $4)
      AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM release_topics rt
                                       WHERE rt.release_id = r.id AND rt.topic = $5))
      AND ($6::timestamptz IS NULL OR r.publish_at >= $6)
      AND ($7::timestamptz IS NULL OR r.publish_at < $7)
    GROUP BY r.id, r.publish_at
    ORDER BY r.publish_at DESC
    LIMIT $14
), ranked AS (
    SELECT id, publish_at, max(rank)::float8 AS rank FROM (
        SELECT id, publish_at,
               CASE lang WHEN 'fi' THEN ts_rank(search, to_tsquery('finnish', $1))
                         WHEN 'sv' THEN ts_rank(search, to_tsquery('swedish', $2))
                         ELSE ts_rank(search, to_tsquery('english', $3)) END AS rank
        FROM text_matches
        UNION ALL
        SELECT id, publish_at, rank FROM file_matches
    ) AS m
    GROUP BY id, publish_at
), hits AS (
    SELECT id, rank, row_number() OVER (ORDER BY rank DESC, publish_at DESC, id DESC) AS position
    FROM ranked
    WHERE $8::float8 IS NULL OR (rank, publish_at, id) < ($8, $9::timestamptz, $10::uuid)
    ORDER BY rank DESC, publish_at DESC, id DESC
    LIMIT $11
)
SELECT h.rank, d.*, s.snippet_lang, s.snippet
FROM hits h JOIN public_release_documents d ON d.id = h.id
-- The snippet, from the translation the hit is shown in (the first of $13 it is written in),
-- as HTML (snippet_html: the text escaped, the matches marked), encoded as a JSON string in
-- UTF-8, ready for the page; not for the extra hit.
LEFT JOIN LATERAL (
    SELECT t.lang AS snippet_lang, convert_to(to_json(snippet_html(ts_headline(
               CASE t.lang WHEN 'fi' THEN 'finnish'::regconfig
                           WHEN 'sv' THEN 'swedish'::regconfig
                           ELSE 'english'::regconfig END,
               t.snippet_text,
               CASE t.lang WHEN 'fi' THEN to_tsquery('finnish', coalesce($1, ''))
                           WHEN 'sv' THEN to_tsquery('swedish', coalesce($2, ''))
                           ELSE to_tsquery('english', coalesce($3, '')) END,
               'StartSel=' || chr(2) || ', StopSel=' || chr(3)
               || ', MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "')))::text,
           'UTF8') AS snippet
    FROM release_translations t WHERE t.release_id = d.id AND h.position < $11
    ORDER BY array_position($13::text[], t.lang) LIMIT 1
) AS s ON true
ORDER BY h.position;

-- name: embargoed_releases_of_file
-- The releases under embargo that a file belongs to: a journalist's download is a read of them.
SELECT rf.release_id FROM release_files rf JOIN releases r ON r.id = rf.release_id
WHERE rf.file_id = $1 AND r.embargo AND r.state = 'scheduled' AND embargo_recipient(r.id, $2);

-- name: hold_object_removal
-- A backup holds this (shared, for its session) from before its snapshot until it has copied
-- every object the snapshot names; removers take it exclusively for their transaction, so no
-- object a running backup still has to copy is removed (press/backup/take.py).
SELECT pg_advisory_lock_shared(hashtextextended('press.object-removal', 0));

-- name: release_object_removal
SELECT pg_advisory_unlock_shared(hashtextextended('press.object-removal', 0));

-- name: try_object_removal
SELECT pg_try_advisory_xact_lock(hashtextextended('press.object-removal', 0));

-- name: wait_for_object_removal
SELECT pg_advisory_xact_lock(hashtextextended('press.object-removal', 0));

-- name: objects_in_use
-- Every object a file points at: its upload and its public copy.
SELECT sha256 FROM files UNION SELECT public_sha256 FROM files ORDER BY 1;
-- name: search_reusable_photos
-- Staff looking for a photo to reuse in release $2: images not attached to it yet whose
-- name, credit, titles, alt texts or captions (any language) hold every word of $1 (LIKE
-- patterns, already escaped), newest first. A plain scan: staff search rarely, and the
-- full-text index covers titles and captions only.
SELECT f.*, coalesce((SELECT array_agg(rf.release_id ORDER BY rf.release_id)
                      FROM release_files rf WHERE rf.file_id = f.id), '{}') AS releases
FROM files f
CROSS JOIN LATERAL (
    SELECT concat_ws(' ', f.filename, f.credit,
                     (SELECT string_agg(v, ' ') FROM jsonb_each_text(f.title) AS t(k, v)),
                     (SELECT string_agg(v, ' ') FROM jsonb_each_text(f.alt) AS a(k, v)),
                     (SELECT string_agg(v, ' ') FROM jsonb_each_text(f.caption) AS c(k, v)))
           AS words
) AS text
WHERE f.content_type LIKE 'image/%'
  AND NOT EXISTS (SELECT 1 FROM release_files rf WHERE rf.file_id = f.id AND rf.release_id = $2)
  AND NOT EXISTS (SELECT 1 FROM unnest($1::text[]) AS w(pattern)
                  WHERE text.words NOT ILIKE '%' || w.pattern || '%')
ORDER BY f.created_at DESC, f.id DESC
LIMIT $3;
