-- The journalist's desk: a subscriber may pause their subscription from the preferences page,
-- and accredited journalists sign in to the embargo reading room by an e-mailed magic link.

-- Paused: the choices are kept but nothing is sent (contact_may_receive wants 'confirmed').
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_state_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_state_check
    CHECK (state IN ('pending', 'confirmed', 'paused', 'unsubscribed'));

-- A magic link asked for on the sign-in page: its id is the nonce in the e-mailed link. It
-- works once (used_at) and for a short while (the reading room's rule, in its queries).
CREATE TABLE room_sign_ins (
    id uuid PRIMARY KEY,
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    lang text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
    requested_at timestamptz NOT NULL DEFAULT statement_timestamp(),
    used_at timestamptz
);
CREATE INDEX room_sign_ins_contact ON room_sign_ins (contact_id, requested_at);

-- A session of the reading room: the cookie holds a random token, the row only its hash.
-- Whether the session still lets anyone in is asked of the contact at every request.
CREATE TABLE room_sessions (
    token_hash bytea PRIMARY KEY,
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    sign_in_id uuid NOT NULL REFERENCES room_sign_ins (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT statement_timestamp(),
    expires_at timestamptz NOT NULL,
    ended_at timestamptz
);
CREATE INDEX room_sessions_contact ON room_sessions (contact_id);

-- Who may be in the reading room now: an active contact with embargo access, not suspended,
-- accredited today in the city's calendar. Asked at every request of the room, so a
-- suspension or an expiry ends a session at once.
CREATE FUNCTION room_may_enter(contact uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM contacts c
        WHERE c.id = contact AND c.status = 'active' AND c.embargo_access
          AND c.suspended_at IS NULL
          AND (c.accredited_until IS NULL OR c.accredited_until
               >= (statement_timestamp() AT TIME ZONE 'Europe/Helsinki')::date))
$$;

-- A magic link still works: not used, asked for within 15 minutes, its person let in.
CREATE FUNCTION room_sign_in_open(sign_in uuid, contact uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM room_sign_ins s
        WHERE s.id = sign_in AND s.contact_id = contact AND s.used_at IS NULL
          AND s.requested_at > statement_timestamp() - interval '15 minutes'
          AND room_may_enter(contact))
$$;

ALTER TABLE mail_deliveries DROP CONSTRAINT mail_deliveries_kind_check;
ALTER TABLE mail_deliveries ADD CONSTRAINT mail_deliveries_kind_check
    CHECK (kind IN ('release', 'confirmation', 'privacy', 'sign_in'));
