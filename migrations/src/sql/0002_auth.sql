CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    username TEXT UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'support', 'viewer')),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    failed_logins INTEGER NOT NULL,
    locked_until {ts},
    last_login_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);

-- Refresh tokens: stored hashed, rotated on use; a reused one revokes its whole family.
CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('staff', 'member')),
    subject_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at {ts} NOT NULL,
    used_at {ts},
    revoked_at {ts},
    created_at {ts} NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    member_code TEXT NOT NULL UNIQUE,
    wechat_openid TEXT UNIQUE,
    wechat_unionid TEXT UNIQUE,
    phone TEXT UNIQUE,
    email TEXT UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    birth_date TEXT,
    gender TEXT,
    locale TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'anonymized')),
    source TEXT NOT NULL CHECK (source IN ('wechat', 'pos', 'staff')),
    store_id TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    anonymized_at {ts}
);
CREATE INDEX members_created ON members (created_at);

-- Versioned legal documents; a new version is a new row, never an edit.
CREATE TABLE consent_documents (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('privacy_policy', 'terms_of_service')),
    version INTEGER NOT NULL,
    title_en TEXT NOT NULL,
    title_th TEXT NOT NULL,
    title_cn TEXT NOT NULL,
    body_en TEXT NOT NULL,
    body_th TEXT NOT NULL,
    body_cn TEXT NOT NULL,
    effective_at {ts} NOT NULL,
    created_by TEXT,
    created_at {ts} NOT NULL,
    UNIQUE (kind, version)
);

-- Append-only acceptance history.
CREATE TABLE member_consents (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES consent_documents (id),
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    accepted BOOLEAN NOT NULL,
    source TEXT NOT NULL,
    created_at {ts} NOT NULL
);
CREATE INDEX member_consents_member ON member_consents (member_id, created_at);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    plan TEXT NOT NULL CHECK (plan IN ('standard', 'premium', 'enterprise')),
    rate_limit_per_hour BIGINT,
    expires_at {ts},
    revoked_at {ts},
    last_used_at {ts},
    managed BOOLEAN NOT NULL,
    managed_by_uid TEXT,
    created_by TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
