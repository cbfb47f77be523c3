-- Full-text search reads its own narrow table.
--
-- The tsvector was a generated column of release_translations. Those rows (title, lead, body,
-- body_html, the tsvector) are 3-4 kB, over the 2 kB TOAST threshold, so PostgreSQL kept the
-- tsvector out of line: every candidate a search looked at cost several extra page reads,
-- and walking the newest releases for the matches of a common word took 25-50 ms. In a
-- table of (release, language, publish time, tsvector) the tsvector stays on the row's
-- page and the same walk takes 1-3 ms. The publish time is copied here, by trigger, so that
-- the walk runs down an index of this table alone; visibility is still decided by joining
-- public_releases.
CREATE TABLE release_search (
    release_id uuid NOT NULL,
    lang text NOT NULL,
    publish_at timestamptz,
    search tsvector NOT NULL,
    PRIMARY KEY (release_id, lang),
    FOREIGN KEY (release_id, lang) REFERENCES release_translations (release_id, lang)
        ON DELETE CASCADE ON UPDATE CASCADE
);
-- Compressed or not, but on the row's page: never a separate TOAST read.
ALTER TABLE release_search ALTER COLUMN search SET STORAGE MAIN;

-- One translation's document: the title weighs most, then the lead, then the body.
CREATE FUNCTION release_search_document(lang text, title text, lead text, body text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector(c, title), 'A') || setweight(to_tsvector(c, lead), 'B')
           || setweight(to_tsvector(c, body), 'C')
    FROM (SELECT CASE lang WHEN 'fi' THEN 'finnish'::regconfig
                           WHEN 'sv' THEN 'swedish'::regconfig
                           ELSE 'english'::regconfig END AS c) AS config
$$;

-- New translations, a statement at a time (a bulk insert indexes in one pass).
CREATE FUNCTION release_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO release_search (release_id, lang, publish_at, search)
    SELECT n.release_id, n.lang, r.publish_at,
           release_search_document(n.lang, n.title, n.lead, n.body)
    FROM added n JOIN releases r ON r.id = n.release_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER release_translations_search_insert AFTER INSERT ON release_translations
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION release_search_insert();

-- Edited texts. (Transition tables cannot be combined with a column list; edits come a
-- row at a time anyway.)
CREATE FUNCTION release_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE release_search
    SET search = release_search_document(NEW.lang, NEW.title, NEW.lead, NEW.body)
    WHERE release_id = NEW.release_id AND lang = NEW.lang;
    RETURN NULL;
END
$$;
CREATE TRIGGER release_translations_search_update
    AFTER UPDATE OF title, lead, body ON release_translations
    FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.lead IS DISTINCT FROM NEW.lead
          OR OLD.body IS DISTINCT FROM NEW.body)
    EXECUTE FUNCTION release_search_update();

-- A release scheduled, rescheduled or published moves in the search order.
CREATE FUNCTION release_search_publish_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE release_search SET publish_at = NEW.publish_at WHERE release_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER releases_search_publish_at AFTER UPDATE OF publish_at ON releases
    FOR EACH ROW WHEN (OLD.publish_at IS DISTINCT FROM NEW.publish_at)
    EXECUTE FUNCTION release_search_publish_at();

INSERT INTO release_search (release_id, lang, publish_at, search)
SELECT t.release_id, t.lang, r.publish_at, release_search_document(t.lang, t.title, t.lead, t.body)
FROM release_translations t JOIN releases r ON r.id = t.release_id;

DROP INDEX release_translations_search;
DROP INDEX release_translations_search_fi;
DROP INDEX release_translations_search_sv;
DROP INDEX release_translations_search_en;
ALTER TABLE release_translations DROP COLUMN search;

-- A query in one language's configuration only ever matches that language's rows: one
-- partial index per language, so that the planner uses the full-text index alone.
CREATE INDEX release_search_fi ON release_search USING gin (search) WHERE lang = 'fi';
CREATE INDEX release_search_sv ON release_search USING gin (search) WHERE lang = 'sv';
CREATE INDEX release_search_en ON release_search USING gin (search) WHERE lang = 'en';
-- Newest first, for the matches of common words.
CREATE INDEX release_search_recent ON release_search (publish_at);
