-- name: outbox_backlog
-- Per consumer that runs here: the events past its position and how long ago the oldest
-- was written. An event still in flight (its transaction not yet below every snapshot)
-- counts too: it waits as much as the others.
SELECT c.name AS consumer, count(o.id) AS events,
    coalesce(extract(epoch FROM statement_timestamp() - min(o.created_at)), 0)::float8
        AS oldest_seconds
FROM outbox_consumers c
LEFT JOIN outbox o ON (o.txid, o.seq) > (c.last_txid, c.last_seq)
WHERE c.name = ANY($1::text[])
GROUP BY c.name
ORDER BY c.name;

-- name: webhook_queue
-- Deliveries waiting for an attempt (first or retry), and the age of the oldest.
SELECT count(*) AS waiting,
    coalesce(extract(epoch FROM statement_timestamp() - min(created_at)), 0)::float8
        AS oldest_seconds
FROM webhook_deliveries
WHERE state = 'pending';

-- name: mail_queue
-- E-mails waiting to be sent (first time or again after a temporary failure).
SELECT count(*) AS waiting,
    coalesce(extract(epoch FROM statement_timestamp() - min(created_at)), 0)::float8
        AS oldest_seconds
FROM mail_deliveries
WHERE state IN ('queued', 'retry');
