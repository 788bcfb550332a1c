-- One row per event a consumer has handled, written in the handler's transaction: the outbox
-- runner skips an event it finds here, so a redelivered event has no second effect.
CREATE TABLE processed_events (
    consumer TEXT NOT NULL,
    event_id BIGINT NOT NULL,
    processed_at {ts} NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
