-- press: press events (press conferences, briefings, council and board meetings, visits).

CREATE TABLE events (
    -- Random ids, as for releases: a public id says nothing about how many events exist.
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source text NOT NULL REFERENCES sources (slug),
    -- {"fi": {"title": …, "description": …}, "sv": …, "en": …}: at least one language.
    translations jsonb NOT NULL
        CHECK (jsonb_typeof(translations) = 'object' AND translations <> '{}'::jsonb
               AND translations - 'fi' - 'sv' - 'en' = '{}'::jsonb),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    -- The zone the event is shown in (its VTIMEZONE in the calendar); times are stored in UTC.
    timezone text NOT NULL DEFAULT 'Europe/Helsinki',
    location_name text NOT NULL DEFAULT '',
    location_address text NOT NULL DEFAULT '',
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    online_url text,
    accreditation_required boolean NOT NULL DEFAULT false,
    release_ids uuid[] NOT NULL DEFAULT '{}',
    contact_id uuid REFERENCES media_contacts (id) ON DELETE SET NULL,
    status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    -- iCalendar SEQUENCE: raised on every change a calendar must apply (time, place, status,
    -- text), so subscribed calendars replace their copy.
    sequence integer NOT NULL DEFAULT 0,
    -- Hidden from the public until this instant (an event announced under embargo).
    visible_from timestamptz,
    created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    CHECK (ends_at >= starts_at),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX events_starts ON events (starts_at, id);
CREATE INDEX events_visible_from ON events (visible_from) WHERE visible_from IS NOT NULL;

-- The visibility predicate of events, on the database clock like release_is_public.
CREATE FUNCTION event_is_public(visible_from timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT visible_from IS NULL OR visible_from <= statement_timestamp()
$$;

-- A public event with what the public may read: its contact person's public details, and
-- only those related releases that are public themselves (a link to an embargoed release
-- would tell that it exists).
CREATE VIEW public_events AS
SELECT e.id, e.source, e.translations, e.starts_at, e.ends_at, e.timezone,
    e.location_name, e.location_address, e.latitude, e.longitude, e.online_url,
    e.accreditation_required, e.status, e.sequence, e.created_at, e.updated_at,
    greatest(e.updated_at, e.visible_from) AS modified_at,
    ARRAY(SELECT r.id FROM public_releases r WHERE r.id = ANY (e.release_ids)
          ORDER BY r.publish_at DESC, r.id) AS release_ids,
    (SELECT jsonb_build_object('id', m.id, 'name', m.name, 'title', m.title,
                               'phone', m.phone, 'email', m.email)
     FROM media_contacts m WHERE m.id = e.contact_id) AS contact
FROM events e
WHERE event_is_public(e.visible_from);
