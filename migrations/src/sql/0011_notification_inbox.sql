-- Notification: the in-app inbox (written from events, one row per member and event) and
-- members' preferences.

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('offers', 'loyalty', 'updates', 'transactions', 'system')),
    -- What it tells: the topic of the event it came from, such as points.earned.
    kind TEXT NOT NULL,
    title_en TEXT NOT NULL,
    title_th TEXT NOT NULL,
    title_cn TEXT NOT NULL,
    body_en TEXT NOT NULL,
    body_th TEXT NOT NULL,
    body_cn TEXT NOT NULL,
    image_url TEXT,
    cta_url TEXT,
    -- JSON object: the facts behind the text (points, balance, reward code ...).
    data TEXT NOT NULL,
    -- The outbox event it was written from: replaying an event writes nothing new.
    event_id BIGINT,
    read_at {ts},
    created_at {ts} NOT NULL,
    UNIQUE (event_id, member_id)
);
CREATE INDEX notifications_member ON notifications (member_id, created_at);
CREATE INDEX notifications_unread ON notifications (member_id, read_at, category);

CREATE TABLE notification_preferences (
    member_id TEXT PRIMARY KEY,
    -- JSON object: category -> shown in the inbox (transactions and system always are).
    categories TEXT NOT NULL,
    -- JSON object: channel -> enabled (inApp, email, push).
    channels TEXT NOT NULL,
    -- Quiet hours, "HH:MM" at utc_offset_minutes (none: no quiet hours).
    quiet_start TEXT,
    quiet_end TEXT,
    utc_offset_minutes INTEGER NOT NULL,
    updated_at {ts} NOT NULL
);
