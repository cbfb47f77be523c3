-- Release rules that hold whatever route a change takes.
--
-- embargo_promised_at: the embargo instant a release was promised under, kept until it is
-- public. Unscheduling, returning to draft and approving again do not erase it: a release
-- sent to journalists under embargo stays promised to them until then, and making it public
-- earlier is an approver's decision with a reason (press/releases/workflow.py).
--
-- content_changed_by: the last person to change the release's content;
-- changed_since_approval_by: everyone who changed it since it was last approved. Four eyes:
-- none of them may approve it (nor anyone approve a pending change of their own).
--
-- withdrawal_note: what the public is told of a withdrawal (the tombstone); the staff's
-- withdrawal_reason stays internal.
ALTER TABLE releases
    ADD COLUMN embargo_promised_at timestamptz,
    ADD COLUMN content_changed_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    ADD COLUMN changed_since_approval_by uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN withdrawal_note text;

UPDATE releases SET embargo_promised_at = publish_at WHERE embargo AND state = 'scheduled';
UPDATE releases SET content_changed_by = coalesce(submitted_by, created_by);
UPDATE releases SET changed_since_approval_by = ARRAY[content_changed_by]
WHERE state IN ('draft', 'in_review') AND content_changed_by IS NOT NULL;

-- A change of a scheduled or published release's content waits here until an approver other
-- than its author approves it. One at a time per release.
CREATE TABLE release_pending_changes (
    release_id uuid PRIMARY KEY REFERENCES releases (id) ON DELETE CASCADE,
    changes jsonb NOT NULL,
    note text,
    proposed_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
    proposed_at timestamptz NOT NULL DEFAULT statement_timestamp()
);

-- release_documents names r.*, which PostgreSQL expands when the view is made: made again to
-- carry the new columns.
DROP VIEW release_documents;
CREATE VIEW release_documents AS
SELECT r.*,
    coalesce((SELECT array_agg(t.topic ORDER BY t.topic) FROM release_topics t
              WHERE t.release_id = r.id), '{}') AS topics,
    coalesce((SELECT jsonb_object_agg(t.lang, jsonb_build_object(
                  'title', t.title, 'lead', t.lead, 'body', t.body,
                  'body_html', t.body_html, 'slug', t.slug))
              FROM release_translations t WHERE t.release_id = r.id), '{}') AS translations,
    coalesce((SELECT array_agg(c.media_contact_id ORDER BY c.position)
              FROM release_media_contacts c WHERE c.release_id = r.id), '{}') AS contacts,
    coalesce((SELECT jsonb_agg(jsonb_build_object('note', v.note, 'at', v.created_at)
                               ORDER BY v.id)
              FROM release_revisions v
              WHERE v.release_id = r.id AND v.kind = 'correction'), '[]') AS corrections,
    (SELECT jsonb_build_object('changes', p.changes, 'note', p.note,
                               'proposed_by', p.proposed_by, 'proposed_at', p.proposed_at)
     FROM release_pending_changes p WHERE p.release_id = r.id) AS pending_change
FROM releases r;

-- The public documents carry the public withdrawal note, never the internal reason.
DROP VIEW public_release_documents;
CREATE VIEW public_release_documents AS
SELECT r.id, r.source, r.publish_at, r.state, r.withdrawn_at, r.withdrawal_note,
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
