-- Reward: rewards (each in a catalog, at a position), their code pools, and redemptions.

CREATE TABLE rewards (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    catalog_id TEXT NOT NULL REFERENCES reward_catalogs (id),
    position INTEGER NOT NULL,
    reward_type TEXT NOT NULL CHECK (reward_type IN ('voucher', 'gift', 'discount', 'privilege')),
    category TEXT,
    name_en TEXT NOT NULL,
    name_th TEXT NOT NULL,
    name_cn TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_th TEXT NOT NULL,
    description_cn TEXT NOT NULL,
    terms_en TEXT NOT NULL,
    terms_th TEXT NOT NULL,
    terms_cn TEXT NOT NULL,
    image_url TEXT,
    points_cost BIGINT NOT NULL CHECK (points_cost >= 0),
    -- JSON: an object whose "kind" is percent, fixed or item; or null.
    value TEXT,
    -- Null: unlimited. Remaining stock is stock_total - stock_claimed.
    stock_total BIGINT CHECK (stock_total IS NULL OR stock_total >= 0),
    -- Redemptions holding stock (claimed, used or expired; a cancel gives it back).
    stock_claimed BIGINT NOT NULL DEFAULT 0,
    limit_lifetime INTEGER,
    limit_per_period INTEGER,
    limit_period TEXT CHECK (limit_period IS NULL OR limit_period IN ('day', 'week', 'month')),
    -- JSON array of tier codes; empty: every tier.
    tier_codes TEXT NOT NULL,
    starts_at {ts},
    ends_at {ts},
    voucher_valid_days INTEGER,
    code_mode TEXT NOT NULL CHECK (code_mode IN ('none', 'pool', 'static')),
    static_code TEXT,
    active BOOLEAN NOT NULL,
    managed BOOLEAN NOT NULL,
    managed_by_uid TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    deleted_at {ts},
    CHECK (stock_total IS NULL OR stock_claimed <= stock_total)
);
CREATE INDEX rewards_catalog ON rewards (catalog_id, position);

-- Codes are unique across rewards, so a code read at the till names one voucher.
CREATE TABLE reward_codes (
    id TEXT PRIMARY KEY,
    reward_id TEXT NOT NULL REFERENCES rewards (id),
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('available', 'assigned', 'used', 'void', 'expired')),
    redemption_id TEXT,
    member_id TEXT,
    batch TEXT,
    created_at {ts} NOT NULL,
    assigned_at {ts},
    used_at {ts},
    voided_at {ts},
    updated_at {ts} NOT NULL
);
CREATE INDEX reward_codes_pick ON reward_codes (reward_id, status, id);

CREATE TABLE redemptions (
    id TEXT PRIMARY KEY,
    reward_id TEXT NOT NULL REFERENCES rewards (id),
    member_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'used', 'cancelled', 'expired')),
    points_cost BIGINT NOT NULL,
    spend_transaction_id TEXT,
    refund_transaction_id TEXT,
    code TEXT,
    code_id TEXT,
    -- JSON: the reward as it was when redeemed.
    snapshot TEXT NOT NULL,
    qr TEXT NOT NULL,
    store_id TEXT,
    expires_at {ts},
    used_at {ts},
    cancelled_at {ts},
    cancelled_by TEXT,
    cancel_reason TEXT,
    expired_at {ts},
    created_by TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX redemptions_member ON redemptions (member_id, reward_id, created_at);
CREATE INDEX redemptions_reward ON redemptions (reward_id, created_at);
CREATE INDEX redemptions_due ON redemptions (status, expires_at);
