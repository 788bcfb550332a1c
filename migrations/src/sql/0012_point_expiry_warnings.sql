-- Point: which lots a member was already told are about to expire (`points.expiring` goes out
-- once per lot).

CREATE TABLE point_expiry_warnings (
    lot_id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    warned_at {ts} NOT NULL
);
