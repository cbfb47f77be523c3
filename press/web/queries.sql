-- name: fetch_site_text
-- One text of the press room in one language, as an admin last saved it.
SELECT name, lang, body, body_html, updated_at FROM site_texts WHERE name = $1 AND lang = $2;

-- name: save_site_text
INSERT INTO site_texts (name, lang, body, body_html, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, now())
ON CONFLICT (name, lang) DO UPDATE
SET body = excluded.body, body_html = excluded.body_html, updated_by = excluded.updated_by,
    updated_at = excluded.updated_at
RETURNING name, lang, body, body_html, updated_at;

-- name: database_now
-- The database clock, the authority for "now": which events are still to come.
SELECT statement_timestamp();
