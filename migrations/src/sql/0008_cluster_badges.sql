-- Cluster: badges, members' progress towards them, and awards.

-- A badge. Criteria are JSON (the domain's type); soft delete (`deleted_at`).
CREATE TABLE badges (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_th TEXT NOT NULL,
    name_cn TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_th TEXT NOT NULL,
    description_cn TEXT NOT NULL,
    image_url TEXT,
    locked_image_url TEXT,
    category TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'invite_only', 'seasonal')),
    starts_at {ts},
    ends_at {ts},
    reward_points BIGINT,
    criteria TEXT NOT NULL,
    -- The event kind of the criteria, so a consumer loads only the badges an event can move.
    event TEXT NOT NULL,
    repeatable BOOLEAN NOT NULL,
    max_awards INTEGER,
    active BOOLEAN NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    deleted_at {ts}
);
CREATE INDEX badges_event ON badges (event);

-- What each consumed event added towards a badge for a member: one row per badge and event
-- (replays add nothing). The measure is taken over these rows at read time, in the badge's
-- window and after the member's last award (by event id: events that share a timestamp stay
-- in order).
CREATE TABLE badge_progress_events (
    badge_id TEXT NOT NULL,
    event_id BIGINT NOT NULL,
    member_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    points BIGINT NOT NULL,
    store_id TEXT,
    day TEXT NOT NULL,
    at {ts} NOT NULL,
    -- The same occurrence told twice (a retried action earn with the same source and
    -- external id, which earned nothing and so was not deduplicated by the ledger).
    dedup_key TEXT,
    PRIMARY KEY (badge_id, event_id)
);
CREATE UNIQUE INDEX badge_progress_events_dedup ON badge_progress_events (badge_id, dedup_key)
    WHERE dedup_key IS NOT NULL;
CREATE INDEX badge_progress_events_member ON badge_progress_events (badge_id, member_id, at);

-- Per member and badge: how many awards stand, and the last award (progress restarts after
-- the event that completed it: records with a higher event id count towards the next).
CREATE TABLE badge_member_progress (
    badge_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    awards INTEGER NOT NULL,
    last_awarded_at {ts},
    last_event_id BIGINT NOT NULL,
    updated_at {ts} NOT NULL,
    PRIMARY KEY (badge_id, member_id)
);
CREATE INDEX badge_member_progress_member ON badge_member_progress (member_id);

-- Every award, automatic or by hand; revoked ones keep their row.
CREATE TABLE badge_awards (
    id TEXT PRIMARY KEY,
    badge_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
    reason TEXT,
    event_id BIGINT,
    reward_points BIGINT,
    awarded_by TEXT,
    awarded_at {ts} NOT NULL,
    revoked_at {ts},
    revoked_by TEXT,
    revoke_reason TEXT,
    UNIQUE (badge_id, member_id, seq)
);
CREATE INDEX badge_awards_member ON badge_awards (member_id, awarded_at);
