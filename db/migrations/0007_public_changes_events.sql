-- Press events are public content too: their changes drop the public response caches.
CREATE TRIGGER events_public_change AFTER INSERT OR UPDATE OR DELETE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();
