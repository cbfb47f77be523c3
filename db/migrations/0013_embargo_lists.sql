-- Who may have a release before its lift. Without rows for a release, every accredited
-- journalist (the press office's standing embargo list); with rows, only those listed, and
-- only while they are accredited and not suspended. Every journalist-facing read of
-- embargoed material, and every embargoed e-mail, asks `embargo_recipient`.
CREATE TABLE release_embargo_recipients (
    release_id uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT statement_timestamp(),
    PRIMARY KEY (release_id, contact_id)
);
CREATE INDEX release_embargo_recipients_contact ON release_embargo_recipients (contact_id);

CREATE FUNCTION embargo_recipient(of_release uuid, for_contact uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM release_embargo_recipients l
                       WHERE l.release_id = of_release)
        OR EXISTS (SELECT 1 FROM release_embargo_recipients l
                   WHERE l.release_id = of_release AND l.contact_id = for_contact)
$$;
