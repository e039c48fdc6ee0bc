-- Foundation schema (PostgreSQL). Times are unix milliseconds; booleans are 0/1 integers so that the
-- same queries decode identically on SQLite and PostgreSQL.
CREATE TABLE areas (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT,
    geometry TEXT
);
CREATE INDEX areas_parent ON areas(parent_code);

CREATE TABLE grids (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    community_code TEXT NOT NULL REFERENCES areas(code),
    geometry TEXT NOT NULL,
    area_m2 DOUBLE PRECISION NOT NULL
);
CREATE INDEX grids_community ON grids(community_code);

CREATE TABLE departments (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE buildings (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    grid_code TEXT NOT NULL REFERENCES grids(code),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    floors BIGINT NOT NULL
);
CREATE INDEX buildings_grid ON buildings(grid_code);

CREATE TABLE households (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    building_id BIGINT NOT NULL REFERENCES buildings(id),
    grid_code TEXT NOT NULL,
    room TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX households_grid ON households(grid_code);
CREATE INDEX households_building ON households(building_id);

CREATE TABLE residents (
    id BIGSERIAL PRIMARY KEY,
    household_id BIGINT NOT NULL REFERENCES households(id),
    grid_code TEXT NOT NULL,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_year BIGINT NOT NULL,
    id_number_enc BYTEA NOT NULL,
    id_number_bidx BYTEA NOT NULL UNIQUE,
    phone_enc BYTEA,
    phone_bidx BYTEA,
    relation TEXT NOT NULL,
    political_status TEXT NOT NULL
);
CREATE INDEX residents_household ON residents(household_id);
CREATE INDEX residents_grid ON residents(grid_code);
CREATE INDEX residents_phone ON residents(phone_bidx);

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    can_unmask BIGINT NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    disabled BIGINT NOT NULL DEFAULT 0,
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash BYTEA PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);

CREATE TABLE pii_access_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    account_name TEXT NOT NULL,
    resident_id BIGINT NOT NULL,
    fields TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX pii_access_resident ON pii_access_log(resident_id);
