-- Auth: staff password reset links (single use, expiring). Only the token's SHA-256 is kept.

CREATE TABLE password_resets (
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at {ts} NOT NULL,
    used_at {ts},
    created_at {ts} NOT NULL
);
CREATE INDEX password_resets_staff ON password_resets (staff_id);
