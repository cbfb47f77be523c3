-- Texts of the press room that admins edit, one row per text and language, in Markdown with
-- the sanitised HTML made from it. Without a row, a page shows the text shipped with press
-- (press/web/content/). The "about the communications department" page is the first.
CREATE TABLE site_texts (
    name text NOT NULL CHECK (name IN ('about')),
    lang text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
    body text NOT NULL,
    body_html text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    PRIMARY KEY (name, lang)
);

-- The pages show these texts: their public caches are dropped when one changes.
CREATE TRIGGER site_texts_public_insert AFTER INSERT ON site_texts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER site_texts_public_update AFTER UPDATE ON site_texts
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
CREATE TRIGGER site_texts_public_delete AFTER DELETE ON site_texts
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_rows_changed();
