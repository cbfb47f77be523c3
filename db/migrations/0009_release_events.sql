-- A public release names its public press events (the press conference of a decision, …).
CREATE INDEX events_release_ids ON events USING gin (release_ids);

CREATE OR REPLACE VIEW public_release_documents AS
SELECT r.id, r.source, r.publish_at, r.state, r.withdrawn_at, r.withdrawal_reason,
    greatest(r.updated_at, r.publish_at) AS modified_at,
    r.decision_id, r.decision_url,
    coalesce((SELECT array_agg(t.topic ORDER BY t.topic) FROM release_topics t
              WHERE t.release_id = r.id), '{}') AS topics,
    coalesce((SELECT jsonb_object_agg(t.lang, jsonb_build_object(
                  'title', t.title, 'lead', t.lead, 'body_html', t.body_html, 'slug', t.slug))
              FROM release_translations t WHERE t.release_id = r.id), '{}') AS translations,
    coalesce((SELECT jsonb_agg(jsonb_build_object(
                  'id', m.id, 'name', m.name, 'title', m.title, 'phone', m.phone,
                  'email', m.email) ORDER BY c.position)
              FROM release_media_contacts c JOIN media_contacts m ON m.id = c.media_contact_id
              WHERE c.release_id = r.id), '[]') AS contacts,
    coalesce((SELECT jsonb_agg(jsonb_build_object('note', v.note, 'at', v.created_at)
                               ORDER BY v.id)
              FROM release_revisions v
              WHERE v.release_id = r.id AND v.kind = 'correction'), '[]') AS corrections,
    coalesce((SELECT jsonb_agg(jsonb_build_object(
                  'id', e.id, 'starts_at', e.starts_at, 'ends_at', e.ends_at,
                  'status', e.status, 'translations', e.translations) ORDER BY e.starts_at, e.id)
              FROM events e
              WHERE e.release_ids @> ARRAY[r.id] AND event_is_public(e.visible_from)),
             '[]') AS events
FROM releases r
WHERE release_is_public(r.state, r.publish_at)
   OR release_is_tombstone(r.state, r.publish_at, r.withdrawn_at);
