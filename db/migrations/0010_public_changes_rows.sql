-- Notify only when a statement changed rows. A statement trigger fires for every UPDATE,
-- also one that matched nothing (the lift loop's idle check runs one every few seconds), and
-- each such NOTIFY dropped every instance's public cache. With transition tables the trigger
-- sees what the statement changed; one trigger per kind of statement, as PostgreSQL requires.
CREATE FUNCTION notify_public_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed) THEN
        PERFORM pg_notify('press_public', TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER releases_public_change ON releases;
CREATE TRIGGER releases_public_insert AFTER INSERT ON releases
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER releases_public_update AFTER UPDATE ON releases
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER releases_public_delete AFTER DELETE ON releases
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER release_translations_public_change ON release_translations;
CREATE TRIGGER release_translations_public_insert AFTER INSERT ON release_translations
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_translations_public_update AFTER UPDATE ON release_translations
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_translations_public_delete AFTER DELETE ON release_translations
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER release_topics_public_change ON release_topics;
CREATE TRIGGER release_topics_public_insert AFTER INSERT ON release_topics
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_topics_public_update AFTER UPDATE ON release_topics
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_topics_public_delete AFTER DELETE ON release_topics
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER release_media_contacts_public_change ON release_media_contacts;
CREATE TRIGGER release_media_contacts_public_insert AFTER INSERT ON release_media_contacts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_media_contacts_public_update AFTER UPDATE ON release_media_contacts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_media_contacts_public_delete AFTER DELETE ON release_media_contacts
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER release_revisions_public_change ON release_revisions;
CREATE TRIGGER release_revisions_public_insert AFTER INSERT ON release_revisions
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_revisions_public_update AFTER UPDATE ON release_revisions
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_revisions_public_delete AFTER DELETE ON release_revisions
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER media_contacts_public_change ON media_contacts;
CREATE TRIGGER media_contacts_public_insert AFTER INSERT ON media_contacts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER media_contacts_public_update AFTER UPDATE ON media_contacts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER media_contacts_public_delete AFTER DELETE ON media_contacts
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER sources_public_change ON sources;
CREATE TRIGGER sources_public_insert AFTER INSERT ON sources
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER sources_public_update AFTER UPDATE ON sources
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER sources_public_delete AFTER DELETE ON sources
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER topics_public_change ON topics;
CREATE TRIGGER topics_public_insert AFTER INSERT ON topics
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER topics_public_update AFTER UPDATE ON topics
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER topics_public_delete AFTER DELETE ON topics
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER events_public_change ON events;
CREATE TRIGGER events_public_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER events_public_update AFTER UPDATE ON events
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER events_public_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER files_public_change ON files;
CREATE TRIGGER files_public_insert AFTER INSERT ON files
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER files_public_update AFTER UPDATE ON files
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER files_public_delete AFTER DELETE ON files
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER release_files_public_change ON release_files;
CREATE TRIGGER release_files_public_insert AFTER INSERT ON release_files
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_files_public_update AFTER UPDATE ON release_files
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER release_files_public_delete AFTER DELETE ON release_files
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP TRIGGER media_collections_public_change ON media_collections;
CREATE TRIGGER media_collections_public_insert AFTER INSERT ON media_collections
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER media_collections_public_update AFTER UPDATE ON media_collections
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER media_collections_public_delete AFTER DELETE ON media_collections
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();

DROP FUNCTION notify_public_change();
