-- Event ids each outbox consumer has handled: a redelivered event (an offset reset, a restore)
-- is skipped instead of handled twice.
CREATE TABLE processed_events (
    consumer TEXT NOT NULL,
    event_id BIGINT NOT NULL,
    processed_at {ts} NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
