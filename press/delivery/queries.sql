-- name: unexpanded_events
-- Outbox events the mail consumer has not expanded yet, oldest first. Events older than a
-- week are not mailed any more (a release that late is no news). The outbox itself is
-- neither locked nor changed: the webhook dispatcher reads it too. Events of one
-- transaction share created_at: seq keeps the order they were written in (a schedule
-- before a change of its embargo list, which mails only those not mailed yet), where the
-- random id would sometimes expand the list change first and mail its readers twice.
SELECT o.id, o.event_type, o.aggregate_id, o.payload
FROM outbox o
WHERE o.event_type IN ('release.published', 'release.embargoed')
  AND o.created_at > statement_timestamp() - interval '7 days'
  AND NOT EXISTS (SELECT 1 FROM mail_outbox_events m WHERE m.event_id = o.id)
ORDER BY o.created_at, o.seq
LIMIT $1;

-- name: claim_event
-- Concurrent consumers: the second insert waits for the first's commit, then does nothing.
INSERT INTO mail_outbox_events (event_id, event_type, recipients) VALUES ($1, $2, 0)
ON CONFLICT (event_id) DO NOTHING
RETURNING event_id;

-- name: record_expansion
UPDATE mail_outbox_events SET recipients = $2 WHERE event_id = $1;

-- name: mailable_release
-- The release as it is now, if it may still be mailed for this kind of event: published
-- ones while public, embargoed ones while still scheduled under embargo and not yet lifted.
SELECT r.id, r.source, r.publish_at, r.embargo, r.embargo_terms,
    ARRAY(SELECT lang FROM release_translations t WHERE t.release_id = r.id ORDER BY lang)
        AS langs,
    ARRAY(SELECT topic FROM release_topics t WHERE t.release_id = r.id) AS topics
FROM releases r
WHERE r.id = $1
  AND CASE WHEN $2 THEN r.state = 'scheduled' AND r.embargo
                        AND r.publish_at > statement_timestamp()
           ELSE release_is_public(r.state, r.publish_at) END;

-- name: release_recipients
-- Confirmed subscribers who may receive mail and whose choices match the release. For an
-- embargoed release: only accredited journalists who asked for embargoed material and are
-- on the release's embargo list (when it has one). At the
-- lift, those who had the embargoed copy are not mailed the same release again.
SELECT c.id, c.country, s.languages || c.languages AS preferences
FROM contacts c JOIN subscriptions s ON s.contact_id = c.id
WHERE c.status = 'active' AND s.state = 'confirmed'
  AND (c.lawful_basis = 'public_task' OR EXISTS (
        SELECT 1 FROM consents k WHERE k.contact_id = c.id AND k.withdrawn_at IS NULL))
  AND (cardinality(s.sources) = 0 OR $2::text = ANY (s.sources))
  AND (cardinality(s.topics) = 0 OR s.topics && $3::text[])
  AND (NOT $4::boolean OR (s.embargoed AND c.embargo_access AND c.suspended_at IS NULL
        AND (c.accredited_until IS NULL OR c.accredited_until
             >= (statement_timestamp() AT TIME ZONE 'Europe/Helsinki')::date)
        AND embargo_recipient($1, c.id)
        -- After a change of the embargo list ($5): only those it added, not those mailed.
        AND NOT ($5::boolean AND EXISTS (
            SELECT 1 FROM mail_deliveries d
            WHERE d.release_id = $1 AND d.contact_id = c.id AND d.embargoed
              AND d.state <> 'cancelled'))))
  AND ($4::boolean OR NOT EXISTS (
        SELECT 1 FROM mail_deliveries d
        WHERE d.release_id = $1 AND d.contact_id = c.id AND d.embargoed AND d.state = 'sent'));

-- name: queue_release_mail
INSERT INTO mail_deliveries (kind, event_id, release_id, contact_id, lang, embargoed)
SELECT 'release', $1, $2, r.contact_id, r.lang, $3
FROM unnest($4::uuid[], $5::text[]) AS r (contact_id, lang)
ON CONFLICT (event_id, contact_id) DO NOTHING;

-- name: give_up_interrupted
-- A sender died between starting a send and recording its outcome: the mail may or may
-- not have gone out. Resending could make a duplicate, so it is left for staff to see.
UPDATE mail_deliveries
SET state = 'unknown', leased_until = NULL,
    last_error = 'the sender stopped during this send; not resent, to avoid a duplicate'
WHERE state = 'sending' AND leased_until < statement_timestamp();

-- name: lease_due
-- Take a batch of due mail for this sender for a while; SKIP LOCKED lets several senders
-- share the queue without waiting on each other or taking the same rows.
UPDATE mail_deliveries SET leased_until = statement_timestamp() + make_interval(secs => $2)
WHERE id IN (
    SELECT id FROM mail_deliveries
    WHERE state IN ('queued', 'retry') AND next_attempt_at <= statement_timestamp()
      AND (leased_until IS NULL OR leased_until < statement_timestamp())
    ORDER BY next_attempt_at, id
    LIMIT $1
    FOR UPDATE SKIP LOCKED)
RETURNING id, kind, event_id, release_id, contact_id, staff_user_id, lang, embargoed;

-- name: start_sending
-- Re-check, right before the send, that this person may still get this mail and the release
-- may still be mailed (not withdrawn or unscheduled since); if so, record that the send has
-- started (committed before the first SMTP command). The same statement records the
-- connection's previous message as sent ($3, NULL when there is none): one round trip per
-- message, and still at most one message per connection between "sending" and its outcome.
-- An embargoed mail is sent only while it tells the embargo as it is
-- (embargo_notice_superseded, migration 0033): after a move, the move's own event tells the
-- new time. The lift returned is the one checked (the same snapshot), and the message says it.
WITH previous AS (
    UPDATE mail_deliveries SET state = 'sent', sent_at = statement_timestamp(),
        leased_until = NULL, last_error = ''
    WHERE id = $3
)
UPDATE mail_deliveries d
SET state = 'sending', attempts = attempts + 1,
    leased_until = statement_timestamp() + make_interval(secs => $2)
FROM contacts c
WHERE d.id = $1 AND c.id = d.contact_id AND d.state IN ('queued', 'retry')
  AND CASE WHEN d.kind = 'confirmation'
           THEN c.status = 'active' AND EXISTS (
                SELECT 1 FROM subscriptions s
                WHERE s.contact_id = c.id AND s.confirm_nonce = d.event_id)
           -- The person's own request: whatever their subscription, while it is open.
           WHEN d.kind = 'privacy'
           THEN c.status <> 'erased' AND EXISTS (
                SELECT 1 FROM privacy_requests p
                WHERE p.id = d.event_id AND p.contact_id = c.id AND p.completed_at IS NULL)
           -- A magic link of the reading room: while unused, fresh, and the person
           -- accredited (the room's own rules, asked of the same function).
           WHEN d.kind = 'sign_in'
           THEN room_sign_in_open(d.event_id, c.id)
           ELSE contact_may_receive(c.id) AND (NOT d.embargoed OR (
                c.embargo_access AND c.suspended_at IS NULL
                AND embargo_recipient(d.release_id, c.id)
                AND EXISTS (SELECT 1 FROM subscriptions s
                            WHERE s.contact_id = c.id AND s.embargoed)))
                AND EXISTS (SELECT 1 FROM releases r WHERE r.id = d.release_id
                            AND CASE WHEN d.embargoed
                                     THEN r.state = 'scheduled' AND r.embargo
                                          AND r.publish_at > statement_timestamp()
                                          AND NOT embargo_notice_superseded(d.id)
                                     ELSE release_is_public(r.state, r.publish_at) END) END
RETURNING c.name, c.email,
    (SELECT r.publish_at FROM releases r WHERE r.id = d.release_id) AS lift;

-- name: embargo_notice_superseded
-- Whether start_sending held an embargoed mail back because a newer notice tells its time.
SELECT embargo_notice_superseded($1);

-- name: cancel_delivery
UPDATE mail_deliveries SET state = 'cancelled', leased_until = NULL, last_error = $2
WHERE id = $1 AND state IN ('queued', 'retry');

-- name: mark_sent
UPDATE mail_deliveries SET state = 'sent', sent_at = statement_timestamp(),
    leased_until = NULL, last_error = ''
WHERE id = $1;

-- name: mark_retry
-- A temporary failure: try again after $2 seconds doubled per attempt (at most 6 hours),
-- up to $3 attempts.
UPDATE mail_deliveries
SET state = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'retry' END,
    next_attempt_at = statement_timestamp()
        + make_interval(secs => least($2 * 2 ^ greatest(attempts - 1, 0), 21600)),
    leased_until = NULL, last_error = $4
WHERE id = $1;

-- name: mark_failed
UPDATE mail_deliveries SET state = 'failed', leased_until = NULL, last_error = $2
WHERE id = $1;

-- name: mark_bounced
-- A permanent refusal of the address: the contact is bounced and gets nothing more.
WITH delivery AS (
    UPDATE mail_deliveries SET state = 'bounced', leased_until = NULL, last_error = $2
    WHERE id = $1 RETURNING contact_id
)
UPDATE contacts SET status = 'bounced', updated_at = statement_timestamp(),
    version = version + 1
WHERE id = (SELECT contact_id FROM delivery) AND status = 'active';

-- name: release_texts
SELECT r.id, r.embargo_terms, t.lang, t.title, t.lead, t.body, t.body_html,
       t.slug
FROM releases r JOIN release_translations t ON t.release_id = r.id
WHERE r.id = $1;

-- name: delivery_progress
SELECT state, count(*) AS count FROM mail_deliveries
WHERE release_id = $1 GROUP BY state ORDER BY state;

-- name: list_deliveries
SELECT d.id, d.kind, d.release_id, d.contact_id, coalesce(c.email, u.email) AS email, d.lang,
       d.embargoed, d.state, d.attempts, d.next_attempt_at, d.last_error, d.created_at,
       d.sent_at
FROM mail_deliveries d LEFT JOIN contacts c ON c.id = d.contact_id
    LEFT JOIN staff_users u ON u.id = d.staff_user_id  -- workflow mail to staff
WHERE ($1::uuid IS NULL OR d.release_id = $1)
  AND ($2::text IS NULL OR d.state = $2)
  AND ($3::bigint IS NULL OR d.id > $3)
ORDER BY d.id
LIMIT $4;

-- name: privacy_request_kind
SELECT kind FROM privacy_requests WHERE id = $1;

-- name: lock_delivery
SELECT state FROM mail_deliveries WHERE id = $1 FOR UPDATE;

-- name: resend_delivery
-- Back in the queue, due now; the sender re-checks the recipient and the release as always.
UPDATE mail_deliveries
SET state = 'queued', next_attempt_at = statement_timestamp(), leased_until = NULL,
    last_error = $2
WHERE id = $1;

-- name: fetch_delivery
SELECT d.id, d.kind, d.release_id, d.contact_id, coalesce(c.email, u.email) AS email, d.lang,
       d.embargoed, d.state, d.attempts, d.next_attempt_at, d.last_error, d.created_at,
       d.sent_at
FROM mail_deliveries d LEFT JOIN contacts c ON c.id = d.contact_id
    LEFT JOIN staff_users u ON u.id = d.staff_user_id  -- workflow mail to staff
WHERE d.id = $1;

-- name: unexpanded_workflow_events
-- As unexpanded_events, for the workflow's events (staff mail); a day old is no news.
SELECT o.id, o.event_type, o.aggregate_id, o.payload
FROM outbox o
WHERE o.event_type IN ('release.submitted', 'release.returned', 'release.approved')
  AND o.created_at > statement_timestamp() - interval '1 day'
  AND NOT EXISTS (SELECT 1 FROM mail_outbox_events m WHERE m.event_id = o.id)
ORDER BY o.created_at, o.id
LIMIT $1;

-- name: workflow_recipients
-- Who hears of a workflow move ($2): of a submission, the approvers and admins (not the
-- release's author: the four-eyes rule lets another approve it); of a sending back or an
-- approval, the release's author and submitter. Never the one who moved it ($3), nor a
-- disabled account.
SELECT u.id, u.lang FROM staff_users u JOIN releases r ON r.id = $1
WHERE u.disabled_at IS NULL
  AND u.id IS DISTINCT FROM $3::text::uuid
  AND CASE WHEN $2 = 'release.submitted'
           THEN u.role IN ('approver', 'admin') AND u.id IS DISTINCT FROM r.created_by
           ELSE u.id IN (r.created_by, r.submitted_by) END
ORDER BY u.id;

-- name: queue_workflow_mail
INSERT INTO mail_deliveries (kind, event_id, staff_user_id, lang)
SELECT 'staff', $1, r.user_id, r.lang
FROM unnest($2::uuid[], $3::text[]) AS r (user_id, lang)
ON CONFLICT DO NOTHING;

-- name: start_staff_sending
-- As start_sending, for a staff user's mail: while the account is not disabled, and, for a
-- release waiting for approval, only while it still waits (an approver who was quicker than
-- the queue has made the news stale). Records the connection's previous message as sent ($3),
-- as start_sending does.
WITH previous AS (
    UPDATE mail_deliveries SET state = 'sent', sent_at = statement_timestamp(),
        leased_until = NULL, last_error = ''
    WHERE id = $3
)
UPDATE mail_deliveries d
SET state = 'sending', attempts = attempts + 1,
    leased_until = statement_timestamp() + make_interval(secs => $2)
FROM staff_users u, outbox o
WHERE d.id = $1 AND u.id = d.staff_user_id AND o.id = d.event_id
  AND d.state IN ('queued', 'retry') AND u.disabled_at IS NULL
  AND (o.event_type <> 'release.submitted' OR EXISTS (
        SELECT 1 FROM releases r WHERE r.id = o.aggregate_id AND r.state = 'in_review'))
RETURNING u.name, u.email, NULL::timestamptz AS lift;

-- name: workflow_news
-- A workflow event as its mail tells it: the release's title in the reader's language ($2)
-- or the first it has, who moved it, and the comment.
SELECT o.event_type, r.id AS release_id, o.payload->>'comment' AS comment,
    (SELECT coalesce(nullif(u.name, ''), u.email) FROM staff_users u
     WHERE u.id = (o.payload->>'by')::uuid) AS who,
    (SELECT t.title FROM release_translations t WHERE t.release_id = r.id
     ORDER BY t.lang = $2 DESC, array_position(ARRAY['fi', 'sv', 'en'], t.lang) LIMIT 1)
        AS title
FROM outbox o JOIN releases r ON r.id = o.aggregate_id
WHERE o.id = $1;
