-- Transactional outbox: written in the same transaction as the change it announces.
CREATE TABLE events (
    id {id64},
    topic TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at {ts} NOT NULL
);
CREATE INDEX events_topic_id ON events (topic, id);

-- One row per consumer: the last event it has handled, advanced in the handler's transaction.
CREATE TABLE consumer_offsets (
    consumer TEXT PRIMARY KEY,
    last_event_id BIGINT NOT NULL,
    updated_at {ts} NOT NULL
);

-- Idempotency-Key: the first response to a (principal, key) is stored and replayed.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER,
    response_body TEXT,
    created_at {ts} NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
