-- Whether the public may download a file is decided from that file's own rows.
--
-- public_files said "in a public release" with a correlated EXISTS under OR. PostgreSQL may
-- run such an EXISTS as a hash of every public release's files, built the first time the
-- filter is evaluated, and it chose that plan while release_files was small (a few hundred
-- rows). The filter is evaluated only when the file's row exists, so the download of a file
-- of a draft, an embargoed release or no release at all read every public release's files
-- (11 buffers, about 0.13 ms with 300 releases), while an unknown file id read the index
-- alone (2 buffers, 0.04 ms): a difference in time that tells which file ids exist
-- (bench/existence.py). A scalar subquery is never hashed: it reads the file's rows in
-- release_files (by release_files_file) and their releases (by primary key), a page or two
-- over an unknown id's, whatever the size of the tables. Same rule, same columns.
CREATE OR REPLACE VIEW public_files AS
SELECT f.* FROM files f
WHERE (f.public AND f.collection IS NOT NULL)
   OR coalesce((SELECT bool_or(release_is_public(r.state, r.publish_at))
                FROM release_files rf JOIN releases r ON r.id = rf.release_id
                WHERE rf.file_id = f.id), false);
