-- Every purchase the point service is told of (an earn by a purchase), worth points or not:
-- what tiers and badges count. One row per (source, externalId) when an external id is given.
CREATE TABLE purchases (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    store_id TEXT,
    store_category TEXT,
    purchased_at {ts} NOT NULL,
    source TEXT NOT NULL,
    external_id TEXT,
    transaction_id TEXT,
    points BIGINT NOT NULL,
    created_at {ts} NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX purchases_member ON purchases (member_id, purchased_at);
