-- Whether an embargoed mail no longer tells the embargo as it is: the lift moved since the
-- event the mail was queued for, or a later event has queued this person mail of the same
-- release (that one tells the time as it is now; a lift moved and moved back to the first
-- time would otherwise be stated twice). Events are compared by seq, not deliveries by id:
-- moves of one release are serialised by its row lock, their expansions need not be.
-- The sender asks it before each embargoed send (start_sending) and, for a mail it did not
-- send, to give staff the reason.
CREATE FUNCTION embargo_notice_superseded(delivery bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM mail_deliveries d
        JOIN releases r ON r.id = d.release_id
        JOIN outbox o ON o.id = d.event_id
        WHERE d.id = delivery AND d.embargoed
          AND ((o.payload->>'publish_at')::timestamptz <> r.publish_at
               OR EXISTS (SELECT 1 FROM mail_deliveries l JOIN outbox lo ON lo.id = l.event_id
                          WHERE l.contact_id = d.contact_id AND l.release_id = d.release_id
                            AND l.embargoed AND lo.seq > o.seq)))
$$;
