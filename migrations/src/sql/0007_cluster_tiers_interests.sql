-- Cluster: the tier ladder, each member's place on it, what qualifies them, and interests.

-- A tier. Qualification, retention, downgrade and benefits are JSON (the domain's types); the
-- columns a list filters, searches or sorts on are columns. Deletes are soft (`deleted_at`).
CREATE TABLE tiers (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_th TEXT NOT NULL,
    name_cn TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_th TEXT NOT NULL,
    description_cn TEXT NOT NULL,
    image_url TEXT,
    rank INTEGER NOT NULL,
    qualification TEXT NOT NULL,
    retention TEXT,
    downgrade TEXT NOT NULL,
    benefits TEXT NOT NULL,
    manual_only BOOLEAN NOT NULL,
    is_default BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    managed BOOLEAN NOT NULL,
    managed_by_uid TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    deleted_at {ts}
);
-- The ladder rule "unique ranks", as a backstop to the check every write makes.
CREATE UNIQUE INDEX tiers_rank_live ON tiers (rank) WHERE deleted_at IS NULL;

-- Each member's current tier. No row: the member holds the default tier (created lazily, at
-- the member's first qualifying event or assignment). An override pins `tier_id` until it
-- expires; automatic evaluation leaves the row alone meanwhile.
CREATE TABLE member_tiers (
    member_id TEXT PRIMARY KEY,
    tier_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
    since {ts} NOT NULL,
    valid_until {ts},
    override_reason TEXT,
    override_expires_at {ts},
    override_by TEXT,
    -- The period end a downgrade warning was sent for (so it goes out once per period).
    warned_for {ts},
    updated_at {ts} NOT NULL
);
CREATE INDEX member_tiers_tier ON member_tiers (tier_id);
CREATE INDEX member_tiers_valid_until ON member_tiers (valid_until);
CREATE INDEX member_tiers_override_expires ON member_tiers (override_expires_at);

-- Every tier change, never rewritten.
CREATE TABLE member_tier_history (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    from_tier_id TEXT,
    from_tier_code TEXT,
    to_tier_id TEXT NOT NULL,
    to_tier_code TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('up', 'down', 'same')),
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    qualifying_value BIGINT,
    note TEXT,
    created_by TEXT,
    at {ts} NOT NULL
);
CREATE INDEX member_tier_history_member ON member_tier_history (member_id, at);

-- What counts towards qualification, one row per consumed event (its outbox id): points
-- earned (minus their reversals, dated at the earn) and purchase amounts.
CREATE TABLE tier_activity (
    event_id BIGINT PRIMARY KEY,
    member_id TEXT NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN ('points_earned', 'purchase_amount')),
    value BIGINT NOT NULL,
    currency TEXT,
    transaction_id TEXT,
    at {ts} NOT NULL
);
CREATE INDEX tier_activity_member ON tier_activity (member_id, metric, at);
CREATE INDEX tier_activity_transaction ON tier_activity (transaction_id);

-- Interest categories and each member's choices.
CREATE TABLE interests (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_th TEXT NOT NULL,
    name_cn TEXT NOT NULL,
    icon_url TEXT,
    sort_order INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);

CREATE TABLE member_interests (
    member_id TEXT NOT NULL,
    interest_id TEXT NOT NULL REFERENCES interests (id) ON DELETE CASCADE,
    created_at {ts} NOT NULL,
    PRIMARY KEY (member_id, interest_id)
);
CREATE INDEX member_interests_interest ON member_interests (interest_id);
