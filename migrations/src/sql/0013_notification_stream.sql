-- Notification: the real-time stream's retained log. Its ids are the SSE event ids: writers
-- append under one lock (PostgreSQL advisory lock, SQLite's single writer), so ids commit in
-- order and a reader that has seen id n has seen everything before it.

CREATE TABLE stream_events (
    id {id64},
    -- The member it is about (none: staff only).
    member_id TEXT,
    -- Who sees it: 'member' (that member only), 'staff', or 'both'.
    audience TEXT NOT NULL CHECK (audience IN ('member', 'staff', 'both')),
    -- The SSE event name, such as points.earned or notification.created.
    event TEXT NOT NULL,
    -- JSON object.
    data TEXT NOT NULL,
    -- The outbox event it came from (none for broadcasts): a replayed event appends nothing.
    event_id BIGINT,
    created_at {ts} NOT NULL,
    UNIQUE (event_id, event, member_id)
);
CREATE INDEX stream_events_member ON stream_events (member_id, id);
CREATE INDEX stream_events_created ON stream_events (created_at);

-- One row: every stream event with an id up to pruned_through is gone, so a Last-Event-ID
-- below it gets a `reset` instead of a replay with holes.
CREATE TABLE stream_retention (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through BIGINT NOT NULL
);
INSERT INTO stream_retention (id, pruned_through) VALUES (1, 0);
