-- The text a search snippet is cut from, kept with each translation: its lead and body with
-- the Markdown marks a reader should not see taken out, and all whitespace one space.
--
-- Search cut snippets from the Markdown itself and cleaned each one in Python afterwards:
-- about 25 µs per hit, most of what a search page cost beyond its SQL. The cleaning is the
-- same, done once per edit instead of once per hit shown; ts_headline also reads less (no
-- link addresses).
-- - an image becomes its alternative text, a link its text;
-- - bold, italic and code marks (**, __, `) go;
-- - heading and quote marks at the start of a line go (the same characters inside a line
--   are text);
-- - every run of spaces, line breaks and control characters becomes one space (so no
--   snippet can hold the marks ts_headline is asked to put around a match); a no-break
--   space is text, as in "1 050 euroa", and stays.
-- What remains is text, never markup: the API escapes it as HTML.
CREATE FUNCTION release_snippet_text(lead text, body text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(
        regexp_replace(
            replace(replace(replace(
                regexp_replace(
                    regexp_replace(lead || E'\n' || body, '!\[([^]]*)\]\([^)]*\)', '\1', 'g'),
                    '\[([^]]*)\]\([^)]*\)', '\1', 'g'),
                '**', ''), '__', ''), '`', ''),
            '^[ \t]*(?:(?:#+|>)[ \t]*)+', '', 'gw'),
        -- Runs of two or more, and single ones other than a space: replacing every single
        -- space by itself made this six times slower.
        -- Spelled out, not [:space:] or [:cntrl:], which depend on the database's locale.
        '[\u0001-\u0020\u007f-\u009f\u2028\u2029]{2,}|(?! )[\u0001-\u0020\u007f-\u009f\u2028\u2029]',
        ' ', 'g'))
$$;

ALTER TABLE release_translations
    ADD COLUMN snippet_text text NOT NULL
    GENERATED ALWAYS AS (release_snippet_text(lead, body)) STORED;

-- What ts_headline cut from it, with the matches between chr(2) and chr(3), as HTML: the
-- text escaped, the matches in <mark>. Done in the search statement, where it costs a
-- microsecond per hit, rather than by the API in Python, where it cost ten.
CREATE FUNCTION snippet_html(headline text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT replace(replace(replace(replace(replace(
        headline, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), chr(2), '<mark>'), chr(3), '</mark>')
$$;
