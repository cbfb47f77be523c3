-- Files and their links to releases are public content too (downloads, search by caption,
-- media bank): their changes drop the public response caches.
CREATE TRIGGER files_public_change AFTER INSERT OR UPDATE OR DELETE ON files
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER release_files_public_change AFTER INSERT OR UPDATE OR DELETE ON release_files
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
CREATE TRIGGER media_collections_public_change
    AFTER INSERT OR UPDATE OR DELETE ON media_collections
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
