-- press: the embargo engine — schedule notifications, outbox ordering for consumers,
-- webhooks and their deliveries, and the log of journalists' embargoed reads.

-- The embargo predicate: accredited journalists may read this release, the public not yet.
-- Like release_is_public, it asks the database clock, never the application's.
CREATE FUNCTION release_is_embargoed(state text, publish_at timestamptz, embargo boolean)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT embargo AND state = 'scheduled' AND publish_at > statement_timestamp()
$$;

-- The lift loop sleeps until the next due publish_at; any change of a release's state or time
-- wakes it. The trigger does this so that no release code has to remember to. The payload is
-- empty: notifications with equal payloads in one transaction collapse into one. The loop's
-- own lift (scheduled → published at the same time) changes no schedule and is left out.
CREATE FUNCTION notify_release_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('press_release_schedule', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER releases_schedule_changed
    AFTER UPDATE OF state, publish_at ON releases
    FOR EACH ROW
    WHEN ((OLD.state IS DISTINCT FROM NEW.state OR OLD.publish_at IS DISTINCT FROM NEW.publish_at)
          AND NOT (OLD.state = 'scheduled' AND NEW.state = 'published'
                   AND OLD.publish_at = NEW.publish_at))
    EXECUTE FUNCTION notify_release_schedule();

CREATE TRIGGER releases_schedule_inserted
    AFTER INSERT ON releases
    FOR EACH ROW WHEN (NEW.state = 'scheduled')
    EXECUTE FUNCTION notify_release_schedule();

-- Outbox consumers keep their own position; nothing marks an event as consumed for everyone.
-- Rows are read in (txid, seq) order, and only those whose transaction id lies below the
-- oldest transaction still running (pg_snapshot_xmin): such rows are final, and every row
-- written later gets a larger txid. A position by created_at or by a sequence alone would
-- skip a row whose transaction started earlier but committed after a later one was read.
ALTER TABLE outbox
    ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX outbox_consumer_order ON outbox (txid, seq);

CREATE TABLE outbox_consumers (
    name text PRIMARY KEY,
    last_txid xid8 NOT NULL DEFAULT '0',
    last_seq bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('press_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox
    FOR EACH ROW EXECUTE FUNCTION notify_outbox();

-- Webhook subscriptions. The secret is kept as given (whsec_…): signing needs it in clear.
CREATE TABLE webhooks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url text NOT NULL,
    description text NOT NULL DEFAULT '',
    event_types text[] NOT NULL,
    secret text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);

-- Which outbox events go to webhooks: only those about public things. `release.embargoed`
-- and other internal events never leave the building, whatever a subscription asks for.
CREATE FUNCTION webhook_event_is_public(event_type text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT event_type IN ('release.published', 'release.updated', 'release.withdrawn')
        OR starts_with(event_type, 'event.')
$$;

-- A subscription's patterns: an exact type, a family (`release.*`) or everything (`*`).
CREATE FUNCTION webhook_matches(patterns text[], event_type text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT webhook_event_is_public(event_type) AND EXISTS (
        SELECT 1 FROM unnest(patterns) AS p
        WHERE p = '*' OR p = event_type
           OR (right(p, 2) = '.*' AND starts_with(event_type, left(p, -1))))
$$;

-- One row per outbox event and matching subscription. Its id is the `webhook-id` header,
-- stable across retries, so a receiver can deduplicate. A row is claimed by moving
-- next_attempt_at past the attempt's timeout (a lease): a crashed sender's claim lapses.
CREATE TABLE webhook_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    outbox_id uuid NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    event_type text NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status integer,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz,
    UNIQUE (webhook_id, outbox_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC, id);

CREATE TABLE webhook_attempts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    at timestamptz NOT NULL DEFAULT now(),
    status integer,
    error text,
    duration_ms integer NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

INSERT INTO outbox_consumers (name, last_txid) VALUES ('webhooks', pg_current_xact_id());

-- Who read which embargoed release, when: the press office can tell who knew before the lift.
CREATE TABLE embargo_reads (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    release_id uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    token_id uuid REFERENCES journalist_tokens (id) ON DELETE SET NULL,
    at timestamptz NOT NULL DEFAULT statement_timestamp()
);
CREATE INDEX embargo_reads_release ON embargo_reads (release_id, at DESC, id DESC);
CREATE INDEX embargo_reads_contact ON embargo_reads (contact_id, at DESC);
