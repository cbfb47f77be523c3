-- Staff are e-mailed about the workflow: approvers when a release waits for them, its author
-- when it is sent back or approved. The mail goes through the readers' queue and sender
-- (mail_deliveries), addressed to a staff user instead of a contact, in the language the
-- user last chose in the console.
ALTER TABLE staff_users ADD COLUMN lang text NOT NULL DEFAULT 'fi'
    CHECK (lang IN ('fi', 'sv', 'en'));

-- A staff mail has no release_id of its own (the release's delivery counts are readers'
-- mail only); its outbox event names the release.
ALTER TABLE mail_deliveries
    ADD COLUMN staff_user_id uuid REFERENCES staff_users (id) ON DELETE CASCADE;
ALTER TABLE mail_deliveries DROP CONSTRAINT mail_deliveries_kind_check;
ALTER TABLE mail_deliveries ADD CONSTRAINT mail_deliveries_kind_check
    CHECK (kind IN ('release', 'confirmation', 'privacy', 'sign_in', 'staff'));
ALTER TABLE mail_deliveries ADD CONSTRAINT mail_deliveries_staff_addressed
    CHECK ((kind = 'staff') = (staff_user_id IS NOT NULL));
-- An event is expanded to the same staff user once, as (event_id, contact_id) for readers.
CREATE UNIQUE INDEX mail_deliveries_staff_once ON mail_deliveries (event_id, staff_user_id)
    WHERE staff_user_id IS NOT NULL;

-- The console's dashboard shows the latest send-outs to readers and where their mail stands.
CREATE INDEX mail_outbox_events_recent ON mail_outbox_events (expanded_at);
