-- The balance row is a cache of SUM(point_transactions.points), updated in the same
-- transaction as every entry; CHECK keeps it from ever going negative.
CREATE TABLE point_balances (
    member_id TEXT PRIMARY KEY,
    balance BIGINT NOT NULL CHECK (balance >= 0),
    lifetime_earned BIGINT NOT NULL,
    lifetime_spent BIGINT NOT NULL,
    lifetime_expired BIGINT NOT NULL,
    updated_at {ts} NOT NULL
);

-- Append-only ledger: rows are never updated. `points` is the signed change to the balance;
-- a reversal points at its original through `related_id`.
CREATE TABLE point_transactions (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('earn', 'spend', 'expire', 'reverse', 'adjust')),
    points BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    external_id TEXT,
    metadata TEXT NOT NULL,
    breakdown TEXT,
    related_id TEXT,
    created_by TEXT,
    created_at {ts} NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX point_transactions_member ON point_transactions (member_id, created_at);
CREATE INDEX point_transactions_related ON point_transactions (related_id);

-- Earned points, each lot with its own expiry; spends consume soonest-expiring lots first.
CREATE TABLE point_lots (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    points BIGINT NOT NULL,
    remaining BIGINT NOT NULL CHECK (remaining >= 0),
    expires_at {ts},
    expired_at {ts},
    created_at {ts} NOT NULL
);
CREATE INDEX point_lots_member ON point_lots (member_id, remaining, expires_at);
CREATE INDEX point_lots_due ON point_lots (expires_at, remaining);

-- Which lots a debit (spend, expiry, reversal of an earn) consumed, and how much of that was
-- given back by a later reversal.
CREATE TABLE point_lot_consumptions (
    id TEXT PRIMARY KEY,
    transaction_id TEXT NOT NULL,
    lot_id TEXT NOT NULL,
    points BIGINT NOT NULL,
    restored BIGINT NOT NULL
);
CREATE INDEX point_lot_consumptions_tx ON point_lot_consumptions (transaction_id);

-- Points each rule gave, for per-member daily caps.
CREATE TABLE point_rule_awards (
    id TEXT PRIMARY KEY,
    rule_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    points BIGINT NOT NULL,
    award_day TEXT NOT NULL
);
CREATE INDEX point_rule_awards_cap ON point_rule_awards (rule_id, member_id, award_day);

CREATE TABLE point_rules (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('purchase', 'action')),
    spec TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    priority INTEGER NOT NULL,
    managed BOOLEAN NOT NULL,
    managed_by_uid TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);

CREATE TABLE receipts (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    receipt_number TEXT NOT NULL,
    store_id TEXT NOT NULL,
    store_category TEXT,
    amount BIGINT NOT NULL,
    purchased_at {ts} NOT NULL,
    image_sha256 TEXT NOT NULL UNIQUE,
    image_content_type TEXT NOT NULL,
    image_size BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    estimated_points BIGINT NOT NULL,
    approved_amount BIGINT,
    transaction_id TEXT,
    reject_reason TEXT,
    reviewed_by TEXT,
    reviewed_at {ts},
    created_at {ts} NOT NULL,
    UNIQUE (store_id, receipt_number)
);
CREATE INDEX receipts_member ON receipts (member_id, created_at);

CREATE TABLE receipt_images (
    receipt_id TEXT PRIMARY KEY,
    data {blob} NOT NULL
);

CREATE TABLE point_request_tickets (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    description TEXT NOT NULL,
    reference TEXT,
    requested_points BIGINT,
    status TEXT NOT NULL CHECK (status IN ('open', 'approved', 'rejected', 'cancelled')),
    approved_points BIGINT,
    transaction_id TEXT,
    reject_reason TEXT,
    reviewed_by TEXT,
    reviewed_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX point_request_tickets_member ON point_request_tickets (member_id, created_at);
