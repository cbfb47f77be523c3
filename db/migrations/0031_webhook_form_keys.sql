-- The console's form for a new webhook carries a random key made when the page was shown; the
-- subscription keeps the key it was made with. A form sent again (a reload that resends it, a
-- double click) finds its webhook by the key instead of making a second one, which would have
-- the city website told of every event twice. Unique across all staff: the console refuses a
-- key that another person's form used, so it needs no per-user index; NULL (the API, an older
-- page or a scripted client without the key) never conflicts. The unique index is what makes
-- two requests with one key at the same moment make one row (INSERT … ON CONFLICT).
ALTER TABLE webhooks ADD COLUMN form_key text UNIQUE
    CHECK (form_key ~ '^[A-Za-z0-9_-]{16,64}$');
