-- The journalist registry: outlets, contact details, accreditation history, consent,
-- subscriptions, the suppression list of erased addresses, and the e-mail delivery queue.
-- Extends the `contacts` table of 0001 rather than recreating it.

-- Both are "trusted" extensions (PostgreSQL 13+): a database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes an
-- IMMUTABLE wrapper usable in generated columns and indexes. ä/å/ö fold to a/a/o, so a
-- search typed without them still matches.
CREATE FUNCTION registry_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT lower(public.unaccent('public.unaccent'::regdictionary, value))
$$;

-- The order Finnish and Swedish readers expect (a … z, å, ä, ö; æ with ä, ø with ö, ü with y,
-- other accents with their base letter), whatever the server's collation: the key maps the
-- Nordic letters to the three ASCII characters after "z" and is compared with COLLATE "C".
-- Upper-case letters are mapped explicitly because lower() of a C-locale database leaves
-- non-ASCII letters alone.
CREATE FUNCTION registry_sort_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT lower(translate(value,
        'ÅÄÖÆØÜåäöæøüÁÀÂÃÉÈÊËÍÌÎÏÓÒÔÕÚÙÛÝŸÇÑŠŽÐáàâãéèêëíìîïóòôõúùûýÿçñšžð',
        '{|}|}Y{|}|}yAAAAEEEEIIIIOOOOUUUYYCNSZDaaaaeeeeiiiioooouuuyycnszd'))
$$;

CREATE TABLE outlets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    kind text NOT NULL DEFAULT 'other' CHECK (kind IN (
        'newspaper', 'tv', 'radio', 'online', 'news_agency', 'magazine', 'freelance', 'other')),
    country text NOT NULL DEFAULT '',
    languages text[] NOT NULL DEFAULT '{}',
    website text NOT NULL DEFAULT '',
    sort_key text COLLATE "C" GENERATED ALWAYS AS (registry_sort_key(name)) STORED,
    search_text text GENERATED ALWAYS AS (registry_fold(name)) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX outlets_name_key ON outlets (lower(name));
CREATE INDEX outlets_order ON outlets (sort_key, id);
CREATE INDEX outlets_search ON outlets USING gin (search_text gin_trgm_ops);

ALTER TABLE contacts
    ADD COLUMN other_emails text[] NOT NULL DEFAULT '{}',
    ADD COLUMN phones text[] NOT NULL DEFAULT '{}',
    ADD COLUMN country text NOT NULL DEFAULT '',
    ADD COLUMN languages text[] NOT NULL DEFAULT '{}',
    ADD COLUMN beats text[] NOT NULL DEFAULT '{}',
    ADD COLUMN sources text[] NOT NULL DEFAULT '{}',
    ADD COLUMN notes text NOT NULL DEFAULT '',
    ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
    -- A city processes journalists' data for its public task or with their consent; never
    -- on "legitimate interest", which public authorities may not rely on for their tasks.
    ADD COLUMN lawful_basis text NOT NULL DEFAULT 'public_task'
        CHECK (lawful_basis IN ('public_task', 'consent')),
    ADD COLUMN suspended_at timestamptz,
    ADD COLUMN suspension_reason text,
    ADD COLUMN erased_at timestamptz,
    ADD COLUMN sort_key text COLLATE "C" GENERATED ALWAYS AS (registry_sort_key(name)) STORED,
    ADD COLUMN search_text text GENERATED ALWAYS AS (registry_fold(name)) STORED;
CREATE INDEX contacts_order ON contacts (sort_key, id);
CREATE INDEX contacts_search ON contacts USING gin (search_text gin_trgm_ops);

CREATE TABLE contact_outlets (
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    outlet_id uuid NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    role text NOT NULL DEFAULT '',
    PRIMARY KEY (contact_id, outlet_id)
);
CREATE INDEX contact_outlets_outlet ON contact_outlets (outlet_id);

-- Accreditation history: every grant, suspension, reinstatement and revocation, never edited.
-- The current state is on the contact (embargo_access, accredited_until, suspended_at), which
-- is what journalist tokens check.
CREATE TABLE accreditation_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('granted', 'suspended', 'reinstated', 'revoked')),
    evidence text NOT NULL DEFAULT '',
    verified_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    verified_on date,
    valid_until date,
    reason text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accreditation_events_contact ON accreditation_events (contact_id, id);

-- What the person agreed to, when, how, and to which version of the text.
CREATE TABLE consents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    purpose text NOT NULL DEFAULT 'press-releases',
    text_version text NOT NULL,
    channel text NOT NULL CHECK (channel IN ('web-form', 'email', 'phone', 'in-person', 'import')),
    given_at timestamptz NOT NULL DEFAULT now(),
    withdrawn_at timestamptz
);
CREATE INDEX consents_contact ON consents (contact_id, id);

-- One subscription per contact. Empty sources/topics mean "everything".
CREATE TABLE subscriptions (
    contact_id uuid PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
    sources text[] NOT NULL DEFAULT '{}',
    topics text[] NOT NULL DEFAULT '{}',
    languages text[] NOT NULL DEFAULT '{}',
    embargoed boolean NOT NULL DEFAULT false,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
    -- Random per request: a newer request or a confirmation makes older links useless.
    confirm_nonce uuid,
    -- What a self-service request asked for (choices, consent text version); applied only
    -- when the link in the confirmation e-mail is followed.
    pending jsonb,
    requested_at timestamptz NOT NULL DEFAULT now(),
    confirmed_at timestamptz,
    unsubscribed_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_confirmed ON subscriptions (contact_id) WHERE state = 'confirmed';

-- Addresses that must not come back (erased or unsubscribed people), as HMAC-SHA256 of the
-- lower-cased address keyed with the secret key: the address itself is not kept.
CREATE TABLE suppressed_emails (
    email_hash bytea PRIMARY KEY,
    reason text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The mail consumer's own record of the outbox events it has expanded (the webhook
-- dispatcher reads the same outbox; outbox rows are never deleted or locked here).
CREATE TABLE mail_outbox_events (
    event_id uuid PRIMARY KEY,
    event_type text NOT NULL,
    recipients integer NOT NULL,
    expanded_at timestamptz NOT NULL DEFAULT now()
);

-- One row per e-mail to one person. (event_id, contact_id) is unique: an event is never
-- expanded to the same person twice. Erasure nulls contact_id and keeps the row for counts.
CREATE TABLE mail_deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('release', 'confirmation')),
    event_id uuid NOT NULL,
    release_id uuid,
    contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
    lang text NOT NULL DEFAULT 'fi',
    embargoed boolean NOT NULL DEFAULT false,
    -- queued → sending → sent; retry after a temporary failure; bounced on a permanent one;
    -- cancelled when the person may no longer receive it; unknown when a sender died between
    -- starting and recording a send (never resent automatically: no duplicates).
    state text NOT NULL DEFAULT 'queued' CHECK (state IN (
        'queued', 'sending', 'sent', 'retry', 'bounced', 'failed', 'cancelled', 'unknown')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    leased_until timestamptz,
    last_error text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    UNIQUE (event_id, contact_id)
);
CREATE INDEX mail_deliveries_due ON mail_deliveries (next_attempt_at, id)
    WHERE state IN ('queued', 'retry');
CREATE INDEX mail_deliveries_sending ON mail_deliveries (leased_until) WHERE state = 'sending';
CREATE INDEX mail_deliveries_release ON mail_deliveries (release_id, state);
CREATE INDEX mail_deliveries_contact ON mail_deliveries (contact_id);

-- May this person get mail now? Active, not suspended from mail by status, and either on a
-- public-task basis or with a consent that is not withdrawn. Checked again right before each
-- send, so a withdrawal stops sending at once.
CREATE FUNCTION contact_may_receive(contact uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM contacts c JOIN subscriptions s ON s.contact_id = c.id
        WHERE c.id = contact AND c.status = 'active' AND s.state = 'confirmed'
          AND (c.lawful_basis = 'public_task' OR EXISTS (
                SELECT 1 FROM consents k WHERE k.contact_id = c.id AND k.withdrawn_at IS NULL)))
$$;

-- Staff may now edit the press office's own media contacts with If-Match.
ALTER TABLE media_contacts ADD COLUMN version integer NOT NULL DEFAULT 1;

-- A contact with the outlets they work for, as staff read it.
CREATE VIEW contact_documents AS
SELECT c.*,
    coalesce((SELECT jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name, 'role', co.role)
                               ORDER BY o.sort_key, o.id)
              FROM contact_outlets co JOIN outlets o ON o.id = co.outlet_id
              WHERE co.contact_id = c.id), '[]') AS outlets,
    (c.embargo_access AND c.suspended_at IS NULL
     AND (c.accredited_until IS NULL
          OR c.accredited_until >= (statement_timestamp() AT TIME ZONE 'Europe/Helsinki')::date))
        AS accredited
FROM contacts c;
