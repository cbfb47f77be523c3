-- Tell every app instance when what the public may see could have changed, so that their
-- caches of public responses are dropped. Per statement, not per row: one notification per
-- transaction is enough (PostgreSQL folds identical notifications of a transaction into one),
-- and it is delivered only on commit.
CREATE FUNCTION notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('press_public', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER releases_public_change AFTER INSERT OR UPDATE OR DELETE ON releases
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER release_translations_public_change
    AFTER INSERT OR UPDATE OR DELETE ON release_translations
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER release_topics_public_change AFTER INSERT OR UPDATE OR DELETE ON release_topics
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER release_media_contacts_public_change
    AFTER INSERT OR UPDATE OR DELETE ON release_media_contacts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER release_revisions_public_change
    AFTER INSERT OR UPDATE OR DELETE ON release_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER media_contacts_public_change AFTER INSERT OR UPDATE OR DELETE ON media_contacts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER sources_public_change AFTER INSERT OR UPDATE OR DELETE ON sources
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER topics_public_change AFTER INSERT OR UPDATE OR DELETE ON topics
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
