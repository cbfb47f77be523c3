-- A release's slug is its own only once the release is, was, or is scheduled to be public
-- (docs/decisions.md, "Slugs"). Before that it is tentative: the title's slug as it is, which
-- may equal another release's, so that no release can make a public one's slug change. The
-- unique index therefore covers only the slugs claimed; lookups by slug use the other.
ALTER TABLE release_translations ADD COLUMN slug_claimed boolean NOT NULL DEFAULT false;

UPDATE release_translations t SET slug_claimed = true
FROM releases r
WHERE r.id = t.release_id
  AND (r.state IN ('scheduled', 'published')
       OR release_is_tombstone(r.state, r.publish_at, r.withdrawn_at));

DROP INDEX release_translations_slug_key;
CREATE UNIQUE INDEX release_translations_slug_key ON release_translations (lang, slug)
    WHERE slug_claimed;
CREATE INDEX release_translations_slug ON release_translations (lang, slug);
