-- press: the press-material archive: files, the media bank, and search over file texts.

-- Media-bank collections (logos, portraits of officials, brand material). Whether an item is
-- public is decided per file, not per collection: one collection can hold both.
CREATE TABLE media_collections (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
    name jsonb NOT NULL DEFAULT '{}',
    position integer NOT NULL DEFAULT 0
);

INSERT INTO media_collections (slug, name, position) VALUES
    ('logos', '{"fi": "Logot", "sv": "Logotyper", "en": "Logos"}', 1),
    ('portraits', '{"fi": "Henkilökuvat", "sv": "Porträtt", "en": "Portraits"}', 2),
    ('brand', '{"fi": "Brändiaineisto", "sv": "Varumärke", "en": "Brand material"}', 3);

-- One row per uploaded file. The bytes live in the storage backend under their SHA-256, so
-- two rows with the same bytes share one stored object. `filename` is the cleaned name shown
-- in Content-Disposition; the storage key never comes from a client.
CREATE TABLE files (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint NOT NULL CHECK (size >= 0),
    -- What the public downloads: for images, the same picture with its EXIF/XMP (location,
    -- camera owner) removed; for other files, the upload itself.
    public_sha256 text NOT NULL CHECK (public_sha256 ~ '^[0-9a-f]{64}$'),
    public_size bigint NOT NULL CHECK (public_size >= 0),
    content_type text NOT NULL,
    filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    width integer,
    height integer,
    title jsonb NOT NULL DEFAULT '{}',
    caption jsonb NOT NULL DEFAULT '{}',
    alt jsonb NOT NULL DEFAULT '{}',
    credit text NOT NULL DEFAULT '',
    licence text NOT NULL DEFAULT '',
    taken_at timestamptz,
    collection text REFERENCES media_collections (slug),
    -- A public media-bank item; a file in a release is public through its release instead.
    public boolean NOT NULL DEFAULT false,
    created_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('finnish'::regconfig,
                  coalesce(title ->> 'fi', '') || ' ' || coalesce(caption ->> 'fi', '')), 'D')
        || setweight(to_tsvector('swedish'::regconfig,
                  coalesce(title ->> 'sv', '') || ' ' || coalesce(caption ->> 'sv', '')), 'D')
        || setweight(to_tsvector('english'::regconfig,
                  coalesce(title ->> 'en', '') || ' ' || coalesce(caption ->> 'en', '')), 'D')
    ) STORED,
    CHECK (NOT public OR collection IS NOT NULL)
);
CREATE INDEX files_sha256 ON files (sha256);
CREATE INDEX files_collection ON files (collection, created_at) WHERE collection IS NOT NULL;
CREATE INDEX files_search ON files USING gin (search);

CREATE TABLE release_files (
    release_id uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    file_id uuid NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    position integer NOT NULL DEFAULT 0,
    PRIMARY KEY (release_id, file_id)
);
CREATE INDEX release_files_file ON release_files (file_id, release_id);

-- The one definition of "the public may download this file": it is in a public release
-- (through public_releases, i.e. release_is_public) or it is a public media-bank item.
CREATE VIEW public_files AS
SELECT f.* FROM files f
WHERE (f.public AND f.collection IS NOT NULL)
   OR EXISTS (SELECT 1 FROM release_files rf JOIN public_releases r ON r.id = rf.release_id
              WHERE rf.file_id = f.id);

-- Files an accredited journalist may fetch before the lift: those of embargoed releases
-- that are scheduled and not yet public.
CREATE VIEW embargoed_files AS
SELECT f.* FROM files f
WHERE EXISTS (SELECT 1 FROM release_files rf JOIN releases r ON r.id = rf.release_id
              WHERE rf.file_id = f.id AND r.embargo AND r.state = 'scheduled');

-- Search by language: a query in one language's configuration only ever matches that
-- language's rows, and a partial index per language lets the planner use the GIN index alone
-- instead of intersecting it with a scan of every row of the language.
CREATE INDEX release_translations_search_fi ON release_translations USING gin (search)
    WHERE lang = 'fi';
CREATE INDEX release_translations_search_sv ON release_translations USING gin (search)
    WHERE lang = 'sv';
CREATE INDEX release_translations_search_en ON release_translations USING gin (search)
    WHERE lang = 'en';
