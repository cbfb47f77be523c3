-- press: the initial schema. Times are timestamptz (UTC); the database clock is "now".

CREATE TABLE sources (
    slug text PRIMARY KEY,
    name_fi text NOT NULL,
    name_sv text NOT NULL,
    name_en text NOT NULL,
    position integer NOT NULL
);

INSERT INTO sources (slug, name_fi, name_sv, name_en, position) VALUES
    ('city-council', 'Kaupunginvaltuusto', 'Stadsfullmäktige', 'City Council', 1),
    ('city-board', 'Kaupunginhallitus', 'Stadsstyrelsen', 'City Board', 2),
    ('city-executive-office', 'Kaupunginkanslia', 'Stadskansliet', 'City Executive Office', 3);

CREATE TABLE topics (
    slug text PRIMARY KEY,
    name_fi text NOT NULL,
    name_sv text NOT NULL,
    name_en text NOT NULL,
    position integer NOT NULL
);

INSERT INTO topics (slug, name_fi, name_sv, name_en, position) VALUES
    ('administration', 'Hallinto', 'Förvaltning', 'Administration', 1),
    ('economy', 'Talous', 'Ekonomi', 'Economy', 2),
    ('employment-and-business', 'Työ ja elinkeinot', 'Arbete och näringsliv', 'Employment and business', 3),
    ('personnel', 'Henkilöstö', 'Personal', 'Personnel', 4),
    ('housing', 'Asuminen', 'Boende', 'Housing', 5),
    ('transport', 'Liikenne', 'Trafik', 'Transport', 6),
    ('education', 'Kasvatus ja koulutus', 'Fostran och utbildning', 'Education', 7),
    ('culture', 'Kulttuuri ja vapaa-aika', 'Kultur och fritid', 'Culture and leisure', 8),
    ('environment', 'Ympäristö', 'Miljö', 'Environment', 9),
    ('health-and-social-services', 'Sosiaali- ja terveyspalvelut', 'Social- och hälsovård', 'Health and social services', 10),
    ('safety', 'Turvallisuus', 'Säkerhet', 'Safety', 11),
    ('urban-planning', 'Kaupunkisuunnittelu', 'Stadsplanering', 'Urban planning', 12),
    ('international-affairs', 'Kansainväliset asiat', 'Internationella frågor', 'International affairs', 13);

CREATE TABLE staff_users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    name text NOT NULL DEFAULT '',
    role text NOT NULL CHECK (role IN ('admin', 'approver', 'editor', 'viewer')),
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz
);
CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email));

-- Opaque bearer tokens; only their SHA-256 is stored.
CREATE TABLE staff_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    last_used_at timestamptz
);

-- Failed logins per e-mail address, for throttling guessing.
CREATE TABLE login_failures (
    email text PRIMARY KEY,
    failures integer NOT NULL,
    first_failed_at timestamptz NOT NULL,
    locked_until timestamptz
);

-- The press office's own contact persons for the media (the public "contacts for media" page).
CREATE TABLE media_contacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    title jsonb NOT NULL DEFAULT '{}',
    phone text NOT NULL DEFAULT '',
    email text NOT NULL DEFAULT '',
    topics text[] NOT NULL DEFAULT '{}',
    languages text[] NOT NULL DEFAULT '{}',
    position integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE releases (
    -- Random ids: public ids must not be guessable or reveal how many releases exist.
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source text NOT NULL REFERENCES sources (slug),
    state text NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'in_review', 'approved', 'scheduled', 'published', 'withdrawn')),
    publish_at timestamptz,
    embargo boolean NOT NULL DEFAULT false,
    embargo_terms text NOT NULL DEFAULT '',
    decision_id text,
    decision_url text,
    created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    submitted_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    approved_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    withdrawn_at timestamptz,
    withdrawal_reason text,
    CHECK (state NOT IN ('scheduled', 'published') OR publish_at IS NOT NULL),
    CHECK (state <> 'withdrawn' OR withdrawn_at IS NOT NULL)
);
CREATE INDEX releases_public_order ON releases (publish_at DESC, id DESC)
    WHERE state IN ('published', 'scheduled');
CREATE INDEX releases_scheduled ON releases (publish_at) WHERE state = 'scheduled';
CREATE INDEX releases_sync_order ON releases ((greatest(updated_at, publish_at)), id);

CREATE TABLE release_translations (
    release_id uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    lang text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
    title text NOT NULL,
    lead text NOT NULL DEFAULT '',
    body text NOT NULL DEFAULT '',
    body_html text NOT NULL DEFAULT '',
    slug text NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(CASE lang WHEN 'fi' THEN 'finnish'::regconfig
                                        WHEN 'sv' THEN 'swedish'::regconfig
                                        ELSE 'english'::regconfig END, title), 'A')
        || setweight(to_tsvector(CASE lang WHEN 'fi' THEN 'finnish'::regconfig
                                           WHEN 'sv' THEN 'swedish'::regconfig
                                           ELSE 'english'::regconfig END, lead), 'B')
        || setweight(to_tsvector(CASE lang WHEN 'fi' THEN 'finnish'::regconfig
                                           WHEN 'sv' THEN 'swedish'::regconfig
                                           ELSE 'english'::regconfig END, body), 'C')
    ) STORED,
    PRIMARY KEY (release_id, lang)
);
CREATE UNIQUE INDEX release_translations_slug_key ON release_translations (lang, slug);
CREATE INDEX release_translations_search ON release_translations USING gin (search);

CREATE TABLE release_topics (
    release_id uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    topic text NOT NULL REFERENCES topics (slug),
    PRIMARY KEY (release_id, topic)
);
CREATE INDEX release_topics_topic ON release_topics (topic, release_id);

CREATE TABLE release_media_contacts (
    release_id uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    media_contact_id uuid NOT NULL REFERENCES media_contacts (id) ON DELETE CASCADE,
    position integer NOT NULL DEFAULT 0,
    PRIMARY KEY (release_id, media_contact_id)
);

-- Every change to a release once it is public, and every correction (shown publicly).
CREATE TABLE release_revisions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    release_id uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    version integer NOT NULL,
    kind text NOT NULL CHECK (kind IN ('edit', 'correction', 'withdrawal')),
    note text NOT NULL DEFAULT '',
    snapshot jsonb NOT NULL,
    created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX release_revisions_release ON release_revisions (release_id, id);

-- The visibility predicate: the one definition of "the public may see this release".
-- statement_timestamp(), not now(): "now" must be the database clock at this statement, even
-- inside a long transaction. No application clock takes part.
CREATE FUNCTION release_is_public(state text, publish_at timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT state IN ('published', 'scheduled') AND publish_at <= statement_timestamp()
$$;

-- A withdrawn release that had been public before its withdrawal: a tombstone for sync.
CREATE FUNCTION release_is_tombstone(state text, publish_at timestamptz, withdrawn_at timestamptz)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT state = 'withdrawn' AND publish_at <= withdrawn_at
$$;

CREATE VIEW public_releases AS
    SELECT * FROM releases WHERE release_is_public(state, publish_at);

-- Who did what, when, and what changed: every staff write.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_id uuid,
    actor text NOT NULL,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id text,
    changes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_at ON audit_log (at, id);

-- The transactional outbox: side effects written in the same transaction as the change.
-- dedupe_key makes an event exactly-once (e.g. release.published keyed by id + publish_at).
CREATE TABLE outbox (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type text NOT NULL,
    aggregate_id uuid,
    dedupe_key text NOT NULL UNIQUE,
    payload jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_created ON outbox (created_at, id);

-- A release with its parts gathered, as staff read it.
CREATE VIEW release_documents AS
SELECT r.*,
    coalesce((SELECT array_agg(t.topic ORDER BY t.topic) FROM release_topics t
              WHERE t.release_id = r.id), '{}') AS topics,
    coalesce((SELECT jsonb_object_agg(t.lang, jsonb_build_object(
                  'title', t.title, 'lead', t.lead, 'body', t.body,
                  'body_html', t.body_html, 'slug', t.slug))
              FROM release_translations t WHERE t.release_id = r.id), '{}') AS translations,
    coalesce((SELECT array_agg(c.media_contact_id ORDER BY c.position)
              FROM release_media_contacts c WHERE c.release_id = r.id), '{}') AS contacts,
    coalesce((SELECT jsonb_agg(jsonb_build_object('note', v.note, 'at', v.created_at)
                               ORDER BY v.id)
              FROM release_revisions v
              WHERE v.release_id = r.id AND v.kind = 'correction'), '[]') AS corrections
FROM releases r;

-- A public release with what the public may read of it: no Markdown source, no staff ids.
CREATE VIEW public_release_documents AS
SELECT r.id, r.source, r.publish_at, r.state, r.withdrawn_at, r.withdrawal_reason,
    greatest(r.updated_at, r.publish_at) AS modified_at,
    r.decision_id, r.decision_url,
    coalesce((SELECT array_agg(t.topic ORDER BY t.topic) FROM release_topics t
              WHERE t.release_id = r.id), '{}') AS topics,
    coalesce((SELECT jsonb_object_agg(t.lang, jsonb_build_object(
                  'title', t.title, 'lead', t.lead, 'body_html', t.body_html, 'slug', t.slug))
              FROM release_translations t WHERE t.release_id = r.id), '{}') AS translations,
    coalesce((SELECT jsonb_agg(jsonb_build_object(
                  'id', m.id, 'name', m.name, 'title', m.title, 'phone', m.phone,
                  'email', m.email) ORDER BY c.position)
              FROM release_media_contacts c JOIN media_contacts m ON m.id = c.media_contact_id
              WHERE c.release_id = r.id), '[]') AS contacts,
    coalesce((SELECT jsonb_agg(jsonb_build_object('note', v.note, 'at', v.created_at)
                               ORDER BY v.id)
              FROM release_revisions v
              WHERE v.release_id = r.id AND v.kind = 'correction'), '[]') AS corrections
FROM releases r
WHERE release_is_public(r.state, r.publish_at)
   OR release_is_tombstone(r.state, r.publish_at, r.withdrawn_at);

-- Journalists and other media contacts. The registry (outlets, consent, subscriptions) extends
-- this table; embargo access needs only who they are and whether they are accredited.
CREATE TABLE contacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    email text NOT NULL,
    embargo_access boolean NOT NULL DEFAULT false,
    accredited_until date,
    status text NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'bounced', 'unsubscribed', 'erased')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX contacts_email_key ON contacts (lower(email)) WHERE status <> 'erased';

-- Journalist bearer tokens: shown once, stored as SHA-256, revocable.
CREATE TABLE journalist_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    label text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz
);
CREATE INDEX journalist_tokens_contact ON journalist_tokens (contact_id);
