-- Notification: what it knows of members (built from auth's and cluster's events: notification
-- reads no other service's tables), mail templates, senders, actions and the delivery log, and
-- staff broadcasts.

CREATE TABLE notification_members (
    member_id TEXT PRIMARY KEY,
    email TEXT,
    locale TEXT NOT NULL,
    first_name TEXT NOT NULL,
    tier_code TEXT,
    -- JSON array of interest codes.
    interests TEXT NOT NULL,
    -- Anonymised members get nothing.
    active BOOLEAN NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX notification_members_tier ON notification_members (tier_code);

CREATE TABLE mail_templates (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- JSON object: locale -> subject, html and text (en required).
    locales TEXT NOT NULL,
    -- JSON array of variables: name, required, description.
    variables TEXT NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);

CREATE TABLE mail_senders (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    from_email TEXT NOT NULL,
    from_name TEXT,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    security TEXT NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
    username TEXT,
    -- Sealed (ChaCha20-Poly1305 under the platform's secret); never returned.
    password_sealed TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);

CREATE TABLE mail_actions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    event TEXT NOT NULL,
    template_id TEXT NOT NULL REFERENCES mail_templates (id),
    sender_id TEXT NOT NULL REFERENCES mail_senders (id),
    -- member, staff (the address in the event's email) or address.
    recipient TEXT NOT NULL CHECK (recipient IN ('member', 'staff', 'address')),
    address TEXT,
    -- JSON array of conditions (field, op, value), all must hold.
    conditions TEXT NOT NULL,
    delay_seconds INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX mail_actions_event ON mail_actions (event, active);

CREATE TABLE mail_deliveries (
    id TEXT PRIMARY KEY,
    action_id TEXT,
    template_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    -- The outbox event it was made from: one delivery per action and event.
    event_id BIGINT,
    member_id TEXT,
    -- Resolved when sent (the member's current address), fixed for the other recipients.
    recipient TEXT,
    recipient_kind TEXT NOT NULL,
    -- Sealed JSON object: the template's variables (may hold a reset link).
    variables_sealed TEXT NOT NULL,
    subject TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
    attempts INTEGER NOT NULL,
    last_error TEXT,
    next_attempt_at {ts} NOT NULL,
    sent_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (action_id, event_id)
);
CREATE INDEX mail_deliveries_due ON mail_deliveries (status, next_attempt_at);
CREATE INDEX mail_deliveries_created ON mail_deliveries (created_at);

CREATE TABLE broadcasts (
    id TEXT PRIMARY KEY,
    category TEXT NOT NULL CHECK (category IN ('offers', 'loyalty', 'updates', 'transactions', 'system')),
    title_en TEXT NOT NULL,
    title_th TEXT NOT NULL,
    title_cn TEXT NOT NULL,
    body_en TEXT NOT NULL,
    body_th TEXT NOT NULL,
    body_cn TEXT NOT NULL,
    image_url TEXT,
    cta_url TEXT,
    -- The notifications' kind (broadcast, or the event a system broadcast announces) and data
    -- (JSON object).
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    -- all, tiers, interests or members, with the codes or ids in targets (JSON array).
    audience TEXT NOT NULL CHECK (audience IN ('all', 'tiers', 'interests', 'members')),
    targets TEXT NOT NULL,
    scheduled_at {ts} NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'sending', 'sent', 'cancelled')),
    -- While sending, in chunks of members by id: the last member done.
    cursor TEXT,
    -- Members the audience matched, and inbox notifications written (preferences may say no).
    recipients INTEGER NOT NULL,
    delivered INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at {ts} NOT NULL,
    sent_at {ts},
    cancelled_at {ts}
);
CREATE INDEX broadcasts_due ON broadcasts (status, scheduled_at);

-- Members registered before notification kept its directory: seeded once from auth's and
-- cluster's tables (from here on, only events change it).
INSERT INTO notification_members (member_id, email, locale, first_name, tier_code, interests, active, updated_at)
SELECT m.id, m.email, m.locale, m.first_name,
       (SELECT t.code FROM member_tiers mt JOIN tiers t ON t.id = mt.tier_id WHERE mt.member_id = m.id),
       COALESCE('["' || (SELECT string_agg(i.code, '","') FROM member_interests mi
                         JOIN interests i ON i.id = mi.interest_id WHERE mi.member_id = m.id) || '"]', '[]'),
       m.anonymized_at IS NULL,
       m.updated_at
FROM members m;
