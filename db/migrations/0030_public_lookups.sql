-- What every public page needs beside its rows, in one place: the names of sources and
-- topics (each an object keyed by slug) and how long caches may keep the page, until the next
-- scheduled lift. The public list reads it in the same statement as its page; the pages and
-- feeds read it alone. A view is inlined by the planner: no cost over writing it out.
CREATE VIEW public_lookups AS
SELECT (SELECT jsonb_object_agg(slug, jsonb_build_object(
            'slug', slug, 'name_fi', name_fi, 'name_sv', name_sv, 'name_en', name_en))
        FROM sources) AS sources,
       (SELECT jsonb_object_agg(slug, jsonb_build_object(
            'slug', slug, 'name_fi', name_fi, 'name_sv', name_sv, 'name_en', name_en))
        FROM topics) AS topics,
       -- Scheduled after the transaction began, not after this statement: a release that
       -- lifted between a page's own query and this one is not in the page, and must give a
       -- time in the past (keep nothing), not leave the page kept as if no lift were due.
       (SELECT extract(epoch FROM min(publish_at) - statement_timestamp())::float8
        FROM releases WHERE state = 'scheduled' AND publish_at > transaction_timestamp())
           AS seconds_to_next_lift;
