-- name: snapshot_facts
-- Run first in the backup's REPEATABLE READ transaction: the snapshot pg_dump then shares, and
-- what the manifest says about the database it shows.
SELECT pg_export_snapshot() AS snapshot,
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS taken_at,
       current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int / 10000 AS server_major;

-- name: applied_migrations
SELECT name FROM schema_migrations ORDER BY version;

-- name: server_major
SELECT current_setting('server_version_num')::int / 10000;

-- name: user_relations
-- Tables, sequences, views… outside PostgreSQL's own schemas: a database with any is not empty.
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%';

-- name: user_schemas
SELECT nspname FROM pg_namespace
WHERE nspname NOT IN ('pg_catalog', 'information_schema')
  AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%'
ORDER BY 1;

-- name: restored_counts
-- What `press db restore` reports once done.
SELECT (SELECT count(*) FROM releases) AS releases,
       (SELECT count(*) FROM files) AS files,
       (SELECT count(*) FROM schema_migrations) AS migrations;
