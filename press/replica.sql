-- The positions the read replica's lag is measured by (press/replica.py), as byte offsets
-- into the WAL: pg_lsn has no binary codec in asyncpg, and a number compares in Python.

-- name: primary_position
-- The flush position: all a standby can have. Not the insert position: a record inserted
-- after the last commit (a standby snapshot the background writer logs, say) may wait
-- unflushed for as long as the primary is idle, and a replica would seem to lag meanwhile.
-- With the clock, which the replica's must not be ahead of.
SELECT (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint, clock_timestamp();

-- name: flush_commits_heard_of
-- Before a fence's position is read: commit a transaction of our own that writes WAL (a
-- logical message, which physical standbys skip) and flushes it. Its commit record follows
-- that of every change whose NOTIFY was heard before, and flushing it flushes them, which
-- synchronous_commit = off on the primary would otherwise leave to the WAL writer: the
-- fence then lies past those commits. (A transaction that only takes an xid would not do:
-- one that wrote nothing before its commit record commits asynchronously whatever the
-- setting.)
BEGIN READ WRITE;
SET LOCAL synchronous_commit = local;
SELECT pg_logical_emit_message(true, 'press', 'replica fence');
COMMIT;

-- name: replay_position
-- NULL on a server that is not a standby (a replica promoted, or a primary by mistake).
SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, clock_timestamp();
