-- Reward: catalogs, each visible to every member or to the holders of some tiers.

CREATE TABLE reward_catalogs (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_th TEXT NOT NULL,
    name_cn TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_th TEXT NOT NULL,
    description_cn TEXT NOT NULL,
    image_url TEXT,
    visibility TEXT NOT NULL CHECK (visibility IN ('all', 'tiers')),
    -- JSON array of tier codes (for `tiers`).
    tier_codes TEXT NOT NULL,
    starts_at {ts},
    ends_at {ts},
    sort_order INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    managed BOOLEAN NOT NULL,
    managed_by_uid TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    deleted_at {ts}
);
