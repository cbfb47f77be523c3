-- A person's own requests to see or erase what the registry holds about them (GDPR art. 15,
-- 17 and 20), each confirmed by a link e-mailed to the address: only whoever reads that
-- mailbox can act on it. The row is the accountability record of the request.
CREATE TABLE privacy_requests (
    id uuid PRIMARY KEY,  -- the nonce in the e-mailed link
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('access', 'erasure')),
    lang text NOT NULL DEFAULT 'fi' CHECK (lang IN ('fi', 'sv', 'en')),
    requested_at timestamptz NOT NULL DEFAULT statement_timestamp(),
    completed_at timestamptz
);
CREATE INDEX privacy_requests_contact ON privacy_requests (contact_id, requested_at);

ALTER TABLE mail_deliveries DROP CONSTRAINT mail_deliveries_kind_check;
ALTER TABLE mail_deliveries ADD CONSTRAINT mail_deliveries_kind_check
    CHECK (kind IN ('release', 'confirmation', 'privacy'));
