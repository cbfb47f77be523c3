-- Journalist tokens say what they open and which token made them.
-- `api` opens the journalist API (and files, and minting more tokens); `feed` opens only the
-- private feeds, whose token travels in the URL (feed readers and calendars send no header),
-- so it lands in proxies' and readers' logs: it must not be worth more than the feed.
-- A token made with another token never outlives it nor opens more than it (press.embargo).
ALTER TABLE journalist_tokens
    ADD COLUMN scope text NOT NULL DEFAULT 'api' CHECK (scope IN ('api', 'feed')),
    ADD COLUMN parent_id uuid REFERENCES journalist_tokens (id) ON DELETE SET NULL;

-- May this contact use a journalist credential now: active, with embargo access, not
-- suspended, and accredited until today or later (Helsinki's date). Every use of every
-- journalist credential asks this one function.
CREATE FUNCTION contact_accredited(c contacts) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.status = 'active' AND c.embargo_access AND c.suspended_at IS NULL
        AND (c.accredited_until IS NULL
             OR c.accredited_until >= (statement_timestamp() AT TIME ZONE 'Europe/Helsinki')::date)
$$;
